// The question-answering pipeline (query::Engine): support sets retrieved as
// of the version asked, read in one batch, aggregated; bad questions refused.
// The reader here is a small pattern reader for two phrasings, so that the
// tests check the pipeline (retrieval, versions, deletes, aggregation) and not
// the neural reader, which reader_test and `nldb eval` measure.
#include <gtest/gtest.h>

#include <random>
#include <regex>

#include "gen/generator.h"
#include "index/name_index.h"
#include "model/examples.h"
#include "model/model_dir.h"
#include "query/engine.h"
#include "ssg/train_ssg.h"
#include "storage/temp_store.h"
#include "test_util.h"
#include "text/word_vectors.h"

namespace nldb {
namespace {

// Reads "S was born in P." for "Who was born in P?" (set) and "How many
// people were born in P?" (count); NULL for anything else.
class PatternReader final : public spj::SpjOperator {
 public:
  std::vector<spj::SpjOutput> Run(const std::string& question,
                                   const std::vector<std::vector<std::string>>& sets) override {
    static const std::regex who("Who was born in (.+)\\?"), how_many("How many people were born in (.+)\\?");
    static const std::regex fact("(.+) was born in (.+)\\.");
    std::smatch m;
    std::string type = "set", place;
    if (std::regex_match(question, m, who)) {
      place = m[1];
    } else if (std::regex_match(question, m, how_many)) {
      type = "count";
      place = m[1];
    }
    std::vector<spj::SpjOutput> out;
    for (const auto& set : sets) {
      std::string answer;
      for (const auto& f : set) {
        std::smatch fm;
        if (!place.empty() && std::regex_match(f, fm, fact) && fm[2] == place) answer = fm[1];
      }
      out.push_back({type, answer});
    }
    ++batches;
    sets_read += sets.size();
    return out;
  }
  spj::SetsToRead Reads() const override { return read; }
  int batches = 0;
  size_t sets_read = 0;
  spj::SetsToRead read{0, 2};  // not the default, so the test sees the reader's own
};

class AskTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto v = text::WordVectors::Load(text::DefaultWordVectorsPath());
    ASSERT_TRUE(v.ok()) << v.status().message();
    vectors_ = v->release();
    // A scorer fitted in a few seconds on a few generated databases.
    ssg::SsgTrainOptions o;
    o.out_dir = dir_.path();
    o.dbs = 12;
    o.dev_dbs = 4;
    o.epochs = 10;
    auto r = ssg::TrainSsg(o);
    ASSERT_TRUE(r.ok()) << r.status().message();
    auto loaded = ssg::SupportSetGenerator::Load(dir_.path(), *vectors_);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    ssg_ = loaded->release();
  }
  // One generated database of 10,000 facts (train wording), above the
  // exhaustive size: its joins are what the indexes alone miss.
  static eval::DatabaseRecord TenThousandFacts() {
    gen::GenOptions o;
    o.facts = 10000;
    o.seed = 9;
    auto g = gen::Generator::Create(o);
    EXPECT_TRUE(g.ok());
    return (*g)->Generate(0);
  }
  // The join sets (two facts or more) of `rec`'s questions that the shipped
  // generator with `options` finds exactly, for a reader reading `read`;
  // `joins` gets how many there are.
  int JoinsFound(const eval::DatabaseRecord& rec, Database& db, const ssg::SsgOptions& options,
                 const spj::SetsToRead& read, int* joins) {
    auto shipped = ssg::SupportSetGenerator::Load(model::DefaultModelDir("ssg"), *vectors_, options);
    EXPECT_TRUE(shipped.ok()) << shipped.status().message();
    int found = 0;
    *joins = 0;
    for (const auto& q : rec.queries) {
      auto sets = (*shipped)->Generate(db, q.query, q.Sees(rec.facts.size()), nullptr, read);
      EXPECT_TRUE(sets.ok()) << sets.status().message();
      for (const auto& s : q.facts) {
        if (s.size() < 2) continue;
        std::vector<FactId> gold;
        for (uint32_t f : s) gold.push_back(f + 1);
        ++*joins;
        found += ssg::SupportRecall({gold}, *sets, /*exact=*/true) == 1.0;
      }
    }
    return found;
  }
  static inline text::WordVectors* vectors_ = nullptr;
  static inline ssg::SupportSetGenerator* ssg_ = nullptr;
  static inline testing::TempDir dir_;
};

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_F(AskTest, AnswersFollowVersionsAndDeletes) {
  auto store = storage::TempStore::Create({
      "Ada Okafor was born in Lagos.",           // 1
      "Ada Okafor works for Northwind Logistics.",  // 2
      "Bruno Diaz was born in Lagos.",           // 3
      "Chen Wei was born in Kraków.",            // 4
  });
  ASSERT_TRUE(store.ok());
  Database& db = (*store)->db();
  PatternReader reader;
  query::Engine engine(db, *ssg_, reader);

  auto r = engine.Ask("Who was born in Lagos?");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->type, "set");
  EXPECT_EQ(Sorted(r->answer), (std::vector<std::string>{"Ada Okafor", "Bruno Diaz"}));
  ASSERT_EQ(r->support.size(), 2u);
  for (size_t i = 0; i < r->answer.size(); ++i) {
    EXPECT_EQ(r->support[i], std::vector<FactId>{r->answer[i] == "Ada Okafor" ? 1u : 3u});
  }
  EXPECT_EQ(reader.batches, 1);  // every support set in one pass
  EXPECT_EQ(engine.Ask("How many people were born in Lagos?")->answer, std::vector<std::string>{"2"});

  ASSERT_TRUE(db.Add("Dina Haddad was born in Lagos.").ok());  // version 5
  ASSERT_TRUE(db.Delete(1).ok());                              // version 6
  EXPECT_EQ(Sorted(engine.Ask("Who was born in Lagos?")->answer),
            (std::vector<std::string>{"Bruno Diaz", "Dina Haddad"}));
  EXPECT_EQ(Sorted(engine.Ask("Who was born in Lagos?", 4)->answer),
            (std::vector<std::string>{"Ada Okafor", "Bruno Diaz"}));
  EXPECT_EQ(engine.Ask("How many people were born in Lagos?", 5)->answer,
            std::vector<std::string>{"3"});
  EXPECT_EQ(engine.Ask("Who was born in Lagos?", 2)->answer, std::vector<std::string>{"Ada Okafor"});
  EXPECT_FALSE(engine.Ask("Who was born in Lagos?", 7).ok());  // no such version yet

  // The plan, top first, with rows in and out.
  auto explained = engine.Ask("Who was born in Kraków?");
  ASSERT_TRUE(explained.ok());
  ASSERT_EQ(explained->plan.size(), 4u);
  EXPECT_EQ(explained->plan[0].name, "AGGREGATE");
  EXPECT_EQ(explained->plan[3].name, "INDEX_SEARCH");
  EXPECT_EQ(explained->plan[0].rows_out, 1u);
  const std::string text = query::Explain(*explained);
  EXPECT_NE(text.find("└─ NEURAL_SPJ"), std::string::npos) << text;
}

