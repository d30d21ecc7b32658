// `nldb ask`: answers one English question over the store with the built-in
// models (support-set generator and reader).
#pragma once

#include <string>

#include "cli.h"
#include "model/model_dir.h"

namespace nldb::cli {

struct AskCommand {
  std::string question;
  std::string reader_model = model::DefaultModelDir("reader");
  std::string ssg_model = model::DefaultModelDir("ssg");
  bool explain = false;
};
void CmdAsk(const Globals& g, const AskCommand& cmd);

}  // namespace nldb::cli
