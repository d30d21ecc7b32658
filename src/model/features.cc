#include "model/features.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "text/function_words.h"
#include "text/utf8.h"

namespace nldb::model {

namespace {

const char* kTypeNames[kQueryTypes] = {"set", "bool", "count", "min", "max", "argmin", "argmax"};

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// Whether byte `i` of `text` is part of a word character (text::WordEnd): a
// curly quote or a dash above ASCII ends a word as its ASCII kin do.
bool IsWordAt(const std::string& text, size_t i) {
  if (i >= text.size()) return false;
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return std::isalnum(c);
  size_t start = i;  // the byte that starts the character holding byte i
  while (start > 0 && i - start < 3 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  return text::WordEnd(text, start) > i;
}

// A capital letter, or the first byte of a non-ASCII letter ("Özlem", "Étienne").
bool IsCapitalByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isupper(u) || u >= 0x80;
}

// Finds `needle` in `hay` as written, else ignoring ASCII case.
size_t FindText(const std::string& hay, const std::string& needle, size_t from) {
  size_t at = hay.find(needle, from);
  if (at != std::string::npos || needle.empty()) return at;
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return lower(hay).find(lower(needle), from);
}

// The key a word matches by: the first five letters of its match word (so
// "directed" meets "director"); none for specials and punctuation.
std::string_view MatchKey(const std::string& word) { return std::string_view(word).substr(0, 5); }

// Sets shape bit kWordMatch on each token whose match word is on the other side.
void MarkWordMatches(Sequence& seq, const std::vector<std::string>& words) {
  std::unordered_set<std::string_view> keys[2];  // question, facts
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view key = MatchKey(words[i]);
    if (!key.empty()) keys[seq.segment[i] == 0 ? 0 : 1].insert(key);
  }
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view key = MatchKey(words[i]);
    if (!key.empty() && keys[seq.segment[i] == 0 ? 1 : 0].count(key)) seq.shape[i] |= kWordMatch;
  }
}

// Sets the soft-match level (see FeatureOptions::soft_match) of every token
// whose word has a vector and is no function word, even capitalised ("Who").
void MarkSoftMatches(Sequence& seq, const std::vector<std::string>& words,
                     const text::WordVectors& vectors) {
  std::vector<int64_t> rows[2];  // distinct vector rows + 1: question, facts
  auto eligible = [&](size_t i) {
    return seq.word[i] > 0 && !words[i].empty() && !text::IsFunctionWord(words[i]);
  };
  for (size_t i = 0; i < words.size(); ++i) {
    auto& side = rows[seq.segment[i] == 0 ? 0 : 1];
    if (eligible(i) && std::find(side.begin(), side.end(), seq.word[i]) == side.end()) {
      side.push_back(seq.word[i]);
    }
  }
  std::vector<double> best[2] = {std::vector<double>(rows[0].size(), -1),
                                 std::vector<double>(rows[1].size(), -1)};
  for (size_t q = 0; q < rows[0].size(); ++q) {
    for (size_t f = 0; f < rows[1].size(); ++f) {
      const double c = vectors.Cosine(static_cast<int>(rows[0][q] - 1), static_cast<int>(rows[1][f] - 1));
      best[0][q] = std::max(best[0][q], c);
      best[1][f] = std::max(best[1][f], c);
    }
  }
  for (size_t i = 0; i < words.size(); ++i) {
    if (!eligible(i)) continue;
    const int side = seq.segment[i] == 0 ? 0 : 1;
    const size_t at = std::find(rows[side].begin(), rows[side].end(), seq.word[i]) - rows[side].begin();
    const double c = best[side][at];
    const int level = c < 0.4 ? 1 : c < 0.6 ? 2 : 3;
    seq.shape[i] |= level << kSoftMatchShift;
  }
}

}  // namespace

int QueryTypeIndex(const std::string& type) {
  for (int i = 0; i < kQueryTypes; ++i) {
    if (type == kTypeNames[i]) return i;
  }
  return -1;
}

const char* QueryTypeName(int index) { return kTypeNames[index]; }

