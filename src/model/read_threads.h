// A reader's forward passes spread over the machine's cores, one intra-op
// thread each. The reader's ops are small (8 sets of ~32 tokens): on two
// cores, two passes at once on one thread each beat one pass at a time with
// both threads inside every op, where waking OpenMP's second thread for each
// of ~100 ops a pass costs more than it saves (docs/experiments.md, "Reading
// on both cores").
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nldb::model {

class ReadThreads {
 public:
  // `threads` >= 1 in all, the caller of ForEach being one of them.
  explicit ReadThreads(size_t threads);
  ~ReadThreads();
  ReadThreads(const ReadThreads&) = delete;
  ReadThreads& operator=(const ReadThreads&) = delete;

  size_t size() const { return workers_.size() + 1; }

  // Calls work(i) once for every i in [0, n), spread over the threads, each
  // with one intra-op thread (one item runs on the caller with all of them);
  // returns when every call has returned, and then rethrows the first
  // exception one threw. Not reentrant: one ForEach at a time.
  void ForEach(size_t n, const std::function<void(size_t)>& work);

 private:
  void WorkerLoop();
  void Drain();  // runs work items until none is left

  std::mutex mu_;
  std::condition_variable wake_, done_;
  const std::function<void(size_t)>* work_ = nullptr;
  size_t n_ = 0, next_ = 0, generation_ = 0, busy_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

// The number of primitives oneDNN's cache holds (a ReadThreads of more than
// one thread raises it: see read_threads.cc); -1 without oneDNN.
int OneDnnPrimitiveCacheCapacity();

}  // namespace nldb::model
