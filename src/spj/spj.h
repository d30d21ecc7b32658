// The Neural SPJ operator interface: read a question with each of several
// support sets and give one intermediate answer per set (or NULL). The
// built-in reader implements it; an LLM server can implement it later.
#pragma once

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
};

class SpjOperator {
 public:
  virtual ~SpjOperator() = default;
  virtual std::vector<SpjOutput> Run(const std::string& question,
                                     const std::vector<std::vector<std::string>>& support_sets) = 0;
  // Support sets scored below this by the support-set generator are not worth
  // reading: callers drop them before Run (see model::ReaderConfig).
  virtual float MinSetScore() const { return 0; }
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
