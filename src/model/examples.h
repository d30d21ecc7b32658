// Training examples for the reader, cut from generated databases: each gold
// support set with its derivation (sometimes with distractor facts mixed in),
// and support sets that do not answer the question, labelled NULL.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "eval/dataset.h"
#include "text/synonyms.h"

namespace nldb::model {

struct Example {
  std::string question;
  std::vector<std::string> facts;
  std::string derivation;  // "" for NULL
  std::string type;
};

struct ExampleOptions {
  double distractor_rate = 0.5;  // chance of also adding a copy with 1-3 extra facts
  int negatives = 3;             // NULL examples per question (random, same name, same words)
  // Wording variation: with chance `paraphrase_rate` a question (and, apart,
  // each fact) has some of its words (chance `word_rate` each) replaced by
  // synonyms. Words that tie the question to the facts or the answer are kept.
  const text::Synonyms* synonyms = nullptr;
  double paraphrase_rate = 0.5, word_rate = 0.3;
};

// `text` with some lowercase words replaced by synonyms; words whose first
// five letters match a word of `keep` are never replaced, nor are function
// words ("most", "how", "not", ...).
std::string Paraphrase(const std::string& text, const std::vector<std::string>& keep,
                       const text::Synonyms& synonyms, double word_rate, std::mt19937_64& rng);

std::vector<Example> ExamplesFromDatabase(const eval::DatabaseRecord& db,
                                          const ExampleOptions& options, std::mt19937_64& rng);

}  // namespace nldb::model
