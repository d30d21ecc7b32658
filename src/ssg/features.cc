#include "ssg/features.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include "text/function_words.h"
#include "text/utf8.h"

namespace nldb::ssg {

namespace {

// The word a unit abbreviation stands for ("cm": "centimetres"), so that it
// means what the word means; other words as they are.
std::string UnitWord(const std::string& lower) {
  static const std::unordered_map<std::string, std::string> kUnits = {
      {"m", "metres"}, {"cm", "centimetres"}, {"mm", "millimetres"}, {"km", "kilometres"},
      {"kg", "kilograms"}, {"g", "grams"}, {"ft", "feet"}, {"lb", "pounds"}, {"lbs", "pounds"}};
  const auto it = kUnits.find(lower);
  return it == kUnits.end() ? lower : it->second;
}

// The most frequent words of the word vectors (their first rows): a
// capitalised one may be a common word, not a name ("Name the ...",
// "Business" in "Is her job a Business executive?").
constexpr int kCommonWords = 5000;

// `lower` (a lowercase word) is among the kCommonWords most frequent.
bool IsCommonWord(const text::WordVectors& vectors, const std::string& lower) {
  const int row = vectors.Find(lower);
  return row >= 0 && row < kCommonWords;
}

// A word of a sentence: where it begins and ends.
struct Span {
  size_t begin, end;
};

// The words of `text` (hyphens inside words), in order.
std::vector<Span> WordSpans(std::string_view text) {
  std::vector<Span> out;
  for (size_t i = 0; i < text.size();) {
    const size_t j = text::HyphenatedWordEnd(text, i);
    if (j == i) {
      i = text::CharEnd(text, i);
      continue;
    }
    out.push_back({i, j});
    i = j;
  }
  return out;
}

bool IsFunctionWord(std::string_view w) { return text::IsNameBreakingWord(text::AsciiLower(w)); }

// Capitalised (or opening with a letter outside ASCII, as Analyze reads names).
bool IsCapitalised(std::string_view w) {
  const auto c = static_cast<unsigned char>(w[0]);
  return std::isupper(c) || c >= 0x80;
}

}  // namespace

NameHeld Featurizer::Holds(std::string_view text, std::string_view name) const {
  if (name.empty()) return NameHeld::kAbsent;
  if (!std::isalpha(static_cast<unsigned char>(name[0])) && static_cast<unsigned char>(name[0]) < 0x80) {
    // A number ("5,551,039"): a word between spaces, punctuation trimmed.
    for (size_t i = 0; i < text.size();) {
      size_t j = std::min(text.find(' ', i), text.size());
      if (text::TrimWordPunctuation(text.substr(i, j - i)) == name) return NameHeld::kWhole;
      i = j + 1;
    }
    return NameHeld::kAbsent;
  }
  auto common = [&](std::string_view w) { return IsCommonWord(vectors_, text::AsciiLower(w)); };
  std::vector<std::string_view> parts;
  for (size_t i = 0; i < name.size();) {
    const size_t j = std::min(name.find(' ', i), name.size());
    parts.push_back(name.substr(i, j - i));
    i = j + 1;
  }
  if (text.find(parts[0]) == std::string_view::npos) return NameHeld::kAbsent;  // most facts
  const bool maybe_no_name = parts.size() == 1 && common(parts[0]);
  const std::vector<Span> words = WordSpans(text);
  auto word = [&](size_t k) { return text.substr(words[k].begin, words[k].end - words[k].begin); };
  // Words k - 1 and k are one space apart, or an initial's ". " ("Ana C. Ruiz").
  auto joined = [&](size_t k) {
    const std::string_view gap = text.substr(words[k - 1].end, words[k].begin - words[k - 1].end);
    const std::string_view before = word(k - 1);
    return gap == " " ||
           (gap == ". " && before.size() == 1 && std::isupper(static_cast<unsigned char>(before[0])));
  };
  // A word that lengthens a name beside it: capitalised, not a function word,
  // and not a common word opening the sentence.
  auto lengthens = [&](size_t k) {
    const std::string_view w = word(k);
    if (k > 0 && w.size() == 1 && std::isupper(static_cast<unsigned char>(w[0]))) return true;  // "A."
    if (!IsCapitalised(w) || IsFunctionWord(w)) return false;
    return k > 0 || !common(w);
  };
  NameHeld held = NameHeld::kAbsent;
  for (size_t k = 0; k + parts.size() <= words.size(); ++k) {
    bool match = true;
    for (size_t p = 0; p < parts.size() && match; ++p) {
      match = word(k + p) == parts[p] && (p == 0 || joined(k + p));
    }
    if (!match) continue;
    if (maybe_no_name) return NameHeld::kWhole;
    held = NameHeld::kWithinLonger;
    const size_t last = k + parts.size() - 1;
    bool longer = false;
    if (k > 0 && joined(k)) {  // "Fort Pelldorf", "University of Belton"
      longer = lengthens(k - 1) || (word(k - 1) == "of" && k > 1 && joined(k - 1) && lengthens(k - 2));
    }
    if (!longer && last + 1 < words.size() && joined(last + 1)) {  // "Pelldorf III", "Bank of X"
      longer = lengthens(last + 1) || (word(last + 1) == "of" && last + 2 < words.size() &&
                                       joined(last + 2) && lengthens(last + 2));
    }
    if (!longer) return NameHeld::kWhole;
  }
  return held;
}

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
  for (const Span& span : WordSpans(text)) {
    const size_t i = span.begin, j = span.end;
    std::string w(text.substr(i, j - i));
    const std::string_view gap = text.substr(last_end, i - last_end);
    if (gap != " " && !(initial && gap == ". ")) close_run();  // punctuation between
    initial = w.size() == 1 && std::isupper(static_cast<unsigned char>(w[0]));
    last_end = j;
    std::string lower = text::AsciiLower(w);
    const auto first = static_cast<unsigned char>(w[0]);
    const bool sentence_start = first_word;
    first_word = false;
    if (initial && !run.empty() && j < text.size() && text[j] == '.') {  // "A." in "Mohammed A. Muñoz"
      run += " " + w;
      continue;
    }
    if (text::IsNameBreakingWord(lower)) {
      if (lower == "of" && !run.empty() && !after_of) {
        after_of = true;
      } else {
        close_run();
      }
      continue;
    }
    // A capitalised first word is a name unless it is a common word ("Name
    // the ...", "List ...") not followed by another capitalised word.
    const bool common_start = sentence_start && IsCommonWord(vectors_, lower) &&
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
