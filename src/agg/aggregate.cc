#include "agg/aggregate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "agg/value.h"

namespace nldb::agg {
namespace {

constexpr std::array<std::string_view, 9> kTypeNames = {
    "set", "bool", "count", "min", "max", "argmin", "argmax", "sum", "avg"};

// One distinct intermediate answer (see "parts" in the header).
struct Part {
  std::string_view text;                 // as first seen, trimmed
  std::vector<std::string_view> pieces;  // text split on [SEP], at least one
  std::vector<uint64_t> facts;           // may repeat; Aggregate sorts them
};

std::string_view Trim(std::string_view s) {
  const size_t begin = s.find_first_not_of(" \t\n\v\f\r");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\n\v\f\r") - begin + 1);
}

std::vector<std::string_view> Split(std::string_view s, std::string_view marker) {
  std::vector<std::string_view> out;
  for (size_t at; (at = s.find(marker)) != std::string_view::npos; s.remove_prefix(at + marker.size())) {
    out.push_back(Trim(s.substr(0, at)));
  }
  out.push_back(Trim(s));
  return out;
}

void Append(std::vector<uint64_t>& into, const std::vector<uint64_t>& from) {
  into.insert(into.end(), from.begin(), from.end());
}

// What tells parts apart: each normalised piece, prefixed by its length;
// empty for a part to drop (a piece that is empty or NULL).
std::string PartKey(const std::vector<std::string_view>& pieces) {
  std::string key;
  for (std::string_view piece : pieces) {
    const std::string normal = NormalizeAnswer(piece);
    if (normal.empty() || piece == "NULL") return {};
    key += std::to_string(normal.size()) + ':' + normal;
  }
  return key;
}

// True when every id of `a` is in `b` and `b` has more (both sorted, unique).
bool StrictSubset(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  return a.size() < b.size() && std::includes(b.begin(), b.end(), a.begin(), a.end());
}

// The distinct parts of `inputs`, in first-seen order; they view its text.
std::vector<Part> Parts(const std::vector<Intermediate>& inputs) {
  std::vector<Part> parts;
  std::vector<std::vector<std::vector<uint64_t>>> sets;  // per part: the fact sets giving it
  std::unordered_map<std::string, size_t> seen;  // PartKey -> index in parts
  for (const Intermediate& input : inputs) {
    std::vector<uint64_t> facts = input.facts;
    std::sort(facts.begin(), facts.end());
    facts.erase(std::unique(facts.begin(), facts.end()), facts.end());
    for (std::string_view text : Split(input.text, "[LIST]")) {
      Part part{text, Split(text, "[SEP]"), {}};
      std::string key = PartKey(part.pieces);
      if (key.empty()) continue;
      const auto [it, added] = seen.emplace(std::move(key), parts.size());
      if (added) {
        parts.push_back(std::move(part));
        sets.emplace_back();
      }
      sets[it->second].push_back(facts);
    }
  }
  // A set holding a smaller one that gives the same part adds no evidence.
  for (size_t i = 0; i < parts.size(); ++i) {
    for (const auto& set : sets[i]) {
      const bool holds_smaller = std::any_of(sets[i].begin(), sets[i].end(),
                                             [&](const auto& other) { return StrictSubset(other, set); });
      if (!holds_smaller) Append(parts[i].facts, set);
    }
  }
  return parts;
}

// The value of a part: the piece after the first [SEP], or the only one.
std::string_view Value(const Part& p) { return p.pieces[p.pieces.size() > 1 ? 1 : 0]; }

// The order key of each of `values` (see the header), nullopt for those
// left out. Dates key as year * 10^4 + month * 100 + day, exactly.
std::vector<std::optional<double>> OrderKeys(const std::vector<std::string_view>& raw) {
  std::vector<std::string> values;
  for (std::string_view v : raw) values.push_back(CleanAnswer(v));
  // Dates or numbers, by vote: a stray date among numbers is left out.
  size_t full_dates = 0, other_numbers = 0;
  for (const std::string& v : values) {
    if (ParseDate(v)) {
      ++full_dates;
    } else if (ParseNumber(v) && !ParseDate(v, /*allow_bare_year=*/true)) {
      ++other_numbers;
    }
  }
  const bool dates = full_dates > 0 && full_dates >= other_numbers;
  std::vector<std::optional<double>> keys;
  std::vector<NumberUnit> units(values.size(), NumberUnit::kNone);
  std::array<size_t, 3> per_unit{};  // numbers, by NumberUnit
  for (size_t i = 0; i < values.size(); ++i) {
    if (!dates) {
      keys.push_back(ParseNumber(values[i], &units[i]));
      if (keys.back()) ++per_unit[static_cast<size_t>(units[i])];
    } else if (std::optional<Date> d = ParseDate(values[i], /*allow_bare_year=*/true)) {
      keys.push_back(d->year * 1e4 + d->month * 100 + d->day);
    } else {
      keys.push_back(std::nullopt);
    }
  }
  // One column holds one kind of number: a reader's stray span from another
  // relation ("1.55 m" among attendances) is left out. (Dates count no unit.)
  const auto most = std::max_element(per_unit.begin(), per_unit.end());
  if (std::count(per_unit.begin(), per_unit.end(), *most) == 1) {
    const auto unit = static_cast<NumberUnit>(most - per_unit.begin());
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] && units[i] != unit) keys[i].reset();
    }
  }
  return keys;
}

