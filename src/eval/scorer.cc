#include "eval/scorer.h"

#include <set>

#include "agg/value.h"

namespace nldb::eval {

Score ScoreAnswer(const std::vector<std::string>& predicted, const std::vector<std::string>& gold) {
  std::set<std::string> p, g;
  for (const auto& a : predicted) p.insert(agg::NormalizeAnswer(a));
  for (const auto& a : gold) g.insert(agg::NormalizeAnswer(a));
  Score s;
  s.exact = p == g;
  if (p.empty() && g.empty()) {
    s.f1 = 1;
    return s;
  }
  size_t common = 0;
  for (const auto& a : p) common += g.count(a);
  if (common == 0) return s;
  const double precision = static_cast<double>(common) / p.size();
  const double recall = static_cast<double>(common) / g.size();
  s.f1 = 2 * precision * recall / (precision + recall);
  return s;
}

}  // namespace nldb::eval
