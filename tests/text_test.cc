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
