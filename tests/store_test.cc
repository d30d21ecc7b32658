// The public Database API: adds, deletes, versions, as-of reads, locking.
#include <gtest/gtest.h>

#include <random>

#include "nldb/database.h"
#include "test_util.h"

namespace nldb {
namespace {

using testing::TempDir;

std::unique_ptr<Database> OpenWriter(const TempDir& dir) {
  auto db = Database::Open(dir.path(), {.writer_label = "store_test"});
  EXPECT_TRUE(db.ok()) << db.status().message();
  return std::move(*db);
}

std::vector<std::pair<FactId, std::string>> Live(Database& db, std::optional<Version> as_of = {}) {
  std::vector<std::pair<FactId, std::string>> out;
  auto v = db.Scan(as_of, [&](const Fact& f) {
    out.emplace_back(f.id, f.text);
    return true;
  });
  EXPECT_TRUE(v.ok()) << v.status().message();
  return out;
}

TEST(Store, AddGivesConsecutiveIdsThatAreVersions) {
  TempDir dir;
  auto db = OpenWriter(dir);
  EXPECT_EQ(*db->CurrentVersion(), 0u);
  EXPECT_EQ(*db->Add("Anil Seth works at the University of Sussex."), 1u);
  EXPECT_EQ(*db->Add("Ada Lovelace was born in London."), 2u);
  EXPECT_EQ(*db->AddBatch({"A.", "B.", "C."}), 3u);
  EXPECT_EQ(*db->CurrentVersion(), 5u);
  auto facts = Live(*db);
  ASSERT_EQ(facts.size(), 5u);
  EXPECT_EQ(facts[0].second, "Anil Seth works at the University of Sussex.");
  EXPECT_EQ(facts[4], std::make_pair(FactId{5}, std::string("C.")));
}

TEST(Store, DeletesAreVersionedAndThePastStaysReadable) {
  TempDir dir;
  auto db = OpenWriter(dir);
  db->Add("one.");                      // v1
  db->Add("two.");                      // v2
  EXPECT_EQ(*db->Delete(1), 3u);        // v3
  db->Add("three.");                    // v4
  EXPECT_EQ(Live(*db, 2).size(), 2u);
  EXPECT_EQ(Live(*db, 3), (std::vector<std::pair<FactId, std::string>>{{2, "two."}}));
  EXPECT_EQ(Live(*db).size(), 2u);
  EXPECT_EQ(Live(*db, 0).size(), 0u);

  Stats s = *db->GetStats();
  EXPECT_EQ(s.version, 4u);
  EXPECT_EQ(s.live_facts, 2u);
  EXPECT_EQ(s.deleted_facts, 1u);
  EXPECT_EQ(db->GetStats(2)->live_facts, 2u);
  EXPECT_EQ(db->GetStats(3)->live_facts, 1u);

  EXPECT_EQ(db->Get(1, 2)->text, "one.");
  EXPECT_EQ(db->Get(1).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(db->Get(4, 3).status().code(), Status::Code::kNotFound);
}

TEST(Store, BadDeletesAndVersionsAreClearErrorsThatChangeNothing) {
  TempDir dir;
  auto db = OpenWriter(dir);
  db->Add("one.");
  db->Delete(1);
  auto unknown = db->Delete(99);
  EXPECT_EQ(unknown.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(unknown.status().message(), "there is no fact with id 99");
  auto twice = db->Delete(1);
  EXPECT_EQ(twice.status().message(), "fact 1 was already deleted at version 2");
  auto future = db->Scan(3, [](const Fact&) { return true; });
  EXPECT_EQ(future.status().message(),
            "version 3 does not exist yet; the store is at version 2");
  EXPECT_EQ(*db->CurrentVersion(), 2u);
}

TEST(Store, RejectsBadFactsAndBatchesAtomically) {
  TempDir dir;
  auto db = OpenWriter(dir);
  EXPECT_EQ(db->Add("").status().message(), "the fact is empty");
  EXPECT_EQ(db->Add("bad \xFF").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(db->Add(std::string("a\0b", 3)).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(db->Add(std::string(9000, 'x')).status().code(), Status::Code::kInvalidArgument);
  auto batch = db->AddBatch({"fine.", "", "also fine."});
  EXPECT_EQ(batch.status().message(), "fact 2 of the batch: the fact is empty");
  EXPECT_EQ(*db->CurrentVersion(), 0u);
  EXPECT_TRUE(Live(*db).empty());
}

TEST(Store, SurvivesReopening) {
  TempDir dir;
  {
    auto db = OpenWriter(dir);
    db->AddBatch({"a.", "b.", "c."});
    db->Delete(2);
  }
  auto db = Database::Open(dir.path(), {.read_only = true});
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(Live(**db), (std::vector<std::pair<FactId, std::string>>{{1, "a."}, {3, "c."}}));
  EXPECT_EQ((*db)->Add("x.").status().message(), "the store was opened read-only");
}

TEST(Store, OneWriterAtATimeNamedInTheError) {
  TempDir dir;
  auto first = OpenWriter(dir);
  first->Add("a.");
  auto second = Database::Open(dir.path(), {.writer_label = "second"});
  ASSERT_EQ(second.status().code(), Status::Code::kBusy);
  EXPECT_NE(second.status().message().find("pid " + std::to_string(getpid()) + " (store_test)"),
            std::string::npos)
      << second.status().message();
  // Readers are not blocked by the writer.
  auto reader = Database::Open(dir.path(), {.read_only = true});
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(Live(**reader).size(), 1u);
  first.reset();
  EXPECT_TRUE(Database::Open(dir.path()).ok());
}

TEST(Store, AReaderThatWasRefusedADeletedFactSeesLaterUpdates) {
  TempDir dir;
  auto writer = OpenWriter(dir);
  writer->AddBatch({"a.", "b."});
  writer->Delete(1);
  auto reader = Database::Open(dir.path(), {.read_only = true});
  ASSERT_TRUE(reader.ok());
  // Refused: the fact is deleted. The refusal must not keep the reader's
  // snapshot open (a statement left holding its row would).
  EXPECT_EQ((*reader)->Get(1).status().code(), Status::Code::kNotFound);
  ASSERT_TRUE(writer->Add("c.").ok());
  auto stats = (*reader)->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->version, 4u);
  EXPECT_EQ(stats->live_facts, 2u);
}

TEST(Store, MissingOrDamagedStoresAreErrors) {
  TempDir dir;
  auto missing = Database::Open(dir / "none", {.read_only = true});
  EXPECT_EQ(missing.status().message(), "there is no nldb store in " + (dir / "none"));
  auto no_create = Database::Open(dir / "none", {.create_if_missing = false});
  EXPECT_EQ(no_create.status().code(), Status::Code::kNotFound);
  testing::WriteFile(dir / "facts.db", std::string(8192, 'g'));
  auto damaged = Database::Open(dir.path(), {.read_only = true});
  EXPECT_EQ(damaged.status().code(), Status::Code::kCorruption) << damaged.status().message();
  EXPECT_EQ(testing::ReadFile(dir / "facts.db"), std::string(8192, 'g'));  // left as it was
}

// A random stream of adds and deletes, checked against a model at every version.
TEST(Store, RandomUpdatesMatchAModelAtEveryVersion) {
  TempDir dir;
  auto db = OpenWriter(dir);
  std::mt19937 rng(7);
  std::vector<std::pair<FactId, Version>> model;  // id -> deleted_at (0: live)
  Version version = 0;
  for (int step = 0; step < 400; ++step) {
    if (model.empty() || rng() % 3 != 0) {
      const FactId id = *db->Add("fact " + std::to_string(step) + ".");
      ASSERT_EQ(id, ++version);
      model.emplace_back(id, 0);
    } else {
      auto& victim = model[rng() % model.size()];
      auto v = db->Delete(victim.first);
      if (victim.second != 0) {
        EXPECT_FALSE(v.ok());
      } else {
        ASSERT_EQ(*v, ++version);
        victim.second = version;
      }
    }
  }
  for (Version v = 0; v <= version; v += 7) {
    std::vector<FactId> expect;
    uint64_t deleted = 0;
    for (auto [id, del] : model) {
      if (id <= v && (del == 0 || del > v)) expect.push_back(id);
      if (del != 0 && del <= v) ++deleted;
    }
    std::vector<FactId> got;
    db->Scan(v, [&](const Fact& f) {
      got.push_back(f.id);
      return true;
    });
    EXPECT_EQ(got, expect) << "as of " << v;
    Stats s = *db->GetStats(v);
    EXPECT_EQ(s.live_facts, expect.size());
    EXPECT_EQ(s.deleted_facts, deleted);
  }
}

}  // namespace
}  // namespace nldb