// Sets the support-set generator scored below the reader's minimum score are
// never read, except the best few (spj::SetsToRead::at_least).
TEST_F(AskTest, SetsBelowTheReadersMinimumScoreAreNotReadButTheBestFew) {
  const std::vector<std::string> born_in_lagos = {"Ada Okafor", "Bruno Diaz", "Ewa Nowak",
                                                  "Femi Bello", "Gita Rao"};
  std::vector<std::string> facts;
  for (const auto& name : born_in_lagos) facts.push_back(name + " was born in Lagos.");
  facts.push_back("Chen Wei was born in Kraków.");
  auto store = storage::TempStore::Create(facts);
  ASSERT_TRUE(store.ok());
  PatternReader reader;
  query::Engine engine((*store)->db(), *ssg_, reader);
  auto all = engine.Ask("Who was born in Lagos?");
  ASSERT_TRUE(all.ok());
  const auto& sets = all->plan[2];
  ASSERT_EQ(sets.name, "SUPPORT_SETS");
  EXPECT_GE(sets.rows_out, born_in_lagos.size());
  EXPECT_EQ(reader.sets_read, sets.rows_out);
  EXPECT_EQ(Sorted(all->answer), born_in_lagos);

  reader.read.min_score = 1.01f;  // above every probability: only the best few are read
  reader.sets_read = 0;
  const size_t few = reader.read.at_least;
  ASSERT_GT(few, 0u);
  ASSERT_LT(few, born_in_lagos.size());
  auto best = engine.Ask("Who was born in Lagos?");
  ASSERT_TRUE(best.ok());
  EXPECT_EQ(best->plan[2].rows_out, few);
  EXPECT_NE(best->plan[2].detail.find(std::to_string(sets.rows_out - few) + " sets scored below"),
            std::string::npos) << best->plan[2].detail;
  EXPECT_NE(best->plan[2].detail.find("the best " + std::to_string(few) + " read"), std::string::npos)
      << best->plan[2].detail;
  EXPECT_EQ(reader.sets_read, few);
  EXPECT_EQ(best->answer.size(), few);  // the best sets are Lagos facts
}

