// `nldb bench reader`: support sets per second of the built-in reader at
// several batch sizes, its FLOPs per support set, and that against the
// machine's measured matrix-multiply peak.
#pragma once

#include <string>
#include <vector>

#include "model/model_dir.h"
#include "nldb/status.h"

namespace nldb::bench {

struct ReaderBenchOptions {
  std::string model_dir = model::DefaultModelDir("reader");
  std::vector<int> batches = {1, 32, 256};
  double seconds_per_batch = 3;  // measure each batch size about this long
};

struct ReaderBenchRow {
  int batch = 0;
  double sets_per_s = 0, ms_per_batch = 0, gflops = 0;
};

struct ReaderBenchResult {
  std::vector<ReaderBenchRow> rows;
  double mean_tokens = 0;      // per support set
  double flops_per_set = 0;
  double peak_gflops = 0;      // measured sgemm peak
  int64_t parameters = 0;
};

Result<ReaderBenchResult> RunReaderBench(const ReaderBenchOptions& options);

}  // namespace nldb::bench
