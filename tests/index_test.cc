// The lexical and names indexes: kept with the store, versioned, upgraded
// into older stores and rebuilt when damaged.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

#include "index/lexical_index.h"
#include "index/name_index.h"
#include "nldb/database.h"
#include "test_util.h"

namespace nldb {
namespace {

using testing::TempDir;

std::vector<FactId> Ids(const std::vector<SearchHit>& hits) {
  std::vector<FactId> ids;
  for (const auto& h : hits) ids.push_back(h.id);
  return ids;
}

// Runs SQL on the store file directly, as damage or an older nldb would.
void RawSql(const TempDir& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "facts.db").c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// The one integer a query on the store file gives.
int64_t RawSqlInt(const TempDir& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_stmt* st = nullptr;
  int64_t v = -1;
  if (sqlite3_open((dir / "facts.db").c_str(), &db) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

// Words are matched whole, case- and accent-insensitively; function words
// match nothing, and no FTS5 syntax gets through.
TEST(LexicalIndex, SearchesWordsNotSyntax) {
  TempDir dir;
  auto db = std::move(*Database::Open(dir.path()));
  ASSERT_TRUE(db->AddBatch({"Ana Lima was born in Sao Paulo.",   // 1
                            "Near the river is a mill.",         // 2
                            "Paulo is a quoted name."}).ok());   // 3
  auto hits = db->Search("Who was born in São Paulo? Who?", 10);
  ASSERT_TRUE(hits.ok()) << hits.status().message();
  ASSERT_EQ(Ids(*hits), (std::vector<FactId>{1, 3}));
  EXPECT_GT((*hits)[0].score, (*hits)[1].score);
  EXPECT_TRUE(db->Search("what is the ... of", 10)->empty());
  auto syntax = db->Search("\"quoted\" OR NEAR(x)", 10);
  ASSERT_TRUE(syntax.ok()) << syntax.status().message();
  auto ids = Ids(*syntax);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<FactId>{2, 3}));
}

// A dash or symbol above ASCII separates words as a space does, in search
// words and in names ("Thriller \u2014" holds the name "Thriller").
TEST(LexicalIndex, PunctuationAboveAsciiSeparatesWords) {
  TempDir dir;
  auto db = std::move(*Database::Open(dir.path()));
  ASSERT_TRUE(db->AddBatch({"Michael Jackson released Thriller \u2014 his sixth album.",  // 1
                            "Thriller was released by Epic Records.",                  // 2
                            "The Paris\u2013London line opened in 1994."}).ok());        // 3
  auto names = Ids(*db->SearchNames({"Thriller"}, 10));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<FactId>{1, 2}));
  auto words = Ids(*db->SearchWords({"Thriller \u2014"}, 10));
  std::sort(words.begin(), words.end());
  EXPECT_EQ(words, (std::vector<FactId>{1, 2}));
  EXPECT_EQ(Ids(*db->Search("Which line leaves London?", 10)), std::vector<FactId>{3});
}

// A word held by more facts than one search may rank is left out while rarer
// words remain; the names search finds facts holding all words of a name,
// and leaves out names too common to single anything out.
TEST(LexicalIndex, SearchesByTheRarestWordsAndByWholeNames) {
  TempDir dir;
  auto db = std::move(*Database::Open(dir.path()));
  std::vector<std::string> facts;
  for (int i = 0; i < 12000; ++i) facts.push_back("Person " + std::to_string(i) + " lives in Springfield.");
  facts.push_back("Zed Quux lives in Springfield.");   // 12001
  facts.push_back("Zed Moore lives in Shelbyville.");  // 12002
  ASSERT_TRUE(db->AddBatch(facts).ok());
  EXPECT_EQ(Ids(*db->Search("Who lives in Springfield, Quux?", 5)), std::vector<FactId>{12001});
  EXPECT_EQ(db->Search("Who lives in Springfield?", 5)->size(), 5u);  // the rarest word alone
  EXPECT_EQ(Ids(*db->SearchNames({"Zed Quux"}, 10)), std::vector<FactId>{12001});
  auto either = Ids(*db->SearchNames({"Zed Quux", "Shelbyville"}, 10));
  std::sort(either.begin(), either.end());
  EXPECT_EQ(either, (std::vector<FactId>{12001, 12002}));
  // A name held by over 1,000 facts singles nothing out and is not searched.
  EXPECT_TRUE(db->SearchNames({"Springfield"}, 10)->empty());
  EXPECT_EQ(Ids(*db->SearchNames({"Springfield", "Zed Quux"}, 10)), std::vector<FactId>{12001});
  // The limit on the facts holding a name is the caller's; a wording (lowercase words) is searched alike.
  EXPECT_EQ(Ids(*db->SearchNames({"Springfield"}, 10, std::nullopt, 12001)).size(), 10u);
  EXPECT_TRUE(db->SearchNames({"Springfield"}, 10, std::nullopt, 12000)->empty());
  EXPECT_EQ(Ids(*db->SearchWords({"lives Shelbyville"}, 10)), std::vector<FactId>{12002});
  EXPECT_EQ(Ids(*db->SearchWords({"Springfield", "lives Shelbyville"}, 10)),
            std::vector<FactId>{12002});
}

