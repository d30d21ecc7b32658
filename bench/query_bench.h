// `nldb bench query`: for each size N, one generated database of N facts
// loaded into a fresh store (every index maintained), then its questions asked
// through the whole pipeline: latency by stage, throughput, memory, accuracy
// and reader FLOPs. On some of the questions it also measures two
// alternatives side by side: reading the support sets one per call instead of
// in one batch, and the NeuralDB paper's baseline of reading the whole
// database as one support set (databases up to whole_max_facts; the reader
// sees only the first max_len tokens of it, about ten facts, which is the
// point: one transformer cannot read a database).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nldb/status.h"
#include "spj/spj.h"
#include "ssg/support_sets.h"

namespace nldb::bench {

struct QueryBenchOptions {
  std::vector<uint64_t> facts = {1000};  // database sizes, one run each
  int queries = 50;
  uint64_t seed = 1;
  bool heldout = true;          // held-out wording and names (else the training split)
  int compare_queries = 10;     // questions also read per set and as the whole database
  uint64_t whole_max_facts = 1000;  // largest database read whole
  std::string encoder_dir;      // the dense index's encoder (none if empty)
};

struct Percentiles {
  double p50 = 0, p99 = 0;
};

struct QueryBenchResult {
  uint64_t facts = 0;
  int queries = 0;
  double ingest_seconds = 0, ingest_facts_per_s = 0;
  uint64_t disk_bytes = 0;
  double first_ms = 0;   // a question asked first and timed apart: a cold process
  Percentiles total_ms;  // the questions after it
  // The questions the latency target (nldb issue 6) is about: set, bool, count and
  // argmax questions whose gold answers need at most 100 support sets.
  int scoped_queries = 0;
  Percentiles scoped_ms;
  std::map<std::string, Percentiles> stage_ms;  // retrieve, spj, aggregate
  double queries_per_s = 0;
  double mean_support_sets = 0;
  double em = 0;
  double rss_mb = 0, peak_rss_mb = 0;  // after the questions; the process, models included
  // The reader: FLOPs per question (mean) and what its stage achieved, GFLOP/s.
  double spj_flops = 0, spj_gflops = 0;
  // On the first compare_queries questions: reader stage p50 batched and one
  // set per call; EM and reader p50 with the whole database as one set (-1:
  // not run at this size).
  double compare_batched_ms = 0, compare_per_set_ms = 0;
  double whole_em = -1, whole_ms = 0;
};

Result<QueryBenchResult> RunQueryBench(uint64_t facts, const QueryBenchOptions& options,
                                       const ssg::SupportSetGenerator& ssg,
                                       spj::SpjOperator& reader);

// VmRSS or VmHWM of this process from /proc/self/status, in MB.
double ProcMb(const std::string& key);

}  // namespace nldb::bench
