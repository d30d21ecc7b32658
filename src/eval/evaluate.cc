#include "eval/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <set>

#include "agg/aggregate.h"
#include "eval/dataset.h"
#include "eval/scorer.h"
#include "agg/value.h"
#include "storage/temp_store.h"

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

std::vector<SetToRead> SetsOf(const DatabaseRecord& db, const Query& q, const EvalOptions& o,
                              std::mt19937_64& rng) {
  std::vector<SetToRead> sets;
  const uint64_t visible = q.Sees(db.facts.size());
  std::set<uint32_t> gold_facts;
  for (const auto& f : q.facts) gold_facts.insert(f.begin(), f.end());
  auto other_fact = [&]() -> int {
    for (int attempt = 0; attempt < 20 && visible > 0; ++attempt) {
      const auto f = static_cast<uint32_t>(rng() % visible);
      if (!gold_facts.count(f)) return static_cast<int>(f);
    }
    return -1;
  };
  for (size_t i = 0; i < q.facts.size(); ++i) {
    SetToRead s{q.facts[i], i < q.derivations.size() ? q.derivations[i] : ""};
    if (o.distractors > 0) {
      const int extra = 1 + static_cast<int>(rng() % o.distractors);
      for (int k = 0; k < extra; ++k) {
        const int f = other_fact();
        if (f >= 0) s.facts.push_back(static_cast<uint32_t>(f));
      }
      std::shuffle(s.facts.begin(), s.facts.end(), rng);
    }
    sets.push_back(std::move(s));
  }
  for (int n = 0; n < o.negatives; ++n) {
    const int f = other_fact();
    if (f >= 0) sets.push_back({{static_cast<uint32_t>(f)}, "", 1});
  }
  return sets;
}

json TallyJson(const Tally& t) { return {{"em", t.em()}, {"f1", t.mean_f1()}, {"n", t.n}}; }

}  // namespace

Result<RetrievedSets> Retrieve(const DatabaseRecord& db, const Query& q,
                               const ssg::SupportSetGenerator& ssg, Database& store,
                               const spj::SetsToRead& read) {
  const Version as_of = q.Sees(db.facts.size());
  ssg::SsgStats stats;
  auto found = ssg.Generate(store, q.query, as_of, &stats, read);
  if (!found.ok()) return found.status();
  auto holds = [](const std::vector<uint32_t>& set, const std::vector<uint32_t>& gold) {
    const std::set<uint32_t> have(set.begin(), set.end());
    return std::all_of(gold.begin(), gold.end(), [&](uint32_t f) { return have.count(f) > 0; });
  };
  RetrievedSets out;
  out.pruned = stats.pruned;
  for (const ssg::SupportSet& s : *found) {
    SetToRead r;
    r.score = s.score;
    for (FactId id : s.facts) r.facts.push_back(static_cast<uint32_t>(id - 1));
    for (size_t g = 0; g < q.facts.size() && g < q.derivations.size(); ++g) {
      if (holds(r.facts, q.facts[g])) {
        r.gold = q.derivations[g];
        break;
      }
    }
    out.sets.push_back(std::move(r));
  }
  for (const auto& g : q.facts) {
    out.gold_found += std::any_of(out.sets.begin(), out.sets.end(),
                                  [&](const SetToRead& s) { return holds(s.facts, g); });
  }
  return out;
}

