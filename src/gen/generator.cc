#include "gen/generator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "gen/gen_data.h"
#include "text/format.h"

namespace nldb::gen {

namespace {

using json = nlohmann::json;

// ---------------------------------------------------------------- templates

struct Template {
  std::string text;
  std::string key;  // "P19.set_o.heldout.2": where it came from, for tracing splits
};
using Templates = std::vector<Template>;

// The templates of {"train": [...], "heldout": [...]} that belong to `split`.
Templates LoadSplit(const json& lists, const std::string& key_prefix, Split split) {
  Templates out;
  for (const char* part : {"train", "heldout"}) {
    const bool wanted = split == Split::kAll || (split == Split::kTrain) == (part[0] == 't');
    if (!wanted || !lists.contains(part)) continue;
    int i = 0;
    for (const auto& t : lists[part]) {
      out.push_back({t.get<std::string>(), key_prefix + "." + part + "." + std::to_string(i++)});
    }
  }
  return out;
}

// Value kinds: objects that are quantities rather than entities.
bool IsValueKind(const std::string& kind) {
  static const std::set<std::string> kValues = {"population", "voters", "units",  "attendance",
                                                "visitors",   "rate",   "date",   "year",
                                                "height"};
  return kValues.count(kind) > 0;
}

struct Relation {
  std::string id, subject, object;
  bool functional = false, symmetric = false, value = false;
  Templates facts;
  std::map<std::string, Templates> questions;  // form -> templates
};

struct Join {
  std::string family;  // filter_set, chain_set, ...
  int r1 = -1, r2 = -1;  // relation, then filter/second/group
  Templates templates;
};

struct Combined {
  int r1 = -1, r2 = -1;
  Templates templates;
};

// ------------------------------------------------------------------- values

const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};

// A value of `kind` and its sort key.
struct Value {
  double key = 0;
  // Fields to render it in several ways.
  int year = 0, month = 0, day = 0;
};

Value RandomValue(const std::string& kind, std::mt19937_64& rng) {
  auto log_uniform = [&](double lo, double hi) {
    std::uniform_real_distribution<double> u(std::log(lo), std::log(hi));
    return std::floor(std::exp(u(rng)));
  };
  Value v;
  if (kind == "population") v.key = log_uniform(200, 2e7);
  else if (kind == "voters") v.key = log_uniform(100, 5e6);
  else if (kind == "units") v.key = log_uniform(50, 1e7);
  else if (kind == "attendance") v.key = log_uniform(100, 120000);
  else if (kind == "visitors") v.key = log_uniform(1000, 2e7);
  else if (kind == "rate") v.key = (5 + rng() % 296) / 10.0;          // 0.5% .. 30.0%
  else if (kind == "height") v.key = (145 + rng() % 66) / 100.0;      // 1.45 .. 2.10 m
  else if (kind == "year") v.key = v.year = 1800 + static_cast<int>(rng() % 224);
  else if (kind == "date") {
    v.year = 1900 + static_cast<int>(rng() % 111);
    v.month = 1 + static_cast<int>(rng() % 12);
    v.day = 1 + static_cast<int>(rng() % 28);
    v.key = v.year * 10000 + v.month * 100 + v.day;
  }
  return v;
}

// One written form of `v`, chosen at random: separators or not, date formats, units.
std::string RenderValue(const std::string& kind, const Value& v, std::mt19937_64& rng) {
  char buf[64];
  if (kind == "rate") {
    std::snprintf(buf, sizeof(buf), rng() % 3 == 0 ? "%.1f percent" : "%.1f%%", v.key);
    return buf;
  }
  if (kind == "height") {
    switch (rng() % 3) {
      case 0: std::snprintf(buf, sizeof(buf), "%.2f metres", v.key); break;
      case 1: std::snprintf(buf, sizeof(buf), "%.2f m", v.key); break;
      default: std::snprintf(buf, sizeof(buf), "%d cm", static_cast<int>(std::lround(v.key * 100)));
    }
    return buf;
  }
  if (kind == "year") return std::to_string(v.year);
  if (kind == "date") {
    switch (rng() % 3) {
      case 0: std::snprintf(buf, sizeof(buf), "%d %s %d", v.day, kMonths[v.month - 1], v.year); break;
      case 1: std::snprintf(buf, sizeof(buf), "%s %d, %d", kMonths[v.month - 1], v.day, v.year); break;
      default: std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", v.year, v.month, v.day);
    }
    return buf;
  }
  const auto n = static_cast<uint64_t>(v.key);
  return rng() % 2 == 0 ? text::WithSeparators(n) : std::to_string(n);
}

// ---------------------------------------------------------------- rendering

std::string Article(const std::string& word) {
  if (word.empty()) return "a " + word;
  const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
  const bool vowel_sound = (std::string("aeio").find(c) != std::string::npos) ||
                           (c == 'u' && word.rfind("uni", 0) != 0 && word.rfind("use", 0) != 0);
  return (vowel_sound ? "an " : "a ") + word;
}

// Fills $-placeholders; longer names first so "$a_o1" is not read as "$a".
std::string Render(const std::string& tmpl, const std::map<std::string, std::string>& slots) {
  std::vector<std::pair<std::string, std::string>> ordered(slots.begin(), slots.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  std::string out;
  for (size_t i = 0; i < tmpl.size();) {
    bool replaced = false;
    if (tmpl[i] == '$') {
      for (const auto& [name, value] : ordered) {
        if (tmpl.compare(i, name.size(), name) == 0) {
          out += value;
          i += name.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += tmpl[i++];
  }
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// -------------------------------------------------------------------- world

struct Triple {
  int rel, s, o;  // o: entity index, or -1 for a value
  Value value;
  std::string value_text;  // the value as this fact writes it
  uint32_t fact;
  bool core;
};

struct World {
  std::vector<std::string> names;  // entity index -> name
  std::vector<std::string> kinds;
  std::unordered_map<std::string, int> by_name;
  std::unordered_set<std::string> used;
  std::vector<Triple> triples;
  std::vector<std::string> facts;
  // What exists already, database-wide: countries and other closed kinds
  // appear in many clusters, and must not get a second capital or currency.
  std::set<std::tuple<int, int, int>> seen;  // rel, s, o
  std::set<std::pair<int, int>> has;         // functional rel, s
  // Indexes, built once all facts are placed.
  std::vector<std::vector<int>> by_rel;                            // rel -> triples
  std::vector<std::unordered_map<int, std::vector<int>>> by_s, by_o;  // rel -> entity -> triples

  int Entity(const std::string& name, const std::string& kind) {
    auto [it, added] = by_name.emplace(name, static_cast<int>(names.size()));
    if (added) {
      names.push_back(name);
      kinds.push_back(kind);
    }
    return it->second;
  }
};

// One support set of a gold answer and what it derives.
struct Support {
  std::vector<uint32_t> facts;
  std::string derivation;
  int entity = -1;    // the entity derived (set, count), or the group key (argmax)
  int member = -1;    // argmax/argmin over groups: the member counted
  const Triple* value = nullptr;  // min/max/argmin/argmax over values
};

}  // namespace

// ------------------------------------------------------------------ Impl

struct Generator::Impl {
  GenOptions options;
  std::unique_ptr<Namer> namer;
  std::vector<Relation> relations;
  std::map<std::string, int> relation_index;
  std::vector<Join> joins;
  std::vector<Combined> combined;

  Status Load();
  void BuildCluster(World& w, int n_facts, bool core, std::mt19937_64& rng) const;
  void AddFact(World& w, std::vector<Triple> triples, const Templates& tmpls, bool core,
               std::mt19937_64& rng) const;
  // A question of `type` that sees the first `visible` facts (1 or more).
  bool MakeQuery(const World& w, const std::string& type, uint64_t visible,
                 std::mt19937_64& rng, eval::Query* q) const;
};

Status Generator::Impl::Load() {
  json rel_json, join_json, combined_json;
  try {
    rel_json = json::parse(GenData("relations"));
    join_json = json::parse(GenData("joins"));
    combined_json = json::parse(GenData("combined"));
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("data/gen: ") + e.what());
  }
  try {
    for (auto it = rel_json.begin(); it != rel_json.end(); ++it) {
      Relation r;
      r.id = it.key();
      const json& j = it.value();
      r.subject = j.at("subject");
      r.object = j.at("object");
      r.functional = j.value("functional", false);
      r.symmetric = j.value("symmetric", false);
      r.value = IsValueKind(r.object);
      r.facts = LoadSplit(j.at("facts"), r.id + ".fact", options.templates);
      for (auto q = j.at("questions").begin(); q != j.at("questions").end(); ++q) {
        Templates t = LoadSplit(q.value(), r.id + "." + q.key(), options.templates);
        if (!t.empty()) r.questions[q.key()] = std::move(t);
      }
      if (r.facts.empty()) return Status::Corruption("relation " + r.id + " has no fact templates");
      relation_index[r.id] = static_cast<int>(relations.size());
      relations.push_back(std::move(r));
    }
    auto rel = [&](const json& j, const char* key) {
      auto found = relation_index.find(j.at(key).get<std::string>());
      return found == relation_index.end() ? -1 : found->second;
    };
    for (auto fam = join_json.begin(); fam != join_json.end(); ++fam) {
      int n = 0;
      for (const json& j : fam.value()) {
        Join join;
        join.family = fam.key();
        const bool chain = join.family == "chain_set";
        const bool group = join.family.rfind("group_", 0) == 0;
        join.r1 = rel(j, chain ? "first" : "relation");
        join.r2 = rel(j, chain ? "second" : group ? "group" : "filter");
        join.templates = LoadSplit(j, join.family + "." + std::to_string(n++), options.templates);
        if (join.r1 >= 0 && join.r2 >= 0 && !join.templates.empty()) joins.push_back(join);
      }
    }
    int n = 0;
    for (const json& j : combined_json) {
      Combined c;
      c.r1 = relation_index.count(j.at("relations")[0]) ? relation_index[j["relations"][0]] : -1;
      c.r2 = relation_index.count(j.at("relations")[1]) ? relation_index[j["relations"][1]] : -1;
      c.templates = LoadSplit(j, "combined." + std::to_string(n++), options.templates);
      if (c.r1 >= 0 && c.r2 >= 0 && !c.templates.empty()) combined.push_back(c);
    }
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("data/gen: ") + e.what());
  }
  return Status::OK();
}

void Generator::Impl::AddFact(World& w, std::vector<Triple> triples, const Templates& tmpls,
                              bool core, std::mt19937_64& rng) const {
  const Template& t = tmpls[rng() % tmpls.size()];
  std::map<std::string, std::string> slots;
  slots["$s"] = w.names[triples[0].s];
  for (size_t i = 0; i < triples.size(); ++i) {
    Triple& tr = triples[i];
    const Relation& r = relations[tr.rel];
    if (r.value) tr.value_text = RenderValue(r.object, tr.value, rng);
    const std::string object = r.value ? tr.value_text : w.names[tr.o];
    const std::string suffix = triples.size() == 1 ? "" : std::to_string(i + 1);
    slots["$o" + suffix] = object;
    slots["$a_o" + suffix] = Article(object);
    tr.fact = static_cast<uint32_t>(w.facts.size());
    tr.core = core;
    w.triples.push_back(tr);
  }
  w.facts.push_back(Render(t.text, slots));
}

void Generator::Impl::BuildCluster(World& w, int n_facts, bool core, std::mt19937_64& rng) const {
  // The theme: relations about one kind of subject, plus bridges from their objects.
  static const std::vector<std::pair<std::string, int>> kAnchors = {
      {"person", 60}, {"book", 5},  {"film", 5},    {"place", 8},      {"country", 7},
      {"organisation", 5}, {"club", 3}, {"product", 2}, {"event", 2}, {"attraction", 2},
      {"invention", 1}};
  int total = 0;
  for (const auto& a : kAnchors) total += a.second;
  int pick = static_cast<int>(rng() % total);
  std::string anchor;
  for (const auto& a : kAnchors) {
    if ((pick -= a.second) < 0) {
      anchor = a.first;
      break;
    }
  }
  std::vector<int> theme, of_anchor;
  for (int i = 0; i < static_cast<int>(relations.size()); ++i) {
    if (relations[i].subject == anchor) of_anchor.push_back(i);
  }
  std::shuffle(of_anchor.begin(), of_anchor.end(), rng);
  // Keep one value relation (a height, a population) among the five, so that
  // min/max questions can be scoped to one cluster at any database size.
  auto value_rel = std::find_if(of_anchor.begin(), of_anchor.end(),
                                [&](int r) { return relations[r].value; });
  if (value_rel != of_anchor.end()) std::iter_swap(of_anchor.begin(), value_rel);
  of_anchor.resize(std::min<size_t>(of_anchor.size(), 5));
  theme = of_anchor;
  for (int r : of_anchor) {
    if (relations[r].value || rng() % 2) continue;
    std::vector<int> bridges;
    for (int i = 0; i < static_cast<int>(relations.size()); ++i) {
      if (relations[i].subject == relations[r].object && relations[i].subject != anchor) {
        bridges.push_back(i);
      }
    }
    if (!bridges.empty()) theme.push_back(bridges[rng() % bridges.size()]);
  }
  std::sort(theme.begin(), theme.end());
  theme.erase(std::unique(theme.begin(), theme.end()), theme.end());

  // Small pools of entities per kind, so that facts share them.
  std::map<std::string, std::vector<int>> pools;
  auto pool = [&](const std::string& kind) -> std::vector<int>& {
    auto& p = pools[kind];
    if (p.empty()) {
      int size = kind == anchor ? std::max(3, n_facts / 4) : std::max(2, n_facts / 8);
      if (kind == "gender") size = 2;
      std::unordered_set<std::string> picked;
      for (int i = 0; i < size * 3 && static_cast<int>(p.size()) < size; ++i) {
        const std::string name = namer->Name(kind, rng, w.used);
        if (picked.insert(name).second) p.push_back(w.Entity(name, kind));
      }
    }
    return p;
  };
  auto& seen = w.seen;
  auto& has = w.has;
  auto make = [&](int r, int s, std::mt19937_64& g) -> std::optional<Triple> {
    const Relation& rel = relations[r];
    Triple t{r, s, -1, {}, "", 0, core};
    if (rel.functional && has.count({r, s})) return std::nullopt;
    if (rel.value) {
      t.value = RandomValue(rel.object, g);
    } else {
      const auto& objects = pool(rel.object);
      t.o = objects[g() % objects.size()];
      if (t.o == s || seen.count({r, s, t.o}) || (rel.symmetric && seen.count({r, t.o, s}))) {
        return std::nullopt;
      }
    }
    return t;
  };
  auto commit = [&](const Triple& t) {
    seen.insert({t.rel, t.s, t.o});
    if (relations[t.rel].functional) has.insert({t.rel, t.s});
  };

  int made = 0;
  for (int attempt = 0; made < n_facts && attempt < n_facts * 50; ++attempt) {
    const int r = theme[rng() % theme.size()];
    const auto& subjects = pool(relations[r].subject);
    const int s = subjects[rng() % subjects.size()];
    auto t = make(r, s, rng);
    if (!t) continue;
    // Sometimes state a second fact about the same subject in the same sentence.
    if (rng() % 8 == 0) {
      for (const Combined& c : combined) {
        if (c.r1 != r || std::find(theme.begin(), theme.end(), c.r2) == theme.end()) continue;
        auto t2 = make(c.r2, s, rng);
        if (!t2 || (t2->rel == t->rel && t2->o == t->o)) break;
        commit(*t);
        commit(*t2);
        AddFact(w, {*t, *t2}, c.templates, core, rng);
        made++;
        t.reset();
        break;
      }
      if (!t) continue;
    }
    commit(*t);
    AddFact(w, {*t}, relations[r].facts, core, rng);
    made++;
  }
}

// ------------------------------------------------------------- gold answers

namespace {

// Facts of the triples, sorted and unique.
std::vector<uint32_t> FactsOf(std::initializer_list<const Triple*> ts) {
  std::vector<uint32_t> f;
  for (const Triple* t : ts) f.push_back(t->fact);
  std::sort(f.begin(), f.end());
  f.erase(std::unique(f.begin(), f.end()), f.end());
  return f;
}

// The triples of `rel` about entity `e` as subject (or, for symmetric
// relations, as either side), among the first `visible` facts, each with the other side.
std::vector<std::pair<const Triple*, int>> Around(const World& w, const Relation& r, int rel,
                                                  int e, uint64_t visible, bool as_subject) {
  std::vector<std::pair<const Triple*, int>> out;
  auto scan = [&](const std::unordered_map<int, std::vector<int>>& index, bool subject_side) {
    auto it = index.find(e);
    if (it == index.end()) return;
    for (int i : it->second) {
      const Triple& t = w.triples[i];
      if (t.fact < visible) out.emplace_back(&t, subject_side ? t.o : t.s);
    }
  };
  scan(as_subject ? w.by_s[rel] : w.by_o[rel], as_subject);
  if (r.symmetric) scan(as_subject ? w.by_o[rel] : w.by_s[rel], !as_subject);
  return out;
}

// Group keys with the most (or fewest) distinct members.
std::vector<int> BestGroups(const std::vector<Support>& sets, bool most) {
  std::map<int, std::set<int>> members;
  std::vector<int> order;
  for (const Support& s : sets) {
    if (!members.count(s.entity)) order.push_back(s.entity);
    members[s.entity].insert(s.member);
  }
  size_t best = most ? 0 : SIZE_MAX;
  for (const auto& [k, m] : members) best = most ? std::max(best, m.size()) : std::min(best, m.size());
  std::vector<int> out;
  for (int k : order) {
    if (members[k].size() == best) out.push_back(k);
  }
  return out;
}

}  // namespace

bool Generator::Impl::MakeQuery(const World& w, const std::string& type, uint64_t visible,
                                std::mt19937_64& rng, eval::Query* q) const {
  // Candidate (relation form | join) for this type.
  struct Option {
    int rel = -1;
    std::string form;
    const Join* join = nullptr;
  };
  std::vector<Option> choices;
  for (int r = 0; r < static_cast<int>(relations.size()); ++r) {
    for (const auto& [form, t] : relations[r].questions) {
      const std::string form_type = form.substr(0, form.find('_'));
      if (form_type == type) choices.push_back({r, form, nullptr});
    }
  }
  for (const Join& j : joins) {
    // group_argmax -> argmax, filter_min -> min, three_hop_set -> set, ...
    const std::string fam_type = j.family.substr(j.family.rfind('_') + 1);
    if (fam_type == type) choices.push_back({j.r1, j.family, &j});
  }
  if (choices.empty()) return false;
  const Option& opt = choices[rng() % choices.size()];

  // Anchors come from a core triple of the (first) relation.
  std::vector<const Triple*> core;
  for (int i : w.by_rel[opt.rel]) {
    if (w.triples[i].core) core.push_back(&w.triples[i]);
  }
  if (core.empty()) return false;
  const Triple& anchor = *core[rng() % core.size()];
  const Relation& rel = relations[opt.rel];
  const std::string& name_s = w.names[anchor.s];
  std::map<std::string, std::string> slots;
  std::vector<Support> sets;
  std::vector<std::string> answer;

  auto add_entity_sets = [&](const std::vector<std::pair<const Triple*, int>>& found) {
    for (const auto& [t, other] : found) {
      sets.push_back({FactsOf({t}), w.names[other], other});
    }
  };
  auto distinct_answer = [&](bool count) {
    std::vector<int> seen;
    for (const Support& s : sets) {
      if (std::find(seen.begin(), seen.end(), s.entity) == seen.end()) seen.push_back(s.entity);
    }
    if (seen.empty()) return;
    if (count) {
      answer = {std::to_string(seen.size())};
    } else {
      for (int e : seen) answer.push_back(w.names[e]);
    }
  };
  auto all_visible = [&](int r) {
    std::vector<const Triple*> out;
    for (int i : w.by_rel[r]) {
      if (w.triples[i].fact < visible) out.push_back(&w.triples[i]);
    }
    return out;
  };

  // Min/max/argmin/argmax over values: one support set per value triple
  // (plus the fact that put its subject in scope, for filtered questions).
  auto add_value_set = [&](const Triple* t, const Triple* scope, bool arg) {
    Support s{scope ? FactsOf({t, scope}) : FactsOf({t}),
              arg ? w.names[t->s] + " [SEP] " + t->value_text : t->value_text, t->s};
    s.value = t;
    sets.push_back(s);
  };
  auto extreme_answer = [&](const std::string& kind, bool arg) {
    const bool want_max = kind.find("max") != std::string::npos;
    const Triple* best = nullptr;
    for (const Support& s : sets) {
      const Triple* t = s.value;
      if (!best || (want_max ? t->value.key > best->value.key : t->value.key < best->value.key)) {
        best = t;
      }
    }
    if (best && !arg) answer = {best->value_text};
    for (const Support& s : sets) {
      const std::string& n = w.names[s.entity];
      if (arg && s.value->value.key == best->value.key &&
          std::find(answer.begin(), answer.end(), n) == answer.end()) {
        answer.push_back(n);
      }
    }
  };

  if (!opt.join) {
    const std::string& form = opt.form;
    const bool by_subject = form == "set_o" || form == "count_o" || form == "bool";
    if (form == "set_o" || form == "count_o" || form == "set_s" || form == "count_s") {
      const int e = by_subject ? anchor.s : anchor.o;
      if (rel.value) {  // a value lookup: "What is the population of $s?"
        if (!by_subject) return false;
        for (const auto& [t, other] : Around(w, rel, opt.rel, anchor.s, visible, true)) {
          (void)other;
          sets.push_back({FactsOf({t}), t->value_text});
          answer = {t->value_text};
        }
      } else {
        add_entity_sets(Around(w, rel, opt.rel, e, visible, by_subject));
        distinct_answer(form[0] == 'c');
      }
      slots[by_subject ? "$s" : "$o"] = w.names[e];
      if (!by_subject) slots["$a_o"] = Article(w.names[e]);
    } else if (form == "bool") {
      // Ask about the anchor's own object (TRUE) or another one (FALSE).
      std::string object;
      const Triple* other_t = core[rng() % core.size()];
      const bool ask_true = rng() % 2 == 0 || other_t == &anchor;
      const Triple& asked = ask_true ? anchor : *other_t;
      if (rel.value) {
        object = RenderValue(rel.object, asked.value, rng);
      } else {
        object = w.names[asked.o];
      }
      slots["$s"] = name_s;
      slots["$o"] = object;
      slots["$a_o"] = Article(object);
      bool any_true = false;
      for (const auto& [t, other] : Around(w, rel, opt.rel, anchor.s, visible, true)) {
        const bool holds = rel.value ? t->value.key == asked.value.key : other == asked.o;
        sets.push_back({FactsOf({t}), holds ? "TRUE" : "FALSE"});
        any_true = any_true || holds;
      }
      if (!sets.empty()) answer = {any_true ? "TRUE" : "FALSE"};
      if (any_true) {  // only the supporting facts back a TRUE
        std::erase_if(sets, [](const Support& s) { return s.derivation != "TRUE"; });
      }
    } else if (form == "min" || form == "max" || ((form == "argmin" || form == "argmax") && rel.value)) {
      for (const Triple* t : all_visible(opt.rel)) add_value_set(t, nullptr, form[0] == 'a');
      extreme_answer(form, form[0] == 'a');
    } else {  // argmax_o, argmin_o, argmax_s, argmin_s: groups by count
      const bool by_object = form.back() == 'o';
      for (const Triple* t : all_visible(opt.rel)) {
        for (int flip = 0; flip < (rel.symmetric ? 2 : 1); ++flip) {
          int key = by_object != (flip == 1) ? t->o : t->s;
          int member = key == t->o ? t->s : t->o;
          sets.push_back({FactsOf({t}), w.names[key] + " [SEP] " + w.names[member], key, member});
        }
      }
      for (int k : BestGroups(sets, form.rfind("argmax", 0) == 0)) answer.push_back(w.names[k]);
      if (rel.symmetric) {  // one set per fact, read both ways: "a [SEP] b [LIST] b [SEP] a"
        std::vector<Support> merged;
        for (size_t i = 0; i + 1 < sets.size(); i += 2) {
          merged.push_back(sets[i]);
          merged.back().derivation += " [LIST] " + sets[i + 1].derivation;
        }
        sets = std::move(merged);
      }
    }
    const Templates& tmpls = rel.questions.at(form);
    const Template& t = tmpls[rng() % tmpls.size()];
    q->query = Render(t.text, slots);
    q->extra["template"] = t.key;
    q->relation = rel.id;
  } else {
    const Join& j = *opt.join;
    const Relation& r2 = relations[j.r2];
    if (j.family == "filter_set" || j.family == "filter_count") {
      // Subjects s with r1(s, $o) and r2(s, $a); $o from the anchor, $a from one such s.
      if (anchor.o < 0 || r2.value) return false;
      std::vector<const Triple*> filters;
      for (const auto& [t, other] : Around(w, rel, j.r1, anchor.o, UINT64_MAX, false)) {
        for (const auto& [f, a] : Around(w, r2, j.r2, other, UINT64_MAX, true)) {
          (void)a;
          filters.push_back(f);
        }
        (void)t;
      }
      if (filters.empty()) return false;
      const int a = filters[rng() % filters.size()]->o;
      slots["$o"] = w.names[anchor.o];
      slots["$a"] = w.names[a];
      slots["$a_a"] = Article(w.names[a]);
      for (const auto& [t, s] : Around(w, rel, j.r1, anchor.o, visible, false)) {
        for (const auto& [f, fa] : Around(w, r2, j.r2, s, visible, true)) {
          if (fa == a) sets.push_back({FactsOf({t, f}), w.names[s], s});
        }
      }
      distinct_answer(j.family == "filter_count");
    } else if (j.family == "chain_set") {
      // Objects y with r1($x, m) and r2(m, y).
      slots["$x"] = name_s;
      for (const auto& [t, m] : Around(w, rel, j.r1, anchor.s, visible, true)) {
        if (m < 0) continue;
        for (const auto& [f, y] : Around(w, r2, j.r2, m, visible, true)) {
          const std::string d = y < 0 ? f->value_text : w.names[y];
          sets.push_back({FactsOf({t, f}), d, y});
          if (std::find(answer.begin(), answer.end(), d) == answer.end()) answer.push_back(d);
        }
      }
    } else if (j.family == "group_argmax" || j.family == "group_argmin") {
      // Among subjects s with r1(s, $o): the r2-object shared by the most/fewest.
      if (anchor.o < 0 || r2.value) return false;
      slots["$o"] = w.names[anchor.o];
      slots["$a_o"] = Article(w.names[anchor.o]);
      for (const auto& [t, s] : Around(w, rel, j.r1, anchor.o, visible, false)) {
        for (const auto& [f, y] : Around(w, r2, j.r2, s, visible, true)) {
          sets.push_back({FactsOf({t, f}), w.names[y] + " [SEP] " + w.names[s], y, s});
        }
      }
      for (int k : BestGroups(sets, j.family == "group_argmax")) answer.push_back(w.names[k]);
    } else if (j.family == "three_hop_set") {
      // Subjects s with r1(s, c), r1(t, c) and r2(t, $a).
      if (anchor.o < 0 || r2.value) return false;
      std::vector<const Triple*> filters;
      for (const auto& [f, a] : Around(w, r2, j.r2, anchor.s, UINT64_MAX, true)) {
        (void)a;
        filters.push_back(f);
      }
      if (filters.empty()) return false;
      const int a = filters[rng() % filters.size()]->o;
      slots["$a"] = w.names[a];
      slots["$a_a"] = Article(w.names[a]);
      std::set<std::vector<uint32_t>> seen;
      for (const auto& [f, t_ent] : Around(w, r2, j.r2, a, visible, false)) {
        for (const auto& [tc, c] : Around(w, rel, j.r1, t_ent, visible, true)) {
          for (const auto& [ts, s] : Around(w, rel, j.r1, c, visible, false)) {
            auto facts = FactsOf({f, tc, ts});
            if (seen.insert(facts).second) sets.push_back({facts, w.names[s], s});
          }
        }
      }
      distinct_answer(false);
    } else if (j.family.rfind("filter_", 0) == 0 && rel.value && !r2.value) {
      // filter_min/max/argmin/argmax: values of r1 over subjects s with r2(s, $a).
      const auto scopes = Around(w, r2, j.r2, anchor.s, UINT64_MAX, true);
      if (scopes.empty()) return false;
      const int a = scopes[rng() % scopes.size()].second;
      slots["$a"] = w.names[a];
      slots["$a_a"] = Article(w.names[a]);
      const bool arg = j.family.find("arg") != std::string::npos;
      for (const auto& [f, s] : Around(w, r2, j.r2, a, visible, false)) {
        for (const auto& [t, unused] : Around(w, rel, j.r1, s, visible, true)) {
          add_value_set(t, f, arg);
        }
      }
      extreme_answer(j.family, arg);
    } else {
      return false;
    }
    const Template& t = j.templates[rng() % j.templates.size()];
    q->query = Render(t.text, slots);
    q->extra["template"] = t.key;
    q->relation = rel.id + "+" + r2.id;
  }
  if (static_cast<int>(sets.size()) > options.max_support) return false;
  if (q->query.find('$') != std::string::npos) return false;  // a slot this form cannot fill
  q->type = type;
  q->height = visible - 1;  // WikiNLDB: the query sees facts[0..height]
  q->answer = answer;
  for (const Support& s : sets) {
    q->facts.push_back(s.facts);
    q->derivations.push_back(s.derivation);
  }
  return true;
}

// ---------------------------------------------------------------- Generator

Generator::Generator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Generator::~Generator() = default;

Result<std::unique_ptr<Generator>> Generator::Create(const GenOptions& options) {
  if (options.facts == 0) return Status::InvalidArgument("a database needs at least one fact");
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  auto namer = Namer::Create(options.entities, options.initials);
  if (!namer.ok()) return namer.status();
  impl->namer = std::move(*namer);
  NLDB_RETURN_IF_ERROR(impl->Load());
  return std::unique_ptr<Generator>(new Generator(std::move(impl)));
}

Generator::Counts Generator::TemplateCounts() const {
  Counts c;
  c.relations = static_cast<int>(impl_->relations.size());
  for (const Relation& r : impl_->relations) {
    c.fact_templates += static_cast<int>(r.facts.size());
    for (const auto& [form, t] : r.questions) c.question_templates += static_cast<int>(t.size());
  }
  for (const Join& j : impl_->joins) c.join_templates += static_cast<int>(j.templates.size());
  for (const Combined& m : impl_->combined) c.combined_templates += static_cast<int>(m.templates.size());
  return c;
}

eval::DatabaseRecord Generator::Generate(uint64_t index) const {
  const GenOptions& o = impl_->options;
  std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ull + index);
  World w;
  // Core clusters: one, plus one more per kCoreEvery facts, so that large
  // databases have enough anchors for every question type. Then distractors.
  // A cluster can come out empty (a theme about countries that already have
  // every fact it could state); give up only after many in a row.
  constexpr uint64_t kCoreEvery = 10000;
  const uint64_t core_clusters = 1 + o.facts / kCoreEvery;
  uint64_t clusters = 0;
  for (int empty = 0; w.facts.size() < o.facts && empty < 1000; ++clusters) {
    const int n = static_cast<int>(std::min<uint64_t>(o.core_facts, o.facts - w.facts.size()));
    const size_t before = w.facts.size();
    impl_->BuildCluster(w, n, /*core=*/clusters < core_clusters, rng);
    empty = w.facts.size() == before ? empty + 1 : 0;
  }

  // Shuffle the stream: core facts land anywhere among the distractors.
  std::vector<uint32_t> order(w.facts.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<uint32_t> position(order.size());
  for (uint32_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  eval::DatabaseRecord db;
  db.facts.resize(w.facts.size());
  for (uint32_t i = 0; i < order.size(); ++i) db.facts[i] = std::move(w.facts[order[i]]);
  for (Triple& t : w.triples) t.fact = position[t.fact];
  std::sort(w.triples.begin(), w.triples.end(),
            [](const Triple& a, const Triple& b) { return a.fact < b.fact; });
  const size_t n_rel = impl_->relations.size();
  w.by_rel.assign(n_rel, {});
  w.by_s.assign(n_rel, {});
  w.by_o.assign(n_rel, {});
  for (int i = 0; i < static_cast<int>(w.triples.size()); ++i) {
    const Triple& t = w.triples[i];
    w.by_rel[t.rel].push_back(i);
    w.by_s[t.rel][t.s].push_back(i);
    if (t.o >= 0) w.by_o[t.rel][t.o].push_back(i);
  }

  static const char* kTypes[] = {"set", "bool", "count", "min", "max", "argmin", "argmax"};
  std::set<std::pair<std::string, uint64_t>> asked;
  // Types in turn; a type that cannot be asked here (after 100 tries) is
  // skipped. No question without a fact to see.
  for (int n = 0, slot = 0, attempts = 0;
       !db.facts.empty() && n < o.queries && slot < 3LL * o.queries; ++attempts) {
    if (attempts == 100) {
      attempts = 0;
      ++slot;
    }
    const std::string type = kTypes[slot % 7];
    // Half the questions see the whole database; the rest a random prefix of
    // at least one fact.
    const uint64_t visible =
        rng() % 2 ? db.facts.size() : std::max<uint64_t>(1, rng() % (db.facts.size() + 1));
    eval::Query q;
    const std::mt19937_64 before = rng;
    if (!impl_->MakeQuery(w, type, visible, rng, &q)) continue;
    if (!asked.insert({q.query, q.height}).second) continue;
    q.id = "db" + std::to_string(index) + "-q" + std::to_string(n++);
    attempts = -1;  // the next slot starts afresh
    ++slot;
    // Sometimes ask the same question again at the end of the stream, when
    // later facts changed its answer (replaying the random choices).
    eval::Query later;
    std::mt19937_64 replay = before;
    const bool again = visible < db.facts.size() && n < o.queries && rng() % 3 == 0 &&
                       impl_->MakeQuery(w, type, db.facts.size(), replay, &later) &&
                       later.query == q.query && later.answer != q.answer;
    db.queries.push_back(std::move(q));
    if (again && asked.insert({later.query, later.height}).second) {
      later.id = "db" + std::to_string(index) + "-q" + std::to_string(n++);
      db.queries.push_back(std::move(later));
    }
  }
  db.metadata = {{"generator", "nldb gen"},
                 {"seed", o.seed},
                 {"index", index},
                 {"facts", db.facts.size()},
                 {"templates", o.templates == Split::kTrain     ? "train"
                               : o.templates == Split::kHeldout ? "heldout"
                                                                : "all"},
                 {"entities", o.entities == Split::kTrain     ? "train"
                              : o.entities == Split::kHeldout ? "heldout"
                                                              : "all"}};
  return db;
}

}  // namespace nldb::gen