// Names are searched unranked: the facts of the rarest name first, each
// name's newest first, only facts live at the version asked about.
TEST(LexicalIndex, NameSearchTakesTheRarestNameFirstAsOfEveryVersion) {
  TempDir dir;
  auto db = std::move(*Database::Open(dir.path()));
  ASSERT_TRUE(db->AddBatch({"Ada Byron lives in Oxford.",         // 1
                            "Carl Zeiss lives in Oxford.",        // 2
                            "Oxford is a city in England.",       // 3
                            "Carl Zeiss works in Jena.",          // 4
                            "Oxford has a university."}).ok());   // 5
  const std::vector<std::string> names = {"Oxford", "Carl Zeiss"};
  auto hits = db->SearchNames(names, 10);
  ASSERT_TRUE(hits.ok()) << hits.status().message();
  EXPECT_EQ(Ids(*hits), (std::vector<FactId>{4, 2, 5, 3, 1}));
  EXPECT_DOUBLE_EQ((*hits)[0].score, 0.5);  // two facts hold "Carl Zeiss"
  EXPECT_DOUBLE_EQ((*hits)[2].score, 0.25);
  EXPECT_EQ(Ids(*db->SearchNames(names, 3)), (std::vector<FactId>{4, 2, 5}));
  EXPECT_EQ(Ids(*db->SearchNames(names, 10, 3)), (std::vector<FactId>{2, 3, 1}));
  ASSERT_TRUE(db->Delete(4).ok());
  EXPECT_EQ(Ids(*db->SearchNames(names, 10)), (std::vector<FactId>{2, 5, 3, 1}));
  EXPECT_EQ(Ids(*db->SearchNames(names, 10, 5)), (std::vector<FactId>{4, 2, 5, 3, 1}));
}

TEST(LexicalIndex, FindsTheBestFactsAsOfEveryVersion) {
  TempDir dir;
  auto db = std::move(*Database::Open(dir.path()));
  ASSERT_TRUE(db->AddBatch({"Anil Seth works at the University of Sussex.",       // 1
                            "Ada Lovelace was born in London.",                    // 2
                            "Anil Seth was born in Oxford.",                       // 3
                            "The University of Sussex is in Brighton."}).ok());    // 4
  auto hits = db->Search("Where was Anil Seth born?", 10);
  ASSERT_TRUE(hits.ok()) << hits.status().message();
  ASSERT_GE(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].id, 3u);  // shares "anil", "seth" and "born"
  for (size_t i = 1; i < hits->size(); ++i) EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score);
  // Accents and case do not matter.
  EXPECT_EQ(Ids(*db->Search("BRIGHTÓN", 10)), std::vector<FactId>{4});
  // A delete hides the fact from later versions only.
  ASSERT_TRUE(db->Delete(3).ok());  // version 5
  EXPECT_EQ(Ids(*db->Search("Oxford", 10)), std::vector<FactId>{});
  EXPECT_EQ(Ids(*db->Search("Oxford", 10, 4)), std::vector<FactId>{3});
  EXPECT_EQ(Ids(*db->Search("Oxford", 10, 2)), std::vector<FactId>{});  // not added yet
  EXPECT_TRUE(db->Search("nothing matches zyzzyva", 10)->empty());
  EXPECT_TRUE(db->Search("", 10)->empty());
  EXPECT_FALSE(db->Search("Oxford", 10, 99).ok());  // a version that does not exist
  EXPECT_EQ(db->Search("London", 1)->size(), 1u);
  EXPECT_TRUE(db->CheckIndexes(false).ok());
}

