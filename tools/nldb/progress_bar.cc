#include "progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace nldb::cli {

namespace {
std::string Duration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}
}  // namespace

ProgressBar::ProgressBar(std::string label, std::string unit, bool byte_units)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      byte_units_(byte_units),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::Update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(done, total);
}

void ProgressBar::Draw(uint64_t done, uint64_t total) {
  constexpr int kWidth = 30;
  const double fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  std::string counts, speed;
  if (byte_units_) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.1f/%.1f MB", done / 1e6, total / 1e6);
    counts = buf;
    std::snprintf(buf, sizeof(buf), "%.1f MB/s", rate / 1e6);
    speed = buf;
  } else {
    counts = WithSeparators(done) + "/" + WithSeparators(total) + " " + unit_;
    speed = WithSeparators(static_cast<uint64_t>(rate)) + " " + unit_ + "/s";
  }
  std::string eta = rate > 0 && done < total ? "ETA " + Duration((total - done) / rate)
                                             : "in " + Duration(elapsed);
  std::fprintf(stderr, "\r%s [%s] %3d%% %s  %s  %s\033[K", label_.c_str(), bar.c_str(),
               static_cast<int>(fraction * 100), counts.c_str(), speed.c_str(), eta.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (!drawn_) return;
  std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace nldb::cli
