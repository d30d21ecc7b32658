// Bulk loading: formats, validation before storing, skipping, resuming.
#include <gtest/gtest.h>
#include <unistd.h>

#include "ingest/bulk_loader.h"
#include "nldb/database.h"
#include "test_util.h"

namespace nldb::ingest {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> Texts(Database& db) {
  std::vector<std::string> out;
  db.Scan(std::nullopt, [&](const Fact& f) {
    out.push_back(f.text);
    return true;
  });
  return out;
}

class LoaderTest : public ::testing::Test {
 protected:
  // Writes "fact 0." .. "fact N-1.", one a line, to `name`.
  void WriteFacts(const std::string& name, int n, std::string* content = nullptr) {
    std::string text;
    for (int i = 0; i < n; ++i) text += "fact " + std::to_string(i) + ".\n";
    WriteFile(dir_ / name, text);
    if (content) *content = text;
  }
  // Options that stop a load (as if it were killed) right after its first
  // committed batch of `batch` facts, throwing the facts done.
  static LoadOptions StopAfterFirstBatch(size_t batch) {
    LoadOptions stop;
    stop.batch_facts = batch;
    stop.on_progress = [](const LoadProgress& p) {
      if (p.phase == LoadProgress::Phase::kStoring) throw p.done;
    };
    return stop;
  }
  void SetUp() override {
    auto opened = Database::Open(dir_ / "db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
  }
  // Loads `content` written to a file named `name`.
  Result<LoadReport> Load(const std::string& name, const std::string& content,
                          LoadOptions options = {}) {
    WriteFile(dir_ / name, content);
    return LoadFile(*db_, dir_ / name, options);
  }
  TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(LoaderTest, LoadsTextLinesInOrder) {
  auto r = Load("f.txt", "Ada was born in London.\r\nAlan was born in London.\nGrace\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->stored, 3u);
  EXPECT_EQ(r->first_id, 1u);
  EXPECT_EQ(r->last_id, 3u);
  EXPECT_EQ(Texts(*db_), (std::vector<std::string>{"Ada was born in London.",
                                                   "Alan was born in London.", "Grace"}));
  // A UTF-8 byte-order mark is no part of the first fact.
  ASSERT_TRUE(Load("bom.txt", "\xEF\xBB\xBF" "Anna works at Acme.\r\n").ok());
  EXPECT_EQ(Texts(*db_).back(), "Anna works at Acme.");
}

TEST_F(LoaderTest, LoadsTheFactsOfEveryWikiNldbDatabase) {
  auto r = Load("d.jsonl",
                R"({"facts":["A is in B.","C is in D."],"queries":[]})" "\n"
                R"({"facts":[],"queries":[]})" "\n"
                R"({"facts":["E \u00e9t\u00e9."]})" "\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Texts(*db_), (std::vector<std::string>{"A is in B.", "C is in D.", "E été."}));
}

TEST_F(LoaderTest, LoadsTheRealKelmFile) {
  if (access(NLDB_SHARED_DATA "/kelm10/dev.jsonl", R_OK) != 0) {
    GTEST_SKIP() << "../shared/data is not beside this checkout";
  }
  auto r = LoadFile(*db_, NLDB_SHARED_DATA "/kelm10/dev.jsonl", {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->stored, 250u);  // 25 databases of 10 facts
  EXPECT_EQ(db_->GetStats()->live_facts, 250u);
}

struct BadCase {
  const char* name;
  std::string content;
  std::string error;  // after "PATH:"
};

TEST_F(LoaderTest, ABadLineStoresNothingAndNamesTheLine) {
  const std::vector<BadCase> cases = {
      {"empty.txt", "ok.\n\nok.\n", "2: the fact is empty"},
      {"nul.txt", std::string("ok.\nn\0l\n", 8), "2: the fact contains a NUL byte at byte 2"},
      {"utf8.txt", "ok.\nok.\nbad \xC3\x28\n", "3: the fact is not valid UTF-8 at byte 5"},
      {"long.txt", "ok.\n" + std::string(8193, 'x') + "\n",
       "2: the fact is 8193 bytes long, more than the limit of 8192"},
      {"json.jsonl", "{\"facts\":[\"a.\"]}\n{\"facts\":[\"b.\"\n",
       "2: the line is not valid JSON ("},
      {"nofacts.jsonl", "{\"queries\":[]}\n", "1: the line has no \"facts\" list"},
      {"notstring.jsonl", "{\"facts\":[\"a.\", 7]}\n", "1: fact 2 of the line is not a string"},
      {"emptyfact.jsonl", "{\"facts\":[\"a.\", \" \"]}\n",
       "1: fact 2 of the line: the fact is empty"},
      {"nuljson.jsonl", "{\"facts\":[\"a\\u0000b\"]}\n",
       "1: fact 1 of the line: the fact contains a NUL byte at byte 2"},
  };
  db_->Add("already here.");
  for (const auto& c : cases) {
    auto r = Load(c.name, c.content);
    ASSERT_FALSE(r.ok()) << c.name;
    const std::string expect = (dir_ / c.name) + ":" + c.error;
    EXPECT_EQ(r.status().message().substr(0, expect.size()), expect) << r.status().message();
    EXPECT_EQ(Texts(*db_), std::vector<std::string>{"already here."}) << c.name;
  }
}

TEST_F(LoaderTest, SkipBadSkipsAndCounts) {
  LoadOptions options;
  options.skip_bad = true;
  auto r = Load("f.txt", "a.\n\nb.\n\xFF\nc.\n", options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stored, 3u);
  EXPECT_EQ(r->skipped, 2u);
  EXPECT_EQ(r->input_facts, 5u);
  ASSERT_EQ(r->skipped_examples.size(), 2u);
  EXPECT_EQ(r->skipped_examples[0], (dir_ / "f.txt") + ":2: the fact is empty");
  EXPECT_EQ(Texts(*db_), (std::vector<std::string>{"a.", "b.", "c."}));
}

TEST_F(LoaderTest, UnknownFormatsAndMissingFilesAreErrors) {
  EXPECT_EQ(Load("f.csv", "a\n").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(LoadFile(*db_, dir_ / "missing.txt", {}).status().code(), Status::Code::kNotFound);
}

TEST_F(LoaderTest, CommitsInBatchesAndResumesAnInterruptedLoad) {
  WriteFacts("f.txt", 10);
  LoadOptions options;
  options.batch_facts = 3;
  std::vector<uint64_t> checkpoints;
  options.on_progress = [&](const LoadProgress& p) {
    if (p.phase == LoadProgress::Phase::kStoring) checkpoints.push_back(p.done);
  };
  auto scratch = Database::Open(dir_ / "scratch");
  ASSERT_TRUE(LoadFile(**scratch, dir_ / "f.txt", options).ok());
  EXPECT_EQ(checkpoints, (std::vector<uint64_t>{3, 6, 9, 10}));

  {
    // A load stopped after its first batch (as if killed) leaves its checkpoint.
    try {
      LoadFile(*db_, dir_ / "f.txt", StopAfterFirstBatch(4));
      FAIL() << "expected the callback to stop the load";
    } catch (uint64_t stopped_at) {
      EXPECT_EQ(stopped_at, 4u);
    }
  }
  EXPECT_EQ(Texts(*db_).size(), 4u);  // one whole batch
  auto resumed = LoadFile(*db_, dir_ / "f.txt", {});
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->resumed_at, 4u);
  EXPECT_EQ(resumed->stored, 6u);
  EXPECT_EQ(resumed->first_id, 5u);
  std::vector<std::string> expect;
  for (int i = 0; i < 10; ++i) expect.push_back("fact " + std::to_string(i) + ".");
  EXPECT_EQ(Texts(*db_), expect);

  // A finished load is forgotten: loading the file again appends it again.
  auto again = LoadFile(*db_, dir_ / "f.txt", {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->resumed_at, 0u);
  EXPECT_EQ(Texts(*db_).size(), 20u);
}

// A load stopped after its last batch, before its indexes were saved, is
// finished by loading the file again: nothing is stored twice.
TEST_F(LoaderTest, ALoadStoppedBeforeItsIndexesWereSavedIsFinishedNotRepeated) {
  WriteFile(dir_ / "f.txt", "fact one.\nfact two.\nfact three.\n");
  LoadOptions stop;
  stop.on_progress = [](const LoadProgress& p) {
    if (p.phase == LoadProgress::Phase::kStoring && p.done == p.total) throw p.done;
  };
  EXPECT_THROW(LoadFile(*db_, dir_ / "f.txt", stop), uint64_t);
  EXPECT_EQ(Texts(*db_).size(), 3u);
  auto finished = LoadFile(*db_, dir_ / "f.txt", {});
  ASSERT_TRUE(finished.ok()) << finished.status().message();
  EXPECT_EQ(finished->resumed_at, 3u);
  EXPECT_EQ(finished->stored, 0u);
  EXPECT_EQ(Texts(*db_).size(), 3u);
  auto again = LoadFile(*db_, dir_ / "f.txt", {});  // finished: a new load appends
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->resumed_at, 0u);
  EXPECT_EQ(Texts(*db_).size(), 6u);
}

// An interrupted load of a file that has changed since is neither resumed
// nor repeated without being asked: --restart stores the whole file anyway.
TEST_F(LoaderTest, AnInterruptedLoadOfAFileChangedSinceIsNotRepeatedUnasked) {
  std::string content;
  WriteFacts("f.txt", 10, &content);
  EXPECT_THROW(LoadFile(*db_, dir_ / "f.txt", StopAfterFirstBatch(4)), uint64_t);
  ASSERT_EQ(Texts(*db_).size(), 4u);
  WriteFile(dir_ / "f.txt", content + "fact 10.\n");
  auto refused = LoadFile(*db_, dir_ / "f.txt", {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("stored the first 4 facts of the file as it was then"),
            std::string::npos)
      << refused.status().message();
  EXPECT_EQ(Texts(*db_).size(), 4u);
  LoadOptions restart;
  restart.restart = true;
  auto whole = LoadFile(*db_, dir_ / "f.txt", restart);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->resumed_at, 0u);
  EXPECT_EQ(whole->stored, 11u);
  EXPECT_EQ(Texts(*db_).size(), 15u);
  auto again = LoadFile(*db_, dir_ / "f.txt", {});  // nothing unfinished is left
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(Texts(*db_).size(), 26u);
}

TEST_F(LoaderTest, AFileThatChangesWhileLoadingNamesWhatWasStored) {
  // Three times the loader's read-ahead (1 MiB), so that the change is seen.
  std::string content;
  for (int i = 0; i < 30000; ++i) {
    content += "fact number " + std::to_string(i) + " " + std::string(80, 'x') + ".\n";
  }
  WriteFile(dir_ / "f.txt", content);
  LoadOptions options;
  options.batch_facts = 2000;
  bool cut = false;
  options.on_progress = [&](const LoadProgress& p) {
    if (p.phase != LoadProgress::Phase::kStoring || cut) return;
    cut = true;  // after the first batch, the file loses its last two thirds
    WriteFile(dir_ / "f.txt", content.substr(0, content.size() / 3));
  };
  auto loaded = LoadFile(*db_, dir_ / "f.txt", options);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kInvalidArgument);
  const std::string& msg = loaded.status().message();
  EXPECT_NE(msg.find("changed while it was being loaded"), std::string::npos) << msg;
  const size_t stored = Texts(*db_).size();
  EXPECT_GE(stored, 2000u);
  EXPECT_LT(stored, 30000u);
  EXPECT_NE(msg.find("facts 1 to " + std::to_string(stored) + " were stored"), std::string::npos)
      << msg;
}

}  // namespace
}  // namespace nldb::ingest