void Featurizer::Append(Sequence& seq, std::vector<std::string>& match_words,
                        const std::string& text, int text_index, int segment) const {
  for (const text::Token& t : tok_.Encode(text)) {
    if (static_cast<int>(seq.piece.size()) >= options_.max_len - 1) break;
    // The word this token belongs to: from its first word byte, extended both ways.
    uint32_t b = t.begin;
    while (b < t.end && !IsWordByte(static_cast<unsigned char>(text[b]))) ++b;
    int word = 0, shape = 0;
    std::string lower;
    if (b < t.end) {
      uint32_t ws = b, we = b;
      while (ws > 0 && IsWordByte(static_cast<unsigned char>(text[ws - 1]))) --ws;
      while (we < text.size() && IsWordByte(static_cast<unsigned char>(text[we]))) ++we;
      lower = text.substr(ws, we - ws);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      word = words_.Find(lower) + 1;
      if (ws == b) shape |= 1;
      if (options_.unicode_capitals ? IsCapitalByte(text[ws])
                                    : std::isupper(static_cast<unsigned char>(text[ws]))) {
        shape |= 2;
      }
      if (std::isdigit(static_cast<unsigned char>(text[b]))) shape |= 4;
    } else {
      shape |= 8;  // punctuation or space only
    }
    seq.piece.push_back(t.id);
    seq.word.push_back(word);
    seq.segment.push_back(segment);
    seq.shape.push_back(shape);
    seq.text.push_back(text_index);
    seq.begin.push_back(t.begin);
    seq.end.push_back(t.end);
    // A function word matches only when written with a capital, as part of a
    // name ("When was Being You published?"); a question's first word
    // ("When") rarely meets a capitalised one in a fact.
    if (!(shape & 2) && text::IsFunctionWord(lower)) lower.clear();
    match_words.push_back(std::move(lower));
  }
}

Sequence Featurizer::Encode(const std::string& question,
                            const std::vector<std::string>& facts) const {
  Sequence seq;
  std::vector<std::string> words;  // per token; empty for specials and punctuation
  const int cls = tok_.vocab_size(), sep = cls + 1;
  auto special = [&](int id, int segment) {
    seq.piece.push_back(id);
    seq.word.push_back(0);
    seq.segment.push_back(segment);
    seq.shape.push_back(8);
    seq.text.push_back(-1);
    seq.begin.push_back(0);
    seq.end.push_back(0);
    words.emplace_back();
  };
  special(cls, 0);
  Append(seq, words, question, -1, 0);
  for (size_t f = 0; f < facts.size(); ++f) {
    if (static_cast<int>(seq.piece.size()) >= options_.max_len - 1) break;
    const int segment = std::min<int>(static_cast<int>(f) + 1, kMaxSegments - 1);
    special(sep, segment);
    Append(seq, words, facts[f], static_cast<int>(f), segment);
  }
  if (options_.word_match) MarkWordMatches(seq, words);
  if (options_.soft_match) MarkSoftMatches(seq, words, words_);
  return seq;
}

namespace {

// A preposition that may open a sentence before a name ("In Grimfeld, ...",
// "Before Microsoft, ..."), lowercase.
bool IsOpeningPreposition(std::string_view lower) {
  static const std::unordered_set<std::string_view> kPrepositions = {
      "in", "at", "on", "from", "by", "with", "after", "before", "since", "during", "for", "to",
      "as", "of"};
  return kPrepositions.count(lower) > 0;
}

}  // namespace

