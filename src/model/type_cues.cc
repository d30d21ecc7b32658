#include "model/type_cues.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace nldb::model {

namespace {

constexpr uint8_t kAll = 0x7f;
constexpr uint8_t kMin = 1 << 3, kMax = 1 << 4, kArgmin = 1 << 5, kArgmax = 1 << 6;

// Words and commas, as written.
std::vector<std::string> Words(std::string_view q) {
  std::vector<std::string> out;
  std::string w;
  auto flush = [&] {
    if (!w.empty()) out.push_back(std::move(w));
    w.clear();
  };
  for (char c : q) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'' || (c & 0x80)) {
      w += c;
    } else {
      flush();
      if (c == ',') out.emplace_back(",");
    }
  }
  flush();
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsSuperlative(const std::vector<std::string>& words, size_t i) {
  static const std::set<std::string> kNotSuperlative = {
      "interest", "forest",  "test",    "west",      "guest",     "request",  "honest",
      "modest",   "contest", "rest",    "nest",      "chest",     "protest",  "arrest",
      "harvest",  "suggest", "invest",  "manifest",  "quest",     "conquest", "priest",
      "digest",   "crest",   "pest",    "vest",      "zest",      "jest",     "attest",
      "detest",   "behest",  "inquest", "midwest",   "southwest", "northwest", "earnest",
      "dishonest", "tempest", "bequest"};
  const std::string& w = words[i];
  if (w.empty() || (i > 0 && std::isupper(static_cast<unsigned char>(w[0])))) return false;
  const std::string l = Lower(w);
  if (l == "least") return i == 0 || Lower(words[i - 1]) != "at";
  if (l == "most" || l == "fewest") return true;
  return l.size() >= 4 && l.ends_with("est") && !kNotSuperlative.count(l);
}

bool AsksForAThing(std::vector<std::string> words) {
  static const std::set<std::string> kLeadIns = {"of", "among", "out", "from"};
  static const std::set<std::string> kPrepositions = {"in", "at", "on", "for", "to"};
  static const std::set<std::string> kNotANoun = {"is", "was", "are", "were", "has", "had",
                                                  "does", "did", "do", "the", "a", "an"};
  static const std::set<std::string> kValueNouns = {
      "year", "date",   "day",    "month", "number", "rate", "percentage", "population",
      "height", "figure", "amount", "value", "count", "level", "size",    "total", "quantity"};
  auto begin = words.begin();
  if (begin != words.end() && kLeadIns.count(Lower(*begin))) {
    const auto comma = std::find(begin, words.end(), ",");
    if (comma != words.end()) begin = comma + 1;
  }
  if (begin != words.end() && kPrepositions.count(Lower(*begin))) ++begin;
  if (begin == words.end()) return false;
  const std::string first = Lower(*begin);
  if (first == "who" || first == "whom" || first == "whose" || first == "where" || first == "name") {
    return true;
  }
  if (first != "which" && first != "what") return false;
  if (begin + 1 == words.end() || kNotANoun.count(Lower(begin[1]))) return false;
  for (auto it = begin + 1; it != words.end() && it < begin + 3; ++it) {
    if (kValueNouns.count(Lower(*it))) return false;
  }
  return true;
}

}  // namespace

uint8_t TypesTheWordingAllows(std::string_view question) {
  const std::vector<std::string> words = Words(question);
  uint8_t allowed = kAll;
  for (size_t i = 0; i < words.size(); ++i) {
    if (IsSuperlative(words, i)) {
      allowed = kMin | kMax | kArgmin | kArgmax;
      break;
    }
  }
  if (AsksForAThing(words)) allowed &= static_cast<uint8_t>(~(kMin | kMax));
  return allowed;
}

}  // namespace nldb::model
