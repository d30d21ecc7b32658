#include "model/read_threads.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <omp.h>

namespace nldb::model {

namespace {

// A function of a library libtorch loaded, or null where it is not there.
template <class Fn>
Fn Symbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

// Sets the calling thread's intra-op threads for its lifetime, then puts the
// old count back. at::get_num_threads first: libtorch sets a thread's OpenMP
// count on its first op, which would undo a count set before it.
class OneIntraOpThread {
 public:
  OneIntraOpThread() : before_(at::get_num_threads()) { omp_set_num_threads(1); }
  ~OneIntraOpThread() { omp_set_num_threads(before_); }

 private:
  int before_;
};

// OpenBLAS, which libtorch calls for float32 products, keeps threads of its
// own that would contend with ours: while an object of this class lives it
// runs on its caller. Nothing happens where the BLAS is not OpenBLAS.
class OneBlasThread {
 public:
  OneBlasThread() {
    if (set_ && get_) {
      before_ = get_();
      set_(1);
    }
  }
  ~OneBlasThread() {
    if (before_ > 1) set_(before_);
  }

 private:
  using Set = void (*)(int);
  using Get = int (*)();
  static inline const Set set_ = Symbol<Set>("openblas_set_num_threads");
  static inline const Get get_ = Symbol<Get>("openblas_get_num_threads");
  int before_ = 0;
};

}  // namespace

int OneDnnPrimitiveCacheCapacity() {
  using Get = int (*)(int*);
  static const auto get = Symbol<Get>("dnnl_get_primitive_cache_capacity");
  int capacity = -1;
  return get && get(&capacity) == 0 ? capacity : -1;
}

// oneDNN 2.6 (Debian's, under libtorch's bfloat16 products) corrupts its
// memory when its primitive cache evicts while two threads create
// primitives: `nldb eval` on two threads failed about one run in ten with
// std::bad_alloc or a broken promise inside dnnl_primitive_create, once the
// 1,024 primitives the cache holds by default were exceeded (one eval of
// 25-fact databases creates 1,816: one per product and shape of chunk).
// With room for every shape a reader makes (chunks of up to 8 sets of up to
// 128 tokens, on one or all intra-op threads: under 13,000) nothing is ever
// evicted; each primitive is about 8 KB. Nothing happens without oneDNN.
static void KeepEveryOneDnnPrimitive() {
  constexpr int kCapacity = 16384;
  using Set = int (*)(int);
  const auto set = Symbol<Set>("dnnl_set_primitive_cache_capacity");
  const int capacity = OneDnnPrimitiveCacheCapacity();
  if (set && capacity >= 0 && capacity < kCapacity) set(kCapacity);
}

ReadThreads::ReadThreads(size_t threads) {
  if (threads > 1) KeepEveryOneDnnPrimitive();
  for (size_t i = 1; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ReadThreads::~ReadThreads() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ReadThreads::Drain() {
  std::unique_lock lock(mu_);
  while (next_ < n_) {
    const size_t i = next_++;
    lock.unlock();
    try {
      (*work_)(i);
    } catch (...) {
      lock.lock();
      if (!error_) error_ = std::current_exception();
      next_ = n_;  // the rest is not run
      continue;
    }
    lock.lock();
  }
}

void ReadThreads::WorkerLoop() {
  OneIntraOpThread one;
  size_t seen = 0;
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    ++busy_;
    lock.unlock();
    Drain();
    lock.lock();
    if (--busy_ == 0) done_.notify_all();
  }
}

void ReadThreads::ForEach(size_t n, const std::function<void(size_t)>& work) {
  if (n == 0) return;
  if (n == 1) return work(0);  // on the caller, with every intra-op thread
  OneIntraOpThread one;
  OneBlasThread one_blas;
  {
    std::lock_guard lock(mu_);
    work_ = &work, n_ = n, next_ = 0, error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  Drain();
  std::unique_lock lock(mu_);
  // Every item has been taken; wait for the workers still running one.
  done_.wait(lock, [&] { return busy_ == 0; });
  work_ = nullptr;
  if (error_) std::rethrow_exception(error_);
}

}  // namespace nldb::model