bool Better(double a, double b, bool greatest) { return greatest ? a > b : a < b; }

Answer Bool(const std::vector<Part>& parts) {
  for (std::string_view word : {"true", "false"}) {
    Answer answer;
    for (const Part& p : parts) {
      if (NormalizeAnswer(p.text) != word) continue;
      if (answer.values.empty()) answer = {{word == "true" ? "TRUE" : "FALSE"}, {{}}};
      Append(answer.support[0], p.facts);
    }
    if (!answer.values.empty()) return answer;
  }
  return {};
}

Answer Extreme(const std::vector<Part>& parts, bool greatest) {
  std::vector<std::string_view> values;
  for (const Part& p : parts) values.push_back(Value(p));
  const std::vector<std::optional<double>> keys = OrderKeys(values);
  std::optional<double> best;
  for (const std::optional<double>& k : keys) {
    if (k && (!best || Better(*k, *best, greatest))) best = k;
  }
  if (!best) return {};
  Answer answer;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (keys[i] != best) continue;
    if (answer.values.empty()) answer = {{std::string(values[i])}, {{}}};
    Append(answer.support[0], parts[i].facts);
  }
  return answer;
}

Answer Arg(const std::vector<Part>& all, bool greatest) {
  std::vector<const Part*> parts;
  std::vector<std::string_view> values;
  for (const Part& p : all) {
    if (p.pieces.size() < 2) continue;
    parts.push_back(&p);
    values.push_back(p.pieces[1]);
  }
  const std::vector<std::optional<double>> keys = OrderKeys(values);
  // Ordered when most values are: a reader's stray span ("Madi-Okollo
  // Castle" for a visitor count) is then left out instead of turning the
  // question into counting values.
  const auto ordered_values = std::count_if(keys.begin(), keys.end(), [](const auto& k) { return k.has_value(); });
  const bool ordered = 2 * static_cast<size_t>(ordered_values) > keys.size();

  struct Label {
    std::string_view text;  // as first seen
    std::string normalised;
    std::vector<uint64_t> facts;
  };
  struct Group {
    double score = 0;
    std::unordered_set<std::string> values;  // normalised; only when !ordered
    std::vector<Label> labels;               // what the key answers with (itself, or its labels)
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> index;  // normalised key -> groups
  for (size_t i = 0; i < parts.size(); ++i) {
    if (ordered && !keys[i]) continue;
    const Part& p = *parts[i];
    const auto [it, added] = index.emplace(NormalizeAnswer(p.pieces[0]), groups.size());
    if (added) groups.push_back({ordered ? *keys[i] : 0, {}, {}});
    Group& g = groups[it->second];
    if (ordered && Better(*keys[i], g.score, greatest)) g.score = *keys[i];
    if (!ordered) g.values.insert(NormalizeAnswer(values[i]));
    const std::string_view text = p.pieces.size() > 2 ? p.pieces[2] : p.pieces[0];
    std::string normalised = NormalizeAnswer(text);
    auto label = std::find_if(g.labels.begin(), g.labels.end(),
                              [&](const Label& l) { return l.normalised == normalised; });
    if (label == g.labels.end()) label = g.labels.insert(label, {text, std::move(normalised), {}});
    Append(label->facts, p.facts);
  }
  if (!ordered) {
    for (Group& g : groups) g.score = static_cast<double>(g.values.size());
  }
  std::optional<double> best;
  for (const Group& g : groups) {
    if (!best || Better(g.score, *best, greatest)) best = g.score;
  }
  Answer answer;
  std::unordered_map<std::string, size_t> labels;  // normalised label -> answer
  for (const Group& g : groups) {
    if (g.score != best) continue;
    for (const Label& l : g.labels) {
      const auto [it, added] = labels.emplace(l.normalised, answer.values.size());
      if (added) {
        answer.values.emplace_back(l.text);
        answer.support.emplace_back();
      }
      Append(answer.support[it->second], l.facts);
    }
  }
  return answer;
}

Answer Total(const std::vector<Part>& parts, bool mean) {
  double sum = 0;
  size_t n = 0;
  std::vector<uint64_t> facts;
  for (const Part& p : parts) {
    if (std::optional<double> x = ParseNumber(CleanAnswer(Value(p)))) {
      sum += *x;
      ++n;
      Append(facts, p.facts);
    }
  }
  if (n == 0) return {};
  // Rounded to 6 decimals, so 0.1 + 0.2 is 0.3.
  const double exact = mean ? sum / n : sum;
  const double rounded = std::round(exact * 1e6) / 1e6;
  const double result = std::isfinite(rounded) ? rounded : exact;
  return {{FormatNumber(result)}, {std::move(facts)}};
}

}  // namespace