// The best matches are ranked before versions are checked: when most of them
// are deleted, or added after the version asked, the search ranks more until
// it has `limit` live facts or none are left.
TEST(LexicalIndex, RanksPastDeletedAndLaterFacts) {
  TempDir dir;
  auto db = std::move(*Database::Open(dir.path()));
  std::vector<std::string> facts;
  for (int i = 0; i < 50; ++i) facts.push_back("Fact " + std::to_string(i) + " about Avalon.");
  ASSERT_TRUE(db->AddBatch(facts).ok());  // ids 1..50, version 50
  // Better matches than any of those: "Avalon" twice in fewer words.
  std::vector<std::string> better;
  for (int i = 0; i < 300; ++i) better.push_back("Avalon, Avalon.");
  ASSERT_TRUE(db->AddBatch(better).ok());  // ids 51..350
  for (FactId id = 51; id <= 340; ++id) ASSERT_TRUE(db->Delete(id).ok());
  // Live now: 1..50 and 341..350, the latter ranked first.
  auto now = db->Search("Avalon", 20);
  ASSERT_TRUE(now.ok()) << now.status().message();
  ASSERT_EQ(now->size(), 20u);
  for (size_t i = 0; i < 10; ++i) EXPECT_GT((*now)[i].id, 340u);
  for (size_t i = 10; i < 20; ++i) EXPECT_LE((*now)[i].id, 50u);
  // As of version 50 only the first 50 facts exist.
  auto then = db->Search("Avalon", 60, 50);
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(then->size(), 50u);
  for (const auto& h : *then) EXPECT_LE(h.id, 50u);
}

// A word held by more facts than a search may rank: only the newest 10,000
// at the version asked are ranked, so an older match is found only at a
// version where it is among the newest.
TEST(LexicalIndex, RanksOnlyTheNewestMatchesOfAVeryCommonWord) {
  TempDir dir;
  auto db = std::move(*Database::Open(dir.path()));
  std::vector<std::string> facts = {"Springfield."};  // 1: the shortest match
  for (int i = 0; i < 12000; ++i) {
    facts.push_back("Person number " + std::to_string(i) + " lives somewhere in Springfield.");
  }
  ASSERT_TRUE(db->AddBatch(facts).ok());
  auto now = db->Search("Springfield", 5);
  ASSERT_TRUE(now.ok()) << now.status().message();
  ASSERT_EQ(now->size(), 5u);
  for (const auto& h : *now) EXPECT_GT(h.id, 12001u - 10000u);
  auto early = db->Search("Springfield", 5, 10);
  ASSERT_TRUE(early.ok());
  ASSERT_FALSE(early->empty());
  EXPECT_EQ((*early)[0].id, 1u);  // BM25 prefers the shortest fact among the leaders
  for (const auto& h : *early) EXPECT_LE(h.id, 10u);
}

TEST(LexicalIndex, IsBuiltForAStoreWithoutOneAndRebuiltWhenDamaged) {
  TempDir dir;
  {
    auto db = std::move(*Database::Open(dir.path()));
    ASSERT_TRUE(db->AddBatch({"Ada Lovelace was born in London.", "Alan Turing was born in Maida Vale."}).ok());
  }
  // As an nldb of schema version 1 left it: no index.
  RawSql(dir, "DROP TABLE fact_terms; PRAGMA user_version = 1;");
  {
    auto reader = std::move(*Database::Open(dir.path(), {.read_only = true}));
    EXPECT_FALSE(reader->Search("London", 10).ok());  // a reader cannot build it
  }
  {
    auto db = std::move(*Database::Open(dir.path()));  // a writer builds it
    EXPECT_EQ(Ids(*db->Search("Turing", 10)), std::vector<FactId>{2});
  }
  // Damage: the terms of fact 1 vanish from the index.
  RawSql(dir, "INSERT INTO fact_terms(fact_terms, rowid, text) VALUES('delete', 1, "
              "'Ada Lovelace was born in London.');");
  auto db = std::move(*Database::Open(dir.path()));
  EXPECT_TRUE(db->Search("Lovelace", 10)->empty());
  EXPECT_EQ(db->CheckIndexes(false).code(), Status::Code::kCorruption);
  ASSERT_TRUE(db->CheckIndexes(true).ok());
  EXPECT_EQ(Ids(*db->Search("Lovelace", 10)), std::vector<FactId>{1});
}

