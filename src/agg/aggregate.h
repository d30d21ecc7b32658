// The exact, symbolic last step of a query: the intermediate answers of the
// Neural SPJ operators, one per support set, become the final answer.
//
// An intermediate answer is a value ("Lyon", "+128217", "TRUE"), or
// "key [SEP] value" for argmin/argmax, or several of those joined by
// " [LIST] " when one support set gives several. Inputs are prepared the
// same way for every query type:
//   1. each input is split on "[LIST]" into parts and each part on "[SEP]"
//      into pieces, all trimmed of whitespace; a part is dropped when a
//      piece is "NULL" or NormalizeAnswer makes it empty ("", " . ");
//   2. parts equal piece by piece after NormalizeAnswer are one part,
//      spelled as first seen, backed by the union of their inputs' fact ids
//      (sorted, without repeats), leaving out an input whose facts hold
//      those of a smaller input giving the same part: "Anil Seth" from
//      facts {1} and from {1, 34} is backed by {1}.
// When no part is left the answer is empty, whatever the type (count too:
// no derivation means no answer, not "0").
//
// Ordering (min, max, argmin, argmax), of values cleaned by CleanAnswer
// ("+128217." is a number): values are ordered as dates when full dates
// (ParseDate) are among them and at least as many as the numbers that are
// not bare years; bare years then count as dates too, and values that are
// not dates are left out. Otherwise values are ordered as numbers
// (ParseNumber), and the rest (a stray date too) left out; when
// one unit (NumberUnit: none, percent, length) has more of the numbers than
// any other, numbers of the other units are left out too (one column holds
// one kind of number).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nldb::agg {

// What the answer to a query is made of, given its parts (as above):
//   kSet     every part, in first-seen order.
//   kBool    "TRUE" when a part is true, else "FALSE" when a part is false,
//            else empty; backed by the parts that say so.
//   kCount   the number of parts, as an integer; backed by all of them.
//   kMin     the least (kMax: greatest) ordered value, where a value is the
//            piece after the first [SEP] if there is one, else the part;
//            spelled as the first part holding it, backed by all those parts.
//   kArgmin  over parts "key [SEP] value" (other parts are left out): when
//            most values are ordered, a key scores its least ordered value
//            (kArgmax: greatest; parts whose value is not ordered are left
//            out) and the least-scoring keys (kArgmax: greatest) win;
//            otherwise a key scores its number of distinct values and
//            the keys with the fewest (kArgmax: most) win. Every winning key
//            is in the answer, in first-seen order, backed by its parts.
//            A part "key [SEP] value [SEP] label" is scored the same way and
//            answers with its label instead of its key: a winning key with
//            several labels gives them all (equal labels merge).
//   kSum     the sum (kAvg: the mean), rounded to 6 decimals, of the values
//            (as in kMin) that are numbers, in FormatNumber form; backed by
//            the parts that are numbers; empty when none is.
enum class QueryType { kSet, kBool, kCount, kMin, kMax, kArgmin, kArgmax, kSum, kAvg };

// The type named "set", "bool", "count", "min", "max", "argmin", "argmax",
// "sum" or "avg" (exactly, lowercase), else nullopt.
std::optional<QueryType> ParseQueryType(std::string_view name);

// The name ParseQueryType reads.
std::string_view QueryTypeName(QueryType type);

// One SPJ operator's output: its text and the ids of the facts it read.
struct Intermediate {
  std::string text;
  std::vector<uint64_t> facts;
};

// The final answer: values[i] is backed by the fact ids support[i] (sorted,
// without repeats). Both are empty when there is no answer.
struct Answer {
  std::vector<std::string> values;
  std::vector<std::vector<uint64_t>> support;
};

Answer Aggregate(QueryType type, const std::vector<Intermediate>& inputs);

// Whether two intermediate answers hold the same parts, in any order, as
// Aggregate reads them ("A [SEP] B [LIST] B [SEP] A" is "B [SEP] A [LIST]
// A [SEP] B"; "128,217" is "128217"; NULL is no part).
bool SameIntermediate(std::string_view a, std::string_view b);

}  // namespace nldb::agg
