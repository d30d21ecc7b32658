// nldb eval: the scorer, and evaluation of hand-made and real files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "eval/evaluate.h"
#include "eval/scorer.h"
#include "spj/spj.h"
#include "test_util.h"

namespace nldb::eval {
namespace {

TEST(Scorer, ComparesNormalisedSets) {
  EXPECT_TRUE(ScoreAnswer({"Lyon", "Paris"}, {"paris", "Lyon."}).exact);
  EXPECT_TRUE(ScoreAnswer({"128217"}, {"128,217"}).exact);
  EXPECT_TRUE(ScoreAnswer({"128217.0"}, {"+128217"}).exact);
  EXPECT_TRUE(ScoreAnswer({"3 March 1971"}, {"March 3, 1971"}).exact);
  EXPECT_TRUE(ScoreAnswer({}, {}).exact);
  EXPECT_EQ(ScoreAnswer({}, {}).f1, 1.0);
  EXPECT_FALSE(ScoreAnswer({"Lyon"}, {}).exact);
  EXPECT_EQ(ScoreAnswer({"Lyon"}, {}).f1, 0.0);
  const Score half = ScoreAnswer({"a", "b"}, {"a", "c"});
  EXPECT_FALSE(half.exact);
  EXPECT_DOUBLE_EQ(half.f1, 0.5);
}

TEST(Evaluate, ScoresByTypeAndListsMisses) {
  testing::TempDir dir;
  testing::WriteFile(dir / "t.jsonl",
                     R"({"facts":["A was born in Lyon.","B was born in Lyon.","C was born in Oslo."],)"
                     R"("queries":[)"
                     R"({"id":"q1","query":"Who was born in Lyon?","type":"set","relation":"P19","answer":["A","B"],"height":3,"facts":[[0],[1]],"derivations":["A","B"]},)"
                     R"({"id":"q2","query":"How many people were born in Lyon?","type":"count","relation":"P19","answer":[3],"height":3,"facts":[[0],[1]],"derivations":["A","B"]},)"
                     R"({"id":"q3","query":"Which place is the birthplace of the most people?","type":"argmax","relation":"P19","answer":["Lyon"],"height":3,"facts":[[0],[1],[2]],"derivations":["Lyon [SEP] A","Lyon [SEP] B","Oslo [SEP] C"]}]})"
                     "\n");
  auto r = Evaluate(dir / "t.jsonl", {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->overall.n, 3u);
  EXPECT_EQ(r->overall.exact, 2u);  // q2's gold count is wrong on purpose
  EXPECT_EQ(r->by_type["count"].exact, 0u);
  EXPECT_EQ(r->by_type["argmax"].exact, 1u);
  ASSERT_EQ(r->misses.size(), 1u);
  EXPECT_EQ(r->misses[0].id, "q2");
  EXPECT_EQ(r->misses[0].predicted, std::vector<std::string>{"2"});
  const auto j = ReportJson(*r, 10);
  EXPECT_NEAR(j["em"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_EQ(j["by_size"]["<=25"]["n"], 3);
  EXPECT_TRUE(j.contains("latency_ms"));
}

TEST(Evaluate, DistractorsAndNegativesAreCountedPerSupportSet) {
  testing::TempDir dir;
  testing::WriteFile(dir / "t.jsonl",
                     R"({"facts":["A was born in Lyon.","B was born in Oslo.","C likes tea.","D likes jam."],)"
                     R"("queries":[{"id":"q1","query":"Who was born in Lyon?","type":"set","relation":"P19",)"
                     R"("answer":["A"],"height":4,"facts":[[0]],"derivations":["A"]}]})"
                     "\n");
  EvalOptions o;
  o.distractors = 2;
  o.negatives = 3;
  auto r = Evaluate(dir / "t.jsonl", o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->overall.exact, 1u);  // gold derivations stay right with extra facts around them
  EXPECT_EQ(r->sets.sets, 4u);      // one gold set and three negatives
  EXPECT_EQ(r->sets.null_tp, 3u);
  EXPECT_EQ(r->sets.null_fp + r->sets.null_fn + r->sets.wrong_answer, 0u);
  EXPECT_EQ(r->sets.correct, 4u);
}

TEST(Evaluate, BadFilesAreClearErrors) {
  testing::TempDir dir;
  testing::WriteFile(dir / "bad.jsonl", "{\"facts\":[]}\nnot json\n");
  auto r = Evaluate(dir / "bad.jsonl", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind(dir / "bad.jsonl" + ":2: not valid JSON", 0), 0u)
      << r.status().message();
  EXPECT_EQ(Evaluate(dir / "none.jsonl", {}).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Evaluate(dir.path(), {}).status().code(), Status::Code::kNotFound);  // a folder
  // Blank lines, spaces only, and CRLF line ends are no databases.
  testing::WriteFile(dir / "crlf.jsonl",
                     "{\"facts\":[\"A was born in Lyon.\"],\"queries\":[{\"query\":\"Who was born in "
                     "Lyon?\",\"type\":\"set\",\"answer\":[\"A\"],\"facts\":[[0]],\"derivations\":[\"A\"]}]}\r\n"
                     "   \r\n\n");
  auto crlf = Evaluate(dir / "crlf.jsonl", {});
  ASSERT_TRUE(crlf.ok()) << crlf.status().message();
  EXPECT_EQ(crlf->overall.exact, 1u);
  EvalOptions model;
  model.spj = SpjMode::kModel;
  EXPECT_FALSE(Evaluate(dir / "bad.jsonl", model).ok());
}

// A reader that reads every question as a count and every set as NULL.
class CountReader : public spj::SpjOperator {
 public:
  std::vector<spj::SpjOutput> Run(const std::string&,
                                  const std::vector<std::vector<std::string>>& sets) override {
    ++calls;
    return std::vector<spj::SpjOutput>(sets.size(), spj::SpjOutput{"count", ""});
  }
  int calls = 0;
};

// A question with no support set still gets the reader's type (read from the
// question alone, as `ask` does), so a wrong type is counted there too.
TEST(Evaluate, AQueryWithNoSetIsTypedByTheReader) {
  testing::TempDir dir;
  testing::WriteFile(dir / "t.jsonl",
                     R"({"facts":["A was born in Lyon."],"queries":[)"
                     R"({"id":"q1","query":"Who was born in Oslo?","type":"set","answer":[],"facts":[]}]})"
                     "\n");
  CountReader reader;
  EvalOptions o;
  o.spj = SpjMode::kModel;
  o.reader = &reader;
  auto r = Evaluate(dir / "t.jsonl", o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(reader.calls, 1);
  EXPECT_EQ(r->wrong_type, 1u);
  EXPECT_EQ(r->overall.exact, 1u);  // no answer, as the gold says
}

// A reader that reads every set as NULL, though its best answer is the
// set's first word.
class DoubtfulReader : public spj::SpjOperator {
 public:
  std::vector<spj::SpjOutput> Run(const std::string&,
                                  const std::vector<std::vector<std::string>>& sets) override {
    std::vector<spj::SpjOutput> out;
    for (const auto& facts : sets) {
      out.push_back({"set", "", 1.5f, facts.at(0).substr(0, facts.at(0).find(' '))});
    }
    return out;
  }
};

// The set log names each set's database and what a NULL set would have said,
// so that NULL decisions can be replayed offline.
TEST(Evaluate, TheSetLogKeepsWhatANullSetWouldHaveSaid) {
  testing::TempDir dir;
  const std::string db = R"({"facts":["A was born in Lyon.","B was born in Oslo."],"queries":[)"
                         R"({"id":"q1","query":"Who was born in Lyon?","type":"set","answer":["A"],)"
                         R"("height":1,"facts":[[0]],"derivations":["A"]}]})";
  testing::WriteFile(dir / "t.jsonl", db + "\n" + db + "\n");
  DoubtfulReader reader;
  std::ostringstream log;
  EvalOptions o;
  o.spj = SpjMode::kModel;
  o.reader = &reader;
  o.set_log = &log;
  auto r = Evaluate(dir / "t.jsonl", o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->overall.exact, 0u);
  std::istringstream lines(log.str());
  std::vector<nlohmann::json> sets;
  for (std::string line; std::getline(lines, line);) sets.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(sets.size(), 2u);  // one gold set in each database
  EXPECT_EQ(sets[0]["db"], dir / "t.jsonl:1");
  EXPECT_EQ(sets[1]["db"], dir / "t.jsonl:2");
  for (const auto& s : sets) {
    EXPECT_EQ(s["id"], "q1");
    EXPECT_EQ(s["gold"], "A");
    EXPECT_EQ(s["got"], "");
    EXPECT_EQ(s["best"], "A");
    EXPECT_FLOAT_EQ(s["null_margin"].get<float>(), 1.5f);
  }
}

TEST(Evaluate, RunsOnTheRealKelmData) {
  const std::string dev = NLDB_SHARED_DATA "/kelm10/dev.jsonl";
  if (access(dev.c_str(), R_OK) != 0) GTEST_SKIP() << "../shared/data is not beside this checkout";
  auto r = Evaluate(dev, {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->overall.n, 139u);
  EXPECT_EQ(r->by_type.size(), 7u);
  // Aggregating the gold derivations gives the gold answer everywhere but in
  // "shares a border" (P47) argmin questions: the relation is symmetric and the
  // gold answer counts both sides, while the derivations name only one.
  for (const Miss& m : r->misses) {
    EXPECT_NE(m.id.find("P47"), std::string::npos) << m.id << " " << m.query;
  }
  EXPECT_LE(r->misses.size(), 2u);
}

// WikiNLDB's height is the index of the last fact a query sees (NeuralDB's
// readers take facts[:height + 1]); kelm10 has gold sets holding facts[height].
TEST(Dataset, AQuerySeesTheFactsUpToItsHeightIncluded) {
  auto db = ParseDatabase(
      R"({"facts":["A was born in Lyon.","B was born in Lyon.","C was born in Oslo."],"queries":[)"
      R"({"query":"Who was born in Lyon?","type":"set","answer":["A"],"height":0},)"
      R"({"query":"Who was born in Lyon?","type":"set","answer":["A","B"],"height":1},)"
      R"({"query":"Who was born in Lyon?","type":"set","answer":["A","B"],"height":9},)"
      R"({"query":"Who was born in Lyon?","type":"set","answer":["A","B"]}]})");
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_EQ(db->queries.size(), 4u);
  EXPECT_EQ(db->queries[0].Sees(3), 1u);
  EXPECT_EQ(db->queries[1].Sees(3), 2u);
  EXPECT_EQ(db->queries[2].Sees(3), 3u);
  EXPECT_EQ(db->queries[3].Sees(3), 3u);  // no height: the whole database
  EXPECT_EQ(db->queries[3].height, 2u);
  const std::string dev = NLDB_SHARED_DATA "/kelm10/dev.jsonl";
  if (access(dev.c_str(), R_OK) != 0) return;
  int at_height = 0;
  auto each = ForEachDatabase(dev, [&](const DatabaseRecord& rec, const std::string&) -> Status {
    for (const Query& q : rec.queries) {
      for (const auto& set : q.facts) {
        for (uint32_t f : set) {
          EXPECT_LT(f, q.Sees(rec.facts.size())) << q.id;
          at_height += f == q.height;
        }
      }
    }
    return Status::OK();
  });
  ASSERT_TRUE(each.ok()) << each.message();
  EXPECT_GT(at_height, 0);
}

}  // namespace
}  // namespace nldb::eval
