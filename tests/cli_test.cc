// The nldb program: output formats, and every bad input answered with one
// sentence on stderr, a non-zero exit, and the stored facts unchanged.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "nldb/database.h"
#include "test_util.h"

namespace nldb {
namespace {

using nlohmann::json;
using testing::RunNldb;
using testing::TempDir;

class CliTest : public ::testing::Test {
 protected:
  testing::RunResult Nldb(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunNldb(args);
  }
  json FactsJson() {
    auto r = Nldb({"facts", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }
  // Runs a command that must fail: exit `code`, one line on stderr that
  // contains `message`, and the store exactly as it was.
  void ExpectFailure(std::vector<std::string> args, int code, const std::string& message) {
    const json before = FactsJson();
    auto r = Nldb(args);
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("nldb: ", 0), 0u) << r.err;
    EXPECT_EQ(FactsJson(), before);
  }
  TempDir tmp_;
  std::string db_ = tmp_ / "db";
};

TEST_F(CliTest, AddDeleteFactsStatsAndAsOf) {
  EXPECT_EQ(Nldb({"add", "Anil Seth works at the University of Sussex."}).out, "1\n");
  EXPECT_EQ(Nldb({"add", "Ada Lovelace was born in London."}).out, "2\n");
  EXPECT_EQ(Nldb({"delete", "1"}).out, "deleted fact 1 at version 3\n");
  EXPECT_EQ(Nldb({"add", "--json", "Alan Turing was born in London."}).out,
            "{\"id\":4,\"version\":4}\n");

  EXPECT_EQ(FactsJson(), json::parse(R"({"version":4,"facts":[
      {"id":2,"text":"Ada Lovelace was born in London.","version":2},
      {"id":4,"text":"Alan Turing was born in London.","version":4}]})"));
  auto past = json::parse(Nldb({"facts", "--as-of", "2", "--json"}).out);
  EXPECT_EQ(past["version"], 2);
  EXPECT_EQ(past["facts"].size(), 2u);
  EXPECT_EQ(past["facts"][0]["text"], "Anil Seth works at the University of Sussex.");
  EXPECT_EQ(Nldb({"facts"}).out,
            "2\tAda Lovelace was born in London.\n4\tAlan Turing was born in London.\n");

