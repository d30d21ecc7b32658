// Fuzz tests (SQLite-style): many random and mutated inputs through the code
// that reads what users and files give it. Each test states a property that
// must hold for every input, not only that nothing crashes. Deterministic:
// fixed seeds, so a failure names an input that can be reproduced.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "agg/aggregate.h"
#include "agg/value.h"
#include "eval/dataset.h"
#include "gen/generator.h"
#include "test_util.h"
#include "text/fact_text.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

namespace nldb {
namespace {

// Pieces that the parsers give meaning to, so that random strings often come
// close to something they accept; plus raw bytes.
const std::vector<std::string> kPieces = {
    "0", "1", "7", "19", "1971", "2009", "12", "31", "-", "+", ".", ",", " ", "  ", "%",
    "per cent", "percent", "m", "cm", "mm", "km", "metres", "million", "thousand", "March",
    "Sept", "feb", "of", "3rd", "[SEP]", "[LIST]", "NULL", "TRUE", "FALSE", "Lyon", "Ada",
    "é", "日本", "\t", "\n", "\xff", "\xc3", "\x80", "\xed\xa0\x80", std::string(1, '\0')};

std::string RandomText(std::mt19937_64& rng, int max_pieces) {
  std::string s;
  const int n = static_cast<int>(rng() % (max_pieces + 1));
  for (int i = 0; i < n; ++i) {
    if (rng() % 5 == 0) {
      s += static_cast<char>(rng() % 256);
    } else {
      s += kPieces[rng() % kPieces.size()];
    }
  }
  return s;
}

TEST(Fuzz, NumbersAndDatesReadBackWhatTheyFormat) {
  std::mt19937_64 rng(1);
  int numbers = 0, dates = 0;
  for (int i = 0; i < 200000; ++i) {
    const std::string s = RandomText(rng, 6);
    agg::NumberUnit unit;
    if (auto x = agg::ParseNumber(s, &unit); x && std::isfinite(*x)) {
      ++numbers;
      const auto back = agg::ParseNumber(agg::FormatNumber(*x));
      ASSERT_TRUE(back.has_value()) << "'" << s << "' -> " << agg::FormatNumber(*x);
      EXPECT_EQ(*back, *x) << "'" << s << "'";
    }
    if (auto d = agg::ParseDate(s, true)) {
      ++dates;
      const auto back = agg::ParseDate(agg::FormatDate(*d), true);
      ASSERT_TRUE(back.has_value()) << "'" << s << "' -> " << agg::FormatDate(*d);
      EXPECT_EQ(*back, *d) << "'" << s << "'";
    }
    const std::string norm = agg::NormalizeAnswer(s);
    EXPECT_EQ(agg::NormalizeAnswer(norm), norm) << "'" << s << "'";
  }
  // The inputs reach the interesting paths, not only the refusals.
  EXPECT_GT(numbers, 1000);
  EXPECT_GT(dates, 100);
}

TEST(Fuzz, AggregationKeepsItsContractOnAnyIntermediateAnswers) {
  std::mt19937_64 rng(2);
  const agg::QueryType types[] = {agg::QueryType::kSet,    agg::QueryType::kBool,
                                  agg::QueryType::kCount,  agg::QueryType::kMin,
                                  agg::QueryType::kMax,    agg::QueryType::kArgmin,
                                  agg::QueryType::kArgmax, agg::QueryType::kSum,
                                  agg::QueryType::kAvg};
  for (int i = 0; i < 20000; ++i) {
    std::vector<agg::Intermediate> inputs(rng() % 8);
    std::vector<uint64_t> ids;
    for (auto& in : inputs) {
      in.text = RandomText(rng, 7);
      for (size_t k = rng() % 3; k > 0; --k) in.facts.push_back(rng() % 50);
      ids.insert(ids.end(), in.facts.begin(), in.facts.end());
    }
    for (agg::QueryType type : types) {
      const agg::Answer a = agg::Aggregate(type, inputs);
      ASSERT_EQ(a.values.size(), a.support.size());
      for (size_t v = 0; v < a.values.size(); ++v) {
        EXPECT_FALSE(agg::NormalizeAnswer(a.values[v]).empty()) << agg::QueryTypeName(type);
        EXPECT_TRUE(std::is_sorted(a.support[v].begin(), a.support[v].end()));
        EXPECT_EQ(std::adjacent_find(a.support[v].begin(), a.support[v].end()), a.support[v].end());
        for (uint64_t id : a.support[v]) {
          EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << "a fact no input read";
        }
      }
      if (type == agg::QueryType::kCount || type == agg::QueryType::kBool ||
          type == agg::QueryType::kMin || type == agg::QueryType::kMax) {
        EXPECT_LE(a.values.size(), 1u) << agg::QueryTypeName(type);
      }
      if (type == agg::QueryType::kCount && !a.values.empty()) {
        EXPECT_TRUE(agg::ParseNumber(a.values[0]).has_value()) << a.values[0];
      }
      if (type == agg::QueryType::kBool && !a.values.empty()) {
        EXPECT_TRUE(a.values[0] == "TRUE" || a.values[0] == "FALSE") << a.values[0];
      }
    }
  }
}

TEST(Fuzz, FactTextIsRefusedExactlyWhenARuleIsBroken) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100000; ++i) {
    std::string s = RandomText(rng, 8);
    if (i % 1000 == 0) s += std::string(text::kMaxFactBytes - 4 + rng() % 8, 'a');
    const bool blank = s.find_first_not_of(" \t\n\r\v\f") == std::string::npos;
    const bool good = !text::FindInvalidUtf8(s).has_value() && s.find('\0') == std::string::npos && !blank &&
                      s.size() <= text::kMaxFactBytes;
    const Status st = text::CheckFactText(s);
    EXPECT_EQ(st.ok(), good) << "'" << s << "': " << st.message();
    if (!st.ok()) {
      EXPECT_FALSE(st.message().empty());
    }
  }
}

