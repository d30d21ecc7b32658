#include "ssg/support_sets.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace nldb::ssg {

float Scorer::Logit(const Features& f, const Analysis& q, const Analysis& fact) const {
  float z = 0;
  for (int i = 0; i < kFeatures; ++i) z += linear[i] * f[i];
  if (!q.projected.empty() && !fact.mean.empty()) {
    for (size_t k = 0; k < fact.mean.size(); ++k) z += q.projected[k] * fact.mean[k];
  }
  return z;
}

void Scorer::Project(Analysis& q) const {
  q.projected.clear();
  if (bilinear.empty() || q.mean.empty()) return;
  const size_t d = q.mean.size();
  q.projected.assign(d, 0.f);
  for (size_t i = 0; i < d; ++i) {
    const float* row = bilinear.data() + i * d;
    for (size_t k = 0; k < d; ++k) q.projected[k] += q.mean[i] * row[k];
  }
}

namespace {

// The chosen facts' names that the question does not name: those a set
// grows by.
std::vector<std::string> SharedNames(const Analysis& question,
                                     const std::vector<const Candidate*>& chosen) {
  std::vector<std::string> names;
  for (const Candidate* c : chosen) {
    for (const std::string& entity : c->analysis.entities) {
      bool named = true;
      for (size_t i = 0; i < entity.size();) {
        size_t j = std::min(entity.find(' ', i), entity.size());
        const std::string w = entity.substr(i, j - i);
        named &= w == "of" || w.size() == 1 || question.names.count(w) > 0;
        i = j + 1;
      }
      if (!named) names.push_back(entity);
    }
  }
  return names;
}

// The distinct wordings of the best `n` seeds that have one, best first, as
// searches for every word ("pursues career architect").
std::vector<std::string> SeedWordings(const std::vector<Candidate>& candidates,
                                      const std::vector<std::pair<float, size_t>>& seeds, size_t n) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (size_t s = 0; s < seeds.size() && out.size() < n; ++s) {
    std::string wording;
    for (const std::string& w : candidates[seeds[s].second].analysis.wording) {
      if (!wording.empty()) wording += ' ';
      wording += w;
    }
    if (!wording.empty() && seen.insert(wording).second) out.push_back(std::move(wording));
  }
  return out;
}

}  // namespace

SupportSetGenerator::SupportSetGenerator(const text::WordVectors& vectors, Scorer scorer,
                                         Thresholds thresholds, SsgOptions options)
    : featurizer_(vectors), scorer_(std::move(scorer)), thresholds_(thresholds), options_(options) {}

Result<std::unique_ptr<SupportSetGenerator>> SupportSetGenerator::Load(
    const std::string& dir, const text::WordVectors& vectors, SsgOptions options) {
  const std::string path = dir + "/ssg.json";
  std::ifstream in(path);
  if (!in) return Status::NotFound("there is no support-set model in " + dir + " (no ssg.json)");
  try {
    const auto j = nlohmann::json::parse(in);
    Scorer scorer{j.at("linear").get<std::vector<float>>(), j.at("bilinear").get<std::vector<float>>()};
    const size_t d = static_cast<size_t>(vectors.dims());
    if (scorer.linear.size() != static_cast<size_t>(kFeatures) || scorer.bilinear.size() != d * d) {
      return Status::Corruption(path + " does not fit these features and word vectors");
    }
    const Thresholds t{j.at("seed_threshold").get<float>(), j.at("grow_threshold").get<float>()};
    return std::make_unique<SupportSetGenerator>(vectors, std::move(scorer), t, options);
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(path + ": " + e.what());
  }
}

float SupportSetGenerator::Probability(const Analysis& q, const std::vector<const Analysis*>& chosen,
                                       const Analysis& fact, float bm25) const {
  const float z = scorer_.Logit(featurizer_.Of(q, chosen, fact, bm25), q, fact);
  return 1.f / (1.f + std::exp(-z));
}

