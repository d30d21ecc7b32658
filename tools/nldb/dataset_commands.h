// `nldb gen` and `nldb eval`: synthetic WikiNLDB data and its measurement.
#pragma once

#include <string>

#include "cli.h"
#include "eval/evaluate.h"
#include "gen/generator.h"
#include "model/model_dir.h"
#include "ssg/support_sets.h"

namespace nldb::cli {

struct GenCommand {
  gen::GenOptions options;
  uint64_t dbs = 1;
  std::string templates = "train", entities;  // entities default: as templates
  std::string out;
};
void CmdGen(const Globals& g, GenCommand cmd);

struct EvalCommand {
  std::string file, support = "gold", spj = "gold";
  std::string model = model::DefaultModelDir("reader");
  std::string ssg_model = model::DefaultModelDir("ssg");
  int distractors = 0, negatives = 0;
  size_t show_misses = 20;
  std::string set_log;  // file for one JSON line per support set read
  size_t max_sets = ssg::SsgOptions{}.max_sets;  // support sets per question (retrieved)
};
void CmdEval(const Globals& g, const EvalCommand& cmd);

}  // namespace nldb::cli
