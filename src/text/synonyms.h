// Synonyms: single-word synonyms from WordNet (Debian `wordnet-base`), kept
// only where the GloVe vectors agree that the two words are close, so that a
// rare sense ("most" -> "nearly") does not slip in. Inflected words are looked
// up by their lemma and the synonym is inflected the same way ("rarest" ->
// "scarcest"); a form is accepted only if GloVe knows it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nldb/status.h"
#include "text/word_vectors.h"

namespace nldb::text {

class Synonyms {
 public:
  // Reads data.{noun,verb,adj,adv} from `wordnet_dir` (regular inflections
  // only; irregular forms get no synonyms). Pairs whose
  // GloVe cosine is below `min_cosine` are dropped.
  static Result<std::unique_ptr<Synonyms>> Load(const std::string& wordnet_dir,
                                                const WordVectors& vectors,
                                                double min_cosine = 0.55);

  // Synonyms of a lowercase word, in the same inflection; empty if none.
  const std::vector<std::string>& Of(std::string_view word) const;
  size_t size() const { return table_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> table_;
};

// $NLDB_WORDNET, else /usr/share/wordnet.
std::string DefaultWordNetPath();

}  // namespace nldb::text
