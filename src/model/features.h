// Features: how a question and one support set become the reader's input
// sequence, and how a derivation becomes its training target. No libtorch here.
//
// Sequence: [CLS] question [SEP] fact1 [SEP] fact2 [SEP] ...  Every token has
// a subword id, the GloVe row of the word it belongs to (0: none), a segment
// (0 question, 1.. fact number), a shape (word start, capitalised, digit,
// punctuation; with word_match, also "this word is on the other side": a
// question word in a fact, a fact word in the question; with soft_match, also
// how close in meaning the nearest word on the other side is) and the bytes it
// covers in its text, so an answer can be copied out of a fact exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "text/tokenizer.h"
#include "text/word_vectors.h"

namespace nldb::model {

inline constexpr int kQueryTypes = 7;  // set bool count min max argmin argmax
inline constexpr int kMaxSegments = 6;
inline constexpr int kShapes = 16;     // shape bits 1, 2, 4, 8
inline constexpr int kWordMatch = 16;  // the word-match shape bit
inline constexpr int kSoftMatchShift = 5;  // shape bits 32, 64: the soft-match level
inline constexpr int kSoftMatchLevels = 4;

// What a reader answers for one support set. kPairBothWays is a pair read in
// both directions, "k [SEP] v [LIST] v [SEP] k": one fact of a symmetric
// relation ("Norway borders Mali") counts for both of its names when groups
// are counted. Models trained before it have the first five kinds only.
enum Kind : int {
  kNull = 0, kTrue = 1, kFalse = 2, kSpan = 3, kPair = 4, kPairBothWays = 5,
  kKindsOneWay = 5, kKindsBothWays = 6
};

struct FeatureOptions {
  int max_len = 128;  // tokens, [CLS] and [SEP]s included
  // Shape bit kWordMatch: the word's first five letters (lowercased) start a
  // word on the other side; function words match only when capitalised, as
  // part of a name ("Being You").
  bool word_match = false;
  // Shape bits kSoftMatchShift..: for a word with a GloVe vector (function
  // words aside), the level of its largest cosine similarity to a word on the
  // other side: 1 below 0.4, 2 below 0.6, else 3 (0: no vector, or a
  // function word). It tells the reader that "author" in a question meets
  // "wrote" in a fact (0.78) even for words training never paired.
  bool soft_match = false;
  // The shape's capital bit also for a word whose first letter is not ASCII
  // ("Åland", "Étienne"); without it such a word reads as lowercase.
  bool unicode_capitals = false;
  // Kind kPairBothWays may be a target (models that have it; see Kind).
  bool both_ways = false;
  int shapes() const {
    return soft_match ? kSoftMatchLevels << kSoftMatchShift : word_match ? 2 * kShapes : kShapes;
  }
  int kinds() const { return both_ways ? kKindsBothWays : kKindsOneWay; }
};

// The kind of answer `derivation` is (NULL, TRUE, FALSE, "x", "k [SEP] v" or
// "k [SEP] v [LIST] v [SEP] k"); nullopt for any other list.
std::optional<Kind> KindOf(const std::string& derivation);

// The text of an answer of `kind` with spans `first` and `second` (the pair's
// key and value).
std::string AnswerText(Kind kind, const std::string& first, const std::string& second);

struct Sequence {
  std::vector<int64_t> piece, word, segment, shape;
  std::vector<int> text;             // -1 for the question and specials, else fact index
  std::vector<uint32_t> begin, end;  // bytes covered in that text
};

// A training target. Spans are token positions (inclusive) in the Sequence.
struct Target {
  int type = 0;
  int kind = kNull;
  int s1 = 0, e1 = 0, s2 = 0, e2 = 0;
};

// Whether a span read from a fact can be one answer. A span that begins with
// a capital letter must be one name: no lowercase word (but connectors such
// as "of", "and", "from") followed by a capitalised one or a number, as in
// "Savannah Njoroge has Özlem Dang" or "Isla Takeuchi measures 2.09
// metres" (a name opened by "The" may go on after one or two lowercase words
// and a connector: "The Rosewood dynamo of Quenport"); no name of two
// capitalised words then lowercase ones ("Emre Wolf tied the knot"); not an
// article and a lowercase word ("A border separates") nor a preposition and
// one name ("In Grimfeld"). No span joins a number and a name with a comma
// ("298,175, Louisiana", "Saraburi, 419,726"). Spans that begin otherwise (numbers, dates,
// "urban planner") always can; so can "Football player" and "The Perry lathe".
bool CanBeOneAnswer(std::string_view span);

class Featurizer {
 public:
  Featurizer(const text::Tokenizer& tok, const text::WordVectors& words, FeatureOptions options)
      : tok_(tok), words_(words), options_(options) {}

  int vocab() const { return tok_.vocab_size() + 3; }  // + CLS, SEP, PAD
  const FeatureOptions& options() const { return options_; }
  int pad_id() const { return tok_.vocab_size() + 2; }

  Sequence Encode(const std::string& question, const std::vector<std::string>& facts) const;

  // The target for `derivation` (see KindOf), or nullopt when its text cannot
  // be found as whole tokens in the facts or its kind is not in options().
  std::optional<Target> MakeTarget(const Sequence& seq, const std::vector<std::string>& facts,
                                   const std::string& derivation, int type) const;

  // The text of tokens [s, e] of `seq` (one fact), as written in it, widened to
  // whole words where a token boundary falls inside one ("Ku" of "Kuwait").
  static std::string SpanText(const Sequence& seq, const std::vector<std::string>& facts, int s,
                              int e);
  // SpanText as an answer, since a thing is named whole: one capitalised word
  // takes the capitalised words around it ("Mikkel" of "Mikkel Muñoz
  // measures", "Wouters" of "educated Étienne Wouters"), a longer capitalised
  // span those before it ("Budějovice City" of "České Budějovice City"; before
  // it, no function word such as "The" or "In" nor a word punctuation touches,
  // "Takeuchi's");
  // a lowercase answer takes the lowercase words before it that are neither
  // function words nor words of `question` ("guard" of "the profession of
  // security guard"; "male" of "has the gender male" for "Which gender ...?");
  // an initialism reads whole ("F" of "St Albans City F.C.").
  static std::string AnswerSpanText(const Sequence& seq, std::string_view question,
                                    const std::vector<std::string>& facts, int s, int e);

 private:
  // Appends the tokens of `text`, and to `match_words` the word each token
  // matches the other side by (see MarkWordMatches in features.cc).
  void Append(Sequence& seq, std::vector<std::string>& match_words, const std::string& text,
              int text_index, int segment) const;

  const text::Tokenizer& tok_;
  const text::WordVectors& words_;
  FeatureOptions options_;
};

// "set" -> 0 ... "argmax" -> 6; -1 when unknown.
int QueryTypeIndex(const std::string& type);
const char* QueryTypeName(int index);

}  // namespace nldb::model
