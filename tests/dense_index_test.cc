// The dense index: sentence codes, nearest facts by meaning at every version,
// saved by writers, caught up by readers, and rebuilt when damaged.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "index/dense_index.h"
#include "nldb/database.h"
#include "ssg/support_sets.h"
#include "test_util.h"
#include "text/sentence_encoder.h"
#include "text/word_vectors.h"

namespace nldb {
namespace {

using testing::TempDir;

class DenseIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto v = text::WordVectors::Shared(text::DefaultWordVectorsPath());
    if (!v.ok()) return;  // each test skips (SetUp)
    vectors_ = new std::shared_ptr<const text::WordVectors>(*v);
    // The plain mean word vector: P = identity.
    const int d = (*vectors_)->dims();
    std::vector<float> identity(size_t(d) * d, 0.f);
    for (int i = 0; i < d; ++i) identity[size_t(i) * d + i] = 1.f;
    encoder_ = new text::SentenceEncoder(**vectors_, d, identity);
    ASSERT_TRUE(encoder_->Save(encoder_dir_.path()).ok());
  }

  void SetUp() override {
    if (!vectors_) GTEST_SKIP() << "no word vectors: run scripts/install-glove";
  }

  std::unique_ptr<Database> Open(const std::string& dir, bool read_only = false,
                                 const std::string& encoder_dir = encoder_dir_.path()) {
    auto db = Database::Open(dir, {.read_only = read_only, .encoder_dir = encoder_dir});
    EXPECT_TRUE(db.ok()) << db.status().message();
    return db.ok() ? std::move(*db) : nullptr;
  }

  // `n` facts about where people were born, then one about a height.
  static std::vector<std::string> Filler(int n) {
    std::vector<std::string> facts;
    for (int i = 0; i < n; ++i) {
      facts.push_back("Person" + std::to_string(i) + " was born in Town" + std::to_string(i % 50) + ".");
    }
    return facts;
  }

  // A store in `dir` of 30 Filler facts and one about a height, its dense
  // index saved (dense-1.hnsw); the height fact's id.
  FactId SaveThirtyFactsAndATallMan(const TempDir& dir) {
    auto db = Open(dir.path());
    EXPECT_TRUE(db->AddBatch(Filler(30)).ok());
    const FactId tall = *db->Add("Logan Rees is 2.01 metres tall.");
    EXPECT_TRUE(db->SaveIndexes().ok());
    return tall;
  }

  static FactId Nearest(Database& db, const std::string& text, std::optional<Version> as_of = {}) {
    auto hits = db.SearchSimilar(text, 1, as_of);
    EXPECT_TRUE(hits.ok()) << hits.status().message();
    return hits.ok() && !hits->empty() ? (*hits)[0].id : 0;
  }

  static inline std::shared_ptr<const text::WordVectors>* vectors_ = nullptr;
  static inline text::SentenceEncoder* encoder_ = nullptr;
  static inline TempDir encoder_dir_;
};

