// TrainSsg: fits the support-set generator's scorer on generated databases
// (`nldb train ssg`): each database goes into a temporary store, each
// question's candidates and neighbours are labelled by the gold support sets,
// and a logistic model is fitted; the thresholds are then chosen for
// support-set recall on validation databases (train phrasings and entities,
// databases not trained on), and the result scored once on held-out ones
// (held-out phrasings and entities).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nldb/status.h"
#include "ssg/support_sets.h"

namespace nldb::ssg {

struct SsgTrainOptions {
  std::string out_dir;
  uint64_t seed = 1;
  int dbs = 240;       // training databases, sizes spread over 25..1000 facts
  int dev_dbs = 40;    // validation databases for the thresholds, and as many held-out
  int epochs = 40;
  std::function<void(const std::string&)> log;
};

struct ThresholdRow {
  Thresholds thresholds;
  double recall = 0;        // share of gold support sets inside some generated set
  double exact_recall = 0;  // share equal to some generated set
  double sets_per_query = 0;
};

struct SsgTrainReport {
  int64_t examples = 0, positives = 0;
  Scorer scorer;
  Thresholds thresholds;
  std::vector<ThresholdRow> dev;  // the threshold sweep on validation data
  ThresholdRow heldout;           // the chosen thresholds on held-out data
  double seconds = 0;
};

Result<SsgTrainReport> TrainSsg(const SsgTrainOptions& options);

// Share of `gold` sets (fact ids) contained in (with `exact`: equal to) some
// set of `generated`.
double SupportRecall(const std::vector<std::vector<FactId>>& gold,
                     const std::vector<SupportSet>& generated, bool exact = false);

}  // namespace nldb::ssg