TEST_F(AskTest, BadQuestionsGetAClearErrorOrAnEmptyAnswer) {
  auto store = storage::TempStore::Create({"Ada Okafor was born in Lagos."});
  ASSERT_TRUE(store.ok());
  PatternReader reader;
  query::Engine engine((*store)->db(), *ssg_, reader);
  for (const std::string& bad : {std::string(""), std::string("   \n"), std::string(100 * 1024, 'a'),
                                 std::string("Who was born in \xff\xfe?"), std::string("a\0b", 3)}) {
    auto r = engine.Ask(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << r.status().message();
  }
  auto nothing = engine.Ask("Who was born in Atlantis?");
  ASSERT_TRUE(nothing.ok()) << nothing.status().message();
  EXPECT_TRUE(nothing->answer.empty());
  auto empty_store = storage::TempStore::Create({});
  ASSERT_TRUE(empty_store.ok());
  query::Engine on_empty((*empty_store)->db(), *ssg_, reader);
  auto none = on_empty.Ask("Who was born in Lagos?");
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_TRUE(none->answer.empty());
}

// Fuzz: any bytes asked, at any version, get an InvalidArgument sentence or
// an answer backed only by facts live at that version, and leave the store
// as it was.
TEST_F(AskTest, AnyQuestionGetsAnErrorOrAnAnswerBackedByLiveFacts) {
  auto store = storage::TempStore::Create({"Ada Okafor was born in Lagos.",     // 1
                                           "Bruno Diaz was born in Lagos.",     // 2
                                           "Chen Wei was born in Kraków.",      // 3
                                           "Ada Okafor works for Northwind."}); // 4
  ASSERT_TRUE(store.ok());
  Database& db = (*store)->db();
  ASSERT_TRUE(db.Delete(2).ok());  // version 5
  const auto before = db.GetStats();
  ASSERT_TRUE(before.ok());
  PatternReader reader;
  query::Engine engine(db, *ssg_, reader);
  const std::vector<std::string> questions = {"Who was born in Lagos?", "How many people were born in Kraków?",
                                              "Where does Ada Okafor work?"};
  const std::vector<std::string> pieces = {"Lagos", "Kraków", "?", "[SEP]", " ", "\xff", "é",
                                           std::string(1, '\0'), std::string(5000, 'x')};
  std::mt19937_64 rng(6);
  int answered = 0;
  for (int i = 0; i < 300; ++i) {
    const std::string& asked = questions[rng() % questions.size()];
    const std::string q = rng() % 4 ? testing::Mutate(asked, pieces, rng) : asked;
    const Version as_of = 1 + rng() % 5;
    auto r = engine.Ask(q, as_of);
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << r.status().message();
      EXPECT_FALSE(r.status().message().empty());
      continue;
    }
    answered += !r->answer.empty();
    ASSERT_EQ(r->answer.size(), r->support.size());
    for (const auto& ids : r->support) {
      for (FactId id : ids) {
        EXPECT_LE(id, as_of) << "fact " << id << " is newer than version " << as_of;
        EXPECT_FALSE(id == 2 && as_of == 5) << "a deleted fact backs an answer";
      }
    }
  }
  EXPECT_GT(answered, 0);
  const auto after = db.GetStats();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->live_facts, before->live_facts);
  EXPECT_EQ(after->deleted_facts, before->deleted_facts);
  EXPECT_EQ(after->version, before->version);
}

