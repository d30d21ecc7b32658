// Calibrate (`nldb train calibrate`): fits the reader to the support sets the
// generator really retrieves (most of which do not answer the question), over
// generated databases of the training split. Two choices, by exact match:
//  - min_set_score: sets the generator scored below it are not read. For each
//    score of a grid the kept sets are read, then
//  - the NULL bias per query type (both terms of ReaderConfig::NullBias): for
//    each pair of the two grids the answers are aggregated again and scored.
//    Each type gets the pair with the highest exact match over the questions
//    read as that type (ties: the smallest in size; none unless one is
//    strictly better).
// The score with the highest exact match wins (ties: the lowest). At every
// score the best `always_read` sets are read whatever their score.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "model/reader.h"
#include "nldb/status.h"
#include "ssg/support_sets.h"

namespace nldb::model {

struct CalibrateOptions {
  std::string model_dir;  // its config.json gets "null_bias" and "null_bias_log_sets"
  const ssg::SupportSetGenerator* ssg = nullptr;
  uint64_t seed = 7;      // generator seed; keep it apart from the training seed
  // With 40 databases (about 110 questions a type) the chosen biases moved by
  // up to 7 when the words of those databases were varied; with 160, a
  // reader's biases still moved by up to 2 when 160 more were added.
  int dbs = 320;
  int min_facts = 25, max_facts = 1000;
  // The bias of one set read is never above 0: the bias is for the false
  // answers that many non-answering sets bring, and a reader reading one set
  // keeps its own NULL decision. (With positive constants allowed, the train
  // split chose biases that cost 0.02-0.03 on gold sets, held-out and kelm10,
  // for no pipeline gain: docs/experiments.md.)
  std::vector<float> grid = {-4, -3, -2, -1.5f, -1, -0.5f, 0};
  std::vector<float> log_sets_grid = {0, 0.5f, 1, 1.5f, 2, 2.5f, 3};  // per ln(sets read)
  std::vector<double> score_grid = {0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
  // The best this many sets are read whatever their score (ReaderConfig::
  // always_read; written to config.json); default: the reader's own.
  std::optional<size_t> always_read;
};

struct TypeCalibration {
  int questions = 0;
  float bias = 0, bias_log_sets = 0;  // ReaderConfig::null_bias and null_bias_log_sets
  double em_unbiased = 0, em = 0;  // exact match with no bias and with the chosen one
};

struct ScoreCalibration {
  double min_set_score = 0;
  double sets_per_question = 0;  // read, after pruning
  double em_unbiased = 0, em = 0;
};

struct CalibrateReport {
  double min_set_score = 0;
  size_t always_read = 0;
  std::vector<ScoreCalibration> scores;  // one per score of the grid
  std::array<TypeCalibration, 7> types;  // by query type index, at min_set_score
  // Over all questions: no NULL bias at the grid's first score (with
  // --min-set-score, that score), and as chosen.
  double em_unbiased = 0, em = 0;
};

Result<CalibrateReport> Calibrate(const CalibrateOptions& options);

}  // namespace nldb::model