TEST_F(DenseIndexTest, CodesAreUnitVectorsAndTheEncoderRoundTrips) {
  const auto code = encoder_->Encode("Logan Rees is 1.89 m tall.");
  ASSERT_EQ(code.size(), size_t(encoder_->dims()));
  double norm = 0;
  for (float x : code) norm += double(x) * x;
  EXPECT_NEAR(norm, 1.0, 1e-5);
  EXPECT_TRUE(encoder_->Encode("the of and").empty());  // function words only

  auto loaded = text::SentenceEncoder::Load(encoder_dir_.path(), **vectors_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ((*loaded)->Fingerprint(), encoder_->Fingerprint());
  EXPECT_EQ((*loaded)->Encode("Logan Rees is 1.89 m tall."), code);

  auto other = encoder_->projection();
  other[0] += 1;
  EXPECT_NE(text::SentenceEncoder(**vectors_, encoder_->dims(), other).Fingerprint(),
            encoder_->Fingerprint());
  TempDir bad;
  testing::WriteFile(bad / "encoder.json", "{\"dims\": 3}");
  EXPECT_EQ(text::SentenceEncoder::Load(bad.path(), **vectors_).status().code(),
            Status::Code::kCorruption);
}

// A question names no word of the fact it needs; the dense index finds it,
// and answers as of any version: not before the fact was added, not after
// it was deleted.
TEST_F(DenseIndexTest, FindsFactsByMeaningAtEveryVersion) {
  TempDir dir;
  auto db = Open(dir.path());
  ASSERT_TRUE(db->AddBatch(Filler(20)).ok());
  const FactId tall = *db->Add("Logan Rees is 2.01 metres tall.");
  ASSERT_TRUE(db->AddBatch(Filler(20)).ok());
  const std::string question = "What is the height of the tallest man?";
  EXPECT_EQ(Nearest(*db, question), tall);
  EXPECT_NE(Nearest(*db, question, tall - 1), tall);

  const Version deleted = *db->Delete(tall);
  EXPECT_NE(Nearest(*db, question), tall);
  EXPECT_EQ(Nearest(*db, question, deleted - 1), tall);
  auto none = db->SearchSimilar("the of and", 5);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  // Without an encoder there is no dense index.
  db.reset();
  auto plain = Open(dir.path(), true, "");
  auto hits = plain->SearchSimilar(question, 5);
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
}

// As of an early version, the nearest live facts are found even when
// hundreds of later facts are nearer.
TEST_F(DenseIndexTest, FindsAsManyFactsAsAskedAtAnEarlyVersion) {
  TempDir dir;
  auto db = Open(dir.path());
  ASSERT_TRUE(db->AddBatch(Filler(10)).ok());
  std::vector<std::string> later;
  for (int i = 0; i < 300; ++i) later.push_back("Rees" + std::to_string(i) + " is 2.01 metres tall.");
  ASSERT_TRUE(db->AddBatch(later).ok());
  auto hits = db->SearchSimilar("How tall is the tallest man?", 5, 10);
  ASSERT_TRUE(hits.ok()) << hits.status().message();
  ASSERT_EQ(hits->size(), 5u);
  for (size_t i = 0; i < hits->size(); ++i) {
    EXPECT_LE((*hits)[i].id, 10u);
    if (i > 0) {
      EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score);
    }
  }
}

// A writer that leaves 1,000 or more facts unsaved saves the index on close;
// fewer are taken in by whoever searches next.
TEST_F(DenseIndexTest, SavedByWritersAndCaughtUpByReaders) {
  TempDir dir;
  {
    auto db = Open(dir.path());
    ASSERT_TRUE(db->AddBatch(Filler(1200)).ok());
  }
  EXPECT_EQ(index::DenseIndex::SavedMark(dir.path()), 1200u);
  FactId tall = 0;
  {
    auto db = Open(dir.path());
    tall = *db->Add("Logan Rees is 2.01 metres tall.");
  }
  EXPECT_EQ(index::DenseIndex::SavedMark(dir.path()), 1200u);  // one fact: not worth a save
  // Deletes change no vector: 1,000 of them are no reason to save either.
  const auto saved_at = std::filesystem::last_write_time(dir / "dense.meta");
  {
    auto db = Open(dir.path());
    for (FactId id = 1; id <= 1000; ++id) ASSERT_TRUE(db->Delete(id).ok());
  }
  EXPECT_EQ(std::filesystem::last_write_time(dir / "dense.meta"), saved_at);
  auto reader = Open(dir.path(), true);
  EXPECT_EQ(Nearest(*reader, "What is the height of the tallest man?"), tall);
}

