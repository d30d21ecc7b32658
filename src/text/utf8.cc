#include "text/utf8.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <utility>

namespace nldb::text {

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const uint8_t c = p[i];
    if (c < 0x80) {  // ASCII: the common case
      ++i;
      continue;
    }
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong 3-byte forms
      if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlong 4-byte forms
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;  // continuation byte, overlong 2-byte lead, or 0xF5..0xFF
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::nullopt;
}

namespace {

// The code point at s[i] and its length; (U+FFFD, 1) when none starts there.
std::pair<uint32_t, size_t> Decode(std::string_view s, size_t i) {
  const auto c = static_cast<uint8_t>(s[i]);
  if (c < 0x80) return {c, 1};
  const size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > s.size() || FindInvalidUtf8(s.substr(i, len))) return {0xFFFD, 1};
  uint32_t cp = c & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) cp = cp << 6 | (static_cast<uint8_t>(s[i + k]) & 0x3F);
  return {cp, len};
}

bool IsWordCodePoint(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  return !((cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
           (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F));
}

}  // namespace

size_t WordEnd(std::string_view s, size_t i) {
  while (i < s.size()) {
    const auto [cp, len] = Decode(s, i);
    if (!IsWordCodePoint(cp)) break;
    i += len;
  }
  return i;
}

size_t CharEnd(std::string_view s, size_t i) { return i + Decode(s, i).second; }

size_t HyphenatedWordEnd(std::string_view s, size_t i) {
  for (size_t j = i;;) {
    const size_t k = j < s.size() && s[j] == '-' ? j + 1 : WordEnd(s, j);
    if (k == j) return j;
    j = k;
  }
}

std::string AsciiLower(std::string_view w) {
  std::string lower(w);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string_view TrimWordPunctuation(std::string_view w) {
  while (!w.empty() && std::strchr(".,;:!?()\"'", w.back())) w.remove_suffix(1);
  while (!w.empty() && std::strchr("(\"'", w.front())) w.remove_prefix(1);
  return w;
}

}  // namespace nldb::text
