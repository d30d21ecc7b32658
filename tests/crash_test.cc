// Crash safety: SIGKILL `nldb load` at random moments. After each kill the
// store must open, hold exactly a prefix of the input made of whole batches,
// and a rerun of the same load must resume where it stopped. A reader polling
// during the load must never see a partial batch either.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "bench/ingest_bench.h"
#include "nldb/database.h"
#include "test_util.h"

namespace nldb {
namespace {

constexpr uint64_t kFacts = 300000;
constexpr uint64_t kBatch = 5000;

// The facts stored, checked to be the first N lines of the input; returns N.
uint64_t CheckPrefix(const std::string& db_dir) {
  auto db = Database::Open(db_dir, {.read_only = true});
  if (!db.ok() && db.status().code() == Status::Code::kNotFound) return 0;  // killed before creating
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return 0;
  uint64_t n = 0;
  auto v = (*db)->Scan(std::nullopt, [&](const Fact& f) {
    EXPECT_EQ(f.id, n + 1);
    EXPECT_EQ(f.text, bench::SyntheticFact(n));
    ++n;
    return !::testing::Test::HasFailure();
  });
  EXPECT_TRUE(v.ok()) << v.status().message();
  EXPECT_TRUE(n % kBatch == 0 || n == kFacts) << n << " facts is not a whole number of batches";
  return n;
}

TEST(Crash, KilledLoadsLeaveWholeBatchesAndResume) {
  testing::TempDir tmp;
  const std::string input = tmp / "facts.txt", db_dir = tmp / "db";
  {
    std::string content;
    for (uint64_t i = 0; i < kFacts; ++i) content += bench::SyntheticFact(i) + "\n";
    testing::WriteFile(input, content);
  }
  const char* seed_env = std::getenv("NLDB_CRASH_SEED");
  const unsigned seed = seed_env ? static_cast<unsigned>(std::atoi(seed_env)) : 20261123u;
  std::mt19937 rng(seed);
  SCOPED_TRACE("NLDB_CRASH_SEED=" + std::to_string(seed));

  uint64_t stored = 0;
  int kills_mid_store = 0;
  // At least kKillRounds rounds, and more (up to kMaxRounds) until two kills
  // have landed while the load was storing: timing on a busy machine varies.
  constexpr int kKillRounds = 8, kMaxRounds = 24;
  for (int round = 0; (round < kKillRounds || kills_mid_store < 2) && round < kMaxRounds &&
                      stored < kFacts;
       ++round) {
    // Kill once the store holds at least `target` facts (or the load ends),
    // after a random extra delay, so kills land at varied moments.
    const uint64_t target = stored + (kFacts - stored) * (rng() % 40) / 100;
    const auto extra = std::chrono::microseconds(rng() % 20000);
    const int pid = testing::SpawnNldb(
        {"--db", db_dir, "load", input, "--batch", std::to_string(kBatch)}, tmp / "out");
    int status = 0;
    bool exited = false;
    while (!exited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      auto db = Database::Open(db_dir, {.read_only = true});
      if (!db.ok()) continue;  // not created yet
      auto s = (*db)->GetStats();
      if (!s.ok()) continue;
      EXPECT_TRUE(s->live_facts % kBatch == 0 || s->live_facts == kFacts)
          << "a reader saw " << s->live_facts << " facts";
      if (s->live_facts >= target) break;
    }
    if (!exited) {
      std::this_thread::sleep_for(extra);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
    const uint64_t now = CheckPrefix(db_dir);
    ASSERT_FALSE(HasFailure()) << "after round " << round;
    EXPECT_GE(now, stored) << "a resumed load lost facts";
    std::printf("round %d: killed=%d, %llu facts stored\n", round, !exited,
                static_cast<unsigned long long>(now));
    if (!exited && now > stored && now < kFacts) ++kills_mid_store;
    stored = now;
  }
  EXPECT_GE(kills_mid_store, 2) << "the kills did not land while the load was storing";

  // A last, uninterrupted run finishes the load: the whole input, once.
  if (stored < kFacts) {
    auto done =
        testing::RunNldb({"--db", db_dir, "load", input, "--batch", std::to_string(kBatch)});
    ASSERT_EQ(done.exit_code, 0) << done.err;
    EXPECT_NE(done.out.find("resumed an interrupted load"), std::string::npos) << done.out;
  }
  EXPECT_EQ(CheckPrefix(db_dir), kFacts);
}

}  // namespace
}  // namespace nldb
