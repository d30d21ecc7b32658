// `nldb bench query`: one generated database of N facts loaded into a fresh
// store (every index maintained), then its questions asked through the whole
// pipeline; latency by stage, throughput, memory and accuracy.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "nldb/status.h"
#include "spj/spj.h"
#include "ssg/support_sets.h"

namespace nldb::bench {

struct QueryBenchOptions {
  uint64_t facts = 1000;
  int queries = 50;
  uint64_t seed = 1;
  bool heldout = true;  // held-out wording and names (else the training split)
};

struct Percentiles {
  double p50 = 0, p99 = 0;
};

struct QueryBenchResult {
  uint64_t facts = 0;
  int queries = 0;
  double ingest_seconds = 0, ingest_facts_per_s = 0;
  uint64_t disk_bytes = 0;
  Percentiles total_ms;
  std::map<std::string, Percentiles> stage_ms;  // retrieve, spj, aggregate
  double queries_per_s = 0;
  double mean_support_sets = 0;
  double em = 0;
  double rss_mb = 0, peak_rss_mb = 0;
};

Result<QueryBenchResult> RunQueryBench(const QueryBenchOptions& options,
                                       const ssg::SupportSetGenerator& ssg,
                                       spj::SpjOperator& reader);

}  // namespace nldb::bench
