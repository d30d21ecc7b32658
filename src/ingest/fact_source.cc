#include "ingest/fact_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "text/fact_text.h"

namespace nldb::ingest {

namespace {
bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

Result<std::unique_ptr<FactSource>> FactSource::Open(const std::string& path) {
  Format format;
  if (EndsWith(path, ".txt")) {
    format = Format::kText;
  } else if (EndsWith(path, ".jsonl")) {
    format = Format::kJsonl;
  } else {
    return Status::InvalidArgument("cannot tell the format of " + path +
                                   ": name it .txt (one fact per line) or .jsonl (WikiNLDB)");
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return Status::NotFound("cannot read " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument(path + " is not a regular file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  return std::unique_ptr<FactSource>(new FactSource(f, format, static_cast<uint64_t>(st.st_size)));
}

FactSource::~FactSource() { std::fclose(file_); }

std::string FactSource::Fingerprint() const {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%016llx-%llu", static_cast<unsigned long long>(hash_),
                static_cast<unsigned long long>(bytes_read_));
  return buf;
}

Result<bool> FactSource::ReadLine() {
  line_.clear();
  bool got_any = false;
  while (true) {
    if (buf_pos_ == buf_len_) {
      buf_len_ = std::fread(buf_.data(), 1, buf_.size(), file_);
      buf_pos_ = 0;
      if (buf_len_ == 0) {
        if (std::ferror(file_)) {
          return Status::IOError(std::string("reading failed: ") + std::strerror(errno));
        }
        break;
      }
    }
    got_any = true;
    const char* start = buf_.data() + buf_pos_;
    const size_t avail = buf_len_ - buf_pos_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', avail));
    const size_t take = nl ? static_cast<size_t>(nl - start) + 1 : avail;
    line_.append(start, take);
    buf_pos_ += take;
    if (nl) break;
  }
  if (!got_any) return false;
  for (unsigned char c : line_) hash_ = (hash_ ^ c) * 1099511628211ull;
  bytes_read_ += line_.size();
  ++line_no_;
  if (!line_.empty() && line_.back() == '\n') line_.pop_back();
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  if (line_no_ == 1 && line_.starts_with("\xEF\xBB\xBF")) line_.erase(0, 3);  // a UTF-8 BOM
  return true;
}

void FactSource::ParseJsonLine() {
  pending_facts_.clear();
  pending_problem_.clear();
  pending_next_ = 0;
  nlohmann::json db;
  try {
    db = nlohmann::json::parse(line_);
  } catch (const nlohmann::json::exception& e) {
    // nlohmann's messages start with "[json.exception.parse_error.101] ".
    std::string what = e.what();
    if (auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    pending_problem_ = "the line is not valid JSON (" + what + ")";
    return;
  }
  auto facts = db.is_object() ? db.find("facts") : db.end();
  if (!db.is_object() || facts == db.end() || !facts->is_array()) {
    pending_problem_ = "the line has no \"facts\" list";
    return;
  }
  for (size_t i = 0; i < facts->size(); ++i) {
    const auto& f = (*facts)[i];
    if (!f.is_string()) {
      pending_problem_ = "fact " + std::to_string(i + 1) + " of the line is not a string";
      pending_facts_.clear();
      return;
    }
    pending_facts_.push_back(f.get<std::string>());
  }
}

Result<bool> FactSource::Next(SourceItem* item) {
  if (format_ == Format::kText) {
    auto got = ReadLine();
    if (!got.ok() || !*got) return got;
    item->line = line_no_;
    item->text = line_;
    Status s = text::CheckFactText(line_);
    item->problem = s.ok() ? "" : s.message();
    return true;
  }
  // .jsonl: serve the current line's facts, reading lines until one has any.
  while (pending_problem_.empty() && pending_next_ == pending_facts_.size()) {
    auto got = ReadLine();
    if (!got.ok() || !*got) return got;
    ParseJsonLine();
  }
  item->line = line_no_;
  if (!pending_problem_.empty()) {
    item->text = {};
    item->problem = std::move(pending_problem_);
    pending_problem_.clear();
    return true;
  }
  const size_t index = pending_next_++;
  item->text = pending_facts_[index];
  Status s = text::CheckFactText(item->text);
  item->problem = s.ok() ? "" : "fact " + std::to_string(index + 1) + " of the line: " + s.message();
  return true;
}

}  // namespace nldb::ingest
