// TrainEncoder: fits the dense index's sentence encoder (`nldb train encoder`,
// text/sentence_encoder.h): the projection P of mean GloVe vectors, so that a
// question's code lies near the codes of the facts in its gold support sets
// (in-batch contrastive loss over generated questions and facts).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "nldb/status.h"

namespace nldb::model {

struct EncoderTrainOptions {
  std::string out_dir;
  uint64_t seed = 1;
  int dbs = 1500;            // generated training databases of 200 facts
  int dims = 32;             // code size (32 recalls as well as 64 and 100, measured)
  int steps = 4000;
  int batch = 512;           // question-fact pairs per step (the others are negatives)
  double lr = 3e-3;
  double temperature = 0.05;
  int dev_dbs = 40;          // held-out databases scored after training
  std::function<void(const std::string&)> log;
};

// Held-out recall: the share of a question's gold facts among the K facts of
// its database nearest to it, averaged over questions.
struct EncoderRecall {
  double at10 = 0, at50 = 0;
};

struct EncoderTrainReport {
  int64_t pairs = 0;
  int steps = 0;
  double seconds = 0;
  EncoderRecall trained, untrained;  // untrained: plain mean GloVe vectors (P = identity)
};

Result<EncoderTrainReport> TrainEncoder(const EncoderTrainOptions& options);

}  // namespace nldb::model
