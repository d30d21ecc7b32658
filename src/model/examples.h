// Training examples for the reader, cut from generated databases: each gold
// support set with its derivation (sometimes with distractor facts mixed in),
// and support sets that do not answer the question, labelled NULL.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "eval/dataset.h"

namespace nldb::model {

struct Example {
  std::string question;
  std::vector<std::string> facts;
  std::string derivation;  // "" for NULL
  std::string type;
};

struct ExampleOptions {
  double distractor_rate = 0.5;  // chance of also adding a copy with 1-3 extra facts
  int negatives = 2;             // NULL examples per question
};

std::vector<Example> ExamplesFromDatabase(const eval::DatabaseRecord& db,
                                          const ExampleOptions& options, std::mt19937_64& rng);

}  // namespace nldb::model
