#include "bench/query_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "eval/scorer.h"
#include "gen/generator.h"
#include "query/engine.h"
#include "storage/temp_store.h"

namespace nldb::bench {

namespace {

Percentiles Of(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  auto at = [&](double p) { return v[std::min(v.size() - 1, static_cast<size_t>(std::ceil(p * v.size())) - 1)]; };
  return {at(0.5), at(0.99)};
}

// VmRSS or VmHWM from /proc/self/status, in MB.
double ProcMb(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1)) / 1024.0;
  }
  return 0;
}

}  // namespace

Result<QueryBenchResult> RunQueryBench(const QueryBenchOptions& o,
                                       const ssg::SupportSetGenerator& ssg,
                                       spj::SpjOperator& reader) {
  gen::GenOptions g;
  g.facts = o.facts;
  g.seed = o.seed;
  g.queries = o.queries;
  g.templates = g.entities = o.heldout ? gen::Split::kHeldout : gen::Split::kTrain;
  auto generator = gen::Generator::Create(g);
  if (!generator.ok()) return generator.status();
  const eval::DatabaseRecord db = (*generator)->Generate(0);

  QueryBenchResult r;
  r.facts = db.facts.size();
  using Clock = std::chrono::steady_clock;
  auto t = Clock::now();
  auto store = storage::TempStore::Create(db.facts);
  if (!store.ok()) return store.status();
  r.ingest_seconds = std::chrono::duration<double>(Clock::now() - t).count();
  r.ingest_facts_per_s = r.facts / std::max(1e-9, r.ingest_seconds);
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator((*store)->dir(), ec)) {
    if (e.is_regular_file(ec)) r.disk_bytes += e.file_size(ec);
  }

  query::Engine engine((*store)->db(), ssg, reader);
  std::vector<double> total, retrieve, spj, aggregate;
  double exact = 0, sets = 0;
  t = Clock::now();
  for (const eval::Query& q : db.queries) {
    auto a = engine.Ask(q.query, std::min<uint64_t>(q.height, db.facts.size()));
    if (!a.ok()) return a.status();
    total.push_back(a->total_ms);
    retrieve.push_back(a->retrieve_ms);
    spj.push_back(a->spj_ms);
    aggregate.push_back(a->aggregate_ms);
    sets += a->plan.size() > 1 ? static_cast<double>(a->plan[1].rows_in) : 0;
    exact += eval::ScoreAnswer(a->answer, q.answer).exact;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t).count();
  r.queries = static_cast<int>(db.queries.size());
  r.queries_per_s = r.queries / std::max(1e-9, seconds);
  r.total_ms = Of(total);
  r.stage_ms = {{"retrieve", Of(retrieve)}, {"spj", Of(spj)}, {"aggregate", Of(aggregate)}};
  r.mean_support_sets = r.queries ? sets / r.queries : 0;
  r.em = r.queries ? exact / r.queries : 0;
  r.rss_mb = ProcMb("VmRSS");
  r.peak_rss_mb = ProcMb("VmHWM");
  return r;
}

}  // namespace nldb::bench
