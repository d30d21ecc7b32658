// Features of the support-set generator: how well a fact fits a question,
// given the facts already chosen for the set. No model runtime needed: a
// linear scorer over these (src/ssg/support_sets.h) is trained by `nldb
// train ssg`.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "text/word_vectors.h"

namespace nldb::ssg {

// What the features read from one sentence.
struct Analysis {
  // Capitalised words, numbers and words beginning with a non-ASCII letter
  // ("Åland"; also "élite"), as written.
  std::unordered_set<std::string> names;
  // Runs of names separated only by spaces, " of " or an initial's ".", their
  // words joined by spaces: "Anna Pawłowski", "University of Belton", "Ana C Ruiz".
  std::vector<std::string> entities;
  // Other words but function words, lowercase, in order ("pursues", "career",
  // "architect"): the wording of a fact without its names.
  std::vector<std::string> wording;
  // The same words, unit abbreviations spelt out ("cm": "centimetres"):
  std::unordered_set<std::string> stems;  // their first 5 letters
  std::vector<int> words;                 // their GloVe rows
  std::vector<float> mean;                // their mean vector, unit length (empty if none)
  std::vector<float> projected;  // a question's mean times the scorer's bilinear matrix (Scorer::Project)
};

// How a sentence holds a name (Featurizer::Holds).
enum class NameHeld { kAbsent, kWithinLonger, kWhole };

inline constexpr int kFeatures = 14;
using Features = std::vector<float>;  // kFeatures values

class Featurizer {
 public:
  explicit Featurizer(const text::WordVectors& vectors) : vectors_(vectors) {}

  Analysis Analyze(std::string_view text) const;

  // How `text` holds `name` (a name as in Analysis::entities): whole, only
  // as part of longer names ("Pelldorf" in "In Fort Pelldorf, 577 people may
  // cast a vote." or "Pelldorf III"; "Minnesota" in "Minnesota Brewing
  // Company was founded in 1947."), or not at all. Whole: there once at
  // least without a capitalised word or "of" and one beside it ("In
  // Pelldorf, ...", "Pelldorf's mayor"); a capitalised common word opening
  // the sentence ("Among Pelldorf's ...") does not lengthen a name, as in
  // Analyze, and a name of one common word may be no name ("Business" of "Is
  // her job a Business executive?" in "She is an Australian Business
  // executive."), so it is whole wherever it is. A number is whole as a word
  // between spaces ("5,551,039," but not "551").
  NameHeld Holds(std::string_view text, std::string_view name) const;

  // Features of adding `fact` to the facts `chosen` for `question`;
  // `bm25` is the fact's search score over the best score (0 if unranked).
  Features Of(const Analysis& question, const std::vector<const Analysis*>& chosen,
              const Analysis& fact, float bm25) const;

 private:
  const text::WordVectors& vectors_;
};

}  // namespace nldb::ssg
