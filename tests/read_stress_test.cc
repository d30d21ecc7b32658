// The shipped reader read on every core, chunks of every shape: thousands of
// reads, none may fail. Before read_threads.cc kept every oneDNN primitive,
// this failed within about 500 reads (std::bad_alloc, broken promises).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "model/model_dir.h"
#include "model/reader.h"
#include "test_util.h"
#include "text/word_vectors.h"

namespace nldb {
namespace {

TEST(ReadStress, ReadsOfEveryShapeOnEveryCoreNeverFail) {
  if (!text::WordVectors::Load(text::DefaultWordVectorsPath()).ok()) {
    GTEST_SKIP() << "no word vectors: run scripts/install-glove";
  }
  auto reader = model::Reader::Load(model::DefaultModelDir("reader"));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  const std::vector<std::string> names = {"Ana Ruiz", "Malik Bose", "Zhiwei Melnyk", "Sota Kovács"};
  const std::vector<std::string> places = {"Lagos", "Sankt Gordale", "Minas Gerais", "Pelldorf"};
  std::mt19937 rng(1);
  for (int read = 0; read < 2000; ++read) {
    std::vector<std::vector<std::string>> sets(1 + rng() % 120);
    for (auto& set : sets) {
      std::string fact = names[rng() % 4] + " was born in " + places[rng() % 4];
      for (int more = rng() % 30; more > 0; --more) fact += " and " + places[rng() % 4];
      set.push_back(fact + ".");
      if (rng() % 4 == 0) set.push_back(names[rng() % 4] + " works at the University of Belton.");
    }
    try {
      ASSERT_EQ((*reader)->Read("Who was born in Lagos?", sets).size(), sets.size());
    } catch (const std::exception& e) {
      FAIL() << "read " << read << " of " << sets.size() << " sets: " << e.what();
    }
  }
}

}  // namespace
}  // namespace nldb