bool CanBeOneAnswer(std::string_view span) {
  // Lowercase words inside names: connectors, and the administrative words of
  // place names ("Līvānu novads Castle", "Radlje ob Dravi").
  static const std::unordered_set<std::string_view> kInNames = {
      "of", "and", "the", "from", "to", "for", "on", "in", "at", "upon", "de", "del", "della",
      "di", "da", "do", "dos", "das", "du", "des", "la", "le", "los", "las", "van", "von", "der",
      "den", "y", "e", "al", "el", "bin", "ibn", "am", "an", "im", "na", "nad", "pod", "pri", "ob",
      "va", "sur", "i", "og", "novads", "oblast", "kraj", "okrug", "&", "-"};
  std::vector<std::string_view> words;
  for (size_t i = 0; i < span.size();) {
    const size_t j = std::min(span.find(' ', i), span.size());
    if (j > i) words.push_back(span.substr(i, j - i));
    i = j + 1;
  }
  if (words.empty()) return true;
  // A number and a name on either side of a comma are two things ("298,175,
  // Louisiana", "Saraburi, 419,726"); a date's comma follows a number or a
  // month ("October 7, 2002", "7 October, 2002").
  static const std::unordered_set<std::string_view> kMonths = {
      "January,", "February,", "March,",     "April,",   "May,",      "June,",
      "July,",    "August,",   "September,", "October,", "November,", "December,"};
  bool number_seen = false;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    const bool number_before = std::isdigit(static_cast<unsigned char>(words[i][0]));
    number_seen |= number_before;
    if (!words[i].ends_with(',')) continue;
    const bool number_after = std::isdigit(static_cast<unsigned char>(words[i + 1][0]));
    if (number_before && IsCapitalByte(words[i + 1][0])) return false;
    if (number_after && !number_seen && !kMonths.count(words[i]) && IsCapitalByte(words[0][0])) {
      return false;
    }
  }
  if (!IsCapitalByte(words[0][0])) return true;
  if (words.size() == 2) {
    std::string first(words[0]);
    for (char& c : first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (IsOpeningPreposition(first)) return false;  // "In Grimfeld"
  }
  // "oblast'" is "oblast" transliterated with its soft sign; "d'Ivoire" is
  // an elided connector and a name.
  auto in_names = [&](std::string_view w) {
    return kInNames.count(w) || (w.ends_with('\'') && kInNames.count(w.substr(0, w.size() - 1))) ||
           ((w.starts_with("d'") || w.starts_with("l'")) && w.size() > 2 && IsCapitalByte(w[2]));
  };
  // An article and a lowercase word open a sentence ("A border separates").
  const bool article = words[0] == "A" || words[0] == "An" || words[0] == "The";
  if (article && words.size() > 1 && std::islower(static_cast<unsigned char>(words[1][0]))) {
    return false;
  }
  // A lowercase word then a capitalised one or a number: "Gabon counts Ute
  // Newman", "Isla Takeuchi measures 2.09 metres"; but a name after "The"
  // may go on after a connector that follows one or two lowercase words
  // ("The Rosewood dynamo of Quenport", "The Wu vacuum cleaner of 1957"; not
  // "The Last Days of Ribnica first appeared in print in 1958").
  int lowercase = 0;  // lowercase words since the last capitalised one
  int capitalised = 1;  // words[0]
  for (size_t i = 1; i < words.size(); ++i) {
    const auto c = static_cast<unsigned char>(words[i][0]);
    if (std::islower(c) && !in_names(words[i])) {
      ++lowercase;
    } else if ((IsCapitalByte(words[i][0]) || std::isdigit(c)) && lowercase > 0) {
      if (words[0] != "The" || lowercase > 2 || !in_names(words[i - 1])) return false;
      lowercase = 0;  // the name goes on
    } else if (IsCapitalByte(words[i][0])) {
      ++capitalised;
    }
  }
  // A name of two capitalised words or more then lowercase words is a name
  // and what it did ("Emre Wolf tied the knot"); a name after "The" may end
  // in a common noun ("The Perry lathe"), as may a one-capital answer
  // ("Football player").
  return lowercase == 0 || capitalised < 2 || words[0] == "The";
}

namespace {

// The bytes [first, second) of fact seq.text[s] that tokens [s, e] cover,
// widened to whole words; {0, 0} when they are not one fact's or cover none.
std::pair<size_t, size_t> SpanBytes(const Sequence& seq, const std::vector<std::string>& facts,
                                    int s, int e) {
  const int t = seq.text[s];
  if (t < 0 || t != seq.text[e] || e < s) return {0, 0};
  const std::string& text = facts[t];
  size_t b = seq.begin[s], end = seq.end[e];
  while (b < end && text[b] == ' ') ++b;
  if (b == end) return {0, 0};
  // Whole words only: a span that stops inside a word ("Ku" of "Kuwait", "94"
  // of "1.94") is widened to it; no answer stops inside a word.
  auto digit = [&](size_t i) {
    return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
  };
  auto in_word = [&](size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '.' || c == ',') return i > 0 && digit(i - 1) && digit(i + 1);
    if (c == '-') return i > 0 && IsWordAt(text, i - 1) && IsWordAt(text, i + 1);  // "Guinea-Bissau"
    return IsWordAt(text, i);
  };
  while (b > 0 && in_word(b) && in_word(b - 1)) --b;
  while (end < text.size() && in_word(end - 1) && in_word(end)) ++end;
  return {b, end};
}

}  // namespace

