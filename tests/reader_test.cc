// The reader end to end, at toy size: trained in seconds, saved, loaded
// through the SPJ interface, and reading support sets into well-formed
// intermediate answers copied from the facts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "gen/generator.h"
#include "model/blend.h"
#include "model/calibrate.h"
#include "model/features.h"
#include "model/model_dir.h"
#include "model/train_reader.h"
#include "spj/spj.h"
#include "test_util.h"
#include "text/word_vectors.h"

namespace nldb {
namespace {

TEST(Spj, VotedTypeIsTheMostReadTypeFirstSeenOnTies) {
  auto outputs = [](std::vector<std::string> types) {
    std::vector<spj::SpjOutput> out;
    for (auto& t : types) out.push_back({t, ""});
    return out;
  };
  EXPECT_EQ(spj::VotedType({}), "");
  EXPECT_EQ(spj::VotedType(outputs({"set", "count", "count"})), "count");
  EXPECT_EQ(spj::VotedType(outputs({"argmax", "max", "max", "argmax"})), "argmax");
  EXPECT_EQ(spj::VotedType(outputs({"max", "argmax", "argmax", "max"})), "max");
}

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
  o.config = {.dim = 48, .layers = 1, .heads = 2, .ff = 96, .max_len = 96, .word_match = true,
              .both_ways = true};
  const std::string kelm = NLDB_SHARED_DATA "/kelm10/train.jsonl";
  const bool have_real = access(kelm.c_str(), R_OK) == 0;
  if (have_real) {
    o.real_data = kelm;
    o.real_repeats = 2;
  }
  auto report = model::TrainReader(o);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->steps, 300);
  EXPECT_GT(report->examples, 1000);
  if (have_real) {
    EXPECT_GT(report->real_examples, 100);  // 24 real databases, cut twice
    EXPECT_LT(report->real_examples, report->examples);
  }
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
      std::string a = out[i].answer;
      if (a.empty() || a == "TRUE" || a == "FALSE") continue;
      for (size_t at; (at = a.find(" [LIST] ")) != std::string::npos;) a.replace(at, 8, " [SEP] ");
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

