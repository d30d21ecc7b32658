#include "text/word_vectors.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <fstream>

namespace nldb::text {

namespace {
float HalfToFloat(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ffu, bits;
  if (exp == 0) {
    bits = sign;  // zero (subnormals are written as zero)
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}
}  // namespace

std::string DefaultWordVectorsPath() {
  if (const char* env = std::getenv("NLDB_GLOVE")) return env;
  return std::string(NLDB_SOURCE_DIR) + "/cache/glove-100d.bin";
}

Result<std::unique_ptr<WordVectors>> WordVectors::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("cannot read the word vectors " + path +
                            " (run scripts/install-glove, or set NLDB_GLOVE)");
  }
  char magic[8];
  uint32_t count = 0, dims = 0;
  in.read(magic, 8);
  in.read(reinterpret_cast<char*>(&count), 4);
  in.read(reinterpret_cast<char*>(&dims), 4);
  if (!in || std::memcmp(magic, "NLDBGLV1", 8) != 0 || dims == 0 || dims > 1024) {
    return Status::Corruption(path + " is not an nldb word-vector file");
  }
  // The vectors alone take 2 x count x dims bytes: a count the file cannot
  // hold is damage, found before anything that size is allocated.
  std::error_code size_error;
  const uintmax_t file_bytes = std::filesystem::file_size(path, size_error);
  if (size_error || uint64_t{2} * count * dims > file_bytes) {
    return Status::Corruption(path + " is truncated");
  }
  auto wv = std::unique_ptr<WordVectors>(new WordVectors());
  wv->dims_ = static_cast<int>(dims);
  wv->words_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    unsigned char len = 0;
    in.read(reinterpret_cast<char*>(&len), 1);
    std::string w(len, '\0');
    in.read(w.data(), len);
    if (!in) return Status::Corruption(path + " is truncated");
    wv->index_.emplace(w, static_cast<int>(i));
    wv->words_.push_back(std::move(w));
  }
  std::vector<uint16_t> half(static_cast<size_t>(count) * dims);
  in.read(reinterpret_cast<char*>(half.data()), static_cast<std::streamsize>(half.size() * 2));
  if (!in) return Status::Corruption(path + " is truncated");
  wv->matrix_.resize(half.size());
  for (size_t i = 0; i < half.size(); ++i) wv->matrix_[i] = HalfToFloat(half[i]);
  return wv;
}

double WordVectors::Cosine(int a, int b) const {
  const float* x = matrix_.data() + static_cast<size_t>(a) * dims_;
  const float* y = matrix_.data() + static_cast<size_t>(b) * dims_;
  double dot = 0, nx = 0, ny = 0;
  for (int i = 0; i < dims_; ++i) {
    dot += x[i] * y[i];
    nx += x[i] * x[i];
    ny += y[i] * y[i];
  }
  return nx > 0 && ny > 0 ? dot / std::sqrt(nx * ny) : 0;
}

Result<std::shared_ptr<const WordVectors>> WordVectors::Shared(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const WordVectors>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded.find(path); it != loaded.end()) return it->second;
  auto made = Load(path);
  if (!made.ok()) return made.status();
  std::shared_ptr<const WordVectors> shared = std::move(*made);
  loaded[path] = shared;
  return shared;
}

int WordVectors::Find(std::string_view word) const {
  auto it = index_.find(Lower(word));
  return it == index_.end() ? -1 : it->second;
}

}  // namespace nldb::text
