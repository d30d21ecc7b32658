// `nldb ask`: answers one English question over the store with the built-in
// models (support-set generator and reader).
#pragma once

#include <memory>
#include <string>

#include "cli.h"
#include "model/model_dir.h"
#include "query/engine.h"
#include "text/word_vectors.h"

namespace nldb::cli {

struct AskCommand {
  std::string question;
  std::string reader_model = model::DefaultModelDir("reader");
  std::string ssg_model = model::DefaultModelDir("ssg");
  bool explain = false;
};
void CmdAsk(const Globals& g, const AskCommand& cmd);

// The built-in models a question needs: word vectors, support-set generator, reader.
struct Models {
  std::shared_ptr<const text::WordVectors> vectors;  // one copy per process
  std::unique_ptr<ssg::SupportSetGenerator> ssg;
  std::unique_ptr<spj::SpjOperator> reader;
};
Models LoadModels(const AskCommand& cmd);

// Prints each answer value with the ids of its facts, or "(no answer)".
void PrintAnswer(const query::AskResult& r);

}  // namespace nldb::cli
