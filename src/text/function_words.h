// Function words: words that say little about which fact answers a question
// ("the", "of", "who", "tell", ...), left out by the lexical index's searches
// and by the sentence encoder.
#pragma once

#include <string_view>

namespace nldb::text {

// `word` must be lowercase.
bool IsFunctionWord(std::string_view word);

}  // namespace nldb::text
