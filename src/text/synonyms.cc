#include "text/synonyms.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace nldb::text {

namespace {

bool IsLowerWord(std::string_view w) {
  if (w.size() < 2) return false;
  for (char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

// Regular inflections: the suffix a form adds to its lemma.
struct Inflection {
  const char* suffix;
  std::string (*apply)(const std::string& lemma);
};

// "big" -> "bigg" before a vowel suffix: a short consonant-vowel-consonant word.
std::string Doubled(const std::string& w) {
  auto vowel = [](char c) { return std::strchr("aeiou", c) != nullptr; };
  const size_t n = w.size();
  if (n >= 3 && n <= 4 && !vowel(w[n - 1]) && vowel(w[n - 2]) && !vowel(w[n - 3]) &&
      !std::strchr("wxy", w[n - 1])) {
    return w + w.back();
  }
  return w;
}

std::string AddS(const std::string& w) {
  if (w.ends_with("s") || w.ends_with("x") || w.ends_with("ch") || w.ends_with("sh")) return w + "es";
  if (w.size() > 2 && w.back() == 'y' && !std::strchr("aeiou", w[w.size() - 2])) {
    return w.substr(0, w.size() - 1) + "ies";
  }
  return w + "s";
}
std::string AddEd(const std::string& w) {
  if (w.ends_with("e")) return w + "d";
  if (w.size() > 2 && w.back() == 'y' && !std::strchr("aeiou", w[w.size() - 2])) {
    return w.substr(0, w.size() - 1) + "ied";
  }
  return Doubled(w) + "ed";
}
std::string AddEst(const std::string& w) {
  if (w.ends_with("e")) return w + "st";
  if (w.size() > 2 && w.back() == 'y') return w.substr(0, w.size() - 1) + "iest";
  return Doubled(w) + "est";
}
std::string AddEr(const std::string& w) {
  if (w.ends_with("e")) return w + "r";
  if (w.size() > 2 && w.back() == 'y') return w.substr(0, w.size() - 1) + "ier";
  return Doubled(w) + "er";
}
std::string AddIng(const std::string& w) {
  if (w.ends_with("e") && !w.ends_with("ee")) return w.substr(0, w.size() - 1) + "ing";
  return Doubled(w) + "ing";
}

// Candidate lemmas of a regular form ("rarest" -> "rare", "rar").
std::vector<std::string> StripSuffix(const std::string& w, const std::string& suffix) {
  std::vector<std::string> out;
  if (!w.ends_with(suffix) || w.size() < suffix.size() + 2) return out;
  const std::string stem = w.substr(0, w.size() - suffix.size());
  out.push_back(stem);
  out.push_back(stem + "e");
  if (stem.ends_with("i")) out.push_back(stem.substr(0, stem.size() - 1) + "y");
  if (stem.size() > 2 && stem.back() == stem[stem.size() - 2]) out.push_back(stem.substr(0, stem.size() - 1));
  return out;
}

}  // namespace

std::string DefaultWordNetPath() {
  if (const char* env = std::getenv("NLDB_WORDNET")) return env;
  return "/usr/share/wordnet";
}

Result<std::unique_ptr<Synonyms>> Synonyms::Load(const std::string& dir, const WordVectors& vectors,
                                                 double min_cosine) {
  // Lemma -> the single-word lemmas it shares a synset with.
  std::unordered_map<std::string, std::set<std::string>> lemma_syns;
  // Every synset's words in order, by file and offset, and the antonym
  // pointers ("!") to resolve once all are read: WordNet puts "father" and
  // "mother" in one verb synset ("beget") and marks the nouns antonyms.
  std::map<std::pair<char, std::string>, std::vector<std::string>> synsets;
  struct Antonym {
    std::string word;  // the pointer's source word
    char file;         // of the target synset: n, v, a, r
    std::string offset;
    int target;        // the target word's number in its synset, from 1
  };
  std::vector<Antonym> antonyms;
  auto file_of = [](char pos) { return pos == 's' ? 'a' : pos; };
  const std::pair<const char*, char> kFiles[] = {{"noun", 'n'}, {"verb", 'v'}, {"adj", 'a'}, {"adv", 'r'}};
  for (const auto& [pos, file] : kFiles) {
    const std::string path = dir + "/data." + pos;
    std::ifstream in(path);
    if (!in) return Status::NotFound("cannot read WordNet's " + path + " (install wordnet-base)");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == ' ') continue;  // licence header
      std::istringstream fields(line);
      std::string offset, lexfile, type, count_hex;
      fields >> offset >> lexfile >> type >> count_hex;
      const int count = static_cast<int>(std::strtol(count_hex.c_str(), nullptr, 16));
      std::vector<std::string> all, words;
      for (int i = 0; i < count; ++i) {
        std::string w, lex_id;
        fields >> w >> lex_id;
        if (const size_t paren = w.find('('); paren != std::string::npos) w.resize(paren);
        all.push_back(w);
        if (IsLowerWord(w)) words.push_back(w);
      }
      int pointers = 0;
      fields >> pointers;
      for (int i = 0; i < pointers; ++i) {
        std::string symbol, target, target_pos, source_target;
        fields >> symbol >> target >> target_pos >> source_target;
        if (symbol != "!" || target_pos.empty() || source_target.size() != 4) continue;
        const int source = static_cast<int>(std::strtol(source_target.substr(0, 2).c_str(), nullptr, 16));
        const int to = static_cast<int>(std::strtol(source_target.substr(2).c_str(), nullptr, 16));
        if (source < 1 || source > count || to < 1) continue;
        antonyms.push_back({all[source - 1], file_of(target_pos[0]), target, to});
      }
      for (const auto& a : words) {
        for (const auto& b : words) {
          if (a != b) lemma_syns[a].insert(b);
        }
      }
      synsets[{file, offset}] = std::move(all);
    }
  }
  // Antonyms are never synonyms, whatever synset they share.
  for (const Antonym& a : antonyms) {
    auto it = synsets.find({a.file, a.offset});
    if (it == synsets.end() || a.target > static_cast<int>(it->second.size())) continue;
    const std::string& b = it->second[a.target - 1];
    if (auto s = lemma_syns.find(a.word); s != lemma_syns.end()) s->second.erase(b);
    if (auto s = lemma_syns.find(b); s != lemma_syns.end()) s->second.erase(a.word);
  }
  static const Inflection kInflections[] = {
      {"s", AddS}, {"ed", AddEd}, {"est", AddEst}, {"er", AddEr}, {"ing", AddIng}};
  auto table = std::unique_ptr<Synonyms>(new Synonyms());
  auto accept = [&](const std::string& word, const std::string& candidate, std::set<std::string>& out) {
    if (candidate == word) return;
    const int a = vectors.Find(word), b = vectors.Find(candidate);
    if (a >= 0 && b >= 0 && vectors.Cosine(a, b) >= min_cosine) out.insert(candidate);
  };
  // Every word GloVe knows is a possible form; find its lemma and re-inflect.
  std::set<std::string> forms;
  for (const auto& [lemma, syns] : lemma_syns) {
    forms.insert(lemma);
    for (const auto& inf : kInflections) forms.insert(inf.apply(lemma));
  }
  for (const std::string& word : forms) {
    if (vectors.Find(word) < 0) continue;
    std::set<std::string> found;
    if (auto it = lemma_syns.find(word); it != lemma_syns.end()) {
      for (const auto& s : it->second) accept(word, s, found);
    }
    for (const auto& inf : kInflections) {
      for (const auto& lemma : StripSuffix(word, inf.suffix)) {
        auto it = lemma_syns.find(lemma);
        if (it == lemma_syns.end() || inf.apply(lemma) != word) continue;
        for (const auto& s : it->second) accept(word, inf.apply(s), found);
      }
    }
    if (!found.empty()) table->table_[word].assign(found.begin(), found.end());
  }
  return table;
}

const std::vector<std::string>& Synonyms::Of(std::string_view word) const {
  static const std::vector<std::string> kNone;
  auto it = table_.find(std::string(word));
  return it == table_.end() ? kNone : it->second;
}

}  // namespace nldb::text
