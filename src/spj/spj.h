// The Neural SPJ operator interface: read a question with each of several
// support sets and give one intermediate answer per set (or NULL). The
// built-in reader implements it; an LLM server can implement it later.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nldb/status.h"

namespace nldb::spj {

struct SpjOutput {
  std::string type;    // the query type the operator read: "set", "bool", ...
  std::string answer;  // "x", "key [SEP] value", "TRUE"/"FALSE"; empty for NULL
  // How far the operator's NULL score is above its best other answer's, before
  // any bias (above 0: it leans to NULL); 0 where the operator cannot tell.
  float null_margin = 0;
  // The best answer other than NULL, whatever the NULL decision; "" where the
  // operator cannot tell (for error analysis: what a NULL set would have said).
  std::string best_answer;
};

// Which of the support sets found for a question an operator reads: every
// set the support-set generator scored at least `min_score`, and the best
// `at_least` sets whatever their score (where wording is new to the
// generator, every set may score low, and the reader, not the score, should
// say NULL), but never more than the best `at_most`. A reader is calibrated
// for the sets it reads (model::ReaderConfig).
struct SetsToRead {
  float min_score = 0;
  size_t at_least = 3;
  size_t at_most = SIZE_MAX;
};

class SpjOperator {
 public:
  virtual ~SpjOperator() = default;
  virtual std::vector<SpjOutput> Run(const std::string& question,
                                     const std::vector<std::vector<std::string>>& support_sets) = 0;
  // The support sets worth reading: callers drop the others before Run.
  virtual SetsToRead Reads() const { return {}; }
  // Floating-point operations that reading these sets takes (matrix products,
  // no padding); 0 where the operator cannot tell (a remote server).
  virtual double Flops(const std::string& question,
                       const std::vector<std::vector<std::string>>& support_sets) const {
    (void)question, (void)support_sets;
    return 0;
  }
};

// The query type most outputs were read as (ties: the first seen); "" if none.
std::string VotedType(const std::vector<SpjOutput>& outputs);

// The built-in reader stored in `model_dir` (see src/model/reader.h).
Result<std::unique_ptr<SpjOperator>> OpenModelSpj(const std::string& model_dir);

}  // namespace nldb::spj
