#include "model/examples.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

#include "eval/evaluate.h"
#include "storage/temp_store.h"

namespace nldb::model {

namespace {
// Words of `s` that start with a capital letter: cheap signs of shared entities.
std::set<std::string> Names(const std::string& s) {
  std::set<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != '?' && s[j] != '.') ++j;
    if (j > i && std::isupper(static_cast<unsigned char>(s[i]))) out.insert(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
// A letter; bytes above ASCII count as letters, so that "Kučera" is one word
// (not "Ku" and "era", which paraphrasing could replace).
bool IsLetter(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalpha(u) || u >= 0x80;
}

// The first five letters of each word of `texts`, lowercased; a word whose
// whole lowercase form is in `skip` is left out.
std::unordered_set<std::string> Stems(const std::vector<std::string>& texts,
                                      const std::unordered_set<std::string>* skip = nullptr) {
  std::unordered_set<std::string> out;
  for (const std::string& t : texts) {
    for (size_t i = 0; i < t.size();) {
      size_t j = i;
      while (j < t.size() && IsLetter(t[j])) ++j;
      if (j > i) {
        std::string w = t.substr(i, j - i);
        for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!skip || !skip->count(w)) out.insert(w.substr(0, 5));
      }
      i = j + 1;
    }
  }
  return out;
}

// Words that carry the query type or the sentence's structure.
const std::unordered_set<std::string>& FunctionWords() {
  static const std::unordered_set<std::string> kWords = {
      "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or",
      "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did",
      "who", "whom", "whose", "what", "which", "where", "when", "how", "many", "much", "most",
      "least", "more", "less", "fewer", "fewest", "number", "not", "no", "there", "their",
      "them", "they", "it", "its", "as", "that", "this", "these", "those", "than", "any", "all",
      "each", "some", "same", "one", "first", "last", "only", "ever", "also", "both"};
  return kWords;
}

// Stems of the words of `text` that are neither names nor function words.
std::unordered_set<std::string> ContentStems(const std::string& text) {
  return Stems({text}, &FunctionWords());
}

// From `sets` (best first): the first retrieved / 2 non-answering sets, as
// many more at random among the other non-answering ones, and up to
// retrieved / 2 answering sets. Answering sets of one fact count too: the
// reader must not learn that a lone fact is a sign of NULL.
void AddRetrieved(const eval::DatabaseRecord& db, const eval::Query& q,
                  const std::vector<eval::SetToRead>& sets, int retrieved, std::mt19937_64& rng,
                  std::vector<Example>* out) {
  std::vector<const eval::SetToRead*> nulls, answering;
  for (const auto& s : sets) {
    if (!s.gold.empty()) {
      answering.push_back(&s);
    } else {
      nulls.push_back(&s);
    }
  }
  const size_t best = std::min<size_t>(nulls.size(), retrieved / 2);
  std::shuffle(nulls.begin() + best, nulls.end(), rng);
  std::shuffle(answering.begin(), answering.end(), rng);
  nulls.resize(std::min<size_t>(nulls.size(), retrieved));
  answering.resize(std::min<size_t>(answering.size(), retrieved / 2));
  for (const auto* group : {&nulls, &answering}) {
    for (const eval::SetToRead* s : *group) {
      Example e{q.query, {}, s->gold, q.type};
      for (uint32_t f : s->facts) e.facts.push_back(db.facts[f]);
      out->push_back(std::move(e));
    }
  }
}

}  // namespace

namespace {

// The [begin, end) of each word of `text` that may be replaced: lowercase,
// no function word, and none whose first five letters match a word of `keep`.
std::vector<std::pair<size_t, size_t>> ReplaceableWords(const std::string& text,
                                                        const std::vector<std::string>& keep) {
  const auto kept = Stems(keep);
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t i = 0; i < text.size();) {
    size_t j = i;
    while (j < text.size() && IsLetter(text[j])) ++j;
    if (j == i) {
      ++i;
      continue;
    }
    const std::string word = text.substr(i, j - i);
    if (std::all_of(word.begin(), word.end(), IsLower) && !FunctionWords().count(word) &&
        !kept.count(word.substr(0, 5))) {
      out.emplace_back(i, j);
    }
    i = j;
  }
  return out;
}

}  // namespace

std::string Paraphrase(const std::string& text, const std::vector<std::string>& keep,
                       const text::Synonyms& synonyms, double word_rate, std::mt19937_64& rng) {
  std::string out;
  std::uniform_real_distribution<double> coin(0, 1);
  size_t done = 0;  // text before this is in `out`
  for (const auto& [b, e] : ReplaceableWords(text, keep)) {
    const auto& syns = synonyms.Of(text.substr(b, e - b));
    if (syns.empty() || coin(rng) >= word_rate) continue;
    out += text.substr(done, b - done) + syns[rng() % syns.size()];
    done = e;
  }
  return out + text.substr(done);
}

