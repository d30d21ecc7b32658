#include "text/sentence_encoder.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "storage/atomic_file.h"
#include "text/function_words.h"

namespace nldb::text {

namespace {

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

}  // namespace

SentenceEncoder::SentenceEncoder(const WordVectors& vectors, int dims, std::vector<float> projection)
    : vectors_(vectors), dims_(dims), projection_(std::move(projection)) {
  double sum = 0;
  for (float x : vectors.matrix()) sum += double(x) * x;
  if (!vectors.matrix().empty()) word_scale_ = float(std::sqrt(sum / vectors.matrix().size()));
}

Result<std::unique_ptr<SentenceEncoder>> SentenceEncoder::Load(const std::string& dir,
                                                               const WordVectors& vectors) {
  const std::string path = dir + "/encoder.json";
  std::ifstream in(path);
  if (!in) return Status::NotFound("there is no sentence encoder at " + path);
  try {
    const auto j = nlohmann::json::parse(in);
    const int dims = j.at("dims").get<int>(), input = j.at("input").get<int>();
    auto p = j.at("projection").get<std::vector<float>>();
    if (dims <= 0 || input != vectors.dims() || p.size() != size_t(dims) * size_t(input)) {
      return Status::Corruption(path + " does not fit the word vectors (" +
                                std::to_string(vectors.dims()) + " dimensions)");
    }
    return std::make_unique<SentenceEncoder>(vectors, dims, std::move(p));
  } catch (const std::exception& e) {
    return Status::Corruption(path + " is not a sentence encoder: " + e.what());
  }
}

Status SentenceEncoder::Save(const std::string& dir) const {
  const nlohmann::json j = {{"dims", dims_}, {"input", vectors_.dims()}, {"projection", projection_}};
  return storage::WriteFileAtomically(dir + "/encoder.json", j.dump() + "\n");
}

std::vector<float> SentenceEncoder::MeanVector(std::string_view text) const {
  const int d = vectors_.dims();
  std::vector<float> mean(d, 0.f);
  int n = 0;
  std::string word;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
      continue;
    }
    if (!word.empty() && !IsFunctionWord(word)) {
      const int row = vectors_.Find(word);
      if (row >= 0) {
        const float* v = vectors_.matrix().data() + size_t(row) * d;
        for (int k = 0; k < d; ++k) mean[k] += v[k];
      } else {
        std::mt19937_64 rng(Checksum64(word.data(), word.size()));
        std::normal_distribution<float> normal(0.f, word_scale_);
        for (int k = 0; k < d; ++k) mean[k] += normal(rng);
      }
      ++n;
    }
    word.clear();
  }
  if (n == 0) return {};
  for (float& x : mean) x /= float(n);
  return mean;
}

std::vector<float> SentenceEncoder::Encode(std::string_view text) const {
  const auto mean = MeanVector(text);
  if (mean.empty()) return {};
  const int d = vectors_.dims();
  std::vector<float> out(dims_, 0.f);
  double norm = 0;
  for (int r = 0; r < dims_; ++r) {
    const float* row = projection_.data() + size_t(r) * d;
    float s = 0;
    for (int k = 0; k < d; ++k) s += row[k] * mean[k];
    out[r] = s;
    norm += double(s) * s;
  }
  if (norm <= 0) return {};
  const float inv = float(1 / std::sqrt(norm));
  for (float& x : out) x *= inv;
  return out;
}

uint64_t SentenceEncoder::Fingerprint() const {
  return Checksum64(projection_.data(), projection_.size() * sizeof(float), uint64_t(dims_));
}

uint64_t Checksum64(const void* data, size_t n, uint64_t seed) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = seed ^ (n * kMul);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  for (; i < n; ++i) h = (h ^ p[i]) * kMul;
  return h ^ (h >> 32);
}

}  // namespace nldb::text