std::optional<QueryType> ParseQueryType(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<QueryType>(i);
  }
  return std::nullopt;
}

std::string_view QueryTypeName(QueryType type) { return kTypeNames[static_cast<size_t>(type)]; }

Answer Aggregate(QueryType type, const std::vector<Intermediate>& inputs) {
  const std::vector<Part> parts = Parts(inputs);
  if (parts.empty()) return {};
  Answer answer;
  switch (type) {
    case QueryType::kSet:
      for (const Part& p : parts) {
        answer.values.emplace_back(p.text);
        answer.support.push_back(p.facts);
      }
      break;
    case QueryType::kBool: answer = Bool(parts); break;
    case QueryType::kCount:
      answer = {{std::to_string(parts.size())}, {{}}};
      for (const Part& p : parts) Append(answer.support[0], p.facts);
      break;
    case QueryType::kMin: answer = Extreme(parts, false); break;
    case QueryType::kMax: answer = Extreme(parts, true); break;
    case QueryType::kArgmin: answer = Arg(parts, false); break;
    case QueryType::kArgmax: answer = Arg(parts, true); break;
    case QueryType::kSum: answer = Total(parts, false); break;
    case QueryType::kAvg: answer = Total(parts, true); break;
  }
  for (std::vector<uint64_t>& facts : answer.support) {
    std::sort(facts.begin(), facts.end());
    facts.erase(std::unique(facts.begin(), facts.end()), facts.end());
  }
  return answer;
}

bool SameIntermediate(std::string_view a, std::string_view b) {
  auto keys = [](std::string_view text) {
    std::set<std::string> out;
    for (std::string_view part : Split(text, "[LIST]")) {
      if (std::string key = PartKey(Split(part, "[SEP]")); !key.empty()) out.insert(std::move(key));
    }
    return out;
  };
  return keys(a) == keys(b);
}

}  // namespace nldb::agg
