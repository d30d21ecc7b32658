// Generator: synthetic WikiNLDB databases (`nldb gen`).
//
// A database is a stream of fact sentences plus questions with gold answers,
// gold support sets and gold derivations (the intermediate answer each support
// set yields; see src/eval/dataset.h). It is built from small "clusters": a
// few entities and 4-8 relations among them, so that facts share entities and
// questions need aggregation and joins. The first cluster (the core) holds the
// entities the questions ask about; the others are distractors about other
// entities (only countries, currencies, genders and occupations are shared),
// shuffled in among the core facts. Gold answers are computed over every fact
// up to the question's height, distractors included, so they stay exact at
// any size; a question whose answer needs more than max_support support sets
// is not asked.
//
// Deterministic: the same options and index give the same database.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "eval/dataset.h"
#include "gen/names.h"
#include "nldb/status.h"

namespace nldb::gen {

struct GenOptions {
  uint64_t facts = 25;       // facts per database
  uint64_t seed = 1;
  Split templates = Split::kTrain;  // which phrasings of facts and questions
  Split entities = Split::kTrain;   // which pool of names
  int queries = 20;          // questions per database
  int core_facts = 25;       // facts in the cluster the questions are about
  int max_support = 100;     // most support sets a question's answer may need
  // Chance that a person's name has middle initials ("Ana M. Silva") even
  // while plain names remain, as most do in very large databases.
  double initials = 0;
};

class Generator {
 public:
  static Result<std::unique_ptr<Generator>> Create(const GenOptions& options);
  ~Generator();

  // Database number `index` of the stream this generator's seed defines.
  eval::DatabaseRecord Generate(uint64_t index) const;

  struct Counts {
    int relations = 0, fact_templates = 0, question_templates = 0, join_templates = 0,
        combined_templates = 0;
  };
  // How much wording the selected template split holds.
  Counts TemplateCounts() const;

 private:
  struct Impl;
  explicit Generator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nldb::gen