// The shipped support-set model (models/ssg) on unseen databases of the
// training wording: most gold sets found exactly, joins grown.
TEST_F(AskTest, ShippedGeneratorFindsMostGoldSupportSets) {
  auto shipped = ssg::SupportSetGenerator::Load(model::DefaultModelDir("ssg"), *vectors_);
  ASSERT_TRUE(shipped.ok()) << shipped.status().message();
  gen::GenOptions o;
  o.facts = 200;
  o.seed = 9;
  auto g = gen::Generator::Create(o);
  ASSERT_TRUE(g.ok());
  double recall = 0;
  int n = 0, joins_found = 0, joins = 0;
  for (uint64_t d = 0; d < 3; ++d) {
    const auto rec = (*g)->Generate(d);
    auto store = storage::TempStore::Create(rec.facts);
    ASSERT_TRUE(store.ok());
    for (const auto& q : rec.queries) {
      auto sets = (*shipped)->Generate((*store)->db(), q.query,
                                       q.Sees(rec.facts.size()));
      ASSERT_TRUE(sets.ok()) << sets.status().message();
      std::vector<std::vector<FactId>> gold;
      for (const auto& s : q.facts) {
        gold.emplace_back();
        for (uint32_t f : s) gold.back().push_back(f + 1);
        if (s.size() > 1) {
          ++joins;
          joins_found += ssg::SupportRecall({gold.back()}, *sets, /*exact=*/true) == 1.0;
        }
      }
      recall += ssg::SupportRecall(gold, *sets, /*exact=*/true);
      ++n;
    }
  }
  EXPECT_GT(recall / n, 0.9);
  ASSERT_GT(joins, 0);
  EXPECT_GT(joins_found, 0);  // multi-fact sets are grown, not only single facts
}

// Above SsgOptions::exhaustive_below the candidates are what the indexes find
// for the question; a join's other fact ("Kaito Svoboda's birth date is ...")
// is found beside the seeds, and the set closes back on its seed.
TEST_F(AskTest, JoinsAboveTheExhaustiveSizeAreFoundBesideTheSeeds) {
  const auto rec = TenThousandFacts();
  auto store = storage::TempStore::Create(rec.facts);
  ASSERT_TRUE(store.ok());
  ASSERT_GE(rec.facts.size(), ssg::SsgOptions{}.exhaustive_below);
  // Joins found exactly with `neighbour_seeds`.
  auto joins_found = [&](size_t neighbour_seeds, int* joins) {
    ssg::SsgOptions options;
    options.neighbour_seeds = neighbour_seeds;
    options.partners = false;  // which find most of the same sets
    return JoinsFound(rec, (*store)->db(), options, {}, joins);
  };
  int joins = 0;
  const int without = joins_found(0, &joins);
  const int with = joins_found(ssg::SsgOptions{}.neighbour_seeds, &joins);
  ASSERT_GT(joins, 0);
  EXPECT_GT(with, without) << joins << " join sets";
}