Result<std::vector<Candidate>> SupportSetGenerator::Candidates(Database& db,
                                                               const std::string& question,
                                                               Version as_of,
                                                               SsgStats* st) const {
  std::vector<Candidate> out;
  std::map<FactId, size_t> at;
  auto hits = db.Search(question, options_.candidates, as_of);
  if (!hits.ok()) return hits.status();
  const double top = hits->empty() ? 1 : std::max(1e-9, (*hits)[0].score);
  for (SearchHit& h : *hits) {
    at[h.id] = out.size();
    out.push_back({h.id, std::move(h.text), {}, static_cast<float>(h.score / top)});
  }
  auto stats = db.GetStats(as_of);
  if (!stats.ok()) return stats.status();
  if (st) st->exhaustive = stats->live_facts < options_.exhaustive_below;
  if (stats->live_facts < options_.exhaustive_below) {
    auto v = db.Scan(as_of, [&](const Fact& f) {
      if (!at.count(f.id)) out.push_back({f.id, f.text, {}, 0.f});
      return true;
    });
    if (!v.ok()) return v.status();
  } else if (options_.similar > 0) {
    auto similar = db.SearchSimilar(question, options_.similar, as_of);
    if (!similar.ok()) return similar.status();
    for (SearchHit& h : *similar) {
      if (!at.emplace(h.id, out.size()).second) continue;
      out.push_back({h.id, std::move(h.text), {}, 0.f});
      if (st) ++st->similar;
    }
  }
  for (Candidate& c : out) c.analysis = featurizer_.Analyze(c.text);
  return out;
}

