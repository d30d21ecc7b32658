// nldb gen: determinism, template and entity splits, and gold data that is
// consistent with itself (support sets mention what they derive, and the
// derivations aggregate to the answer).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "agg/aggregate.h"
#include "eval/evaluate.h"
#include "eval/scorer.h"
#include "gen/gen_data.h"
#include "gen/generator.h"
#include "test_util.h"

namespace nldb::gen {
namespace {

std::unique_ptr<Generator> Make(GenOptions options) {
  auto g = Generator::Create(options);
  EXPECT_TRUE(g.ok()) << g.status().message();
  return std::move(*g);
}

TEST(Gen, IsDeterministicPerSeedAndIndex) {
  GenOptions o;
  o.facts = 200;
  auto a = Make(o), b = Make(o);
  EXPECT_EQ(eval::SerializeDatabase(a->Generate(3)), eval::SerializeDatabase(b->Generate(3)));
  EXPECT_NE(eval::SerializeDatabase(a->Generate(3)), eval::SerializeDatabase(a->Generate(4)));
  o.seed = 2;
  EXPECT_NE(eval::SerializeDatabase(Make(o)->Generate(3)), eval::SerializeDatabase(a->Generate(3)));
}

TEST(Gen, MakesDatabasesOfTheAskedSizeWithEveryQueryType) {
  GenOptions o;
  std::map<std::string, int> types;
  for (uint64_t facts : {25u, 1000u}) {
    o.facts = facts;
    auto g = Make(o);
    for (uint64_t i = 0; i < 15; ++i) {
      auto db = g->Generate(i);
      EXPECT_EQ(db.facts.size(), facts);
      for (const auto& q : db.queries) types[q.type]++;
    }
  }
  for (const char* t : {"set", "bool", "count", "min", "max", "argmin", "argmax"}) {
    EXPECT_GT(types[t], 0) << t;
  }
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every query's support sets are visible at its height, mention every entity
// or value their derivation names, and the derivations aggregate to the answer.
void CheckGold(const eval::DatabaseRecord& db) {
  for (const auto& q : db.queries) {
    ASSERT_EQ(q.facts.size(), q.derivations.size()) << q.id;
    for (size_t i = 0; i < q.facts.size(); ++i) {
      std::string support;
      for (uint32_t f : q.facts[i]) {
        ASSERT_LE(f, q.height) << q.id << " uses a fact after facts[height]";
        support += Lower(db.facts[f]) + "\n";
      }
      std::string d = q.derivations[i];
      if (d == "TRUE" || d == "FALSE") continue;
      for (size_t at = 0; (at = d.find(" [LIST] ")) != std::string::npos;) d.replace(at, 8, " [SEP] ");
      for (size_t cut; (cut = d.find(" [SEP] ")) != std::string::npos || !d.empty();) {
        const std::string part = Lower(d.substr(0, cut));
        EXPECT_NE(support.find(part), std::string::npos)
            << q.id << ": \"" << part << "\" is not in its support set:\n" << support;
        d = cut == std::string::npos ? "" : d.substr(cut + 7);
      }
    }
    // A reader given the same facts twice answers the same: no two support
    // sets of a query are one set (a symmetric fact is one set read both ways).
    std::set<std::vector<uint32_t>> distinct;
    for (auto set : q.facts) {
      std::sort(set.begin(), set.end());
      EXPECT_TRUE(distinct.insert(set).second) << q.id << " " << q.query << " repeats a support set";
    }
    std::vector<agg::Intermediate> inputs;
    for (const auto& d : q.derivations) inputs.push_back({d, {}});
    auto got = agg::Aggregate(*agg::ParseQueryType(q.type), inputs).values;
    EXPECT_TRUE(eval::ScoreAnswer(got, q.answer).exact)
        << q.id << " " << q.query << ": aggregation gives " << ::testing::PrintToString(got)
        << ", gold is " << ::testing::PrintToString(q.answer);
  }
}

TEST(Gen, GoldDataIsConsistentAtEverySizeAndSplit) {
  for (Split split : {Split::kTrain, Split::kHeldout}) {
    for (auto [facts, dbs] : {std::pair{25u, 40u}, {1000u, 12u}, {20000u, 2u}}) {
      GenOptions o;
      o.facts = facts;
      o.templates = o.entities = split;
      auto g = Make(o);
      for (uint64_t i = 0; i < dbs; ++i) CheckGold(g->Generate(i));
    }
  }
}

TEST(Gen, SomeQuestionsHaveNoAnswerYet) {
  GenOptions o;
  o.facts = 100;
  auto g = Make(o);
  int empty = 0, total = 0;
  for (uint64_t i = 0; i < 10; ++i) {
    for (const auto& q : g->Generate(i).queries) {
      total++;
      empty += q.answer.empty();
    }
  }
  EXPECT_GT(empty, 0);
  EXPECT_LT(empty, total / 2);
}

// A template as a regex over generated text: each placeholder matches a name.
std::regex TemplateRegex(const std::string& t) {
  std::string re;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '$') {
      while (i + 1 < t.size() && (std::isalnum(static_cast<unsigned char>(t[i + 1])) || t[i + 1] == '_')) ++i;
      re += ".+";
    } else if (std::string("\\^$.|?*+()[]{}").find(t[i]) != std::string::npos) {
      re += std::string("\\") + t[i];
    } else {
      re += t[i];
    }
  }
  return std::regex(re, std::regex::icase);
}

TEST(Gen, TrainOutputUsesNoHeldOutTemplate) {
  const auto relations = nlohmann::json::parse(GenData("relations"));
  std::vector<std::regex> heldout_facts, train_facts;
  for (const auto& [id, r] : relations.items()) {
    for (const auto& t : r["facts"]["heldout"]) heldout_facts.push_back(TemplateRegex(t));
    for (const auto& t : r["facts"]["train"]) train_facts.push_back(TemplateRegex(t));
  }
  GenOptions o;
  o.facts = 60;
  auto g = Make(o);
  for (uint64_t i = 0; i < 5; ++i) {
    auto db = g->Generate(i);
    for (const auto& q : db.queries) {
      EXPECT_NE(q.extra["template"].get<std::string>().find(".train."), std::string::npos) << q.query;
    }
    for (const auto& fact : db.facts) {
      bool train_match = false;
      for (const auto& re : train_facts) train_match = train_match || std::regex_match(fact, re);
      if (train_match) continue;  // combined two-fact sentences match neither list
      for (const auto& re : heldout_facts) EXPECT_FALSE(std::regex_match(fact, re)) << fact;
    }
  }
}

TEST(Gen, TemplateListsOfTheTwoSplitsAreDisjoint) {
  for (const char* file : {"relations", "joins", "combined"}) {
    std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& j) {
      if (j.is_object() && j.contains("train") && j.contains("heldout")) {
        std::set<std::string> train(j["train"].begin(), j["train"].end());
        for (const auto& t : j["heldout"]) EXPECT_FALSE(train.count(t)) << file << ": " << t;
      }
      if (j.is_structured()) {
        for (const auto& child : j) walk(child);
      }
    };
    walk(nlohmann::json::parse(GenData(file)));
  }
}

