#include "bench/reader_bench.h"

#include <chrono>

#include "gen/generator.h"
#include "model/reader.h"

namespace nldb::bench {

namespace {

using Sets = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Rows for each batch size: `batch` sets per call, read with one question
// (the first set's; the others are other questions' sets, which costs the
// same: only their lengths matter).
void MeasureBatches(const model::Reader& reader, const Sets& sets, const ReaderBenchOptions& options,
                    double peak, ReaderBenchResult* result) {
  for (int batch : options.batches) {
    size_t next = 0, done = 0;
    double seconds = 0;
    int calls = 0;
    while (seconds < options.seconds_per_batch || calls < 3) {
      const std::string& question = sets[next % sets.size()].first;
      std::vector<std::vector<std::string>> group;
      for (int i = 0; i < batch; ++i) group.push_back(sets[(next + i) % sets.size()].second);
      next += batch;
      const auto start = std::chrono::steady_clock::now();
      reader.Read(question, group);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      done += batch;
      ++calls;
    }
    ReaderBenchRow row;
    row.precision = reader.precision();
    row.peak_gflops = peak;
    row.batch = batch;
    row.sets_per_s = done / seconds;
    row.ms_per_batch = 1000 * seconds / calls;
    row.gflops = row.sets_per_s * result->flops_per_set / 1e9;
    result->rows.push_back(row);
  }
}

}  // namespace

Result<ReaderBenchResult> RunReaderBench(const ReaderBenchOptions& options) {
  // Real questions and gold support sets from held-out generated data.
  gen::GenOptions g;
  g.facts = 200;
  g.templates = g.entities = gen::Split::kHeldout;
  auto generator = gen::Generator::Create(g);
  if (!generator.ok()) return generator.status();
  Sets sets;
  for (uint64_t i = 0; sets.size() < 2048 && i < 400; ++i) {
    const auto db = (*generator)->Generate(i);
    for (const auto& q : db.queries) {
      for (const auto& s : q.facts) {
        std::vector<std::string> facts;
        for (uint32_t f : s) facts.push_back(db.facts[f]);
        sets.emplace_back(q.query, std::move(facts));
      }
    }
  }
  if (sets.empty()) return Status::Corruption("the generator made no support sets");
  ReaderBenchResult result;
  for (model::Precision precision : options.precisions) {
    auto reader = model::Reader::Load(options.model_dir, precision);
    if (!reader.ok()) return reader.status();
    if (result.parameters == 0) {
      result.parameters = (*reader)->parameters();
      double tokens = 0;
      for (const auto& [q, f] : sets) tokens += (*reader)->SequenceLength(q, f);
      result.mean_tokens = tokens / sets.size();
      result.flops_per_set = (*reader)->FlopsPerSequence(static_cast<int>(result.mean_tokens + 0.5));
    }
    const double peak = model::MeasureMatmulGflops(precision);
    MeasureBatches(**reader, sets, options, peak, &result);
  }
  return result;
}

}  // namespace nldb::bench