Result<std::vector<Candidate>> SupportSetGenerator::Neighbours(
    Database& db, const Analysis& question, const std::vector<const Candidate*>& chosen,
    Version as_of, NameSearch how) const {
  std::set<FactId> taken;
  for (const Candidate* c : chosen) taken.insert(c->id);
  std::vector<Candidate> out;
  const std::vector<std::string> names = SharedNames(question, chosen);
  if (names.empty()) return out;
  auto hits = how == NameSearch::kWhole ? db.SearchNames(names, options_.neighbours, as_of)
                                        : db.SearchWords(names, options_.neighbours, as_of);
  if (!hits.ok()) return hits.status();
  for (SearchHit& h : *hits) {
    if (taken.count(h.id)) continue;
    Candidate c{h.id, std::move(h.text), {}, 0.f};
    c.analysis = featurizer_.Analyze(c.text);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<SupportSet>> SupportSetGenerator::Generate(Database& db,
                                                              const std::string& question,
                                                              Version as_of, SsgStats* stats,
                                                              const spj::SetsToRead& read) const {
  const float min_score = read.min_score;
  const size_t most = std::min(options_.max_sets, read.at_most);  // sets at most
  Analysis q = featurizer_.Analyze(question);
  scorer_.Project(q);
  SsgStats local;
  SsgStats& st = stats ? *stats : local;
  const auto start = std::chrono::steady_clock::now();
  auto candidates = Candidates(db, question, as_of, &st);
  if (!candidates.ok()) return candidates.status();
  st.search_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  // Whether a fact may be in a set: not about another thing of a like name.
  auto may_use = [&](const Candidate& c) {
    for (const std::string& name : q.entities) {
      if (featurizer_.Holds(c.text, name) == NameHeld::kWithinLonger) {
        ++st.other_names;
        return false;
      }
    }
    return true;
  };
  // Seeds: candidates that fit the question on their own, best first.
  std::vector<std::pair<float, size_t>> seeds;
  auto add_seeds = [&](size_t from) {
    for (size_t i = from; i < candidates->size(); ++i) {
      const Candidate& c = (*candidates)[i];
      if (!may_use(c)) continue;
      const float p = Probability(q, {}, c.analysis, c.bm25);
      if (p >= thresholds_.seed) seeds.emplace_back(p, i);
    }
    std::sort(seeds.begin(), seeds.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    st.scored = candidates->size();
  };
  auto search = [&](const std::vector<const Candidate*>& chosen) {
    const auto searched = std::chrono::steady_clock::now();
    auto next = Neighbours(db, q, chosen, as_of);
    ++st.name_searches;
    st.names_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - searched).count();
    return next;
  };
  // The searches made to find candidates, by seed, kept for growing that seed.
  std::map<FactId, std::vector<Candidate>> searched_for;
  auto neighbours = [&](const std::vector<const Candidate*>& chosen) -> Result<std::vector<Candidate>> {
    if (chosen.size() == 1) {
      const auto it = searched_for.find(chosen[0]->id);
      if (it != searched_for.end()) {
        std::vector<Candidate> kept = std::move(it->second);
        searched_for.erase(it);
        return kept;
      }
    }
    return search(chosen);
  };
  add_seeds(0);
  // In a large store, a reader that reads every set found (an oracle, an LLM
  // reader) gets more candidates than the indexes give, from the searches
  // below; `have` holds the candidates' ids for them.
  const bool more_candidates = !st.exhaustive && min_score <= thresholds_.seed;
  std::set<FactId> have;
  if (more_candidates) {
    for (const Candidate& c : *candidates) have.insert(c.id);
  }
  // Like the sets closed back on a seed (below), only for such a reader: the
  // built-in reader answered no more questions with them, reading more sets
  // a question.
  if (more_candidates && options_.expand) {
    const auto searched = std::chrono::steady_clock::now();
    // A name or wording held by more facts than the reader reads is left
    // out: what it singles out is too large to read whole.
    const bool named = !q.names.empty();
    auto found = named ? db.SearchNames(q.entities, options_.expanded_facts, as_of, most)
                       : db.SearchWords(SeedWordings(*candidates, seeds, options_.wordings),
                                        options_.expanded_facts, as_of, most);
    if (!found.ok()) return found.status();
    const size_t from = candidates->size();
    for (SearchHit& h : *found) {
      if (!have.insert(h.id).second) continue;
      Candidate c{h.id, std::move(h.text), {}, 0.f};
      c.analysis = featurizer_.Analyze(c.text);
      candidates->push_back(std::move(c));
    }
    (named ? st.named : st.worded) = candidates->size() - from;
    add_seeds(from);
    st.search_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - searched).count();
  }
  // origin[i]: the candidate whose neighbour search found candidate i, or -1.
  std::vector<int> origin(candidates->size(), -1);
  // A set closed back on a seed scores at most its found fact alone, mostly
  // 0.1-0.2: only a reader that reads sets that low (an oracle, an LLM
  // reader) can use them, so only for one are the searches made.
  if (more_candidates && options_.neighbour_seeds > 0) {
    std::vector<Candidate> found;
    for (size_t s = 0; s < seeds.size() && s < options_.neighbour_seeds; ++s) {
      const Candidate& seed = (*candidates)[seeds[s].second];
      auto next = search({&seed});
      if (!next.ok()) return next.status();
      for (const Candidate& n : *next) {
        if (!have.insert(n.id).second) continue;
        found.push_back(n);
        origin.push_back(static_cast<int>(seeds[s].second));
      }
      searched_for[seed.id] = std::move(*next);
    }
    st.neighbours = found.size();
    const size_t from = candidates->size();
    candidates->insert(candidates->end(), std::make_move_iterator(found.begin()),
                       std::make_move_iterator(found.end()));
    add_seeds(from);
  }
  st.candidates = candidates->size();
  st.seeds = seeds.size();

  std::vector<SupportSet> sets;
  std::set<std::vector<FactId>> seen;
  // A question that needs no join grows none of its best seeds and finds
  // them no partner; each try costs a search, so stop trying once
  // `grow_probe` seeds have done neither.
  size_t grew = 0;
  for (size_t s = 0; s < seeds.size() && sets.size() < most; ++s) {
    const bool must_read = sets.size() < read.at_least;
    if (seeds[s].first < min_score && !must_read) {  // a set scores at most its seed's score
      st.pruned += seeds.size() - s;
      break;
    }
    std::vector<Candidate> grown;  // facts added to this set beyond the candidates
    grown.reserve(options_.max_set_size);
    std::vector<const Candidate*> chosen = {&(*candidates)[seeds[s].second]};
    float weakest = seeds[s].first;
    const bool may_grow = s < options_.max_grown && (grew > 0 || s < options_.grow_probe);
    const int from = origin[seeds[s].second];
    if (!may_grow && from >= 0) {
      // A fact found beside a seed: its set may close back on that seed
      // without a search of its own.
      const Candidate* back = &(*candidates)[static_cast<size_t>(from)];
      const float p = Probability(q, {&chosen[0]->analysis}, back->analysis, 0.f);
      ++st.scored;
      if (p >= thresholds_.grow) {
        chosen.push_back(back);
        weakest = std::min(weakest, p);
      }
    }
    // Its partner (SsgOptions::partners): the best next fact to seed a set
    // alone and grow back to this seed; that set scores its weaker step.
    Candidate partner;
    float partner_score = -1;
    while (may_grow && chosen.size() < options_.max_set_size) {
      auto next = neighbours(chosen);
      if (!next.ok()) return next.status();
      std::vector<const Analysis*> chosen_analyses;
      for (const Candidate* c : chosen) chosen_analyses.push_back(&c->analysis);
      // A next fact holds a name of the set whole: not "Mount Rossund" for
      // "Rossund", nor "551" (a word of "5,551,039") for "5,551,039".
      const std::vector<std::string> shared = SharedNames(q, chosen);
      auto shares = [&](const Candidate& n) {
        for (const std::string& name : shared) {
          if (featurizer_.Holds(n.text, name) == NameHeld::kWhole) return true;
        }
        return false;
      };
      float best = -1;
      size_t best_i = 0, partner_i = next->size();
      for (size_t i = 0; i < next->size(); ++i) {
        const Candidate& n = (*next)[i];
        if (!may_use(n) || !shares(n)) continue;
        const float p = Probability(q, chosen_analyses, n.analysis, 0.f);
        st.scored++;
        if (p > best) {
          best = p;
          best_i = i;
        }
        if (chosen.size() > 1 || !options_.partners) continue;
        const float alone = Probability(q, {}, n.analysis, 0.f);
        st.scored++;
        if (alone < thresholds_.seed || alone <= partner_score) continue;
        const float back = Probability(q, {&n.analysis}, chosen[0]->analysis, 0.f);
        st.scored++;
        if (back >= thresholds_.grow && std::min(alone, back) > partner_score) {
          partner_score = std::min(alone, back);
          partner_i = i;
        }
      }
      if (partner_i < next->size()) partner = (*next)[partner_i];
      if (best < thresholds_.grow) break;
      grown.push_back(std::move((*next)[best_i]));
      chosen.push_back(&grown.back());
      weakest = std::min(weakest, best);
    }
    grew += chosen.size() > 1 || partner_score >= 0;
    auto add = [&](const std::vector<const Candidate*>& facts, float score) {
      if (score < min_score && !must_read) {
        ++st.pruned;
        return;
      }
      SupportSet set;
      for (const Candidate* c : facts) {
        set.facts.push_back(c->id);
        set.texts.push_back(c->text);
      }
      set.score = score;
      std::vector<FactId> key = set.facts;
      std::sort(key.begin(), key.end());
      if (seen.insert(key).second) sets.push_back(std::move(set));
    };
    add(chosen, weakest);
    if (partner_score >= 0 && sets.size() < most) add({&partner, chosen[0]}, partner_score);
  }
  st.sets = sets.size();
  return sets;
}

}  // namespace nldb::ssg
