#include "model/calibrate.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "agg/aggregate.h"
#include "eval/evaluate.h"
#include "eval/scorer.h"
#include "gen/generator.h"
#include "model/features.h"
#include "storage/atomic_file.h"
#include "storage/temp_store.h"

namespace nldb::model {

namespace {

// One question as read: its gold answer and each set's reading.
struct ReadQuestion {
  std::vector<std::string> gold;
  int type = -1;  // as the reader read it; -1 with no set
  std::vector<ReadOutput> sets;
  std::vector<std::vector<uint64_t>> facts;
};

// With the NULL bias `base + per_log_set * ln(sets)` (ReaderConfig::NullBias).
bool Exact(const ReadQuestion& q, float base, float per_log_set) {
  std::vector<std::string> predicted;
  if (q.type >= 0) {
    ReaderConfig config;
    config.null_bias[q.type] = base;
    config.null_bias_log_sets[q.type] = per_log_set;
    const float bias = config.NullBias(q.type, q.sets.size());
    std::vector<agg::Intermediate> inputs;
    for (size_t i = 0; i < q.sets.size(); ++i) {
      const bool null = q.sets[i].null_margin + bias > 0;
      inputs.push_back({null ? "" : q.sets[i].best_answer, q.facts[i]});
    }
    if (auto type = agg::ParseQueryType(QueryTypeName(q.type))) {
      predicted = agg::Aggregate(*type, inputs).values;
    }
  }
  return eval::ScoreAnswer(predicted, q.gold).exact;
}

Status WriteCalibration(const std::string& dir, const CalibrateReport& r) {
  const std::string path = dir + "/config.json";
  nlohmann::ordered_json config;
  {
    std::ifstream in(path);
    if (!in) return Status::NotFound("there is no reader model in " + dir + " (no config.json)");
    try {
      config = nlohmann::ordered_json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      return Status::Corruption(path + ": " + e.what());
    }
  }
  nlohmann::ordered_json biases = nlohmann::ordered_json::object(),
                         per_log_set = nlohmann::ordered_json::object();
  for (int t = 0; t < kQueryTypes; ++t) {
    biases[QueryTypeName(t)] = r.types[t].bias;
    per_log_set[QueryTypeName(t)] = r.types[t].bias_log_sets;
  }
  config["null_bias"] = biases;
  config["null_bias_log_sets"] = per_log_set;
  config["min_set_score"] = r.min_set_score;
  config["always_read"] = r.always_read;
  return storage::WriteFileAtomically(path, config.dump(2) + "\n");
}

// The best NULL bias of each type for `read` (both terms, each on its grid);
// fills types, em_unbiased and em.
void ChooseBiases(const std::vector<ReadQuestion>& read, const CalibrateOptions& o,
                  CalibrateReport* report) {
  double exact_unbiased = 0, exact = 0;
  for (int t = 0; t < kQueryTypes; ++t) {
    TypeCalibration& c = report->types[t];
    c = {};
    int at_zero = 0, best_hits = -1;
    float best_cost = 0;
    for (const ReadQuestion& q : read) {
      if (q.type != t) continue;
      ++c.questions;
      at_zero += Exact(q, 0, 0);
    }
    for (float per_log_set : o.log_sets_grid) {
      for (float base : o.grid) {
        int hits = 0;
        for (const ReadQuestion& q : read) {
          if (q.type == t) hits += Exact(q, base, per_log_set);
        }
        // Ties: the smaller bias.
        const float cost = std::fabs(base) + std::fabs(per_log_set);
        if (hits > best_hits || (hits == best_hits && cost < best_cost)) {
          best_hits = hits;
          best_cost = cost;
          c.bias = base;
          c.bias_log_sets = per_log_set;
        }
      }
    }
    // Keep no bias unless one does strictly better.
    if (best_hits <= at_zero) {
      c.bias = c.bias_log_sets = 0;
      best_hits = at_zero;
    }
    c.em_unbiased = c.questions ? double(at_zero) / c.questions : 0;
    c.em = c.questions ? double(best_hits) / c.questions : 0;
    exact_unbiased += at_zero;
    exact += best_hits;
  }
  // Questions with no set count too (their answer is empty whatever the bias).
  for (const ReadQuestion& q : read) {
    if (q.type < 0 && Exact(q, 0, 0)) {
      ++exact_unbiased;
      ++exact;
    }
  }
  report->em_unbiased = read.empty() ? 0 : exact_unbiased / read.size();
  report->em = read.empty() ? 0 : exact / read.size();
}

}  // namespace

Result<CalibrateReport> Calibrate(const CalibrateOptions& o) {
  if (!o.ssg) return Status::InvalidArgument("calibration needs a support-set generator");
  if (o.score_grid.empty()) return Status::InvalidArgument("calibration needs a score grid");
  auto reader = Reader::Load(o.model_dir);
  if (!reader.ok()) return reader.status();

  const size_t always_read = o.always_read.value_or((*reader)->config().always_read);
  // read[k]: every question, read with the sets scored at least score_grid[k].
  std::vector<std::vector<ReadQuestion>> read(o.score_grid.size());
  std::vector<double> sets(o.score_grid.size(), 0);
  for (int i = 0; i < o.dbs; ++i) {
    gen::GenOptions g;
    g.seed = o.seed;
    g.facts = static_cast<uint64_t>(o.min_facts + (o.max_facts - o.min_facts) * (i % 4) / 3);
    auto generator = gen::Generator::Create(g);
    if (!generator.ok()) return generator.status();
    const eval::DatabaseRecord db = (*generator)->Generate(static_cast<uint64_t>(i));
    auto store = storage::TempStore::Create(db.facts);
    if (!store.ok()) return store.status();
    for (const eval::Query& q : db.queries) {
      for (size_t k = 0; k < o.score_grid.size(); ++k) {
        const spj::SetsToRead policy{static_cast<float>(o.score_grid[k]), always_read,
                                     (*reader)->config().most_read};
        auto found = eval::Retrieve(db, q, *o.ssg, (*store)->db(), policy);
        if (!found.ok()) return found.status();
        ReadQuestion r;
        r.gold = q.answer;
        std::vector<std::vector<std::string>> texts;
        for (const eval::SetToRead& s : found->sets) {
          texts.emplace_back();
          r.facts.emplace_back();
          for (uint32_t f : s.facts) {
            texts.back().push_back(db.facts[f]);
            r.facts.back().push_back(f + 1);
          }
        }
        r.sets = (*reader)->Read(q.query, texts);
        if (!r.sets.empty()) r.type = r.sets[0].type;
        sets[k] += r.sets.size();
        read[k].push_back(std::move(r));
      }
    }
  }

  CalibrateReport report;
  report.always_read = always_read;
  double best_em = -1;
  for (size_t k = 0; k < o.score_grid.size(); ++k) {
    CalibrateReport at;
    ChooseBiases(read[k], o, &at);
    const size_t n = read[k].size();
    report.scores.push_back({o.score_grid[k], n ? sets[k] / n : 0, at.em_unbiased, at.em});
    if (k == 0) report.em_unbiased = at.em_unbiased;
    if (at.em > best_em) {
      best_em = at.em;
      report.min_set_score = o.score_grid[k];
      report.types = at.types;
      report.em = at.em;
    }
  }
  NLDB_RETURN_IF_ERROR(WriteCalibration(o.model_dir, report));
  return report;
}

}  // namespace nldb::model
