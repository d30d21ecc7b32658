#include "ask_command.h"

#include <cstdio>

namespace nldb::cli {

Models LoadModels(const AskCommand& cmd) {
  Models m;
  m.vectors = Check(text::WordVectors::Shared(text::DefaultWordVectorsPath()));
  m.ssg = Check(ssg::SupportSetGenerator::Load(cmd.ssg_model, *m.vectors));
  m.reader = Check(spj::OpenModelSpj(cmd.reader_model));
  return m;
}

void PrintAnswer(const query::AskResult& r) {
  if (r.answer.empty()) std::printf("(no answer)\n");
  for (size_t i = 0; i < r.answer.size(); ++i) {
    std::string ids;
    for (FactId id : r.support[i]) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    std::printf("%s\t[facts %s]\n", r.answer[i].c_str(), ids.c_str());
  }
}

void CmdAsk(const Globals& g, const AskCommand& cmd) {
  if (g.db_dir.empty()) throw Failure{"this command needs the store directory: --db DIR"};
  auto db = Check(Database::Open(g.db_dir, {.read_only = true, .encoder_dir = EncoderDir()}));
  const Models models = LoadModels(cmd);
  query::Engine engine(*db, *models.ssg, *models.reader);
  const query::AskResult r = Check(engine.Ask(cmd.question, g.as_of));
  if (g.json) {
    nlohmann::ordered_json j = {{"answer", r.answer},
                                {"type", r.type},
                                {"support", r.support},
                                {"version", r.version},
                                {"ms", {{"retrieve", r.retrieve_ms},
                                        {"spj", r.spj_ms},
                                        {"aggregate", r.aggregate_ms},
                                        {"total", r.total_ms}}}};
    if (cmd.explain) {
      auto plan = nlohmann::ordered_json::array();
      for (const auto& p : r.plan) {
        plan.push_back({{"operator", p.name}, {"detail", p.detail}, {"rows_in", p.rows_in},
                        {"rows_out", p.rows_out}, {"ms", p.ms}});
      }
      j["plan"] = plan;
    }
    Print(j);
    return;
  }
  PrintAnswer(r);
  std::printf("(%s question, version %llu, %.1f ms)\n", r.type.c_str(),
              static_cast<unsigned long long>(r.version), r.total_ms);
  if (cmd.explain) std::fputs(query::Explain(r).c_str(), stdout);
}

}  // namespace nldb::cli