std::string WithAnUnknownWord(const std::string& text, const std::vector<std::string>& keep,
                              const std::vector<std::string>& words, std::mt19937_64& rng) {
  const auto candidates = ReplaceableWords(text, keep);
  if (words.empty() || candidates.empty()) return text;
  const auto [b, e] = candidates[rng() % candidates.size()];
  return text.substr(0, b) + words[rng() % words.size()] + text.substr(e);
}

Result<std::vector<Example>> ExamplesFromDatabase(const eval::DatabaseRecord& db,
                                                  const ExampleOptions& options, std::mt19937_64& rng) {
  std::vector<Example> out;
  std::unique_ptr<storage::TempStore> store;
  if (options.ssg && options.retrieved > 0) {
    auto made = storage::TempStore::Create(db.facts);
    if (!made.ok()) return made.status();
    store = std::move(*made);
  }
  for (const eval::Query& q : db.queries) {
    const uint64_t visible = q.Sees(db.facts.size());
    std::set<uint32_t> in_gold;
    for (const auto& set : q.facts) in_gold.insert(set.begin(), set.end());
    auto random_fact = [&](const std::set<uint32_t>& avoid) -> int {
      for (int attempt = 0; attempt < 20 && visible > 0; ++attempt) {
        const auto f = static_cast<uint32_t>(rng() % visible);
        if (!avoid.count(f)) return static_cast<int>(f);
      }
      return -1;
    };
    for (size_t i = 0; i < q.facts.size() && i < q.derivations.size(); ++i) {
      Example e{q.query, {}, q.derivations[i], q.type};
      for (uint32_t f : q.facts[i]) e.facts.push_back(db.facts[f]);
      out.push_back(e);
      if (std::uniform_real_distribution<double>(0, 1)(rng) < options.distractor_rate) {
        const int extra = 1 + static_cast<int>(rng() % 3);
        for (int k = 0; k < extra; ++k) {
          const int f = random_fact(in_gold);
          if (f >= 0) e.facts.push_back(db.facts[f]);
        }
        std::shuffle(e.facts.begin(), e.facts.end(), rng);
        out.push_back(std::move(e));
      }
    }
    // NULL: facts in no gold support set: a random one, one sharing a name
    // with the question, and one sharing the most words with it (the facts a
    // retriever wrongly offers), in turn.
    const std::set<std::string> names = Names(q.query);
    for (int n = 0; n < options.negatives; ++n) {
      int f = -1;
      if (n % 3 == 2) {
        const auto q_stems = ContentStems(q.query);
        int best = 0;
        for (int attempt = 0; attempt < 60; ++attempt) {
          const int c = random_fact(in_gold);
          if (c < 0) break;
          int shared = 0;
          for (const auto& s : ContentStems(db.facts[c])) shared += q_stems.count(s) > 0;
          if (shared > best) {
            best = shared;
            f = c;
          }
        }
      }
      if (n % 3 == 1) {
        for (int attempt = 0; attempt < 40 && f < 0; ++attempt) {
          const int c = random_fact(in_gold);
          if (c < 0) break;
          for (const auto& w : Names(db.facts[c])) {
            if (names.count(w)) f = c;
          }
        }
      }
      if (f < 0) f = random_fact(in_gold);
      if (f < 0) continue;
      Example e{q.query, {db.facts[f]}, "", q.type};
      if (rng() % 3 == 0) {
        const int g = random_fact(in_gold);
        if (g >= 0 && g != f) e.facts.push_back(db.facts[g]);
      }
      out.push_back(std::move(e));
    }
    if (store) {
      auto found = eval::Retrieve(db, q, *options.ssg, store->db());
      if (!found.ok()) return found.status();
      AddRetrieved(db, q, found->sets, options.retrieved, rng, &out);
    }
  }
  if (options.synonyms) {
    std::uniform_real_distribution<double> coin(0, 1);
    for (Example& e : out) {
      std::vector<std::string> keep = e.facts;
      keep.push_back(e.derivation);
      if (coin(rng) < options.paraphrase_rate) {
        e.question = Paraphrase(e.question, keep, *options.synonyms, options.word_rate, rng);
      }
      for (std::string& fact : e.facts) {
        if (coin(rng) >= options.paraphrase_rate) continue;
        fact = Paraphrase(fact, {e.question, e.derivation}, *options.synonyms, options.word_rate, rng);
      }
    }
  }
  if (options.unknown_words && options.unknown_rate > 0) {
    std::uniform_real_distribution<double> coin(0, 1);
    for (Example& e : out) {
      if (coin(rng) >= options.unknown_rate) continue;
      std::vector<std::string> keep = e.facts;
      keep.push_back(e.derivation);
      e.question = WithAnUnknownWord(e.question, keep, *options.unknown_words, rng);
    }
  }
  return out;
}

}  // namespace nldb::model
