// `nldb bench ingest`: raw fact-store ingest speed and on-disk size.
#pragma once

#include <cstdint>
#include <string>

#include "nldb/status.h"

namespace nldb::bench {

struct IngestBenchOptions {
  uint64_t facts = 1000000;
  size_t batch = 20000;  // facts per atomic, synced batch
  std::string dir;       // store to write; empty: a fresh temporary one, removed after
  std::string encoder_dir;  // the dense index's encoder (none if empty)
};

struct IngestBenchResult {
  uint64_t facts = 0;
  size_t batch = 0;
  double seconds = 0;       // wall time of the AddBatch calls and the dense index build
  double dense_seconds = 0; // of which building and saving the dense index
  double facts_per_s = 0;
  uint64_t text_bytes = 0;  // total size of the fact sentences
  uint64_t disk_bytes = 0;  // size of the store directory after closing
};

// The i-th synthetic short fact, e.g. "Mara Quist 4711 was born in Porto."
std::string SyntheticFact(uint64_t i);

Result<IngestBenchResult> RunIngestBench(const IngestBenchOptions& options);

}  // namespace nldb::bench
