#include "bench/reader_bench.h"

#include <chrono>

#include "gen/generator.h"
#include "model/reader.h"

namespace nldb::bench {

Result<ReaderBenchResult> RunReaderBench(const ReaderBenchOptions& options) {
  auto reader = model::Reader::Load(options.model_dir);
  if (!reader.ok()) return reader.status();
  // Real questions and gold support sets from held-out generated data.
  gen::GenOptions g;
  g.facts = 200;
  g.templates = g.entities = gen::Split::kHeldout;
  auto generator = gen::Generator::Create(g);
  if (!generator.ok()) return generator.status();
  std::vector<std::pair<std::string, std::vector<std::string>>> sets;
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
  result.parameters = (*reader)->parameters();
  double tokens = 0;
  for (const auto& [q, f] : sets) tokens += (*reader)->SequenceLength(q, f);
  result.mean_tokens = tokens / sets.size();
  result.flops_per_set = (*reader)->FlopsPerSequence(static_cast<int>(result.mean_tokens + 0.5));
  result.peak_gflops = model::MeasureMatmulGflops();

  for (int batch : options.batches) {
    // One question's support sets share its text; a batch is `batch` sets of one question.
    size_t next = 0, done = 0;
    double seconds = 0;
    int calls = 0;
    while (seconds < options.seconds_per_batch || calls < 3) {
      const std::string& question = sets[next % sets.size()].first;
      std::vector<std::vector<std::string>> group;
      for (int i = 0; i < batch; ++i) group.push_back(sets[(next + i) % sets.size()].second);
      next += batch;
      const auto start = std::chrono::steady_clock::now();
      (*reader)->Read(question, group);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      done += batch;
      ++calls;
    }
    ReaderBenchRow row;
    row.batch = batch;
    row.sets_per_s = done / seconds;
    row.ms_per_batch = 1000 * seconds / calls;
    row.gflops = row.sets_per_s * result.flops_per_set / 1e9;
    result.rows.push_back(row);
  }
  return result;
}

}  // namespace nldb::bench
