// `nldb train reader`: trains the built-in reader, scores it on held-out
// generated data, and writes the model directory with its manifest.
#pragma once

#include <optional>
#include <string>

#include "cli.h"
#include "model/blend.h"
#include "model/calibrate.h"
#include "model/train_encoder.h"
#include "model/train_reader.h"
#include "ssg/train_ssg.h"

namespace nldb::cli {

struct TrainCommand {
  model::TrainOptions options;
  int eval_dbs = 100;      // held-out databases scored after training
  bool calibrate = false;  // choose the NULL bias per type before scoring (CmdTrainCalibrate)
};
void CmdTrainReader(const Globals& g, TrainCommand cmd);

// `nldb train blend --model A --with B --weight W --out DIR`: the average of
// two readers (model/blend.h), scored on held-out data like a trained one,
// with a manifest naming both. Uncalibrated: `nldb train calibrate` next.
struct BlendCommand {
  model::BlendOptions options;
  int eval_dbs = 100;
};
void CmdTrainBlend(const Globals& g, const BlendCommand& cmd);

// `nldb train calibrate --model DIR`: chooses the reader's NULL bias per query
// type (src/model/calibrate.h), writes it into DIR/config.json and records it
// in DIR/manifest.json. `nldb train reader --calibrate` ends with it.
struct CalibrateCommand {
  std::string model_dir, ssg_dir;
  std::optional<int> dbs;  // generated databases read (default: model::CalibrateOptions)
  // Calibrate the NULL biases at this score alone (a chosen trade of accuracy
  // for speed) instead of choosing the score from the grid.
  std::optional<double> min_set_score;
  // The best this many sets are read whatever their score (default: the reader's).
  std::optional<int> always_read;
};
void CmdTrainCalibrate(const Globals& g, const CalibrateCommand& cmd);

// `nldb train ssg`: fits the support-set generator's scorer; writes
// DIR/ssg.json and DIR/manifest.json.
void CmdTrainSsg(const Globals& g, ssg::SsgTrainOptions options);

// `nldb train encoder`: fits the dense index's sentence encoder; writes
// DIR/encoder.json and DIR/manifest.json.
void CmdTrainEncoder(const Globals& g, model::EncoderTrainOptions options);

}  // namespace nldb::cli
