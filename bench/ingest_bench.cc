#include "bench/ingest_bench.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <vector>

#include "nldb/database.h"

namespace nldb::bench {

namespace fs = std::filesystem;

std::string SyntheticFact(uint64_t i) {
  static const char* kFirst[] = {"Mara", "Tomas", "Ines", "Kofi", "Yuki", "Lena", "Arjun", "Sofia"};
  static const char* kLast[] = {"Quist", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva"};
  static const char* kVerb[] = {"was born in", "works in", "lives in", "studied in"};
  static const char* kPlace[] = {"Porto", "Nairobi", "Osaka", "Leeds", "Quito", "Gdansk", "Pune"};
  return std::string(kFirst[i % 8]) + " " + kLast[i / 8 % 6] + " " + std::to_string(i) + " " +
         kVerb[i / 48 % 4] + " " + kPlace[i / 192 % 7] + ".";
}

Result<IngestBenchResult> RunIngestBench(const IngestBenchOptions& options) {
  if (options.batch == 0) return Status::InvalidArgument("the batch size must be at least 1");
  const bool temporary = options.dir.empty();
  std::error_code ec;
  const fs::path dir = temporary ? fs::temp_directory_path(ec) /
                                       ("nldb-bench-ingest-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))
                                 : fs::path(options.dir);
  if (fs::exists(dir / "facts.db", ec)) {
    return Status::InvalidArgument(dir.string() + " already holds a store; name a new directory");
  }
  IngestBenchResult result;
  result.facts = options.facts;
  result.batch = options.batch;
  {
    auto db = Database::Open(dir.string(), {.writer_label = "nldb bench ingest",
                                            .encoder_dir = options.encoder_dir});
    if (!db.ok()) return db.status();
    std::vector<std::string> batch;
    std::chrono::steady_clock::duration spent{};
    for (uint64_t i = 0; i < options.facts;) {
      batch.clear();
      for (; i < options.facts && batch.size() < options.batch; ++i) {
        batch.push_back(SyntheticFact(i));
        result.text_bytes += batch.back().size();
      }
      auto start = std::chrono::steady_clock::now();
      auto added = (*db)->AddBatch(batch);
      spent += std::chrono::steady_clock::now() - start;
      if (!added.ok()) return added.status();
    }
    const auto start = std::chrono::steady_clock::now();
    NLDB_RETURN_IF_ERROR((*db)->SaveIndexes());
    result.dense_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.seconds = std::chrono::duration<double>(spent).count() + result.dense_seconds;
  }
  result.facts_per_s = result.seconds > 0 ? result.facts / result.seconds : 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) result.disk_bytes += entry.file_size(ec);
  }
  if (temporary) fs::remove_all(dir, ec);
  return result;
}

}  // namespace nldb::bench