// A question that names nothing is about a whole relation; above
// SsgOptions::exhaustive_below the indexes find only some of its facts, and
// the facts worded as the best seeds are searched for too (held-out wording,
// which the scorer was not trained on).
TEST_F(AskTest, AQuestionOverAWholeRelationFindsTheFactsWordedAsItsSeeds) {
  gen::GenOptions o;
  o.facts = 10000;
  o.seed = 21;
  o.templates = gen::Split::kHeldout;
  o.entities = gen::Split::kHeldout;
  auto g = gen::Generator::Create(o);
  ASSERT_TRUE(g.ok());
  // The shipped generator without and with `wordings` searched.
  std::vector<std::pair<size_t, std::unique_ptr<ssg::SupportSetGenerator>>> generators;
  for (size_t wordings : {size_t{0}, ssg::SsgOptions{}.wordings}) {
    ssg::SsgOptions options;
    options.expand = wordings > 0;
    options.wordings = wordings;
    auto shipped = ssg::SupportSetGenerator::Load(model::DefaultModelDir("ssg"), *vectors_, options);
    ASSERT_TRUE(shipped.ok()) << shipped.status().message();
    generators.emplace_back(wordings, std::move(*shipped));
  }
  // Gold sets of the questions that name nothing, and how many of them the
  // generator finds with `wordings` searched.
  int gold = 0, without = 0, with = 0;
  for (uint64_t d = 0; d < 4; ++d) {
    const auto rec = (*g)->Generate(d);
    ASSERT_GE(rec.facts.size(), ssg::SsgOptions{}.exhaustive_below);
    auto store = storage::TempStore::Create(rec.facts, model::DefaultModelDir("encoder"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    for (auto& [wordings, shipped] : generators) {
      for (const auto& q : rec.queries) {
        if (!shipped->featurizer().Analyze(q.query).names.empty()) continue;
        ssg::SsgStats stats;
        auto sets = shipped->Generate((*store)->db(), q.query, q.Sees(rec.facts.size()), &stats);
        ASSERT_TRUE(sets.ok()) << sets.status().message();
        if (wordings == 0) EXPECT_EQ(stats.worded, 0u);
        // Not for a reader that reads only sets scored above the seed threshold.
        ssg::SsgStats reader_stats;
        ASSERT_TRUE(shipped->Generate((*store)->db(), q.query, q.Sees(rec.facts.size()),
                                         &reader_stats, spj::SetsToRead{0.5f, 16}).ok());
        EXPECT_EQ(reader_stats.worded, 0u);
        for (const auto& s : q.facts) {
          std::vector<FactId> ids;
          for (uint32_t f : s) ids.push_back(f + 1);
          const bool found = ssg::SupportRecall({ids}, *sets, /*exact=*/false) == 1.0;
          gold += wordings == 0;
          (wordings == 0 ? without : with) += found;
        }
      }
    }
  }
  ASSERT_GT(gold, 0);
  EXPECT_GT(with, without) << gold << " gold sets";
}

// A question that names something, in a store where the indexes rank only
// some of the facts holding its names: the facts holding them are candidates
// too, for a reader that reads every set.
TEST_F(AskTest, AQuestionsNamesFindTheirFactsWhereTheIndexesRankOnlySome) {
  std::vector<std::string> facts;
  for (int i = 0; i < 30; ++i) facts.push_back("Paraguay contains Place" + std::to_string(i) + ".");
  for (int i = 0; i < 30; ++i) facts.push_back("Person" + std::to_string(i) + " Okafor was born in Lagos.");
  auto store = storage::TempStore::Create(facts);
  ASSERT_TRUE(store.ok());
  const std::string question = "Which places are located in Paraguay?";
  auto sets_holding_paraguay = [&](bool expand, ssg::SsgStats* stats, spj::SetsToRead read) {
    ssg::SsgOptions options;
    options.exhaustive_below = 10;  // so that only `candidates` come from the lexical index
    options.candidates = 3;
    options.similar = 0;
    options.expand = expand;
    auto generator = ssg::SupportSetGenerator::Load(dir_.path(), *vectors_, options);
    EXPECT_TRUE(generator.ok()) << generator.status().message();
    auto sets = (*generator)->Generate((*store)->db(), question, facts.size(), stats, read);
    EXPECT_TRUE(sets.ok()) << sets.status().message();
    size_t n = 0;
    for (const auto& s : *sets) {
      for (const auto& t : s.texts) n += t.rfind("Paraguay", 0) == 0;
    }
    return n;
  };
  ssg::SsgStats with_stats, without_stats, reader_stats;
  const size_t without = sets_holding_paraguay(false, &without_stats, {});
  const size_t with = sets_holding_paraguay(true, &with_stats, {});
  EXPECT_LE(without, 3u);
  EXPECT_GT(with, without);
  EXPECT_GT(with_stats.named, 0u);
  EXPECT_EQ(without_stats.named, 0u);
  sets_holding_paraguay(true, &reader_stats, spj::SetsToRead{0.5f, 16});
  EXPECT_EQ(reader_stats.named, 0u);
}

// A fact's wording is its words but names and function words, as written.
TEST_F(AskTest, AnalysisKeepsAFactsWordingWithoutItsNames) {
  const ssg::Featurizer f(*vectors_);
  EXPECT_EQ(f.Analyze("Acme Holdings dates back to its founding in 1901.").wording,
            (std::vector<std::string>{"dates", "back", "founding"}));
  EXPECT_EQ(f.Analyze("Sem Sandoval's stature is 1.63 m.").wording,
            (std::vector<std::string>{"stature", "m"}));
}

// The generator never builds more sets than the reader reads.
TEST_F(AskTest, TheGeneratorBuildsNoMoreSetsThanTheReaderReads) {
  std::vector<std::string> facts;
  for (int i = 0; i < 40; ++i) facts.push_back("Person" + std::to_string(i) + " Okafor was born in Lagos.");
  auto store = storage::TempStore::Create(facts);
  ASSERT_TRUE(store.ok());
  auto all = ssg_->Generate((*store)->db(), "Who was born in Lagos?", facts.size());
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_GT(all->size(), 5u);
  spj::SetsToRead read;
  read.at_most = 5;
  auto few = ssg_->Generate((*store)->db(), "Who was born in Lagos?", facts.size(), nullptr, read);
  ASSERT_TRUE(few.ok()) << few.status().message();
  ASSERT_EQ(few->size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ((*few)[i].facts, (*all)[i].facts);
}

// Entities: runs of names with " of " and initials inside, cut at punctuation.
TEST_F(AskTest, AnalysisFindsWholeEntities) {
  const ssg::Featurizer f(*vectors_);
  const auto a =
      f.Analyze("Among the alumni of University of Belton is Mohammed A. Muñoz, of Lagos.");
  EXPECT_EQ(a.entities,
            (std::vector<std::string>{"University of Belton", "Mohammed A Muñoz", "Lagos"}));
  // A dash above ASCII is punctuation, not part of a name.
  EXPECT_EQ(f.Analyze("Michael Jackson released Thriller \u2014 his sixth album.").entities,
            (std::vector<std::string>{"Michael Jackson", "Thriller"}));
}

// The names index holds every name the support-set generator reads in a
// fact, so a neighbour search finds every fact holding a shared name, on
// both wordings and both entity splits of generated data.
TEST_F(AskTest, TheNamesIndexHoldsEveryEntityTheGeneratorReads) {
  const ssg::Featurizer f(*vectors_);
  size_t entities = 0;
  for (gen::Split split : {gen::Split::kTrain, gen::Split::kHeldout}) {
    gen::GenOptions o;
    o.facts = 1000;
    o.seed = 5;
    o.templates = split;
    o.entities = split;
    auto g = gen::Generator::Create(o);
    ASSERT_TRUE(g.ok());
    for (const std::string& fact : (*g)->Generate(0).facts) {
      const auto keys = index::NameIndex::Keys(fact);
      for (const std::string& e : f.Analyze(fact).entities) {
        ++entities;
        EXPECT_TRUE(std::binary_search(keys.begin(), keys.end(), e)) << e << " in " << fact;
      }
    }
  }
  EXPECT_GT(entities, 3000u);
}

// A name is whole where no capitalised word (or "of" and one) lengthens it.
TEST_F(AskTest, ANameIsHeldWholeOrOnlyWithinALongerName) {
  const ssg::Featurizer f(*vectors_);
  using ssg::NameHeld;
  EXPECT_EQ(f.Holds("In Fort Pelldorf, 577 people may cast a vote.", "Pelldorf"), NameHeld::kWithinLonger);
  EXPECT_EQ(f.Holds("In Pelldorf III, 2,143 people may cast a vote.", "Pelldorf"), NameHeld::kWithinLonger);
  EXPECT_EQ(f.Holds("In Pelldorf, 2,046 people may cast a vote.", "Pelldorf"), NameHeld::kWhole);
  EXPECT_EQ(f.Holds("Pelldorf's mayor is Ana Ruiz.", "Pelldorf"), NameHeld::kWhole);
  EXPECT_EQ(f.Holds("Kim Lee was born in Lagos.", "Pelldorf"), NameHeld::kAbsent);
  EXPECT_EQ(f.Holds("Yewley Brewing Company dates back to its founding in 1947.", "Yewley"),
            NameHeld::kWithinLonger);
  EXPECT_EQ(f.Holds("Yewley Brewing Company's head office is in Yewley.", "Yewley"), NameHeld::kWhole);
  const std::string alumni = "Among the alumni of University of Belton is Mohammed A. Muñoz.";
  EXPECT_EQ(f.Holds(alumni, "Belton"), NameHeld::kWithinLonger);
  EXPECT_EQ(f.Holds(alumni, "University of Belton"), NameHeld::kWhole);
  EXPECT_EQ(f.Holds(alumni, "Mohammed A Muñoz"), NameHeld::kWhole);
  EXPECT_EQ(f.Holds(alumni, "Muñoz"), NameHeld::kWithinLonger);
  // A capitalised common word opening a sentence is not part of a name, and
  // a name of one common word may be no name.
  EXPECT_EQ(f.Holds("Among Pelldorf's voters is Ana Ruiz.", "Pelldorf"), NameHeld::kWhole);
  EXPECT_EQ(f.Holds("She is an Australian Business executive.", "Business"), NameHeld::kWhole);
  EXPECT_EQ(f.Holds("Minnesota Brewing Company was set up in 1947.", "Minnesota"), NameHeld::kWhole);
  // A number is a whole word.
  EXPECT_EQ(f.Holds("With a population of 5,551,039, Mount Pellstad is a place.", "5,551,039"),
            NameHeld::kWhole);
  EXPECT_EQ(f.Holds("Drayhausen's electorate consists of 551 voters.", "5,551,039"), NameHeld::kAbsent);
}

// A fact that holds a name of the question only within a longer one is about
// something else ("Fort Pelldorf" for "Pelldorf") and is in no set.
TEST_F(AskTest, FactsAboutALongerNameAreInNoSet) {
  const std::vector<std::string> facts = {
      "In Pelldorf, 2,046 people may cast a vote.", "In Fort Pelldorf, 577 people may cast a vote.",
      "Ober Pelldorf's electorate consists of 3388 voters.", "In Pelldorf III, 2,143 people may cast a vote."};
  auto store = storage::TempStore::Create(facts);
  ASSERT_TRUE(store.ok());
  ssg::SsgStats stats;
  auto sets = ssg_->Generate((*store)->db(), "What is the number of voters in Pelldorf?", facts.size(), &stats);
  ASSERT_TRUE(sets.ok()) << sets.status().message();
  ASSERT_FALSE(sets->empty());
  for (const auto& s : *sets) EXPECT_EQ(s.facts, std::vector<FactId>{1}) << s.texts[0];
  EXPECT_EQ(stats.other_names, 3u);
}

// Above SsgOptions::exhaustive_below a join's value fact is rarely a
// candidate; a seed holding the question's name that tries to grow gets its
// partner, as that fact would seed a set and grow back to it in a small
// store. With the built-in reader's minimum set score, so no candidates are
// found beside the seeds.
TEST_F(AskTest, JoinsAboveTheExhaustiveSizeAreFoundFromTheirPartners) {
  const auto rec = TenThousandFacts();
  auto store = storage::TempStore::Create(rec.facts);
  ASSERT_TRUE(store.ok());
  auto joins_found = [&](bool partners, int* joins) {
    ssg::SsgOptions options;
    options.partners = partners;
    return JoinsFound(rec, (*store)->db(), options, spj::SetsToRead{0.5f, 16}, joins);
  };
  int joins = 0;
  const int without = joins_found(false, &joins);
  const int with = joins_found(true, &joins);
  ASSERT_GT(joins, 0);
  EXPECT_GT(with, without) << joins << " join sets";
}

// A unit abbreviation reads as the word it stands for: "1.45 m" is a length
// as much as "1.45 metres" is.
TEST_F(AskTest, AnalysisSpellsOutUnitAbbreviations) {
  const ssg::Featurizer f(*vectors_);
  const auto short_form = f.Analyze("Sem Sandoval's stature is 1.63 m.");
  const auto long_form = f.Analyze("Sem Sandoval's stature is 1.63 metres.");
  EXPECT_EQ(short_form.stems, long_form.stems);
  EXPECT_EQ(short_form.words, long_form.words);
  EXPECT_TRUE(short_form.stems.count("metre"));
}

// Reader examples from the generator's own sets: a NULL one holds no gold
// set of its question, an answering one holds the gold set of its derivation.
TEST_F(AskTest, RetrievedExamplesAreLabelledByTheGoldSetsTheyHold) {
  auto shipped = ssg::SupportSetGenerator::Load(model::DefaultModelDir("ssg"), *vectors_);
  ASSERT_TRUE(shipped.ok()) << shipped.status().message();
  gen::GenOptions o;
  o.facts = 60;
  auto g = gen::Generator::Create(o);
  ASSERT_TRUE(g.ok());
  const auto db = (*g)->Generate(0);
  model::ExampleOptions with, without;
  with.ssg = shipped->get();
  with.retrieved = 6;
  with.negatives = without.negatives = 0;
  with.distractor_rate = without.distractor_rate = 0;
  std::mt19937_64 rng_a(1), rng_b(1);
  auto more = model::ExamplesFromDatabase(db, with, rng_a);
  auto base = model::ExamplesFromDatabase(db, without, rng_b);
  ASSERT_TRUE(more.ok() && base.ok()) << more.status().message();
  ASSERT_GT(more->size(), base->size() + db.queries.size());
  auto holds = [&](const std::vector<std::string>& facts, const std::vector<uint32_t>& gold) {
    return std::all_of(gold.begin(), gold.end(), [&](uint32_t f) {
      return std::find(facts.begin(), facts.end(), db.facts[f]) != facts.end();
    });
  };
  int nulls = 0;
  for (size_t i = base->size(); i < more->size(); ++i) {
    const auto& e = (*more)[i];
    const eval::Query* q = nullptr;
    for (const auto& c : db.queries) {
      if (c.query == e.question) q = &c;
    }
    ASSERT_NE(q, nullptr);
    bool held = false, derivation_held = false;
    for (size_t k = 0; k < q->facts.size(); ++k) {
      held |= holds(e.facts, q->facts[k]);
      derivation_held |= holds(e.facts, q->facts[k]) && q->derivations[k] == e.derivation;
    }
    if (e.derivation.empty()) {
      ++nulls;
      EXPECT_FALSE(held) << e.question;
    } else {
      EXPECT_TRUE(derivation_held) << e.question;
    }
  }
  EXPECT_GT(nulls, 0);
}

}  // namespace
}  // namespace nldb