  // Calibration writes the pruning score it chose from its grid (fewer sets
  // read at each higher score) and a NULL bias per type, and reading obeys
  // the biases: a set is NULL exactly when its margin plus its type's bias is
  // above 0.
  auto vectors = text::WordVectors::Load(text::DefaultWordVectorsPath());
  auto ssg = ssg::SupportSetGenerator::Load(model::DefaultModelDir("ssg"), **vectors);
  ASSERT_TRUE(ssg.ok()) << ssg.status().message();
  model::CalibrateOptions c;
  c.model_dir = o.out_dir;
  c.ssg = ssg->get();
  c.dbs = 4;
  c.always_read = 5;
  auto calibrated = model::Calibrate(c);
  ASSERT_TRUE(calibrated.ok()) << calibrated.status().message();
  EXPECT_GE(calibrated->em, calibrated->em_unbiased);
  std::ifstream config_file(o.out_dir + "/config.json");
  const auto config = nlohmann::json::parse(config_file);
  ASSERT_EQ(config.at("null_bias").size(), 7u);
  for (const auto& bias : config.at("null_bias")) EXPECT_LE(bias.get<float>(), 0);  // one set: none
  ASSERT_EQ(calibrated->scores.size(), c.score_grid.size());
  for (size_t i = 1; i < calibrated->scores.size(); ++i) {
    EXPECT_LE(calibrated->scores[i].sets_per_question, calibrated->scores[i - 1].sets_per_question);
  }
  EXPECT_NE(std::find(c.score_grid.begin(), c.score_grid.end(), calibrated->min_set_score),
            c.score_grid.end());
  EXPECT_EQ(config.at("min_set_score").get<double>(), calibrated->min_set_score);
  EXPECT_EQ(config.at("always_read").get<size_t>(), 5u);
  const spj::SetsToRead reads = (*spj::OpenModelSpj(o.out_dir))->Reads();
  EXPECT_FLOAT_EQ(reads.min_score, calibrated->min_set_score);
  EXPECT_EQ(reads.at_least, 5u);
  auto reader = model::Reader::Load(o.out_dir);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_TRUE(config.at("word_match").get<bool>());
  EXPECT_TRUE((*reader)->config().word_match);
  const auto& q = db.queries[0];
  std::vector<std::vector<std::string>> sets;
  for (size_t f = 0; f < 8 && f < db.facts.size(); ++f) sets.push_back({db.facts[f]});
  ASSERT_EQ(config.at("null_bias_log_sets").size(), 7u);
  for (const auto& r : (*reader)->Read(q.query, sets)) {
    const std::string type = model::QueryTypeName(r.type);
    const float per_log_set = config["null_bias_log_sets"][type].get<float>();
    const float bias = config["null_bias"][type].get<float>() +
                       per_log_set * std::log(static_cast<float>(sets.size()));
    EXPECT_EQ(r.answer.empty(), r.null_margin + bias > 0);
    if (!r.answer.empty()) {
      EXPECT_EQ(r.answer, r.best_answer);
    }
    EXPECT_FALSE(r.best_answer.empty());
  }
  // A missing model is one clear error.
  EXPECT_EQ(spj::OpenModelSpj(dir / "none").status().code(), Status::Code::kNotFound);
  // So is a damaged one, never a crash: sizes that make no network, or
  // weights of another shape than config.json says.
  for (const auto& [key, value] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"heads", 5}, {"dim", 64}, {"both_ways", false}, {"max_len", 0}}) {
    const std::string bad = dir / ("bad-" + key);
    std::filesystem::copy(o.out_dir, bad, std::filesystem::copy_options::recursive);
    nlohmann::json damaged = config;
    damaged[key] = value;
    testing::WriteFile(bad + "/config.json", damaged.dump());
    auto loaded = spj::OpenModelSpj(bad);
    ASSERT_FALSE(loaded.ok()) << key;
    EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption) << key << ": " << loaded.status().message();
  }
  // A warm start goes on from the saved reader: its sizes, input features and
  // tokenizer, whatever the options say, and what it learned (one more step
  // keeps it well above what a new network knows).
  model::TrainOptions warm = o;
  warm.init_dir = o.out_dir;
  warm.out_dir = dir / "warm";
  warm.steps = 1;
  warm.config = model::TrainOptions{}.config;
  warm.vocab = 3000;
  auto warmed = model::TrainReader(warm);
  ASSERT_TRUE(warmed.ok()) << warmed.status().message();
  EXPECT_EQ(warmed->config.dim, 48);
  EXPECT_TRUE(warmed->config.word_match);
  EXPECT_EQ(testing::ReadFile(warm.out_dir + "/tokenizer.vocab"),
            testing::ReadFile(o.out_dir + "/tokenizer.vocab"));
  EXPECT_GT(warmed->dev_kind_accuracy, 0.55);
  EXPECT_TRUE(model::Reader::Load(warm.out_dir).ok());
  // A blend is the average of the two readers' weights: at weight 0 it reads
  // exactly as the first, at 1 as the second (before any calibration, which
  // it does not carry), and in between as neither.
  auto margins = [&](const std::string& model_dir) {
    auto r = model::Reader::Load(model_dir);
    EXPECT_TRUE(r.ok()) << r.status().message();
    std::vector<float> m;
    if (r.ok()) {
      for (const auto& out : (*r)->Read(q.query, sets)) m.push_back(out.null_margin);
    }
    return m;
  };
  const auto first = margins(o.out_dir), second = margins(warm.out_dir);
  ASSERT_EQ(first.size(), sets.size());
  for (double weight : {0.0, 0.5, 1.0}) {
    model::BlendOptions b{o.out_dir, warm.out_dir, dir / "blend", weight};
    ASSERT_TRUE(model::BlendReaders(b).ok()) << weight;
    const auto blended = margins(b.out_dir);
    if (weight == 0) {
      EXPECT_EQ(blended, first);
    } else if (weight == 1) {
      EXPECT_EQ(blended, second);
    } else {
      EXPECT_NE(blended, first);
      EXPECT_NE(blended, second);
    }
    const auto blend_config = nlohmann::json::parse(testing::ReadFile(b.out_dir + "/config.json"));
    EXPECT_FALSE(blend_config.contains("null_bias"));
    EXPECT_EQ(testing::ReadFile(b.out_dir + "/tokenizer.vocab"),
              testing::ReadFile(o.out_dir + "/tokenizer.vocab"));
  }
  // Readers of different shapes, and weights outside 0-1, are refused.
  model::TrainOptions other = o;
  other.out_dir = dir / "other";
  other.steps = 1;
  other.config.ff = 64;
  ASSERT_TRUE(model::TrainReader(other).ok());
  EXPECT_EQ(model::BlendReaders({o.out_dir, other.out_dir, dir / "bad-blend", 0.5}).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(model::BlendReaders({o.out_dir, warm.out_dir, dir / "bad-blend", 1.5}).code(),
            Status::Code::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir / "bad-blend"));

  warm.init_dir = dir / "none";
  warm.out_dir = dir / "warm2";
  EXPECT_EQ(model::TrainReader(warm).status().code(), Status::Code::kNotFound);

  // Sizes that make no network are refused before any training.
  model::TrainOptions no_network = o;
  no_network.config.heads = 5;
  no_network.out_dir = dir / "reader3";
  EXPECT_EQ(model::TrainReader(no_network).status().code(), Status::Code::kInvalidArgument);
  // So is real data that cannot be read, before any training.
  o.real_data = dir / "missing.jsonl";
  o.out_dir = dir / "reader2";
  EXPECT_EQ(model::TrainReader(o).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace nldb