Result<EvalReport> Evaluate(const std::string& path, const EvalOptions& options) {
  if (options.spj == SpjMode::kModel && !options.reader) {
    return Status::InvalidArgument("--spj model needs a reader model");
  }
  if (options.support == SupportMode::kRetrieved && !options.ssg) {
    return Status::InvalidArgument("--support retrieved needs a support-set model");
  }
  EvalReport report;
  std::mt19937_64 rng(options.seed);
  NLDB_RETURN_IF_ERROR(ForEachDatabase(path, [&](DatabaseRecord& record, const std::string& where) {
    const DatabaseRecord* db = &record;
    std::unique_ptr<storage::TempStore> store;
    if (options.support == SupportMode::kRetrieved) {
      auto made = storage::TempStore::Create(db->facts, options.encoder_dir);
      if (!made.ok()) return Status::InvalidArgument(where + ": " + made.status().message());
      store = std::move(*made);
      // Build the dense index now, as a loaded store has it, not in the
      // first question's time; smaller stores are searched whole.
      if (db->facts.size() >= options.ssg->options().exhaustive_below) {
        NLDB_RETURN_IF_ERROR(store->db().SaveIndexes());
      }
    }
    for (const Query& q : db->queries) {
      const auto start = std::chrono::steady_clock::now();
      std::vector<SetToRead> sets;
      if (store) {
        // The oracle reads every set found.
        const spj::SetsToRead read =
            options.spj == SpjMode::kModel ? options.reader->Reads() : spj::SetsToRead{};
        auto found = Retrieve(*db, q, *options.ssg, store->db(), read);
        if (!found.ok()) return Status::InvalidArgument(where + ": " + found.status().message());
        sets = std::move(found->sets);
        report.sets.pruned += found->pruned;
        report.support_recall += q.facts.empty() ? 1.0 : double(found->gold_found) / q.facts.size();
        Tally& r = report.recall_by_size[SizeBucket(q.Sees(db->facts.size()))];
        r.n += q.facts.size();
        r.exact += found->gold_found;
      } else {
        sets = SetsOf(*db, q, options, rng);
      }
      const auto read_start = std::chrono::steady_clock::now();
      std::vector<spj::SpjOutput> outputs;
      std::string type = q.type;
      if (options.spj == SpjMode::kGold) {
        for (const SetToRead& s : sets) outputs.push_back({q.type, s.gold});
      } else {
        std::vector<std::vector<std::string>> texts;
        for (const SetToRead& s : sets) {
          texts.emplace_back();
          for (uint32_t f : s.facts) texts.back().push_back(db->facts[f]);
        }
        if (texts.empty()) {
          // No set: the question is read alone, for its type only (as `ask` does).
          type = spj::VotedType(options.reader->Run(q.query, {{}}));
        } else {
          outputs = options.reader->Run(q.query, texts);
          type = spj::VotedType(outputs);
        }
      }
      const auto agg_start = std::chrono::steady_clock::now();
      std::vector<agg::Intermediate> inputs;
      for (size_t i = 0; i < sets.size(); ++i) {
        inputs.push_back({outputs[i].answer, {sets[i].facts.begin(), sets[i].facts.end()}});
      }
      const auto parsed_type = agg::ParseQueryType(type);
      const std::vector<std::string> predicted =
          parsed_type ? agg::Aggregate(*parsed_type, inputs).values : std::vector<std::string>{};
      const auto end = std::chrono::steady_clock::now();
      auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
      report.latency_ms.push_back(ms(start, end));
      report.stage_ms["retrieve"].push_back(ms(start, read_start));
      report.stage_ms["spj"].push_back(ms(read_start, agg_start));
      report.stage_ms["aggregate"].push_back(ms(agg_start, end));

      if (type != q.type) report.wrong_type++;
      for (size_t i = 0; i < sets.size(); ++i) {
        const bool want_null = sets[i].gold.empty(), got_null = outputs[i].answer.empty();
        SetTally& t = report.sets;
        t.sets++;
        if (want_null && got_null) t.null_tp++;
        if (!want_null && got_null) t.null_fp++;
        if (want_null && !got_null) t.null_fn++;
        const bool same = agg::SameIntermediate(sets[i].gold, outputs[i].answer);
        if (!want_null && !got_null && !same) t.wrong_answer++;
        t.correct += same;
        if (options.set_log) {
          json facts = json::array();
          for (uint32_t f : sets[i].facts) facts.push_back(db->facts[f]);
          *options.set_log << json{{"db", where}, {"id", q.id}, {"query", q.query}, {"type", q.type},
                                   {"facts", facts}, {"gold", sets[i].gold},
                                   {"got", outputs[i].answer}, {"best", outputs[i].best_answer},
                                   {"got_type", outputs[i].type},
                                   {"null_margin", outputs[i].null_margin},
                                   {"set_score", sets[i].score}}
                                  .dump()
                           << '\n';
        }
      }
      const Score s = ScoreAnswer(predicted, q.answer);
      for (Tally* t : {&report.overall, &report.by_type[q.type], &report.by_relation[q.relation],
                       &report.by_size[SizeBucket(q.Sees(db->facts.size()))]}) {
        t->n++;
        t->exact += s.exact;
        t->f1 += s.f1;
      }
      if (!s.exact) report.misses.push_back({where, q.id, q.query, q.type, q.answer, predicted, type});
    }
    return Status::OK();
  }));
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
  for (const auto& [stage, v] : r.stage_ms) {
    j["latency_ms"][stage] = {{"p50", Percentile(v, 0.5)}, {"p99", Percentile(v, 0.99)}};
  }
  j["support_sets"] = {{"n", r.sets.sets},
                       {"pruned", r.sets.pruned},
                       {"correct", r.sets.correct},
                       {"null_precision", r.sets.null_precision()},
                       {"null_recall", r.sets.null_recall()},
                       {"errors", {{"wrong_answer", r.sets.wrong_answer},
                                   {"missed_null", r.sets.null_fn},
                                   {"false_null", r.sets.null_fp}}}};
  j["wrong_type"] = r.wrong_type;
  if (!r.recall_by_size.empty()) {
    json by_size = json::object();
    for (const auto& [limit, t] : r.recall_by_size) by_size[SizeBucketName(limit)] = t.em();
    j["support_recall"] = {{"mean_per_query", r.overall.n ? r.support_recall / r.overall.n : 0},
                           {"by_size", by_size}};
  }
  json misses = json::array();
  for (size_t i = 0; i < r.misses.size() && i < max_misses; ++i) {
    const Miss& m = r.misses[i];
    misses.push_back({{"where", m.file_line}, {"id", m.id}, {"query", m.query}, {"type", m.type},
                      {"predicted_type", m.predicted_type}, {"gold", m.gold},
                      {"predicted", m.predicted}});
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
  for (const auto& [stage, v] : r.stage_ms) {
    std::snprintf(buf, sizeof(buf), "  %-10s p50 %.3f ms, p99 %.3f ms\n", stage.c_str(),
                  Percentile(v, 0.5), Percentile(v, 0.99));
    out += buf;
  }
  const SetTally& t = r.sets;
  std::snprintf(buf, sizeof(buf),
                "support sets: %llu read (%llu more pruned unread), %.4f right; NULL precision %.4f recall %.4f; errors: "
                "%llu wrong answer, %llu missed NULL, %llu false NULL; %llu queries of the wrong type\n",
                static_cast<unsigned long long>(t.sets), static_cast<unsigned long long>(t.pruned),
                t.sets ? double(t.correct) / t.sets : 0.0,
                t.null_precision(), t.null_recall(), static_cast<unsigned long long>(t.wrong_answer),
                static_cast<unsigned long long>(t.null_fn), static_cast<unsigned long long>(t.null_fp),
                static_cast<unsigned long long>(r.wrong_type));
  out += buf;
  if (!r.recall_by_size.empty()) {
    out += "support-set recall (gold sets found) by facts seen:";
    for (const auto& [limit, t] : r.recall_by_size) {
      std::snprintf(buf, sizeof(buf), " %s %.4f (%llu)", SizeBucketName(limit).c_str(), t.em(),
                    static_cast<unsigned long long>(t.n));
      out += buf;
    }
    out += "\n";
  }
  if (!r.misses.empty()) {
    out += std::to_string(r.misses.size()) + " wrong answers";
    out += r.misses.size() > max_misses ? " (first " + std::to_string(max_misses) + "):\n" : ":\n";
  }
  for (size_t i = 0; i < r.misses.size() && i < max_misses; ++i) {
    const Miss& m = r.misses[i];
    out += "  " + m.file_line + " " + m.id + " [" + m.type +
           (m.predicted_type != m.type ? " read as " + m.predicted_type : "") + "] " + m.query +
           "\n    gold:";
    for (const auto& a : m.gold) out += " [" + a + "]";
    out += "\n    got: ";
    for (const auto& a : m.predicted) out += " [" + a + "]";
    out += "\n";
  }
  return out;
}

}  // namespace nldb::eval