TEST(Fuzz, TokensCoverEveryNonSpaceByteOnceInOrder) {
  std::mt19937_64 rng(4);
  std::vector<std::string> corpus;
  for (int i = 0; i < 300; ++i) corpus.push_back(RandomText(rng, 10));
  const auto tok = text::Tokenizer::Train(corpus, 200);
  int valid = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string s = i % 2 ? RandomText(rng, 12) : testing::Mutate(corpus[rng() % corpus.size()], kPieces, rng);
    const auto tokens = tok->Encode(s);
    std::vector<int> covered(s.size(), 0);
    uint32_t last_end = 0;
    for (const text::Token& t : tokens) {
      ASSERT_LT(t.begin, t.end) << "'" << s << "'";
      ASSERT_LE(t.end, s.size()) << "'" << s << "'";
      ASSERT_GE(t.begin, last_end) << "tokens out of order in '" << s << "'";
      ASSERT_TRUE(t.id >= 0 && t.id < tok->vocab_size());
      last_end = t.end;
      for (uint32_t b = t.begin; b < t.end; ++b) ++covered[b];
    }
    // Facts and questions are valid UTF-8 (they are checked before they are
    // read); other bytes need only stay in bounds.
    const bool is_valid = !text::FindInvalidUtf8(s);
    valid += is_valid;
    for (size_t b = 0; b < s.size() && is_valid; ++b) {
      const bool space = s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r' ||
                         s[b] == '\v' || s[b] == '\f';
      if (!space) {
        EXPECT_EQ(covered[b], 1) << "byte " << b << " of '" << s << "'";
      }
    }
    size_t words = 0;
    for (auto [begin, end] : text::SplitWords(s)) {
      ASSERT_LT(begin, end);
      ASSERT_LE(end, s.size());
      ++words;
    }
    EXPECT_LE(words, tokens.size()) << "every word is at least one token";
  }
  EXPECT_GT(valid, 2000);
}

// A database line either parses into a record that every reader of the format
// can use (known types, support sets naming existing facts) and that writes
// back to a line parsing to the same record, or is refused with a reason.
TEST(Fuzz, DatabaseLinesParseIntoUsableRecordsOrAreRefused) {
  gen::GenOptions o;
  o.facts = 25;
  auto g = gen::Generator::Create(o);
  ASSERT_TRUE(g.ok()) << g.status().message();
  std::vector<std::string> lines;
  for (int i = 0; i < 5; ++i) lines.push_back(eval::SerializeDatabase((*g)->Generate(i)));
  std::mt19937_64 rng(5);
  int parsed = 0, refused = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string line = testing::Mutate(lines[rng() % lines.size()], kPieces, rng);
    auto db = eval::ParseDatabase(line);
    if (!db.ok()) {
      ++refused;
      EXPECT_FALSE(db.status().message().empty());
      continue;
    }
    ++parsed;
    for (const eval::Query& q : db->queries) {
      EXPECT_TRUE(agg::ParseQueryType(q.type).has_value()) << q.type;
      for (const auto& set : q.facts) {
        for (uint32_t f : set) EXPECT_LT(f, db->facts.size());
      }
    }
    const std::string once = eval::SerializeDatabase(*db);
    auto again = eval::ParseDatabase(once);
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(eval::SerializeDatabase(*again), once);
  }
  EXPECT_GT(parsed, 100);
  EXPECT_GT(refused, 100);
}

TEST(Fuzz, DatasetRefusesQueriesNoReaderCouldUse) {
  const std::string base =
      R"({"facts":["Ann was born in Lyon."],"queries":[{"id":"q","query":"Who was born in Lyon?",)";
  auto bad_fact = eval::ParseDatabase(
      base + R"("type":"set","answer":["Ann"],"facts":[[5]],"derivations":["Ann"]}]})");
  ASSERT_FALSE(bad_fact.ok());
  EXPECT_EQ(bad_fact.status().message(), "query q names fact 5, which does not exist");
  // Indexes that would wrap or round to a real fact are refused too.
  for (const std::string index : {"4294967296", "1.7", "-1", "\"0\""}) {
    auto wraps = eval::ParseDatabase(base + R"("type":"set","answer":["Ann"],"facts":[[)" + index +
                                     R"(]],"derivations":["Ann"]}]})");
    ASSERT_FALSE(wraps.ok()) << index;
    EXPECT_EQ(wraps.status().message(), "a support set names fact " + index);
  }
  auto bad_height = eval::ParseDatabase(base + R"("type":"set","answer":["Ann"],"height":-3}]})");
  EXPECT_FALSE(bad_height.ok());
  auto bad_type = eval::ParseDatabase(base + R"("type":"sett","answer":["Ann"]}]})");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.status().message(), "query q has unknown type sett");
  EXPECT_TRUE(eval::ParseDatabase(
                  base + R"("type":"set","answer":["Ann"],"facts":[[0]],"derivations":["Ann"]}]})")
                  .ok());
}

}  // namespace
}  // namespace nldb
