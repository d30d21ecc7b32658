// `nldb bench reader`: support sets per second of the built-in reader at
// several batch sizes and in each precision, its FLOPs per support set, and
// that against the machine's measured matrix-multiply peak in that precision.
#pragma once

#include <string>
#include <vector>

#include "model/model_dir.h"
#include "model/reader.h"
#include "nldb/status.h"

namespace nldb::bench {

struct ReaderBenchOptions {
  std::string model_dir = model::DefaultModelDir("reader");
  std::vector<int> batches = {1, 32, 256};
  std::vector<model::Precision> precisions = {model::Precision::kFloat32,
                                              model::Precision::kBFloat16};
  double seconds_per_batch = 3;  // measure each batch size about this long
};

struct ReaderBenchRow {
  model::Precision precision = model::Precision::kFloat32;
  int batch = 0;
  double sets_per_s = 0, ms_per_batch = 0, gflops = 0;
  double peak_gflops = 0;  // measured matrix-multiply peak in this precision
};

struct ReaderBenchResult {
  std::vector<ReaderBenchRow> rows;
  double mean_tokens = 0;      // per support set
  double flops_per_set = 0;
  model::Precision default_precision = model::FastestPrecision();  // what nldb reads with here
  int64_t parameters = 0;
};

Result<ReaderBenchResult> RunReaderBench(const ReaderBenchOptions& options);

}  // namespace nldb::bench
