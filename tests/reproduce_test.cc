// Shipped weights are what `nldb train` makes from their manifest (slow:
// retrains them; `ctest -L slow`).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/model_dir.h"
#include "ssg/train_ssg.h"
#include "test_util.h"

namespace nldb {
namespace {

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  return nlohmann::json::parse(in);
}

// models/ssg: `nldb train ssg` with the manifest's seed, databases and
// epochs gives the same weights and thresholds.
TEST(Reproduce, TheSupportSetGeneratorIsWhatTrainSsgMakes) {
  const std::string dir = model::DefaultModelDir("ssg");
  const nlohmann::json manifest = ReadJson(dir + "/manifest.json");
  testing::TempDir out;
  ssg::SsgTrainOptions o;
  o.out_dir = out.path();
  o.seed = manifest.at("seed").get<uint64_t>();
  o.dbs = manifest.at("data").at("databases").get<int>();
  o.epochs = manifest.at("epochs").get<int>();
  auto report = ssg::TrainSsg(o);
  ASSERT_TRUE(report.ok()) << report.status().message();
  const nlohmann::json shipped = ReadJson(dir + "/ssg.json");
  const nlohmann::json made = ReadJson(out.path() + "/ssg.json");
  for (const char* key : {"seed_threshold", "grow_threshold"}) EXPECT_EQ(made.at(key), shipped.at(key)) << key;
  for (const char* key : {"linear", "bilinear"}) {
    const auto a = made.at(key).get<std::vector<float>>(), b = shipped.at(key).get<std::vector<float>>();
    ASSERT_EQ(a.size(), b.size()) << key;
    float most = 0;
    for (size_t i = 0; i < a.size(); ++i) most = std::max(most, std::abs(a[i] - b[i]));
    EXPECT_LE(most, 1e-5f) << key << ": the shipped weights are not what this code trains";
  }
}

}  // namespace
}  // namespace nldb
