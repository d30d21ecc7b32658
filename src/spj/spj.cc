#include "spj/spj.h"

#include <algorithm>
#include <utility>

namespace nldb::spj {

std::string VotedType(const std::vector<SpjOutput>& outputs) {
  std::vector<std::pair<std::string, int>> votes;  // in the order first seen
  for (const auto& o : outputs) {
    auto it = std::find_if(votes.begin(), votes.end(), [&](const auto& v) { return v.first == o.type; });
    if (it == votes.end()) {
      votes.emplace_back(o.type, 1);
    } else {
      ++it->second;
    }
  }
  std::string best;
  int most = 0;
  for (const auto& [type, n] : votes) {
    if (n > most) {
      best = type;
      most = n;
    }
  }
  return best;
}

}  // namespace nldb::spj
