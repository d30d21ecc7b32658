// Scoring one answer against the gold answer, as sets of normalised values
// (agg::NormalizeAnswer: case, whitespace, trailing punctuation, thousands
// separators, equivalent date forms).
#pragma once

#include <string>
#include <vector>

namespace nldb::eval {

struct Score {
  bool exact = false;  // the two sets are equal (both empty counts as equal)
  double f1 = 0;       // set F1; 1 when both are empty, 0 when only one is
};

Score ScoreAnswer(const std::vector<std::string>& predicted, const std::vector<std::string>& gold);

}  // namespace nldb::eval
