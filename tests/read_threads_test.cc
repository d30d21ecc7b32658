// model::ReadThreads: every item run once, on one intra-op thread, errors
// carried back to the caller.
#include "model/read_threads.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace nldb {
namespace {

TEST(ReadThreads, RunsEveryItemOnceWhateverTheThreadsAndItems) {
  for (size_t threads : {1, 2, 4}) {
    model::ReadThreads pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (int round = 0; round < 200; ++round) {
      const size_t n = static_cast<size_t>(round % 23);
      std::vector<std::atomic<int>> runs(n);
      pool.ForEach(n, [&](size_t i) { runs[i]++; });
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(runs[i], 1) << threads << " threads, item " << i << " of " << n;
    }
  }
}

TEST(ReadThreads, EachItemRunsOnOneIntraOpThreadAndTheCallersCountComesBack) {
  at::set_num_threads(2);
  const int before = at::get_num_threads();
  model::ReadThreads pool(2);
  std::atomic<int> not_one{0};
  pool.ForEach(16, [&](size_t) { not_one += at::get_num_threads() != 1; });
  EXPECT_EQ(not_one, 0);
  EXPECT_EQ(at::get_num_threads(), before);
}

TEST(ReadThreads, AnErrorReachesTheCallerAndThePoolStaysUsable) {
  model::ReadThreads pool(2);
  EXPECT_THROW(pool.ForEach(50, [](size_t i) {
                 if (i == 7) throw std::runtime_error("item 7");
               }),
               std::runtime_error);
  std::atomic<int> runs{0};
  pool.ForEach(10, [&](size_t) { runs++; });
  EXPECT_EQ(runs, 10);
}

// oneDNN 2.6 must never evict while two threads read (read_threads.cc).
TEST(ReadThreads, MoreThanOneThreadLeavesRoomForEveryOneDnnPrimitive) {
  model::ReadThreads pool(2);
  const int capacity = model::OneDnnPrimitiveCacheCapacity();
  if (capacity < 0) GTEST_SKIP() << "libtorch without oneDNN";
  EXPECT_GE(capacity, 16384);
}

}  // namespace
}  // namespace nldb