// The names a fact holds: runs of capitalised words, numbers and words
// opening with a letter outside ASCII, joined by a space, " of " or an
// initial's ". ", as the support-set generator reads them; the run without
// a first word of the sentence; whole numbers.
TEST(NameIndex, KeysAreTheNamesTheSupportSetGeneratorReads) {
  using index::NameIndex;
  EXPECT_EQ(NameIndex::Keys("Among the alumni of University of Belton is Mohammed A. Muñoz, of Lagos."),
            (std::vector<std::string>{"Among", "Lagos", "Mohammed A Muñoz", "University of Belton"}));
  EXPECT_EQ(NameIndex::Keys("Among Pelldorf's voters are 5,551,039 people."),
            (std::vector<std::string>{"039", "5", "5,551,039", "551", "Among Pelldorf", "Pelldorf"}));
  // "The" and "A" (without an initial's dot) end a name; "of" joins two.
  EXPECT_EQ(NameIndex::Keys("Bank of The West sold A Tale of Two Cities in 1950."),
            (std::vector<std::string>{"1950", "Bank", "Tale of Two Cities", "West"}));
  EXPECT_TRUE(NameIndex::Keys("no names here.").empty());
}

// A name is found where a fact holds it whole, not within a longer name nor
// with its words apart; SearchWords finds words anywhere.
TEST(NameIndex, FindsFactsHoldingANameWhole) {
  TempDir dir;
  auto db = std::move(*Database::Open(dir.path()));
  ASSERT_TRUE(db->AddBatch({"In Fort Pelldorf, 577 people may cast a vote.",           // 1
                            "Zed lives near Quux.",                                     // 2
                            "Zed Quux was born in Pelldorf.",                           // 3
                            "Ana C. Ruiz studied at University of Belton.",             // 4
                            "Pelldorf has 2,046 voters."}).ok());                       // 5
  EXPECT_EQ(Ids(*db->SearchNames({"Pelldorf"}, 10)), (std::vector<FactId>{5, 3}));
  EXPECT_EQ(Ids(*db->SearchNames({"Fort Pelldorf"}, 10)), std::vector<FactId>{1});
  EXPECT_EQ(Ids(*db->SearchNames({"Zed Quux"}, 10)), std::vector<FactId>{3});
  EXPECT_EQ(Ids(*db->SearchWords({"Zed Quux"}, 10)), (std::vector<FactId>{3, 2}));
  EXPECT_EQ(Ids(*db->SearchNames({"Ana C Ruiz", "2,046"}, 10)), (std::vector<FactId>{4, 5}));
  EXPECT_TRUE(db->SearchNames({"Belton", "Ruiz studied"}, 10)->empty());
  // Versions: as of version 4, fact 5 is not there yet; deleted, it is gone.
  EXPECT_EQ(Ids(*db->SearchNames({"Pelldorf"}, 10, 4)), std::vector<FactId>{3});
  ASSERT_TRUE(db->Delete(5).ok());
  EXPECT_EQ(Ids(*db->SearchNames({"Pelldorf"}, 10)), std::vector<FactId>{3});
  EXPECT_EQ(Ids(*db->SearchNames({"Pelldorf"}, 10, 5)), (std::vector<FactId>{5, 3}));
  ASSERT_TRUE(db->CheckIndexes(false).ok());
}

// A store of schema version 2 has no names index: a reader searches names
// word by word, a writer builds the index; damage is found and repaired.
TEST(NameIndex, IsBuiltForAStoreWithoutOneAndRebuiltWhenDamaged) {
  TempDir dir;
  {
    auto db = std::move(*Database::Open(dir.path()));
    ASSERT_TRUE(db->AddBatch({"Ada Lovelace was born in London.", "Alan Turing was born in Maida Vale."}).ok());
  }
  RawSql(dir, "DROP TABLE fact_names; PRAGMA user_version = 2;");
  {
    auto reader = std::move(*Database::Open(dir.path(), {.read_only = true}));
    EXPECT_EQ(Ids(*reader->SearchNames({"Maida Vale"}, 10)), std::vector<FactId>{2});
  }
  {
    auto db = std::move(*Database::Open(dir.path()));  // a writer builds it
    EXPECT_TRUE(db->CheckIndexes(false).ok());
  }
  EXPECT_EQ(RawSqlInt(dir, "SELECT count(*) FROM fact_names WHERE name = 'Maida Vale'"), 1);
  RawSql(dir, "DELETE FROM fact_names WHERE id = 1;");
  auto db = std::move(*Database::Open(dir.path()));
  EXPECT_TRUE(db->SearchNames({"Ada Lovelace"}, 10)->empty());
  EXPECT_EQ(db->CheckIndexes(false).code(), Status::Code::kCorruption);
  ASSERT_TRUE(db->CheckIndexes(true).ok());
  EXPECT_EQ(Ids(*db->SearchNames({"Ada Lovelace"}, 10)), std::vector<FactId>{1});
}

}  // namespace
}  // namespace nldb
