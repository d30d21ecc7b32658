#include "eval/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>

#include "agg/aggregate.h"
#include "eval/dataset.h"
#include "eval/scorer.h"

namespace nldb::eval {

namespace {

using json = nlohmann::ordered_json;

// Buckets of database size: the number of facts a query sees, rounded up.
constexpr uint64_t kSizeBuckets[] = {25, 100, 1000, 10000, 100000, 1000000, 10000000, UINT64_MAX};

uint64_t SizeBucket(uint64_t facts) {
  for (uint64_t limit : kSizeBuckets) {
    if (facts <= limit) return limit;
  }
  return UINT64_MAX;
}

std::string SizeBucketName(uint64_t limit) {
  if (limit == UINT64_MAX) return ">10M";
  if (limit >= 1000000) return "<=" + std::to_string(limit / 1000000) + "M";
  if (limit >= 1000) return "<=" + std::to_string(limit / 1000) + "k";
  return "<=" + std::to_string(limit);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(std::ceil(p * v.size())) - 1);
  return v[p == 0 ? 0 : i];
}

// The answer from the gold derivations alone.
std::vector<std::string> AggregateGold(const Query& q, agg::QueryType type) {
  std::vector<agg::Intermediate> inputs;
  for (size_t i = 0; i < q.derivations.size(); ++i) {
    agg::Intermediate in;
    in.text = q.derivations[i];
    if (i < q.facts.size()) in.facts.assign(q.facts[i].begin(), q.facts[i].end());
    inputs.push_back(std::move(in));
  }
  return agg::Aggregate(type, inputs).values;
}

json TallyJson(const Tally& t) { return {{"em", t.em()}, {"f1", t.mean_f1()}, {"n", t.n}}; }

}  // namespace

Result<EvalReport> Evaluate(const std::string& path, const EvalOptions& options) {
  if (options.spj == SpjMode::kModel) {
    return Status::InvalidArgument(
        "--spj model needs the neural SPJ reader, which nldb does not have yet; use --spj gold");
  }
  if (options.support == SupportMode::kRetrieved) {
    return Status::InvalidArgument(
        "--support retrieved needs the support-set generator, which nldb does not have yet; "
        "use --support gold");
  }
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  EvalReport report;
  std::string line;
  for (uint64_t line_no = 1; std::getline(in, line); ++line_no) {
    if (line.empty()) continue;
    auto db = ParseDatabase(line);
    const std::string where = path + ":" + std::to_string(line_no);
    if (!db.ok()) return Status::InvalidArgument(where + ": " + db.status().message());
    for (const Query& q : db->queries) {
      auto type = agg::ParseQueryType(q.type);
      if (!type) return Status::InvalidArgument(where + ": query " + q.id + " has unknown type " + q.type);
      const auto start = std::chrono::steady_clock::now();
      std::vector<std::string> predicted = AggregateGold(q, *type);
      report.latency_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      const Score s = ScoreAnswer(predicted, q.answer);
      for (Tally* t : {&report.overall, &report.by_type[q.type], &report.by_relation[q.relation],
                       &report.by_size[SizeBucket(std::min<uint64_t>(q.height, db->facts.size()))]}) {
        t->n++;
        t->exact += s.exact;
        t->f1 += s.f1;
      }
      if (!s.exact) report.misses.push_back({where, q.id, q.query, q.type, q.answer, predicted});
    }
  }
  return report;
}

json ReportJson(const EvalReport& r, size_t max_misses) {
  json j = {{"em", r.overall.em()}, {"f1", r.overall.mean_f1()}, {"n", r.overall.n}};
  for (const char* group : {"by_type", "by_relation"}) {
    json g = json::object();
    for (const auto& [k, t] : group[3] == 't' ? r.by_type : r.by_relation) g[k] = TallyJson(t);
    j[group] = g;
  }
  json sizes = json::object();
  for (const auto& [limit, t] : r.by_size) sizes[SizeBucketName(limit)] = TallyJson(t);
  j["by_size"] = sizes;
  j["latency_ms"] = {{"p50", Percentile(r.latency_ms, 0.5)}, {"p99", Percentile(r.latency_ms, 0.99)}};
  json misses = json::array();
  for (size_t i = 0; i < r.misses.size() && i < max_misses; ++i) {
    const Miss& m = r.misses[i];
    misses.push_back({{"where", m.file_line}, {"id", m.id}, {"query", m.query}, {"type", m.type},
                      {"gold", m.gold}, {"predicted", m.predicted}});
  }
  j["misses"] = misses;
  return j;
}

std::string ReportText(const EvalReport& r, size_t max_misses) {
  std::string out;
  char buf[256];
  auto row = [&](const std::string& name, const Tally& t) {
    std::snprintf(buf, sizeof(buf), "  %-14s %6.3f %6.3f %7llu\n", name.c_str(), t.em(),
                  t.mean_f1(), static_cast<unsigned long long>(t.n));
    out += buf;
  };
  out += "                     EM     F1       n\n";
  row("overall", r.overall);
  out += "by type:\n";
  for (const auto& [k, t] : r.by_type) row(k, t);
  out += "by facts seen:\n";
  for (const auto& [limit, t] : r.by_size) row(SizeBucketName(limit), t);
  std::snprintf(buf, sizeof(buf), "latency per query: p50 %.3f ms, p99 %.3f ms\n",
                Percentile(r.latency_ms, 0.5), Percentile(r.latency_ms, 0.99));
  out += buf;
  if (!r.misses.empty()) {
    out += std::to_string(r.misses.size()) + " wrong answers";
    out += r.misses.size() > max_misses ? " (first " + std::to_string(max_misses) + "):\n" : ":\n";
  }
  for (size_t i = 0; i < r.misses.size() && i < max_misses; ++i) {
    const Miss& m = r.misses[i];
    out += "  " + m.file_line + " " + m.id + " [" + m.type + "] " + m.query + "\n    gold:";
    for (const auto& a : m.gold) out += " [" + a + "]";
    out += "\n    got: ";
    for (const auto& a : m.predicted) out += " [" + a + "]";
    out += "\n";
  }
  return out;
}

}  // namespace nldb::eval
