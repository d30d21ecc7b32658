#include "bench/query_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "agg/aggregate.h"
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

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

double ProcMb(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1)) / 1024.0;
  }
  return 0;
}

Result<QueryBenchResult> RunQueryBench(uint64_t facts, const QueryBenchOptions& o,
                                       const ssg::SupportSetGenerator& ssg,
                                       spj::SpjOperator& reader) {
  gen::GenOptions g;
  g.facts = facts;
  g.seed = o.seed;
  g.queries = o.queries;
  g.templates = g.entities = o.heldout ? gen::Split::kHeldout : gen::Split::kTrain;
  auto generator = gen::Generator::Create(g);
  if (!generator.ok()) return generator.status();
  eval::DatabaseRecord db = (*generator)->Generate(0);

  QueryBenchResult r;
  r.facts = db.facts.size();
  auto t = Clock::now();
  auto store = storage::TempStore::Create(db.facts, o.encoder_dir);
  if (!store.ok()) return store.status();
  NLDB_RETURN_IF_ERROR((*store)->db().SaveIndexes());  // load with every index built
  r.ingest_seconds = std::chrono::duration<double>(Clock::now() - t).count();
  r.ingest_facts_per_s = r.facts / std::max(1e-9, r.ingest_seconds);
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator((*store)->dir(), ec)) {
    if (e.is_regular_file(ec)) r.disk_bytes += e.file_size(ec);
  }

  // The facts stay in memory only for the whole-database baseline.
  const bool read_whole = r.facts <= o.whole_max_facts;
  if (!read_whole) std::vector<std::string>().swap(db.facts);
  auto as_of = [&](const eval::Query& q) { return std::min<uint64_t>(q.height, r.facts); };

  query::Engine engine((*store)->db(), ssg, reader);
  // The first question pays for what a serving process does once (pages of
  // the store read from disk, the reader's kernels prepared): timed apart.
  auto first = engine.Ask("Who lives in the largest city?", r.facts);
  if (!first.ok()) return first.status();
  r.first_ms = first->total_ms;
  std::vector<double> total, retrieve, spj, aggregate, scoped;
  double exact = 0, sets = 0, flops = 0;
  t = Clock::now();
  for (const eval::Query& q : db.queries) {
    auto a = engine.Ask(q.query, as_of(q));
    if (!a.ok()) return a.status();
    total.push_back(a->total_ms);
    if ((q.type == "set" || q.type == "bool" || q.type == "count" || q.type == "argmax") &&
        q.facts.size() <= 100) {
      scoped.push_back(a->total_ms);
    }
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
  r.scoped_queries = static_cast<int>(scoped.size());
  r.scoped_ms = Of(scoped);
  r.stage_ms = {{"retrieve", Of(retrieve)}, {"spj", Of(spj)}, {"aggregate", Of(aggregate)}};
  r.mean_support_sets = r.queries ? sets / r.queries : 0;
  r.em = r.queries ? exact / r.queries : 0;
  r.rss_mb = ProcMb("VmRSS");
  r.peak_rss_mb = ProcMb("VmHWM");

  // Side by side on the first questions: batched against one set per call,
  // and the whole database read as one support set.
  std::vector<double> batched, per_set, whole;
  double whole_exact = 0;
  const size_t compare = std::min<size_t>(db.queries.size(), static_cast<size_t>(o.compare_queries));
  for (size_t i = 0; i < compare; ++i) {
    const eval::Query& q = db.queries[i];
    auto found = ssg.Generate((*store)->db(), q.query, as_of(q), nullptr, reader.Reads());
    if (!found.ok()) return found.status();
    std::vector<std::vector<std::string>> texts;
    for (const auto& s : *found) texts.push_back(s.texts);
    flops += reader.Flops(q.query, texts);
    auto start = Clock::now();
    reader.Run(q.query, texts);
    batched.push_back(MsSince(start));
    start = Clock::now();
    for (const auto& set : texts) reader.Run(q.query, {set});
    per_set.push_back(MsSince(start));
    if (read_whole) {
      const std::vector<std::string> all(db.facts.begin(), db.facts.begin() + as_of(q));
      start = Clock::now();
      const auto out = reader.Run(q.query, {all});
      whole.push_back(MsSince(start));
      const auto type = agg::ParseQueryType(out[0].type);
      const auto values =
          type ? agg::Aggregate(*type, {{out[0].answer, {}}}).values : std::vector<std::string>{};
      whole_exact += eval::ScoreAnswer(values, q.answer).exact;
    }
  }
  if (compare > 0) {
    r.spj_flops = flops / compare;
    r.compare_batched_ms = Of(batched).p50;
    r.compare_per_set_ms = Of(per_set).p50;
    double batched_sum = 0;
    for (double ms : batched) batched_sum += ms;
    r.spj_gflops = batched_sum > 0 ? flops / (batched_sum / 1e3) / 1e9 : 0;
  }
  if (!whole.empty()) {
    r.whole_em = whole_exact / whole.size();
    r.whole_ms = Of(whole).p50;
  }
  return r;
}

}  // namespace nldb::bench
