// SentenceEncoder: a sentence as one unit vector, for the dense index.
//
// The vector is P * m, scaled to unit length, where m is the mean GloVe vector
// of the sentence's words (lowercased; function words left out) and P a
// dims x 100 matrix trained by `nldb train encoder`
// so that a question lands near the facts that answer it. Questions and facts
// share P, so the inner product of two codes is their cosine. A word without
// a GloVe vector (most names) gets a fixed pseudo-random one seeded by its
// hash: facts that differ only in names still get different codes, and a
// question shares its names' vectors with the facts that hold them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nldb/status.h"
#include "text/word_vectors.h"

namespace nldb::text {

class SentenceEncoder {
 public:
  // `projection` is dims x vectors.dims(), row-major.
  SentenceEncoder(const WordVectors& vectors, int dims, std::vector<float> projection);
  // Reads DIR/encoder.json: {"dims": D, "input": 100, "projection": [D * 100 floats]}.
  static Result<std::unique_ptr<SentenceEncoder>> Load(const std::string& dir,
                                                       const WordVectors& vectors);
  // Writes DIR/encoder.json.
  Status Save(const std::string& dir) const;

  int dims() const { return dims_; }
  // The unit vector of `text`; empty when it has no word but function words.
  std::vector<float> Encode(std::string_view text) const;
  // The mean word vector m of `text` (before P); empty as above.
  std::vector<float> MeanVector(std::string_view text) const;
  // Identifies P: an index built with another encoder must be rebuilt.
  uint64_t Fingerprint() const;
  const std::vector<float>& projection() const { return projection_; }

 private:
  const WordVectors& vectors_;
  int dims_;
  std::vector<float> projection_;
  float word_scale_ = 1;  // the RMS of GloVe's components, for the made-up vectors
};

// A 64-bit checksum of `n` bytes (not cryptographic; catches damage).
uint64_t Checksum64(const void* data, size_t n, uint64_t seed = 0);

}  // namespace nldb::text