  EXPECT_EQ(json::parse(Nldb({"stats", "--json"}).out),
            json::parse(R"({"facts":2,"version":4,"deleted":1})"));
  EXPECT_EQ(json::parse(Nldb({"stats", "--json", "--as-of", "2"}).out)["facts"], 2);
}

TEST_F(CliTest, LoadReportsWhatItStored) {
  testing::WriteFile(tmp_ / "f.txt", "A is in B.\nC is in D.\n");
  auto r = Nldb({"load", tmp_ / "f.txt", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["stored"], 2);
  EXPECT_EQ(j["first_id"], 1);
  EXPECT_EQ(j["last_id"], 2);
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(r.err, "");  // no progress bar when stderr is not a terminal
}

TEST_F(CliTest, BadFactsAreRejected) {
  Nldb({"add", "Something already stored."});
  ExpectFailure({"add", ""}, 1, "the fact is empty");
  ExpectFailure({"add", "bad \xFF byte"}, 1, "not valid UTF-8 at byte 5");
  ExpectFailure({"add", std::string(8193, 'a')}, 1, "more than the limit of 8192");
}

TEST_F(CliTest, BadLoadsStoreNothing) {
  Nldb({"add", "Something already stored."});
  const std::string nul_file = tmp_ / "nul.txt";
  testing::WriteFile(nul_file, std::string("fine.\nnot\0fine.\n", 16));
  ExpectFailure({"load", nul_file}, 1,
                nul_file + ":2: the fact contains a NUL byte at byte 4; this load stored nothing "
                    "(use --skip-bad to skip bad lines)");
  const std::string blank = tmp_ / "blank.txt";
  testing::WriteFile(blank, "fine.\n\nfine.\n");
  ExpectFailure({"load", blank}, 1, blank + ":2: the fact is empty");
  const std::string utf = tmp_ / "utf.txt";
  testing::WriteFile(utf, "fine.\n\xC3\n");
  ExpectFailure({"load", utf}, 1, utf + ":2: the fact is not valid UTF-8");
  const std::string longer = tmp_ / "long.txt";
  testing::WriteFile(longer, std::string(9000, 'z') + "\n");
  ExpectFailure({"load", longer}, 1, longer + ":1: the fact is 9000 bytes long");
  const std::string json_file = tmp_ / "bad.jsonl";
  testing::WriteFile(json_file, "{\"facts\": [\"a.\"]}\nnot json\n");
  ExpectFailure({"load", json_file}, 1, json_file + ":2: the line is not valid JSON");
  ExpectFailure({"load", tmp_ / "missing.txt"}, 1, "cannot read");
  ExpectFailure({"load", tmp_ / "facts.csv"}, 1, "cannot tell the format");
}

TEST_F(CliTest, SkipBadLoadsTheRest) {
  testing::WriteFile(tmp_ / "f.txt", "good one.\n\ngood two.\n");
  auto r = Nldb({"load", "--skip-bad", tmp_ / "f.txt"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("stored 2 facts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("skipped 1 bad lines"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("f.txt:2: the fact is empty"), std::string::npos) << r.err;
}

TEST_F(CliTest, BadIdsVersionsAndCommandLines) {
  Nldb({"add", "One."});
  ExpectFailure({"delete", "42"}, 1, "there is no fact with id 42");
  Nldb({"delete", "1"});
  ExpectFailure({"delete", "1"}, 1, "fact 1 was already deleted at version 2");
  ExpectFailure({"delete", "one"}, 2, "see nldb --help");
  ExpectFailure({"facts", "--as-of", "9"}, 1, "version 9 does not exist yet");
  ExpectFailure({"facts", "--as-of", "-1"}, 2, "must be a whole number from 0 to");
  ExpectFailure({"delete", "99999999999999999999"}, 2, "must be a whole number from 0 to");
  ExpectFailure({"delete", "-1"}, 2, "must be a whole number from 0 to 18446744073709551615");
  ExpectFailure({"gen", "--dbs", "1", "--seed", "1e3", "--out", tmp_ / "g.jsonl"}, 2,
                "must be a whole number");
  ExpectFailure({"search", "--similar", "who", "--as-of", "9"}, 1, "version 9 does not exist yet");
  ExpectFailure({"train", "blend", "--model", tmp_ / "none", "--with", tmp_ / "none", "--out",
                 tmp_ / "blend"}, 1, "there is no reader model in " + (tmp_ / "none"));
  ExpectFailure({"frobnicate"}, 2, "see nldb --help");
}

// A warm start and a blend name where they came from: the blend's manifest
// holds each part's command, learning rate and, for the warm start, the
// reader it began from, so the chain can be run again.
TEST_F(CliTest, TrainedReadersNameWhereTheyCameFrom) {
  const std::string a = tmp_ / "a", b = tmp_ / "b", blend = tmp_ / "blend";
  auto trained = RunNldb({"train", "reader", "--out", a, "--steps", "20", "--dbs", "4", "--dim",
                          "32", "--layers", "1", "--heads", "2", "--ff", "64", "--vocab", "300",
                          "--eval-dbs", "2"});
  if (trained.exit_code != 0 && trained.err.find("word vectors") != std::string::npos) {
    GTEST_SKIP() << "no word vectors: run scripts/install-glove";
  }
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  auto warm = RunNldb({"train", "reader", "--init", a, "--out", b, "--steps", "5", "--dbs", "4",
                       "--lr", "0.0002", "--eval-dbs", "2"});
  ASSERT_EQ(warm.exit_code, 0) << warm.err;
  auto blended = RunNldb({"--json", "train", "blend", "--model", a, "--with", b, "--weight", "0.25",
                          "--out", blend, "--eval-dbs", "2"});
  ASSERT_EQ(blended.exit_code, 0) << blended.err;
  const json manifest = json::parse(testing::ReadFile(blend + "/manifest.json"));
  EXPECT_EQ(json::parse(blended.out), manifest);
  const json first = json::parse(testing::ReadFile(a + "/manifest.json"));
  const json second = json::parse(testing::ReadFile(b + "/manifest.json"));
  EXPECT_EQ(manifest["command"], "nldb train blend --model " + a + " --with " + b +
                                     " --weight 0.25 --out " + blend);
  EXPECT_EQ(manifest["blend"]["weight_of_with"], 0.25);
  EXPECT_EQ(manifest["blend"]["model"]["command"], first["command"]);
  EXPECT_EQ(manifest["blend"]["with"]["command"], second["command"]);
  EXPECT_NE(second["command"].get<std::string>().find(" --lr 0.0002 "), std::string::npos);
  EXPECT_EQ(manifest["blend"]["with"]["init"]["command"], first["command"]);
  EXPECT_FALSE(manifest["blend"]["with"].contains("heldout_eval"));
  EXPECT_GT(manifest["heldout_eval"]["gold_support"]["n"], 0);
}

TEST_F(CliTest, MissingStoresAndMissingDb) {
  auto r = RunNldb({"facts"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "nldb: this command needs the store directory: --db DIR\n");
  auto none = RunNldb({"--db", tmp_ / "nowhere", "stats"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err, "nldb: there is no nldb store in " + (tmp_ / "nowhere") + "\n");
  auto del = RunNldb({"--db", tmp_ / "nowhere", "delete", "1"});
  EXPECT_EQ(del.exit_code, 1);
  EXPECT_EQ(del.err, "nldb: there is no nldb store in " + (tmp_ / "nowhere") + "\n");
}

TEST_F(CliTest, ASecondWriterIsToldWhoHoldsTheStore) {
  Nldb({"add", "One."});
  auto holder = Database::Open(db_, {.writer_label = "cli_test holder"});
  ASSERT_TRUE(holder.ok());
  ExpectFailure({"add", "Two."}, 1,
                "is being written by pid " + std::to_string(getpid()) + " (cli_test holder)");
  holder->reset();
  EXPECT_EQ(Nldb({"add", "Two."}).out, "2\n");
}

TEST_F(CliTest, SearchAndCheckTheLexicalIndex) {
  Nldb({"add", "Ada Okafor was born in Lagos."});
  Nldb({"add", "Bruno Diaz works for Northwind."});
  auto r = Nldb({"search", "born Lagos", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  ASSERT_EQ(j["hits"].size(), 1u);
  EXPECT_EQ(j["hits"][0]["id"], 1);
  EXPECT_EQ(j["hits"][0]["text"], "Ada Okafor was born in Lagos.");
  Nldb({"delete", "1"});
  EXPECT_EQ(json::parse(Nldb({"search", "Lagos", "--json"}).out)["hits"].size(), 0u);
  EXPECT_EQ(json::parse(Nldb({"search", "Lagos", "--json", "--as-of", "2"}).out)["hits"].size(), 1u);
  EXPECT_EQ(Nldb({"check"}).out, "the indexes agree with the facts\n");
}

// With the shipped models (models/reader, models/ssg).
TEST_F(CliTest, AskAnswersWithFactIdsAndRefusesBadQuestions) {
  Nldb({"add", "Ada Okafor was born in Lagos."});
  Nldb({"add", "Bruno Diaz works for Northwind Logistics."});
  auto r = Nldb({"ask", "Where was Ada Okafor born?", "--json", "--explain"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  for (const char* key : {"answer", "type", "support", "ms", "plan"}) EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["answer"].size(), j["support"].size());
  for (const auto& ids : j["support"]) {
    for (const auto& id : ids) EXPECT_TRUE(id == 1 || id == 2) << r.out;
  }
  for (const char* stage : {"retrieve", "spj", "aggregate", "total"}) EXPECT_TRUE(j["ms"].contains(stage));
  EXPECT_EQ(j["plan"][0]["operator"], "AGGREGATE");
  ExpectFailure({"ask", ""}, 1, "the question is empty");
  ExpectFailure({"ask", "Who \xFF?"}, 1, "the question is not valid UTF-8 at byte 5");
  ExpectFailure({"ask", std::string(100 * 1024, 'x')}, 1, "the limit is 4096");
  ExpectFailure({"ask", "Who?", "--as-of", "7"}, 1, "version 7 does not exist yet");
}

TEST_F(CliTest, ShellTakesFactsQuestionsDeletesAndVersions) {
  const std::string script =
      "Ada Okafor was born\n in Lagos.\n"  // a statement over two lines
      "Bruno Diaz was born in Lagos.\n"
      "stats\n"
      "delete 1\n"
      "delete 99\n"
      "as of 2\n"
      "stats\n"
      "as of now\n"
      "explain Who was born in Lagos?\n"
      "Delete Records was founded in Lagos.\n"  // a fact, not a command
      "As of 2020, Bruno Diaz lived in Lagos.\n"
      "delete 5.\n"
      "quit\n"
      "Never stored.\n";
  auto r = RunNldb({"--db", db_, "shell"}, script);
  EXPECT_EQ(r.exit_code, 1) << r.err;  // "delete 99" failed
  EXPECT_NE(r.err.find("error: there is no fact with id 99\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nldb: 1 statement of the script failed"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("added fact 1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("added fact 2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("version 2: 2 facts (0 deleted)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deleted fact 1 at version 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("questions see version 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("INDEX_SEARCH"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("added fact 4\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("added fact 5\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deleted fact 5 at version 6"), std::string::npos) << r.out;
  const json facts = FactsJson();
  ASSERT_EQ(facts["facts"].size(), 2u);  // facts 1 and 5 deleted; nothing after quit
  EXPECT_EQ(facts["facts"][0]["text"], "Bruno Diaz was born in Lagos.");
  EXPECT_EQ(facts["facts"][1]["text"], "Delete Records was founded in Lagos.");
  auto first = json::parse(Nldb({"facts", "--json", "--as-of", "1"}).out);
  EXPECT_EQ(first["facts"][0]["text"], "Ada Okafor was born in Lagos.");

  // A script whose last statement never ends is told so, and fails.
  auto unfinished = RunNldb({"--db", db_, "shell"}, "Carl lives in Oslo.\nDana lives in Rome\n");
  EXPECT_EQ(unfinished.exit_code, 1);
  EXPECT_NE(unfinished.err.find("does not end in '.' or '?', so it was not run: Dana lives in Rome"),
            std::string::npos)
      << unfinished.err;
  EXPECT_EQ(FactsJson()["facts"].size(), 3u);  // Carl's fact only
  auto shell_json = RunNldb({"--db", db_, "--json", "shell"}, "stats\n");
  EXPECT_EQ(shell_json.exit_code, 1);
  EXPECT_NE(shell_json.err.find("no --json output"), std::string::npos) << shell_json.err;
}

// The benchmarks run (smoke test: small sizes; timings are not checked).
TEST_F(CliTest, BenchmarksRunAndWriteTheirReport) {
  auto ingest = RunNldb({"--json", "bench", "ingest", "--facts", "3000", "--batch", "1000"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_EQ(json::parse(ingest.out)["facts"], 3000);

  const std::string report = tmp_ / "report";
  auto query = RunNldb({"--json", "bench", "query", "--facts", "10,40", "--queries", "4",
                        "--compare", "2", "--report", report});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  const json j = json::parse(query.out);
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_EQ(j["runs"][1]["facts"], 40);
  EXPECT_EQ(j["runs"][0]["queries"], 4);
  EXPECT_GT(j["runs"][0]["reader"]["flops_per_question"].get<double>(), 0);
  EXPECT_TRUE(j["runs"][0]["whole_database_baseline"].contains("em"));
  const int scoped = j["runs"][0]["scoped_latency_ms"]["queries"].get<int>();
  EXPECT_GE(scoped, 0);
  EXPECT_LE(scoped, 4);  // a subset of the questions asked
  const std::string md = testing::ReadFile(report + "/query.md");
  EXPECT_NE(md.find("| 40 | 4 |"), std::string::npos) << md;
  EXPECT_TRUE(std::filesystem::exists(report + "/query.png"));  // gnuplot comes with install-deps

  auto bad = RunNldb({"bench", "query", "--facts", "0"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("see nldb --help"), std::string::npos) << bad.err;
}

// Two set questions whose reader read a set that does not answer: the first
// is right with a bias between 1 and 5, the second with none (its wrong set
// is surer than its gold one), and both with perfect NULL decisions.
TEST_F(CliTest, NullReplayTellsWhatNullDecisionsCost) {
  const std::string data = tmp_ / "d.jsonl", log = tmp_ / "sets.jsonl", config = tmp_ / "config.json";
  testing::WriteFile(data, R"({"facts":["A was born in Lyon.","C died in Lyon."],"queries":[)"
                           R"({"id":"q1","query":"Who was born in Lyon?","type":"set","answer":["A"]},)"
                           R"({"id":"q2","query":"Who died in Lyon?","type":"set","answer":["C"]}]})"
                           "\n");
  auto set = [&](const std::string& id, const std::string& gold, const std::string& best, float margin) {
    return json{{"db", data + ":1"}, {"id", id}, {"gold", gold}, {"got", ""}, {"best", best},
                {"got_type", "set"}, {"null_margin", margin}}.dump() + "\n";
  };
  testing::WriteFile(log, set("q1", "A", "A", -5) + set("q1", "", "C", -1) + set("q2", "C", "C", -1) +
                              set("q2", "", "A", -3));
  testing::WriteFile(config, R"({"null_bias":{"set":0},"null_bias_log_sets":{"set":0}})");
  auto r = testing::RunProgram(NLDB_NULL_REPLAY, {config, data, log});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto line = [&](const std::string& opening) {
    const size_t at = r.out.find(opening);
    return at == std::string::npos ? "" : r.out.substr(at, r.out.find('\n', at) - at);
  };
  EXPECT_EQ(line("EM, the config's NULL biases:"), "EM, the config's NULL biases:  0.0000 (0/2)") << r.out;
  EXPECT_EQ(line("EM, perfect NULL decisions:"), "EM, perfect NULL decisions:  1.0000 (2/2)") << r.out;
  EXPECT_EQ(line("EM, best biases with a on -4..8:"), "EM, best biases with a on -4..8:  0.5000 (1/2)") << r.out;
  EXPECT_EQ(line("EM, best biases with a on -4..0:"), "EM, best biases with a on -4..0:  0.5000 (1/2)") << r.out;

  // A set log of an older build (no "best") is one clear error.
  testing::WriteFile(log, json{{"db", data + ":1"}, {"id", "q1"}, {"gold", "A"}, {"got", "A"},
                               {"got_type", "set"}, {"null_margin", -5}}.dump() + "\n");
  auto old = testing::RunProgram(NLDB_NULL_REPLAY, {config, data, log});
  EXPECT_EQ(old.exit_code, 1);
  EXPECT_NE(old.err.find("write it again"), std::string::npos) << old.err;
  EXPECT_EQ(testing::RunProgram(NLDB_NULL_REPLAY, {config}).exit_code, 2);
}

}  // namespace
}  // namespace nldb
