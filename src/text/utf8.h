// UTF-8: strict validation (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), and the words of a text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nldb::text {

// Returns the byte offset of the first invalid UTF-8 sequence in `s`,
// or nullopt when all of `s` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// Words are runs of ASCII letters and digits and of characters above ASCII,
// but for the punctuation and symbols that SQLite FTS5's unicode61 tokenizer
// also separates words on: U+00A0-U+00BF, U+00D7, U+00F7, U+2000-U+206F
// (dashes, quotes, bullets), U+20A0-U+20CF (currency), U+2190-U+2BFF
// (arrows, mathematical and technical signs, shapes) and U+3000-U+303F (CJK
// punctuation). A byte that is not valid UTF-8 counts as a letter.
//
// The end of the word that starts at s[i]; i when none starts there.
size_t WordEnd(std::string_view s, size_t i);
// The end of the character that starts at s[i] (i + 1 for a byte that starts none).
size_t CharEnd(std::string_view s, size_t i);
// The end of the word that starts at s[i] with hyphens inside it
// ("Guinea-Bissau"); i when none starts there.
size_t HyphenatedWordEnd(std::string_view s, size_t i);

// `w` with ASCII letters in lowercase (other bytes as they are).
std::string AsciiLower(std::string_view w);
// A word between spaces without the punctuation around it: ".,;:!?()\"'"
// after it, "(\"'" before it ("5,551,039," is "5,551,039").
std::string_view TrimWordPunctuation(std::string_view w);

}  // namespace nldb::text
