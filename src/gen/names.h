// Namer: real-looking names for the generator's entities and values.
//
// Person, organisation, title and invented place names are combined from
// data/gen/vocabulary.json; countries, currencies and many places are real
// (Debian's iso-codes and tzdata). Every word list is split by a stable hash
// into a training pool (4/5) and a held-out pool (1/5), so held-out entities
// are made only of parts never seen in training.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "nldb/status.h"

namespace nldb::gen {

enum class Split { kTrain, kHeldout, kAll };

// Stable 64-bit FNV-1a hash; decides the pool of a word or template.
uint64_t StableHash(std::string_view s);
// True when `s` belongs to the split (kAll: always).
bool InSplit(std::string_view s, Split split);

class Namer {
 public:
  // `initials`: the chance that a person's name has one or two middle
  // initials before plain names run short (after that, every name has).
  static Result<std::unique_ptr<Namer>> Create(Split entities, double initials = 0);

  // Kinds with a fixed list of names (country, currency, gender, occupation)
  // are shared between parts of a database; all others are made unique.
  bool IsClosedKind(const std::string& kind) const;

  // A name of `kind`: for closed kinds any from the list, else one not in `used`
  // (which it is then added to). `kind` must be one of the entity kinds.
  std::string Name(const std::string& kind, std::mt19937_64& rng,
                   std::unordered_set<std::string>& used) const;

 private:
  Namer() = default;
  std::string Fill(const std::string& pattern, const std::string& kind,
                   std::mt19937_64& rng) const;
  std::string Place(std::mt19937_64& rng) const;
  const std::vector<std::string>& List(const std::string& key) const;

  std::map<std::string, std::vector<std::string>> lists_;  // split word lists by key
  double initials_ = 0;
};

}  // namespace nldb::gen
