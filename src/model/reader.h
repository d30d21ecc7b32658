// Reader: the built-in Neural SPJ model. It reads a question with one support
// set (a few fact sentences) and answers with the query type and one
// intermediate answer: a span copied from the facts, "key [SEP] value", TRUE,
// FALSE, or NULL when the facts do not answer the question. Many support sets
// of one question are read together, in length-sorted batches of 8. No
// libtorch here.
//
// The query type belongs to the question, so it is decided once per call: the
// type whose log-probabilities, summed over the sets, are highest among those
// the question's wording allows (model/type_cues.h). Each set's
// answer kind is then the best one that type allows (bool: TRUE, FALSE or
// NULL; argmin/argmax: a key-value pair or NULL; the others: a span or NULL).
//
// A model directory holds config.json, tokenizer.vocab, reader.pt and
// manifest.json; the GloVe vectors come from text::DefaultWordVectorsPath().
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "nldb/status.h"

namespace nldb::model {

struct ReaderConfig {
  int dim = 256, layers = 4, heads = 4, ff = 1024, max_len = 128;
  int max_span = 32;  // longest answer span, in tokens
  // Input features (see FeatureOptions in model/features.h); config.json
  // "word_match", "soft_match" and "unicode_capitals", default false.
  bool word_match = false;
  bool soft_match = false;
  bool unicode_capitals = false;
  // The answer kind "a pair read both ways" (see Kind in model/features.h);
  // config.json "both_ways", default false (models trained before it).
  bool both_ways = false;
  // Added to the NULL score before choosing a set's answer kind, by query
  // type: null_bias[type] + null_bias_log_sets[type] * ln(sets read for the
  // question), so that the more sets a question has, the more of them are
  // presumed not to answer (config.json "null_bias" and "null_bias_log_sets":
  // {"bool": -1.5, ...}, default 0; set by `nldb train calibrate`). Above 0
  // the reader answers fewer sets.
  std::array<float, 7> null_bias{};
  std::array<float, 7> null_bias_log_sets{};
  float NullBias(int type, size_t sets) const;
  // InvalidArgument when the sizes cannot make a network (dim not divisible
  // by heads, no layer, ...).
  Status Check() const;
  // Support sets the support-set generator scored below this are not read
  // (config.json "min_set_score", default 0; set by `nldb train calibrate`):
  // on them this reader gives more wrong answers than right ones.
  float min_set_score = 0;
  // The best this many sets are read whatever their score (config.json
  // "always_read", default 3; `nldb train calibrate --always-read`).
  size_t always_read = 3;
  // At most this many sets are read a question, the best (config.json
  // "most_read", default 300). A question over a whole relation brings one
  // set for each of its facts, and reading more than 300 of them gained this
  // reader nothing: at 1,000 facts EM 0.615 reading up to 300 or up to 1,000,
  // p99 250 and 490 ms.
  size_t most_read = 300;
};

struct ReadOutput {
  int type = 0;          // index into set, bool, count, min, max, argmin, argmax
  std::string answer;    // empty for NULL
  // The best answer `type` allows other than NULL, and how far the NULL score
  // is above its score before the bias: the set is NULL when
  // null_margin + ReaderConfig::NullBias(type, sets read) > 0.
  std::string best_answer;
  float null_margin = 0;
};

// The number format of the reader's matrix products. bfloat16 gives the same
// answers as float on the held-out data (EM 0.743 both) about 1.6x as fast
// where the CPU has bf16 instructions; elsewhere it is emulated and slower.
enum class Precision { kFloat32, kBFloat16 };
Precision FastestPrecision();  // kBFloat16 where the CPU has AVX512-BF16
const char* PrecisionName(Precision precision);  // "float32", "bfloat16"

class Reader {
 public:
  static Result<std::unique_ptr<Reader>> Load(const std::string& dir,
                                              Precision precision = FastestPrecision());
  ~Reader();

  // One output per support set, in order, all of one type (see above).
  std::vector<ReadOutput> Read(const std::string& question,
                               const std::vector<std::vector<std::string>>& support_sets) const;

  const ReaderConfig& config() const;
  Precision precision() const;
  int64_t parameters() const;
  // Multiply-adds x 2 of one forward pass over `tokens` tokens (matrix products only).
  double FlopsPerSequence(int tokens) const;
  // Tokens the reader's input for this question and support set has.
  int SequenceLength(const std::string& question, const std::vector<std::string>& facts) const;

  struct Impl;

 private:
  explicit Reader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The machine's matrix-multiply speed through libtorch, in GFLOP/s (1024 x
// 1024 products on the configured threads).
double MeasureMatmulGflops(Precision precision = Precision::kFloat32);

}  // namespace nldb::model
