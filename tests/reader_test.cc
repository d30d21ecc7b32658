// The reader end to end, at toy size: trained in seconds, saved, loaded
// through the SPJ interface, and reading support sets into well-formed
// intermediate answers copied from the facts.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "gen/generator.h"
#include "model/train_reader.h"
#include "spj/spj.h"
#include "test_util.h"
#include "text/word_vectors.h"

namespace nldb {
namespace {

TEST(Reader, TrainsSavesLoadsAndReads) {
  if (!text::WordVectors::Load(text::DefaultWordVectorsPath()).ok()) {
    GTEST_SKIP() << "no word vectors: run scripts/install-glove";
  }
  testing::TempDir dir;
  model::TrainOptions o;
  o.out_dir = dir / "reader";
  o.steps = 300;
  o.dbs = 40;
  o.vocab = 800;
  o.config = {.dim = 48, .layers = 1, .heads = 2, .ff = 96, .max_len = 96};
  auto report = model::TrainReader(o);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->steps, 300);
  EXPECT_GT(report->examples, 1000);
  // Better than always answering the commonest kind (about half the sets).
  EXPECT_GT(report->dev_kind_accuracy, 0.55);

  auto spj = spj::OpenModelSpj(o.out_dir);
  ASSERT_TRUE(spj.ok()) << spj.status().message();
  gen::GenOptions g;
  g.templates = g.entities = gen::Split::kHeldout;
  auto db = (*gen::Generator::Create(g))->Generate(0);
  int read = 0;
  for (const auto& q : db.queries) {
    std::vector<std::vector<std::string>> sets;
    for (const auto& s : q.facts) {
      sets.emplace_back();
      for (uint32_t f : s) sets.back().push_back(db.facts[f]);
    }
    const auto out = (*spj)->Run(q.query, sets);
    ASSERT_EQ(out.size(), sets.size());
    for (size_t i = 0; i < out.size(); ++i) {
      ++read;
      const std::string& a = out[i].answer;
      if (a.empty() || a == "TRUE" || a == "FALSE") continue;
      std::string facts;
      for (const auto& f : sets[i]) facts += f + "\n";
      for (size_t at = 0, cut; at <= a.size(); at = cut + 7) {
        cut = a.find(" [SEP] ", at);
        if (cut == std::string::npos) cut = a.size();
        EXPECT_NE(facts.find(a.substr(at, cut - at)), std::string::npos)
            << "\"" << a << "\" is not copied from:\n" << facts;
      }
    }
  }
  EXPECT_GT(read, 10);
  // A missing model is one clear error.
  EXPECT_EQ(spj::OpenModelSpj(dir / "none").status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace nldb