// Above 20,000 facts searches walk the HNSW graph instead of every code; the
// graph is saved and loaded whole.
TEST_F(DenseIndexTest, LargeIndexesSearchTheGraph) {
  const std::vector<std::string> names = {"Anna", "Peter", "Maria", "John", "Laura", "David",
                                          "Sofia", "Ahmed", "Elena", "Paul"};
  const std::vector<std::string> towns = {"Paris", "London", "Berlin", "Madrid", "Rome",
                                          "Vienna", "Prague", "Warsaw", "Lisbon", "Dublin"};
  const std::vector<std::string> verbs = {"was born in", "lives in", "works in", "studied in",
                                          "died in"};
  std::vector<std::string> facts;
  for (int i = 0; facts.size() < 21000; ++i) {
    facts.push_back(names[i % 10] + " " + verbs[(i / 10) % 5] + " " + towns[(i / 50) % 10] +
                    " in " + std::to_string(1900 + (i / 500) % 100) + ".");
  }
  TempDir dir;
  FactId tall = 0;
  {
    auto db = Open(dir.path());
    ASSERT_TRUE(db->AddBatch(facts).ok());
    tall = *db->Add("Logan Rees is 2.01 metres tall.");
  }
  EXPECT_EQ(index::DenseIndex::SavedMark(dir.path()), tall);
  {
    // The same facts make the same graph, byte for byte.
    TempDir again;
    auto db = Open(again.path());
    ASSERT_TRUE(db->AddBatch(facts).ok());
    ASSERT_EQ(*db->Add("Logan Rees is 2.01 metres tall."), tall);
    db.reset();
    const auto meta = nlohmann::json::parse(testing::ReadFile(dir / "dense.meta"));
    const std::string file = meta["file"].get<std::string>();
    EXPECT_TRUE(testing::ReadFile(dir / file) == testing::ReadFile(again / file)) << file;
  }
  // The same facts added 1,000 a call make another graph (its groups fall
  // elsewhere), which finds as much.
  TempDir split;
  {
    auto db = Open(split.path());
    for (size_t b = 0; b < facts.size(); b += 1000) {
      const std::vector<std::string> part(facts.begin() + b,
                                          facts.begin() + std::min(facts.size(), b + 1000));
      ASSERT_TRUE(db->AddBatch(part).ok());
    }
    ASSERT_EQ(*db->Add("Logan Rees is 2.01 metres tall."), tall);
  }
  auto reader = Open(dir.path(), true);
  auto split_reader = Open(split.path(), true);
  // Each graph finds what comparing every code finds (ties aside).
  facts.push_back("Logan Rees is 2.01 metres tall.");
  for (const std::string question : {"What is the height of the tallest man?",
                                     "Who was born in Madrid in 1950?", "Where does Anna live?"}) {
    const auto code = encoder_->Encode(question);
    float best = -2;
    for (const auto& f : facts) {
      const auto c = encoder_->Encode(f);
      float dot = 0;
      for (size_t i = 0; i < c.size(); ++i) dot += c[i] * code[i];
      best = std::max(best, dot);
    }
    for (Database* db : {reader.get(), split_reader.get()}) {
      auto hits = db->SearchSimilar(question, 5);
      ASSERT_TRUE(hits.ok());
      ASSERT_EQ(hits->size(), 5u);
      EXPECT_NEAR((*hits)[0].score, best, 1e-4) << question << " found " << (*hits)[0].text;
    }
  }
}

// A graph file that matches its checksum but is no whole graph (cut short,
// running on past the graph, or a header alone) is refused by the loader,
// not read past, and a reader rebuilds the index from the facts.
TEST_F(DenseIndexTest, AGraphFileThatIsNoWholeGraphIsRefused) {
  TempDir dir;
  const FactId tall = SaveThirtyFactsAndATallMan(dir);
  const std::string good = testing::ReadFile(dir / "dense-1.hnsw");
  const std::string meta = testing::ReadFile(dir / "dense.meta");
  ASSERT_LT(good.size(), 1u << 20);  // one piece of the file's checksum
  for (const std::string& bad : {good.substr(0, good.size() - 3), good + "xyz", good.substr(0, 40)}) {
    testing::WriteFile(dir / "dense-1.hnsw", bad);
    auto j = nlohmann::json::parse(meta);
    j["bytes"] = bad.size();
    j["checksum"] = text::Checksum64(bad.data(), bad.size(), 0);
    testing::WriteFile(dir / "dense.meta", j.dump());
    std::string why;
    auto index = index::DenseIndex::Load(dir.path(), *encoder_, &why);
    EXPECT_NE(why.find("cannot be read"), std::string::npos) << why;
    EXPECT_EQ(index->size(), 0u);
    auto reader = Open(dir.path(), true);
    EXPECT_EQ(Nearest(*reader, "What is the height of the tallest man?"), tall);
  }
}

