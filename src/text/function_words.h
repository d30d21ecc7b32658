// Function words: words that say little about which fact answers a question
// ("the", "of", "who", "tell", ...), left out by the lexical index's searches
// and by the sentence encoder.
#pragma once

#include <string_view>

namespace nldb::text {

// `word` must be lowercase.
bool IsFunctionWord(std::string_view word);

// The shorter list the support-set generator reads sentences with
// (ssg::Featurizer) and the names index cuts names at (index::NameIndex):
// a word that ends a run of names ("The" in "Bank of The West"; "of" only
// where no name follows) and is no part of a fact's wording. `word` must be
// lowercase.
bool IsNameBreakingWord(std::string_view word);

}  // namespace nldb::text
