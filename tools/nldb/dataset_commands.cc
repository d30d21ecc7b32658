#include "dataset_commands.h"

#include <chrono>
#include <cstdio>
#include <fstream>

#include "progress_bar.h"
#include "text/word_vectors.h"

namespace nldb::cli {

namespace {
gen::Split ParseSplit(const std::string& s, const char* option) {
  if (s == "train") return gen::Split::kTrain;
  if (s == "heldout") return gen::Split::kHeldout;
  if (s == "all") return gen::Split::kAll;
  throw Failure{std::string(option) + " must be train, heldout or all, not \"" + s + "\""};
}
}  // namespace

void CmdGen(const Globals& g, GenCommand cmd) {
  cmd.options.templates = ParseSplit(cmd.templates, "--templates");
  cmd.options.entities = ParseSplit(cmd.entities.empty() ? cmd.templates : cmd.entities, "--entities");
  auto generator = Check(gen::Generator::Create(cmd.options));
  std::ofstream out(cmd.out, std::ios::binary | std::ios::trunc);
  if (!out) throw Failure{"cannot write " + cmd.out};
  ProgressBar bar("generating", "databases");
  uint64_t queries = 0, total_facts = 0;
  std::map<std::string, uint64_t> by_type;
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < cmd.dbs; ++i) {
    const eval::DatabaseRecord db = generator->Generate(i);
    queries += db.queries.size();
    total_facts += db.facts.size();
    for (const auto& q : db.queries) by_type[q.type]++;
    out << eval::SerializeDatabase(db) << "\n";
    bar.Update(i + 1, cmd.dbs);
  }
  out.close();
  if (!out) throw Failure{"writing " + cmd.out + " failed"};
  bar.Finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double facts = static_cast<double>(total_facts);
  const auto counts = generator->TemplateCounts();
  if (g.json) {
    Print({{"out", cmd.out},
           {"dbs", cmd.dbs},
           {"facts", total_facts},
           {"queries", queries},
           {"queries_by_type", by_type},
           {"seconds", seconds},
           {"facts_per_s", seconds > 0 ? facts / seconds : 0},
           {"templates", {{"split", cmd.templates},
                          {"relations", counts.relations},
                          {"fact", counts.fact_templates},
                          {"question", counts.question_templates},
                          {"join", counts.join_templates},
                          {"combined", counts.combined_templates}}}});
    return;
  }
  std::printf("wrote %s: %s databases, %s facts, %s queries in %.2f s (%s facts/s)\n",
              cmd.out.c_str(), WithSeparators(cmd.dbs).c_str(),
              WithSeparators(total_facts).c_str(), WithSeparators(queries).c_str(),
              seconds, WithSeparators(static_cast<uint64_t>(seconds > 0 ? facts / seconds : 0)).c_str());
}

void CmdEval(const Globals& g, const EvalCommand& cmd) {
  eval::EvalOptions options;
  if (cmd.support != "gold" && cmd.support != "retrieved") {
    throw Failure{"--support must be gold or retrieved, not \"" + cmd.support + "\""};
  }
  if (cmd.spj != "gold" && cmd.spj != "model") {
    throw Failure{"--spj must be gold or model, not \"" + cmd.spj + "\""};
  }
  options.support = cmd.support == "gold" ? eval::SupportMode::kGold : eval::SupportMode::kRetrieved;
  options.spj = cmd.spj == "gold" ? eval::SpjMode::kGold : eval::SpjMode::kModel;
  options.distractors = cmd.distractors;
  options.negatives = cmd.negatives;
  options.encoder_dir = EncoderDir();
  std::unique_ptr<spj::SpjOperator> reader;
  if (options.spj == eval::SpjMode::kModel) {
    reader = Check(spj::OpenModelSpj(cmd.model));
    options.reader = reader.get();
  }
  std::shared_ptr<const text::WordVectors> vectors;
  std::unique_ptr<ssg::SupportSetGenerator> ssg;
  if (options.support == eval::SupportMode::kRetrieved) {
    vectors = Check(text::WordVectors::Shared(text::DefaultWordVectorsPath()));
    ssg::SsgOptions ssg_options;
    ssg_options.max_sets = cmd.max_sets;
    ssg = Check(ssg::SupportSetGenerator::Load(cmd.ssg_model, *vectors, ssg_options));
    options.ssg = ssg.get();
  }
  std::ofstream set_log;
  if (!cmd.set_log.empty()) {
    set_log.open(cmd.set_log);
    if (!set_log) throw Failure{"cannot write --set-log file " + cmd.set_log};
    options.set_log = &set_log;
  }
  const auto report = Check(eval::Evaluate(cmd.file, options));
  if (g.json) {
    Print(eval::ReportJson(report, cmd.show_misses));
  } else {
    std::fputs(eval::ReportText(report, cmd.show_misses).c_str(), stdout);
  }
}

}  // namespace nldb::cli
