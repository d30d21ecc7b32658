// Training examples for the reader, cut from generated databases: each gold
// support set with its derivation (sometimes with distractor facts mixed in),
// and support sets that do not answer the question, labelled NULL. With a
// support-set generator, also the sets it retrieves itself: those holding a
// gold set keep its derivation, the rest are NULL (the reader supervision of
// NeuralDB: the reader learns to reject exactly what the retriever offers).
#pragma once

#include <random>
#include <string>
#include <vector>

#include "eval/dataset.h"
#include "nldb/status.h"
#include "ssg/support_sets.h"
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
  // With chance `unknown_rate` a question has one lowercase word that ties it
  // to no fact nor answer replaced by one of `unknown_words` (words training
  // never reads), its answer unchanged: an unfamiliar word is no evidence.
  const std::vector<std::string>* unknown_words = nullptr;
  double unknown_rate = 0;
  // Retrieved sets per question (half the best scored, half at random among
  // the rest) as NULL examples, and up to half as many answering ones; none
  // without a generator.
  const ssg::SupportSetGenerator* ssg = nullptr;
  int retrieved = 4;
};

// `text` with some lowercase words replaced by synonyms; words whose first
// five letters match a word of `keep` are never replaced, nor are function
// words ("most", "how", "not", ...).
std::string Paraphrase(const std::string& text, const std::vector<std::string>& keep,
                       const text::Synonyms& synonyms, double word_rate, std::mt19937_64& rng);

// `text` with one lowercase word (no function word, none whose first five
// letters match a word of `keep`) replaced by a word of `words`; `text` as it
// is when it has no such word.
std::string WithAnUnknownWord(const std::string& text, const std::vector<std::string>& keep,
                              const std::vector<std::string>& words, std::mt19937_64& rng);

// Fails only when the retrieval store cannot be made or read.
Result<std::vector<Example>> ExamplesFromDatabase(const eval::DatabaseRecord& db,
                                                  const ExampleOptions& options, std::mt19937_64& rng);

}  // namespace nldb::model
