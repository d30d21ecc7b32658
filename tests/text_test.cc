#include <gtest/gtest.h>

#include <string>

#include "text/fact_text.h"
#include "text/utf8.h"

namespace nldb::text {
namespace {

TEST(Utf8, AcceptsValidText) {
  EXPECT_EQ(FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("Anil Seth works at the University of Sussex."), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("Zoë lives in Kraków, 東京 and São Paulo 🙂"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("\xF4\x8F\xBF\xBF"), std::nullopt);  // U+10FFFF
}

TEST(Utf8, FindsTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("ab\xFF"), 2u);          // never valid
  EXPECT_EQ(FindInvalidUtf8("a\x80"), 1u);           // lone continuation
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);        // overlong "/"
  EXPECT_EQ(FindInvalidUtf8("\xE0\x80\xAF"), 0u);    // overlong 3-byte
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);    // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok \xE2\x82"), 3u);     // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\xE2\x28\xA1"), 0u);    // bad second byte
}

// Words end at punctuation and symbols above ASCII as they do at ASCII ones;
// letters above ASCII (and bytes that are no UTF-8) are part of words.
TEST(Utf8, WordsEndWhereFts5WordsEnd) {
  auto words = [](std::string_view s) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.size();) {
      const size_t j = WordEnd(s, i);
      if (j > i) out.emplace_back(s.substr(i, j - i));
      i = j > i ? j : CharEnd(s, i);
    }
    return out;
  };
  using W = std::vector<std::string>;
  EXPECT_EQ(words("Thriller \u2014 his 6th album"), (W{"Thriller", "his", "6th", "album"}));
  EXPECT_EQ(words("Paris\u2013London, \u00abK\u00f6ln\u00bb \u20ac5 \u00d72"),
            (W{"Paris", "London", "K\u00f6ln", "5", "2"}));
  EXPECT_EQ(words("\u6771\u4eac\u3001S\u00e3o Paulo \U0001F642"), (W{"\u6771\u4eac", "S\u00e3o", "Paulo", "\U0001F642"}));
  EXPECT_EQ(words("ab\xFF\xA0" "cd"), (W{"ab\xFF\xA0" "cd"}));  // no UTF-8: letters
  EXPECT_EQ(CharEnd("\u2014", 0), 3u);
  EXPECT_EQ(CharEnd("\xE2\x80", 0), 1u);
}

TEST(FactText, AppliesEveryRule) {
  EXPECT_TRUE(CheckFactText("Paris is the capital of France.").ok());
  EXPECT_TRUE(CheckFactText(std::string(kMaxFactBytes, 'a')).ok());
  EXPECT_EQ(CheckFactText(std::string(kMaxFactBytes + 1, 'a')).message(),
            "the fact is 8193 bytes long, more than the limit of 8192");
  EXPECT_EQ(CheckFactText("").message(), "the fact is empty");
  EXPECT_EQ(CheckFactText(" \t ").message(), "the fact is empty");
  EXPECT_EQ(CheckFactText(std::string("ab\0c", 4)).message(),
            "the fact contains a NUL byte at byte 3");
  EXPECT_EQ(CheckFactText("caf\xC3").message(), "the fact is not valid UTF-8 at byte 4");
}

}  // namespace
}  // namespace nldb::text
