#include "model/type_cues.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "text/tokenizer.h"

namespace nldb::model {

namespace {

constexpr uint8_t kAll = 0x7f;
constexpr uint8_t kBool = 1 << 1;
constexpr uint8_t kMin = 1 << 3, kMax = 1 << 4, kArgmin = 1 << 5, kArgmax = 1 << 6;

// The question's words (and punctuation, commas included) as written, and lowercased.
struct Words {
  std::vector<std::string> as_written, lower;
};

Words SplitQuestion(std::string_view q) {
  Words w;
  for (auto [b, e] : text::SplitWords(q)) {
    w.as_written.emplace_back(q.substr(b, e - b));
    w.lower.push_back(w.as_written.back());
    for (char& c : w.lower.back()) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return w;
}

bool IsSuperlative(const Words& words, size_t i) {
  static const std::set<std::string> kNotSuperlative = {
      "interest", "forest",  "test",    "west",      "guest",     "request",  "honest",
      "modest",   "contest", "rest",    "nest",      "chest",     "protest",  "arrest",
      "harvest",  "suggest", "invest",  "manifest",  "quest",     "conquest", "priest",
      "digest",   "crest",   "pest",    "vest",      "zest",      "jest",     "attest",
      "detest",   "behest",  "inquest", "midwest",   "southwest", "northwest", "earnest",
      "dishonest", "tempest", "bequest"};
  if (i > 0 && std::isupper(static_cast<unsigned char>(words.as_written[i][0]))) return false;
  const std::string& l = words.lower[i];
  if (l == "least") return i == 0 || words.lower[i - 1] != "at";
  if (l == "most" || l == "fewest") return true;
  return l.size() >= 4 && l.ends_with("est") && !kNotSuperlative.count(l);
}

// "is the least attended event ?": a copula, "the", then words without a
// preposition that end in a kind of thing (its plural too), which the noun
// phrase is about.
bool IsAThingNamedLast(std::vector<std::string>::const_iterator it,
                       std::vector<std::string>::const_iterator end) {
  static const std::set<std::string> kCopulas = {"is", "was", "are", "were"};
  static const std::set<std::string> kPrepositions = {"of", "in", "at", "among", "on", "for",
                                                      "by", "from", "with", "to", "than"};
  static const std::set<std::string> kThings = {
      "person", "people", "place", "country", "organisation", "organization", "university",
      "club", "league", "film", "movie", "book", "occupation", "job", "profession", "currency",
      "gender", "invention", "product", "event", "attraction", "city", "company", "team",
      "player", "nationality", "employer", "writer", "author", "director"};
  auto punctuation = [](const std::string& w) {
    const auto c = static_cast<unsigned char>(w.empty() ? ' ' : w[0]);
    return !std::isalnum(c) && c < 0x80;
  };
  while (end != it && punctuation(end[-1])) --end;  // "?"
  if (end - it < 3 || !kCopulas.count(it[0]) || it[1] != "the") return false;
  for (auto w = it + 2; w != end; ++w) {
    if (kPrepositions.count(*w)) return false;
  }
  const std::string& last = end[-1];
  return kThings.count(last) ||
         (last.ends_with('s') && kThings.count(last.substr(0, last.size() - 1)));
}

bool AsksForAThing(const std::vector<std::string>& words) {  // lowercased
  static const std::set<std::string> kLeadIns = {"of", "among", "out", "from"};
  static const std::set<std::string> kPrepositions = {"in", "at", "on", "for", "to"};
  static const std::set<std::string> kNotANoun = {"is", "was", "are", "were", "has", "had",
                                                  "does", "did", "do", "the", "a", "an"};
  static const std::set<std::string> kValueNouns = {
      "year", "date",   "day",    "month", "number", "rate", "percentage", "population",
      "height", "figure", "amount", "value", "count", "level", "size",    "total", "quantity"};
  auto begin = words.begin();
  if (begin != words.end() && kLeadIns.count(*begin)) {
    const auto comma = std::find(begin, words.end(), ",");
    if (comma != words.end()) begin = comma + 1;
  }
  if (begin != words.end() && kPrepositions.count(*begin)) ++begin;
  if (begin == words.end()) return false;
  const std::string& first = *begin;
  if (first == "who" || first == "whom" || first == "whose" || first == "where" || first == "name") {
    return true;
  }
  if (first != "which" && first != "what") return false;
  if (begin + 1 == words.end()) return false;
  if (IsAThingNamedLast(begin + 1, words.end())) return true;
  if (kNotANoun.count(begin[1])) return false;
  const auto stop = begin + std::min<std::ptrdiff_t>(3, words.end() - begin);
  for (auto it = begin + 1; it != stop; ++it) {
    if (kValueNouns.count(*it)) return false;
  }
  return true;
}

// What the opening word says: a question that opens with an auxiliary verb
// and has no wh-word and no "or" asks yes or no; one that opens with anything
// else does not; the rest ("Is Ada the place where ...?", "Can you name ...?")
// may do either.
enum class Polarity { kYesNo, kNotYesNo, kEither };
Polarity PolarityOf(const std::vector<std::string>& words) {  // lowercased
  static const std::set<std::string> kAuxiliaries = {
      "is",  "are", "was",   "were", "do",    "does",  "did",    "has", "have",
      "had", "can", "could", "will", "would", "shall", "should", "may", "might", "must"};
  static const std::set<std::string> kWhWords = {"who", "whom", "whose", "what", "which", "where",
                                                 "when", "why", "how", "name", "list", "or"};
  if (words.empty() || !kAuxiliaries.count(words[0])) return Polarity::kNotYesNo;
  const bool wh = std::any_of(words.begin(), words.end(),
                              [](const std::string& w) { return kWhWords.count(w) > 0; });
  return wh ? Polarity::kEither : Polarity::kYesNo;
}

}  // namespace

uint8_t TypesTheWordingAllows(std::string_view question) {
  const Words words = SplitQuestion(question);
  const Polarity polarity = PolarityOf(words.lower);
  if (polarity == Polarity::kYesNo) return kBool;
  uint8_t allowed = polarity == Polarity::kNotYesNo ? static_cast<uint8_t>(kAll & ~kBool) : kAll;
  for (size_t i = 0; i < words.lower.size(); ++i) {
    if (IsSuperlative(words, i)) {
      allowed = kMin | kMax | kArgmin | kArgmax;
      break;
    }
  }
  if (AsksForAThing(words.lower)) allowed &= static_cast<uint8_t>(~(kMin | kMax));
  return allowed;
}

}  // namespace nldb::model
