#include "ssg/train_ssg.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "gen/generator.h"
#include "storage/atomic_file.h"
#include "storage/temp_store.h"
#include "text/word_vectors.h"

namespace nldb::ssg {

namespace {

struct Sample {
  Features x;
  std::vector<float> q, f;  // mean word vectors (may be empty)
  float y;
};

// `dbs` databases (at least one), sizes spread over 25..1000 facts.
Result<std::vector<eval::DatabaseRecord>> MakeDatabases(gen::Split split, uint64_t seed, int dbs) {
  if (dbs < 1) return Status::InvalidArgument("at least one database is needed");
  const uint64_t sizes[] = {25, 100, 300, 1000};
  std::vector<eval::DatabaseRecord> out;
  for (int k = 0; k < 4; ++k) {
    gen::GenOptions o;
    o.seed = seed + k;
    o.facts = sizes[k];
    o.templates = o.entities = split;
    auto g = gen::Generator::Create(o);
    if (!g.ok()) return g.status();
    for (int i = k; i < dbs; i += 4) out.push_back((*g)->Generate(static_cast<uint64_t>(i / 4)));
  }
  return out;
}

std::vector<std::vector<FactId>> GoldSets(const eval::Query& q) {
  std::vector<std::vector<FactId>> out;
  for (const auto& set : q.facts) {
    out.emplace_back();
    for (uint32_t f : set) out.back().push_back(f + 1);  // fact i is stored as id i + 1
  }
  return out;
}

// Labelled examples of one question: candidates alone, and grown sets.
Status AddSamples(const SupportSetGenerator& ssg, Database& db, const eval::DatabaseRecord& rec,
                  const eval::Query& q, std::mt19937_64& rng, std::vector<Sample>& out) {
  const Version as_of = q.Sees(rec.facts.size());
  const Featurizer& fz = ssg.featurizer();
  const Analysis qa = fz.Analyze(q.query);
  const auto gold = GoldSets(q);
  std::set<FactId> in_gold;
  for (const auto& g : gold) in_gold.insert(g.begin(), g.end());
  auto cands = ssg.Candidates(db, q.query, as_of);
  if (!cands.ok()) return cands.status();
  // All positives, the best-ranked negatives and some random ones.
  int ranked_negatives = 0;
  for (const Candidate& c : *cands) {
    const bool pos = in_gold.count(c.id) > 0;
    const bool keep = pos || (c.bm25 > 0 && ranked_negatives++ < 15) || rng() % 40 == 0;
    if (keep) out.push_back({fz.Of(qa, {}, c.analysis, c.bm25), qa.mean, c.analysis.mean, pos ? 1.f : 0.f});
  }
  // Growing: from each fact of a gold set, the next fact is another of the
  // set; the negatives are the facts holding a shared name's every word
  // (SupportSetGenerator::NameSearch).
  constexpr auto kEveryWord = SupportSetGenerator::NameSearch::kEveryWord;
  for (size_t gi = 0; gi < gold.size() && gi < 6; ++gi) {
    const auto& g = gold[gi];
    for (FactId seed : g) {
      auto fact = db.Get(seed, as_of);
      if (!fact.ok()) continue;
      Candidate sc{seed, fact->text, fz.Analyze(fact->text), 0.f};
      std::vector<const Candidate*> chosen = {&sc};
      auto next = ssg.Neighbours(db, qa, chosen, as_of, kEveryWord);
      if (!next.ok()) return next.status();
      const std::set<FactId> rest(g.begin(), g.end());
      for (const Candidate& n : *next) {
        const bool pos = rest.count(n.id) > 0 && n.id != seed;
        out.push_back({fz.Of(qa, {&sc.analysis}, n.analysis, 0.f), qa.mean, n.analysis.mean, pos ? 1.f : 0.f});
      }
      if (g.size() < 3) continue;
      for (FactId second : g) {  // three-fact sets: the third given two
        if (second == seed) continue;
        auto f2 = db.Get(second, as_of);
        if (!f2.ok()) continue;
        Candidate c2{second, f2->text, fz.Analyze(f2->text), 0.f};
        std::vector<const Candidate*> two = {&sc, &c2};
        auto third = ssg.Neighbours(db, qa, two, as_of, kEveryWord);
        if (!third.ok()) return third.status();
        for (const Candidate& n : *third) {
          const bool pos = rest.count(n.id) > 0 && n.id != seed && n.id != second;
          out.push_back({fz.Of(qa, {&sc.analysis, &c2.analysis}, n.analysis, 0.f), qa.mean,
                         n.analysis.mean, pos ? 1.f : 0.f});
        }
      }
    }
  }
  return Status::OK();
}

// Logistic regression by Adam, positives and negatives weighted equally; the
// bilinear matrix starts at zero and is fitted with the linear weights.
Scorer Fit(const std::vector<Sample>& data, int dims, int epochs, uint64_t seed) {
  const size_t nl = kFeatures, nb = static_cast<size_t>(dims) * dims, n = nl + nb;
  std::vector<double> w(n, 0), m(n, 0), v(n, 0), g(n, 0);
  double pos = 0;
  for (const Sample& s : data) pos += s.y;
  const double wpos = data.size() / (2 * std::max(1.0, pos));
  const double wneg = data.size() / (2 * std::max(1.0, data.size() - pos));
  std::vector<size_t> order(data.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, l2 = 1e-4;
  const size_t batch = 256;
  int t = 0;
  for (int e = 0; e < epochs; ++e) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t start = 0; start < order.size(); start += batch) {
      std::fill(g.begin(), g.end(), 0);
      const size_t stop = std::min(order.size(), start + batch);
      for (size_t k = start; k < stop; ++k) {
        const Sample& s = data[order[k]];
        const bool has_b = !s.q.empty() && !s.f.empty();
        double z = 0;
        for (size_t i = 0; i < nl; ++i) z += w[i] * s.x[i];
        if (has_b) {
          for (int i = 0; i < dims; ++i) {
            double dot = 0;
            for (int j = 0; j < dims; ++j) dot += w[nl + i * dims + j] * s.f[j];
            z += s.q[i] * dot;
          }
        }
        const double p = 1 / (1 + std::exp(-z));
        const double err = (s.y > 0 ? wpos : wneg) * (p - s.y);
        for (size_t i = 0; i < nl; ++i) g[i] += err * s.x[i];
        if (has_b) {
          for (int i = 0; i < dims; ++i) {
            const double ei = err * s.q[i];
            for (int j = 0; j < dims; ++j) g[nl + i * dims + j] += ei * s.f[j];
          }
        }
      }
      ++t;
      const double c1 = 1 - std::pow(b1, t), c2 = 1 - std::pow(b2, t);
      for (size_t i = 0; i < n; ++i) {
        const double gi = g[i] / (stop - start) + l2 * w[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        w[i] -= lr * (m[i] / c1) / (std::sqrt(v[i] / c2) + 1e-8);
      }
    }
  }
  return {std::vector<float>(w.begin(), w.begin() + nl), std::vector<float>(w.begin() + nl, w.end())};
}

}  // namespace

double SupportRecall(const std::vector<std::vector<FactId>>& gold,
                     const std::vector<SupportSet>& generated, bool exact) {
  if (gold.empty()) return 1;
  int found = 0;
  for (const auto& g : gold) {
    const std::set<FactId> want(g.begin(), g.end());
    for (const SupportSet& s : generated) {
      const std::set<FactId> have(s.facts.begin(), s.facts.end());
      if (exact ? have == want
                : std::all_of(g.begin(), g.end(), [&](FactId f) { return have.count(f) > 0; })) {
        ++found;
        break;
      }
    }
  }
  return static_cast<double>(found) / gold.size();
}

Result<SsgTrainReport> TrainSsg(const SsgTrainOptions& o) {
  auto log = [&](const std::string& s) {
    if (o.log) o.log(s);
  };
  const auto start = std::chrono::steady_clock::now();
  auto vectors = text::WordVectors::Load(text::DefaultWordVectorsPath());
  if (!vectors.ok()) return vectors.status();
  SsgTrainReport report;
  std::vector<Sample> data;
  std::mt19937_64 rng(o.seed);
  {
    const SupportSetGenerator labeller(**vectors, Scorer{std::vector<float>(kFeatures, 0), {}},
                                       {0.5f, 0.5f});
    auto made = MakeDatabases(gen::Split::kTrain, o.seed, o.dbs);
    if (!made.ok()) return made.status();
    const std::vector<eval::DatabaseRecord>& dbs = *made;
    for (size_t i = 0; i < dbs.size(); ++i) {
      auto store = storage::TempStore::Create(dbs[i].facts);
      if (!store.ok()) return store.status();
      for (const eval::Query& q : dbs[i].queries) {
        NLDB_RETURN_IF_ERROR(AddSamples(labeller, (*store)->db(), dbs[i], q, rng, data));
      }
      if ((i + 1) % 40 == 0) {
        log("labelled " + std::to_string(i + 1) + "/" + std::to_string(dbs.size()) +
            " databases: " + std::to_string(data.size()) + " examples");
      }
    }
  }
  report.examples = static_cast<int64_t>(data.size());
  for (const Sample& s : data) report.positives += s.y > 0;
  log("fitting on " + std::to_string(report.examples) + " examples (" +
      std::to_string(report.positives) + " positive)");
  report.scorer = Fit(data, (*vectors)->dims(), o.epochs, o.seed);

  // Thresholds, on validation databases loaded once: first the seed threshold
  // (the highest whose recall of gold sets, within a found set, is within 0.01
  // of the best), then the growing threshold (the best exact recall: a found
  // set equal to a gold set, so over-grown sets count as misses).
  std::vector<eval::DatabaseRecord> dev;
  std::vector<std::unique_ptr<storage::TempStore>> stores;
  auto load = [&](gen::Split split, uint64_t seed) -> Status {
    auto made = MakeDatabases(split, seed, o.dev_dbs);
    if (!made.ok()) return made.status();
    dev = std::move(*made);
    stores.clear();
    for (const auto& rec : dev) {
      auto store = storage::TempStore::Create(rec.facts);
      if (!store.ok()) return store.status();
      stores.push_back(std::move(*store));
    }
    return Status::OK();
  };
  NLDB_RETURN_IF_ERROR(load(gen::Split::kTrain, o.seed + 1000));
  std::string split = "validation";
  auto sweep = [&](Thresholds t) -> Result<ThresholdRow> {
    const SupportSetGenerator ssg(**vectors, report.scorer, t);
    ThresholdRow row{t, 0, 0, 0};
    int n = 0;
    for (size_t d = 0; d < dev.size(); ++d) {
      for (const eval::Query& q : dev[d].queries) {
        const Version as_of = q.Sees(dev[d].facts.size());
        auto got = ssg.Generate(stores[d]->db(), q.query, as_of);
        if (!got.ok()) return got.status();
        row.recall += SupportRecall(GoldSets(q), *got, false);
        row.exact_recall += SupportRecall(GoldSets(q), *got, true);
        row.sets_per_query += got->size();
        ++n;
      }
    }
    if (n > 0) {
      row.recall /= n;
      row.exact_recall /= n;
      row.sets_per_query /= n;
    }
    char buf[160];
    std::snprintf(buf, sizeof(buf),
                  "thresholds seed %.2f grow %.2f: %s recall %.4f (exact sets %.4f), "
                  "%.1f sets/question", t.seed, t.grow, split.c_str(), row.recall, row.exact_recall,
                  row.sets_per_query);
    log(buf);
    return row;
  };
  const float kGrid[] = {0.02f, 0.05f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
  double best = 0;
  std::vector<ThresholdRow> seed_rows;
  for (float t : kGrid) {
    auto row = sweep({t, 0.5f});
    if (!row.ok()) return row.status();
    seed_rows.push_back(*row);
    best = std::max(best, row->recall);
  }
  report.thresholds = {kGrid[0], 0.5f};
  for (const auto& r : seed_rows) {
    if (r.recall >= best - 0.01) report.thresholds.seed = r.thresholds.seed;
  }
  report.dev = seed_rows;
  double best_exact = -1;
  for (float t : kGrid) {
    auto row = sweep({report.thresholds.seed, t});
    if (!row.ok()) return row.status();
    report.dev.push_back(*row);
    if (row->exact_recall > best_exact) {
      best_exact = row->exact_recall;
      report.thresholds.grow = t;
    }
  }
  NLDB_RETURN_IF_ERROR(load(gen::Split::kHeldout, o.seed + 2000));
  split = "held-out";
  auto heldout = sweep(report.thresholds);
  if (!heldout.ok()) return heldout.status();
  report.heldout = *heldout;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) return Status::IOError("cannot create " + o.out_dir + ": " + ec.message());
  nlohmann::ordered_json j = {{"seed_threshold", report.thresholds.seed},
                              {"grow_threshold", report.thresholds.grow},
                              {"linear", report.scorer.linear},
                              {"bilinear", report.scorer.bilinear}};
  NLDB_RETURN_IF_ERROR(storage::WriteFileAtomically(o.out_dir + "/ssg.json", j.dump() + "\n"));
  return report;
}

}  // namespace nldb::ssg
