// Type cues: what a question's wording alone says about its query type, used
// by the reader to rule types out before it votes one (see model/reader.h).
// Three cues, chosen because no question of the generator's train phrasings or
// of kelm10's train split breaks them:
//   - a question that opens with an auxiliary verb ("Is", "Did", "Can") and
//     has no wh-word and no "or" asks yes or no: bool; one that opens with
//     any other word is not bool; the rest may be either ("Can you name the
//     people who ...?", "Is Ada the place where ...?");
//   - a superlative ("most", "fewest", "least" but not "at least", or a
//     lowercase word ending in "est" that is not one of a list such as
//     "interest", "forest") means min, max, argmin or argmax;
//   - a question whose main clause (after a leading "Of all X," or
//     "Among X,", and a preposition) opens with who, whom, whose, where or
//     name, or with which or what and a noun that is not a kind of value
//     ("Which country", not "Which year" or "What is"), asks for a thing:
//     not min or max; so does "What is the least attended event?": a
//     copula, "the" and words with no preposition that end in a kind of
//     thing ("event", "place", "book").
#pragma once

#include <cstdint>
#include <string_view>

namespace nldb::model {

// Bit i set: query type i (set bool count min max argmin argmax, as
// QueryTypeIndex) is allowed by the wording. Never 0.
uint8_t TypesTheWordingAllows(std::string_view question);

}  // namespace nldb::model
