#include "ssg/features.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include "text/utf8.h"

namespace nldb::ssg {

namespace {

const std::unordered_set<std::string>& FunctionWords() {
  static const std::unordered_set<std::string> kWords = {
      "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or",
      "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did", "who",
      "whom", "whose", "what", "which", "where", "when", "how", "that", "this", "it", "its", "as",
      "there", "their", "they", "s", "any", "all", "some", "me", "i", "you", "can", "tell"};
  return kWords;
}

// The word a unit abbreviation stands for ("cm": "centimetres"), so that it
// means what the word means; other words as they are.
std::string UnitWord(const std::string& lower) {
  static const std::unordered_map<std::string, std::string> kUnits = {
      {"m", "metres"}, {"cm", "centimetres"}, {"mm", "millimetres"}, {"km", "kilometres"},
      {"kg", "kilograms"}, {"g", "grams"}, {"ft", "feet"}, {"lb", "pounds"}, {"lbs", "pounds"}};
  const auto it = kUnits.find(lower);
  return it == kUnits.end() ? lower : it->second;
}

// The end of the word that starts at text[i]; hyphens are part of words
// ("Guinea-Bissau").
size_t HyphenatedWordEnd(std::string_view text, size_t i) {
  for (size_t j = i;;) {
    const size_t k = j < text.size() && text[j] == '-' ? j + 1 : text::WordEnd(text, j);
    if (k == j) return j;
    j = k;
  }
}

}  // namespace

Analysis Featurizer::Analyze(std::string_view text) const {
  Analysis a;
  std::vector<float> sum(vectors_.dims(), 0.f);
  bool first_word = true;
  std::string run;         // the entity being read
  bool after_of = false;   // run + " of" read, waiting for a name
  size_t last_end = 0;     // where the previous word ended
  bool initial = false;    // the previous word was one capital letter ("C." in "Ana C. Ruiz")
  auto close_run = [&] {
    if (!run.empty()) a.entities.push_back(run);
    run.clear();
    after_of = false;
  };
  for (size_t i = 0; i < text.size();) {
    const size_t j = HyphenatedWordEnd(text, i);
    if (j == i) {
      i = text::CharEnd(text, i);
      continue;
    }
    std::string w(text.substr(i, j - i));
    const std::string_view gap = text.substr(last_end, i - last_end);
    if (gap != " " && !(initial && gap == ". ")) close_run();  // punctuation between
    initial = w.size() == 1 && std::isupper(static_cast<unsigned char>(w[0]));
    last_end = j;
    i = j;
    std::string lower = w;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto first = static_cast<unsigned char>(w[0]);
    const bool sentence_start = first_word;
    first_word = false;
    if (initial && !run.empty() && j < text.size() && text[j] == '.') {  // "A." in "Mohammed A. Muñoz"
      run += " " + w;
      continue;
    }
    if (FunctionWords().count(lower)) {
      if (lower == "of" && !run.empty() && !after_of) {
        after_of = true;
      } else {
        close_run();
      }
      continue;
    }
    // A capitalised first word is a name unless it is a common word ("Name
    // the ...", "List ...") not followed by another capitalised word.
    const bool common_start = sentence_start && vectors_.Find(lower) >= 0 &&
                              vectors_.Find(lower) < 5000 &&
                              !(j + 1 < text.size() && std::isupper(static_cast<unsigned char>(text[j + 1])));
    if ((std::isupper(first) && !common_start) || std::isdigit(first) || first >= 0x80) {
      a.names.insert(w);
      run += run.empty() ? w : (after_of ? " of " : " ") + w;
      after_of = false;
      continue;
    }
    close_run();
    a.wording.push_back(lower);
    lower = UnitWord(lower);
    a.stems.insert(lower.substr(0, 5));
    const int row = vectors_.Find(lower);
    if (row < 0) continue;
    a.words.push_back(row);
    const float* v = vectors_.matrix().data() + static_cast<size_t>(row) * vectors_.dims();
    for (int d = 0; d < vectors_.dims(); ++d) sum[d] += v[d];
  }
  close_run();
  double norm = 0;
  for (float x : sum) norm += x * x;
  if (norm > 0) {
    a.mean = sum;
    for (float& x : a.mean) x = static_cast<float>(x / std::sqrt(norm));
  }
  return a;
}

Features Featurizer::Of(const Analysis& q, const std::vector<const Analysis*>& chosen,
                        const Analysis& f, float bm25) const {
  auto overlap = [](const std::unordered_set<std::string>& a,
                    const std::unordered_set<std::string>& b) {
    int n = 0;
    for (const auto& x : a) n += b.count(x) > 0;
    return n;
  };
  const float q_names = static_cast<float>(q.names.size());
  const int f_covers = overlap(q.names, f.names);
  // Names of the question the chosen facts already cover, and names they share with `fact`.
  std::unordered_set<std::string> chosen_names;
  for (const Analysis* c : chosen) chosen_names.insert(c->names.begin(), c->names.end());
  int newly_covered = 0, chain = 0, unrelated = 0;
  for (const auto& n : f.names) {
    const bool in_q = q.names.count(n) > 0, in_c = chosen_names.count(n) > 0;
    newly_covered += in_q && !in_c;
    chain += in_c && !in_q;
    unrelated += !in_q && !in_c;
  }
  float mean_cos = 0;
  if (!q.mean.empty() && !f.mean.empty()) {
    for (size_t d = 0; d < q.mean.size(); ++d) mean_cos += q.mean[d] * f.mean[d];
  }
  // How well the fact's words match the question's: best match per fact word.
  float align = 0;
  for (int fw : f.words) {
    float best = 0;
    for (int qw : q.words) best = std::max(best, static_cast<float>(vectors_.Cosine(fw, qw)));
    align += best;
  }
  if (!f.words.empty()) align /= static_cast<float>(f.words.size());
  const float step2 = chosen.empty() ? 0.f : 1.f;
  const float stem_cover =
      q.stems.empty() ? 0.f : static_cast<float>(overlap(q.stems, f.stems)) / q.stems.size();
  return {1.f,
          bm25,
          q_names > 0 ? f_covers / q_names : 0.f,
          q_names == 0 ? 1.f : 0.f,
          stem_cover,
          mean_cos,
          align,
          step2,
          step2 * std::min(chain, 2) / 2.f,
          std::min(unrelated, 3) / 3.f,
          q_names > 0 ? step2 * newly_covered / q_names : 0.f,
          step2 * align,
          step2 * stem_cover,
          (1 - step2) * (q_names > 0 ? f_covers / q_names : 0.f) * align};
}

}  // namespace nldb::ssg
