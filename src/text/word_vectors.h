// WordVectors: pretrained word embeddings (GloVe 100-d) from the compact file
// scripts/install-glove writes (see scripts/glove-to-bin.mjs for the format).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nldb/status.h"

namespace nldb::text {

class WordVectors {
 public:
  static Result<std::unique_ptr<WordVectors>> Load(const std::string& path);
  // As Load, once per path and process: later calls share the first's vectors.
  static Result<std::shared_ptr<const WordVectors>> Shared(const std::string& path);

  int size() const { return static_cast<int>(words_.size()); }
  int dims() const { return dims_; }
  // Row of `word` (compared lowercased), or -1 when it has no vector.
  int Find(std::string_view word) const;
  // The word of row `row` (rows run from the most frequent word down).
  const std::string& Word(int row) const { return words_[static_cast<size_t>(row)]; }
  // Cosine similarity of rows a and b (0 when either is all zeros).
  double Cosine(int a, int b) const;
  // All vectors, row-major, size() x dims().
  const std::vector<float>& matrix() const { return matrix_; }

 private:
  int dims_ = 0;
  std::vector<std::string> words_;
  std::unordered_map<std::string, int> index_;
  std::vector<float> matrix_;
};

// The default location of the vectors: $NLDB_GLOVE, else cache/glove-100d.bin
// under the source tree nldb was built from.
std::string DefaultWordVectorsPath();

}  // namespace nldb::text