TEST(Gen, HeldOutEntitiesAreMadeOfHeldOutNames) {
  auto namer = Namer::Create(Split::kHeldout);
  ASSERT_TRUE(namer.ok()) << namer.status().message();
  std::mt19937_64 rng(5);
  std::unordered_set<std::string> used;
  for (int i = 0; i < 200; ++i) {
    const std::string name = (*namer)->Name("person", rng, used);
    const std::string first = name.substr(0, name.find(' '));
    const std::string last = name.substr(name.rfind(' ') + 1);
    EXPECT_TRUE(InSplit(first, Split::kHeldout)) << name;
    EXPECT_TRUE(InSplit(last, Split::kHeldout)) << name;
    EXPECT_FALSE(InSplit(first, Split::kTrain)) << name;
  }
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(InSplit((*namer)->Name("country", rng, used), Split::kHeldout));
  }
}

TEST(Gen, MiddleInitialsComeAtTheAskedRate) {
  const std::regex initialled("^\\S+ ([A-Z]\\. ){1,2}\\S+$");
  for (double rate : {0.0, 0.5, 1.0}) {
    auto namer = Namer::Create(Split::kTrain, rate);
    ASSERT_TRUE(namer.ok()) << namer.status().message();
    std::mt19937_64 rng(9);
    std::unordered_set<std::string> used;
    int with = 0;
    for (int i = 0; i < 400; ++i) with += std::regex_match((*namer)->Name("person", rng, used), initialled);
    if (rate == 0) {
      EXPECT_EQ(with, 0);
    } else if (rate == 1) {
      EXPECT_EQ(with, 400);
    } else {
      EXPECT_NEAR(with, 200, 40);
    }
  }
}

}  // namespace
}  // namespace nldb::gen