std::string Featurizer::SpanText(const Sequence& seq, const std::vector<std::string>& facts,
                                 int s, int e) {
  const auto [b, end] = SpanBytes(seq, facts, s, e);
  return b == end ? "" : facts[seq.text[s]].substr(b, end - b);
}

namespace {

// The word that ends one space before byte `b` of `text`, lowercased, and
// where it begins; nullopt when there is none or punctuation touches it.
std::optional<std::pair<std::string, size_t>> WordBefore(const std::string& text, size_t b) {
  if (b < 2 || text[b - 1] != ' ') return std::nullopt;
  size_t w = b - 1;
  while (w > 0 && (IsWordAt(text, w - 1) || text[w - 1] == '-')) --w;
  if (w == b - 1 || (w > 0 && text[w - 1] != ' ')) return std::nullopt;
  std::string word = text.substr(w, b - 1 - w);
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::pair{word, w};
}

// Whether `word` (lowercase) has the MatchKey of a word of `question`.
bool InQuestion(std::string_view question, const std::string& word) {
  for (auto [b, e] : text::SplitWords(question)) {
    std::string q(question.substr(b, e - b));
    for (char& c : q) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (MatchKey(q) == MatchKey(word)) return true;
  }
  return false;
}

// Where an initialism that a span ending at byte `end` of `text` stops
// inside ends: "F" of "St Albans City F.C. won" reads through "F.C.", as
// does "F.C"; `end` itself when the span's last word is no one-letter part
// of an initialism ("C" of "Anna C. Wu").
size_t InitialismEnd(const std::string& text, size_t end) {
  auto letter_at = [&](size_t i) {  // one capital letter standing alone
    return i < text.size() && std::isupper(static_cast<unsigned char>(text[i])) &&
           (i == 0 || !IsWordByte(static_cast<unsigned char>(text[i - 1]))) &&
           (i + 1 == text.size() || !IsWordByte(static_cast<unsigned char>(text[i + 1])));
  };
  if (end == 0 || !letter_at(end - 1)) return end;
  bool inside = end >= 3 && text[end - 2] == '.' && letter_at(end - 3);
  while (end + 1 < text.size() && text[end] == '.' && letter_at(end + 1)) {
    end += 2;
    inside = true;
  }
  return inside && end < text.size() && text[end] == '.' ? end + 1 : end;
}

}  // namespace

std::string Featurizer::AnswerSpanText(const Sequence& seq, std::string_view question,
                                       const std::vector<std::string>& facts, int s, int e) {
  auto [b, end] = SpanBytes(seq, facts, s, e);
  if (b == end) return "";
  const std::string& text = facts[seq.text[s]];
  end = InitialismEnd(text, end);
  // A lowercase answer takes the lowercase words before it that are neither
  // function words nor words of the question: a thing is named whole
  // ("guard" of "the profession of security guard"; not "gender male").
  const size_t first_end = std::min(end, text.find(' ', b));
  if (std::islower(static_cast<unsigned char>(text[b])) &&
      !text::IsFunctionWord(text.substr(b, first_end - b))) {
    for (auto w = WordBefore(text, b); w; w = WordBefore(text, b)) {
      const std::string& word = w->first;
      const bool lowercase = std::all_of(word.begin(), word.end(), [](char c) {
        return c >= 'a' && c <= 'z';
      });
      if (!lowercase || !std::islower(static_cast<unsigned char>(text[w->second])) ||
          text::IsFunctionWord(word) || InQuestion(question, word)) {
        break;
      }
      b = w->second;
    }
  }
  // One capitalised word takes the capitalised words that follow it
  // ("Mikkel" of "Mikkel Muñoz measures 1.91 m"); a capitalised span takes
  // those before it that are no function word ("Wouters" of "Cobalt
  // University educated Étienne Wouters."; not "The" or "In").
  if (IsCapitalByte(text[b])) {
    const bool one_word = text.find(' ', b) >= end;
    // A middle initial ("C. " of "Anna C. Wu") is part of the name it stands in.
    auto initial_at = [&](size_t i) {  // text[i] is one capital letter and a stop
      return i + 1 < text.size() && std::isupper(static_cast<unsigned char>(text[i])) &&
             text[i + 1] == '.' && (i == 0 || text[i - 1] == ' ');
    };
    while (one_word && end + 1 < text.size() && text[end] == ' ' && IsCapitalByte(text[end + 1])) {
      const size_t word = ++end;
      while (end < text.size() && (IsWordAt(text, end) || text[end] == '-')) ++end;
      if (end == word + 1 && initial_at(word) && end + 2 < text.size() && text[end + 1] == ' ' &&
          IsCapitalByte(text[end + 2])) {
        ++end;  // the stop of the initial; the name goes on
      }
    }
    while (true) {
      if (b >= 3 && text[b - 1] == ' ' && initial_at(b - 3)) {
        b -= 3;
        continue;
      }
      const auto w = WordBefore(text, b);
      if (!w || !IsCapitalByte(text[w->second]) || text::IsFunctionWord(w->first) ||
          IsOpeningPreposition(w->first)) {
        break;
      }
      b = w->second;
    }
  }
  return text.substr(b, end - b);
}

