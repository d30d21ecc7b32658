#include "spj/spj.h"

#include <map>

namespace nldb::spj {

std::string VotedType(const std::vector<SpjOutput>& outputs) {
  std::map<std::string, int> votes;
  std::string best;
  for (const auto& o : outputs) {
    if (++votes[o.type] > votes[best] || best.empty()) best = o.type;
  }
  return best;
}

}  // namespace nldb::spj