// A damaged or foreign index file is found by check, repaired by a writer,
// and never stops a search: the index is then rebuilt from the facts.
TEST_F(DenseIndexTest, DamagedIndexIsFoundAndRebuilt) {
  TempDir dir;
  const FactId tall = SaveThirtyFactsAndATallMan(dir);
  std::string bytes = testing::ReadFile(dir / "dense-1.hnsw");
  ASSERT_GT(bytes.size(), 200u);
  bytes[bytes.size() / 2] ^= 0x5a;
  testing::WriteFile(dir / "dense-1.hnsw", bytes);

  auto reader = Open(dir.path(), true);
  EXPECT_EQ(Nearest(*reader, "What is the height of the tallest man?"), tall);
  auto writer = Open(dir.path());
  Status s = writer->CheckIndexes(false);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("dense index"), std::string::npos) << s.message();
  EXPECT_TRUE(writer->CheckIndexes(true).ok());
  EXPECT_EQ(index::DenseIndex::SavedMark(dir.path()), tall);

  // Truncated: the same.
  testing::WriteFile(dir / "dense-2.hnsw", bytes.substr(0, 100));
  EXPECT_EQ(writer->CheckIndexes(false).code(), Status::Code::kCorruption);
  EXPECT_TRUE(writer->CheckIndexes(true).ok());

  // Made by another encoder: reported, and rebuilt with this one.
  TempDir other_dir;
  auto other = encoder_->projection();
  for (float& x : other) x *= 2;
  ASSERT_TRUE(text::SentenceEncoder(**vectors_, encoder_->dims(), other).Save(other_dir.path()).ok());
  writer.reset();
  auto foreign = Open(dir.path(), false, other_dir.path());
  s = foreign->CheckIndexes(false);
  EXPECT_NE(s.message().find("another sentence encoder"), std::string::npos) << s.message();
  EXPECT_EQ(Nearest(*foreign, "What is the height of the tallest man?"), tall);
  EXPECT_TRUE(foreign->CheckIndexes(true).ok());
}

// A writer that had to rebuild the index (the saved one is another encoder's)
// saves what it rebuilt on close, though the saved mark is already current:
// otherwise every later process would rebuild it again.
TEST_F(DenseIndexTest, AWriterSavesTheIndexItRebuilt) {
  TempDir dir;
  {
    auto db = Open(dir.path());
    ASSERT_TRUE(db->AddBatch(Filler(1200)).ok());
  }
  EXPECT_EQ(index::DenseIndex::SavedMark(dir.path()), 1200u);
  TempDir other_dir;
  auto other = encoder_->projection();
  for (float& x : other) x *= 2;
  const text::SentenceEncoder other_encoder(**vectors_, encoder_->dims(), other);
  ASSERT_TRUE(other_encoder.Save(other_dir.path()).ok());
  EXPECT_EQ(index::DenseIndex::Check(dir.path(), other_encoder).code(), Status::Code::kCorruption);
  {
    auto db = Open(dir.path(), false, other_dir.path());
    ASSERT_TRUE(db->SearchSimilar("Who lives in Paris?", 3).ok());
  }
  EXPECT_TRUE(index::DenseIndex::Check(dir.path(), other_encoder).ok());
  EXPECT_EQ(index::DenseIndex::SavedMark(dir.path()), 1200u);
}

// Above the exhaustive size, the support-set generator's candidates include
// what the dense index finds, not only what shares words with the question.
TEST_F(DenseIndexTest, SupportSetCandidatesComeFromBothIndexes) {
  TempDir dir;
  auto db = Open(dir.path());
  ASSERT_TRUE(db->AddBatch(Filler(50)).ok());
  const FactId tall = *db->Add("Logan Rees is 2.01 metres tall.");
  ssg::Scorer scorer{std::vector<float>(ssg::kFeatures, 0.f),
                     std::vector<float>(size_t((*vectors_)->dims()) * (*vectors_)->dims(), 0.f)};
  ssg::SsgOptions options;
  options.exhaustive_below = 10;
  options.similar = 5;
  const ssg::SupportSetGenerator ssg(**vectors_, scorer, {}, options);
  ssg::SsgStats stats;
  auto candidates =
      ssg.Candidates(*db, "What is the height of the tallest man?", *db->CurrentVersion(), &stats);
  ASSERT_TRUE(candidates.ok()) << candidates.status().message();
  EXPECT_FALSE(stats.exhaustive);
  EXPECT_GE(stats.similar, 1u);
  bool found = false;
  for (const auto& c : *candidates) found |= c.id == tall;
  EXPECT_TRUE(found);
  EXPECT_LE(candidates->size(), 5u + 100u);
}

}  // namespace
}  // namespace nldb
