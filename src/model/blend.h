// BlendReaders: the weight-space average of two readers (`nldb train blend`):
// every parameter becomes (1 - weight) x model's + weight x with's. Both must
// share one network shape, input features and tokenizer, as a warm start
// (`nldb train reader --init`) shares them with the reader it began from;
// between those two an average can keep what each reads best (WiSE-FT,
// Wortsman et al. 2022).
#pragma once

#include <string>

#include "nldb/status.h"

namespace nldb::model {

struct BlendOptions {
  std::string model_dir, with_dir, out_dir;
  double weight = 0.5;  // share of with_dir's weights, 0 to 1
};

// Writes reader.pt, tokenizer.vocab and an uncalibrated config.json into
// out_dir (through out_dir.partial, config.json last, its old manifest.json
// removed). InvalidArgument when the two readers differ in shape, features
// or tokenizer, or the weight is outside 0 to 1.
Status BlendReaders(const BlendOptions& options);

}  // namespace nldb::model
