// TrainReader: trains the built-in reader from generated data (`nldb train
// reader`). Deterministic for a seed, up to floating-point summation order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "model/model_dir.h"
#include "model/reader.h"
#include "nldb/status.h"

namespace nldb::model {

struct TrainOptions {
  std::string out_dir;
  uint64_t seed = 1;
  int steps = 36000;
  int batch = 32;
  double lr = 5e-4;
  int dbs = 3000;           // generated training databases (train templates and entities)
  int min_facts = 25, max_facts = 200;
  double initials = 0.15;   // chance of middle initials in a person's name (GenOptions::initials)
  // Real databases (WikiNLDB .jsonl with gold support sets, e.g. kelm10's
  // train split) mixed into the generated ones, each cut `real_repeats`
  // times (new distractors, NULLs and synonyms each time); "" for none.
  std::string real_data;
  int real_repeats = 20;
  int vocab = 6000;         // subword vocabulary
  double token_dropout = 0; // chance of hiding a token's subword id (its word vector stays)
  double paraphrase = 0.5;  // chance of varying a training text's wording with WordNet synonyms
  double unknown_words = 0; // chance of a question word tied to nothing becoming a rare word
  int negatives = 2;        // NULL examples per question (see ExampleOptions)
  int retrieved = 0;        // the support-set generator's own sets per question (0: none)
  std::string ssg_dir = DefaultModelDir("ssg");  // that generator (`nldb train ssg`)
  double max_minutes = 120;  // stop early rather than run past this
  ReaderConfig config = {.dim = 256, .layers = 3, .heads = 4, .ff = 768, .both_ways = true};
  // Start from the reader in this directory (its weights, tokenizer, sizes
  // and input features; `config` and `vocab` are then unused) instead of
  // from scratch: a warm start. "" for none.
  std::string init_dir;
  std::function<void(const std::string&)> log;  // progress lines; may be empty
};

struct TrainReport {
  int steps = 0;
  double seconds = 0;
  int64_t examples = 0, unplaceable = 0, parameters = 0;
  int64_t real_examples = 0;  // of `examples`, cut from options.real_data
  double dev_kind_accuracy = 0, dev_exact = 0;  // per support set, held-out data
  ReaderConfig config;  // the network trained (options.config, or init_dir's)
  int vocab = 0;        // pieces of its tokenizer
};

// Trains in OUT_DIR.partial, then moves tokenizer.vocab, reader.pt and
// config.json into out_dir (config.json last) and removes its old
// manifest.json; a run that fails or is killed leaves out_dir as it was.
Result<TrainReport> TrainReader(const TrainOptions& options);

}  // namespace nldb::model
