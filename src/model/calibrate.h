// Calibrate (`nldb train calibrate`): chooses the reader's NULL bias for each
// query type, so that its NULL decisions suit the support sets the generator
// really retrieves (most of which do not answer the question). Over generated
// databases of the training split, the sets are retrieved and read once; then
// for each bias of a grid the answers are aggregated again and scored. Each
// type gets the bias with the highest exact match over the questions the
// reader reads as that type (ties: the smallest bias in size).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "model/reader.h"
#include "nldb/status.h"
#include "ssg/support_sets.h"

namespace nldb::model {

struct CalibrateOptions {
  std::string model_dir;  // its config.json gets "null_bias"
  const ssg::SupportSetGenerator* ssg = nullptr;
  uint64_t seed = 7;      // generator seed; keep it apart from the training seed
  int dbs = 40;
  int min_facts = 25, max_facts = 200;
  std::vector<float> grid = {-4, -3, -2, -1.5f, -1, -0.5f, 0, 0.5f, 1, 1.5f, 2, 3, 4};
};

struct TypeCalibration {
  int questions = 0;
  float bias = 0;
  double em_unbiased = 0, em = 0;  // exact match at bias 0 and at `bias`
};

struct CalibrateReport {
  std::array<TypeCalibration, 7> types;  // by query type index
  double em_unbiased = 0, em = 0;        // over all questions
};

Result<CalibrateReport> Calibrate(const CalibrateOptions& options);

}  // namespace nldb::model