std::optional<Kind> KindOf(const std::string& derivation) {
  if (derivation.empty() || derivation == "NULL") return kNull;
  if (derivation == "TRUE") return kTrue;
  if (derivation == "FALSE") return kFalse;
  const size_t list = derivation.find(" [LIST] ");
  if (list == std::string::npos) {
    return derivation.find(" [SEP] ") == std::string::npos ? kSpan : kPair;
  }
  const std::string first = derivation.substr(0, list), second = derivation.substr(list + 8);
  const size_t sep = first.find(" [SEP] ");
  if (sep == std::string::npos || second.find(" [LIST] ") != std::string::npos) return std::nullopt;
  const std::string k = first.substr(0, sep), v = first.substr(sep + 7);
  if (v.find(" [SEP] ") != std::string::npos || second != v + " [SEP] " + k) return std::nullopt;
  return kPairBothWays;
}

std::string AnswerText(Kind kind, const std::string& first, const std::string& second) {
  switch (kind) {
    case kNull: return "";
    case kTrue: return "TRUE";
    case kFalse: return "FALSE";
    case kSpan: return first;
    case kPair: return first + " [SEP] " + second;
    default: return first + " [SEP] " + second + " [LIST] " + second + " [SEP] " + first;
  }
}

std::optional<Target> Featurizer::MakeTarget(const Sequence& seq,
                                             const std::vector<std::string>& facts,
                                             const std::string& derivation, int type) const {
  const std::optional<Kind> kind = KindOf(derivation);
  if (!kind || *kind >= options_.kinds()) return std::nullopt;
  Target target;
  target.type = type;
  target.kind = *kind;
  if (*kind == kNull || *kind == kTrue || *kind == kFalse) return target;
  // Locate one part as whole tokens of one fact.
  auto locate = [&](const std::string& part, int* s, int* e) {
    for (size_t f = 0; f < facts.size(); ++f) {
      // Every place it is written, until one is whole tokens ("Niger" of
      // "Nigeria borders Niger." is the second).
      for (size_t at = FindText(facts[f], part, 0); at != std::string::npos;
           at = FindText(facts[f], part, at + 1)) {
        const size_t stop = at + part.size();
        int first = -1, last = -1;
        for (size_t i = 0; i < seq.piece.size(); ++i) {
          if (seq.text[i] != static_cast<int>(f)) continue;
          if (first < 0 && seq.end[i] > at) first = static_cast<int>(i);
          if (seq.begin[i] < stop) last = static_cast<int>(i);
        }
        if (first < 0 || last < first) continue;
        if (SpanText(seq, facts, first, last) != facts[f].substr(at, part.size())) continue;
        *s = first;
        *e = last;
        return true;
      }
    }
    return false;
  };
  if (*kind == kSpan) {
    if (!locate(derivation, &target.s1, &target.e1)) return std::nullopt;
    return target;
  }
  const size_t sep = derivation.find(" [SEP] ");
  const size_t list = derivation.find(" [LIST] ");  // kPairBothWays: the first pair
  if (!locate(derivation.substr(0, sep), &target.s1, &target.e1) ||
      !locate(derivation.substr(sep + 7, list == std::string::npos ? list : list - sep - 7),
              &target.s2, &target.e2)) {
    return std::nullopt;
  }
  return target;
}

}  // namespace nldb::model
