// nldb: the command-line program. Every subcommand prints results on stdout
// (one JSON object with --json), progress and logs on stderr, and on failure
// one sentence on stderr and a non-zero exit status:
//   1  the command failed (bad input, unknown id, store busy or damaged)
//   2  the command line itself is wrong
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "ask_command.h"
#include "shell_command.h"
#include "bench/ingest_bench.h"
#include "bench/query_bench.h"
#include "bench/query_report.h"
#include "bench/reader_bench.h"
#include "cli.h"
#include "dataset_commands.h"
#include "train_command.h"
#include "ingest/bulk_loader.h"
#include "model/reader.h"
#include "nldb/database.h"
#include "progress_bar.h"

namespace nldb::cli {
namespace {

using json = nlohmann::ordered_json;

// CLI11's own number checks let "99999999999999999999" wrap to 2^64 - 1 and
// answer "-1" with a 300-digit range: this one says what is wanted.
CLI::Validator WholeNumberOption(uint64_t min) {
  return CLI::Validator(
      [min](std::string& s) -> std::string {
        const auto v = WholeNumber(s);
        if (v && *v >= min) return "";
        return "must be a whole number from " + std::to_string(min) + " to 18446744073709551615";
      },
      min == 0 ? "NUMBER" : "POSITIVE");
}

std::unique_ptr<Database> OpenStore(const Globals& g, bool write, bool create,
                                    const std::string& label) {
  if (g.db_dir.empty()) throw Failure{"this command needs the store directory: --db DIR"};
  return Check(Database::Open(
      g.db_dir, {.read_only = !write,
                 .create_if_missing = create,
                 .writer_label = label,
                 .encoder_dir = EncoderDir()}));
}

void CmdAdd(const Globals& g, const std::string& sentence) {
  auto db = OpenStore(g, true, true, "nldb add");
  const FactId id = Check(db->Add(sentence));
  if (g.json) {
    Print({{"id", id}, {"version", id}});
  } else {
    std::cout << id << "\n";
  }
}

void CmdLoad(const Globals& g, const std::string& file, bool skip_bad, bool restart,
             size_t batch) {
  auto db = OpenStore(g, true, true, "nldb load " + file);
  ProgressBar checking("checking", "bytes", /*byte_units=*/true);
  ProgressBar storing("storing ", "facts");
  ingest::LoadOptions options;
  options.skip_bad = skip_bad;
  options.restart = restart;
  options.batch_facts = batch;
  options.on_progress = [&](const ingest::LoadProgress& p) {
    if (p.phase == ingest::LoadProgress::Phase::kChecking) {
      checking.Update(p.done, p.total);
    } else {
      checking.Finish();
      storing.Update(p.done, p.total);
    }
  };
  auto report = ingest::LoadFile(*db, file, options);
  checking.Finish();
  storing.Finish();
  if (!report.ok()) {
    std::string msg = report.status().message();
    if (report.status().code() == Status::Code::kInvalidArgument && !skip_bad &&
        msg.rfind(file + ":", 0) == 0) {
      msg += "; this load stored nothing (use --skip-bad to skip bad lines)";
    }
    throw Failure{msg};
  }
  for (const auto& bad : report->skipped_examples) spdlog::warn("skipped {}", bad);
  const Version version = Check(db->CurrentVersion());
  if (g.json) {
    Print({{"stored", report->stored},
           {"skipped", report->skipped},
           {"input_facts", report->input_facts},
           {"resumed_at", report->resumed_at},
           {"first_id", report->first_id},
           {"last_id", report->last_id},
           {"version", version}});
    return;
  }
  if (report->resumed_at > 0) {
    std::cout << "resumed an interrupted load of " << file << " after "
              << WithSeparators(report->resumed_at) << " facts\n";
  }
  std::cout << "stored " << WithSeparators(report->stored) << " facts from " << file;
  if (report->stored > 0) std::cout << " (ids " << report->first_id << ".." << report->last_id << ")";
  if (report->skipped > 0) std::cout << ", skipped " << report->skipped << " bad lines";
  std::cout << "; the store is at version " << version << "\n";
}

void CmdDelete(const Globals& g, FactId id) {
  auto db = OpenStore(g, true, false, "nldb delete");
  const Version v = Check(db->Delete(id));
  if (g.json) {
    Print({{"id", id}, {"version", v}});
  } else {
    std::cout << "deleted fact " << id << " at version " << v << "\n";
  }
}

void CmdFacts(const Globals& g) {
  auto db = OpenStore(g, false, false, "");
  if (!g.json) {
    Check(db->Scan(g.as_of, [](const Fact& f) {
      std::cout << f.id << "\t" << f.text << "\n";
      return true;
    }));
    return;
  }
  json facts = json::array();
  const Version v = Check(db->Scan(g.as_of, [&](const Fact& f) {
    facts.push_back({{"id", f.id}, {"text", f.text}, {"version", f.id}});
    return true;
  }));
  Print({{"version", v}, {"facts", std::move(facts)}});
}

void CmdStats(const Globals& g) {
  auto db = OpenStore(g, false, false, "");
  const Stats s = Check(db->GetStats(g.as_of));
  if (g.json) {
    Print({{"facts", s.live_facts}, {"version", s.version}, {"deleted", s.deleted_facts}});
  } else {
    std::cout << "version " << s.version << ": " << WithSeparators(s.live_facts) << " facts ("
              << WithSeparators(s.deleted_facts) << " deleted)\n";
  }
}

void CmdSearch(const Globals& g, const std::string& query, size_t limit, bool similar) {
  auto db = OpenStore(g, false, false, "");
  // Searched as of this version (one that exists), so that --json reports
  // the version searched.
  const Version v = Check(db->GetStats(g.as_of)).version;
  if (similar && EncoderDir().empty()) {
    throw Failure{"--similar needs the sentence encoder in " + model::DefaultModelDir("encoder") +
                  " (nldb train encoder)"};
  }
  const auto hits = Check(similar ? db->SearchSimilar(query, limit, v) : db->Search(query, limit, v));
  json rows = json::array();
  for (const SearchHit& h : hits) {
    if (g.json) {
      rows.push_back({{"id", h.id}, {"score", h.score}, {"text", h.text}});
    } else {
      std::printf("%llu\t%.3f\t%s\n", static_cast<unsigned long long>(h.id), h.score,
                  h.text.c_str());
    }
  }
  if (g.json) Print({{"version", v}, {"hits", std::move(rows)}});
}

void CmdCheck(const Globals& g, bool repair) {
  // FTS5 runs its check as a write, so even a check takes the writer lock.
  auto db = OpenStore(g, true, false, repair ? "nldb check --repair" : "nldb check");
  if (Status s = db->CheckIndexes(repair); !s.ok()) Fail(s);
  if (g.json) {
    Print({{"indexes", "ok"}});
  } else {
    std::cout << "the indexes agree with the facts\n";
  }
}

void CmdBenchIngest(const Globals& g, const bench::IngestBenchOptions& options) {
  const auto r = Check(bench::RunIngestBench(options));
  if (g.json) {
    Print({{"bench", "ingest"},
           {"facts", r.facts},
           {"batch", r.batch},
           {"seconds", r.seconds},
           {"dense_index_seconds", r.dense_seconds},
           {"facts_per_s", r.facts_per_s},
           {"text_bytes", r.text_bytes},
           {"disk_bytes", r.disk_bytes},
           {"disk_bytes_per_fact", r.facts ? double(r.disk_bytes) / r.facts : 0.0}});
  } else {
    std::printf("ingested %s facts in %.2f s (%.2f s of it the dense index): %s facts/s; on disk "
                "%.1f MB (%.1f bytes/fact)\n",
                WithSeparators(r.facts).c_str(), r.seconds, r.dense_seconds,
                WithSeparators(static_cast<uint64_t>(r.facts_per_s)).c_str(), r.disk_bytes / 1e6,
                r.facts ? double(r.disk_bytes) / r.facts : 0.0);
  }
}

void CmdBenchQuery(const Globals& g, const bench::QueryBenchOptions& options,
                   const std::string& report_dir, const std::string& command,
                   const AskCommand& models) {
  const Models loaded = LoadModels(models);
  const double peak = model::MeasureMatmulGflops(model::FastestPrecision());  // what the reader reads in
  auto pct = [](const bench::Percentiles& p) { return json{{"p50", p.p50}, {"p99", p.p99}}; };
  std::vector<bench::QueryBenchResult> rows;
  json runs = json::array();
  for (uint64_t facts : options.facts) {
    const auto r = Check(bench::RunQueryBench(facts, options, *loaded.ssg, *loaded.reader));
    rows.push_back(r);
    json stages = json::object();
    for (const auto& [k, v] : r.stage_ms) stages[k] = pct(v);
    runs.push_back(
        {{"facts", r.facts},
         {"queries", r.queries},
         {"ingest", {{"seconds", r.ingest_seconds},
                     {"facts_per_s", r.ingest_facts_per_s},
                     {"disk_bytes", r.disk_bytes}}},
         {"latency_ms", {{"p50", r.total_ms.p50}, {"p99", r.total_ms.p99}, {"stages", stages}}},
         {"scoped_latency_ms", {{"queries", r.scoped_queries},
                                {"p50", r.scoped_ms.p50},
                                {"p99", r.scoped_ms.p99}}},
         {"first_question_ms", r.first_ms},
         {"queries_per_s", r.queries_per_s},
         {"mean_support_sets", r.mean_support_sets},
         {"em", r.em},
         {"rss_mb", r.rss_mb},
         {"peak_rss_mb", r.peak_rss_mb},
         {"reader", {{"flops_per_question", r.spj_flops},
                     {"gflops", r.spj_gflops},
                     {"fraction_of_peak", peak > 0 ? r.spj_gflops / peak : 0.0},
                     {"batched_p50_ms", r.compare_batched_ms},
                     {"per_set_p50_ms", r.compare_per_set_ms}}},
         {"whole_database_baseline",
          r.whole_em < 0 ? json(nullptr) : json{{"em", r.whole_em}, {"p50_ms", r.whole_ms}}}});
    if (!g.json) {
      std::printf("%s facts (loaded in %.2f s, %s facts/s, %.1f MB on disk); first question "
                  "%.1f ms, then %d questions: p50 %.1f ms, p99 %.1f ms (retrieve %.1f, spj %.1f, "
                  "aggregate %.2f at p50); %d of them set, bool, count or argmax needing at most "
                  "100 sets: p50 %.1f ms, p99 %.1f ms; %.1f support sets each; EM %.3f; RSS %.0f MB\n",
                  WithSeparators(r.facts).c_str(), r.ingest_seconds,
                  WithSeparators(static_cast<uint64_t>(r.ingest_facts_per_s)).c_str(),
                  r.disk_bytes / 1e6, r.first_ms, r.queries, r.total_ms.p50, r.total_ms.p99,
                  r.stage_ms.at("retrieve").p50, r.stage_ms.at("spj").p50,
                  r.stage_ms.at("aggregate").p50, r.scoped_queries, r.scoped_ms.p50, r.scoped_ms.p99,
                  r.mean_support_sets, r.em, r.rss_mb);
    }
  }
  std::string note;
  if (!report_dir.empty()) {
    const Status written = bench::WriteQueryReport(report_dir, command, rows, peak,
                                                   model::PrecisionName(model::FastestPrecision()), &note);
    if (!written.ok()) Fail(written);
  }
  if (!note.empty()) spdlog::warn("{}", note);
  if (g.json) Print({{"bench", "query"}, {"matmul_peak_gflops", peak}, {"runs", runs}});
}

void CmdBenchReader(const Globals& g, const bench::ReaderBenchOptions& options) {
  const auto r = Check(bench::RunReaderBench(options));
  json rows = json::array();
  for (const auto& row : r.rows) {
    rows.push_back({{"precision", model::PrecisionName(row.precision)},
                    {"batch", row.batch},
                    {"sets_per_s", row.sets_per_s},
                    {"ms_per_batch", row.ms_per_batch},
                    {"gflops", row.gflops},
                    {"matmul_peak_gflops", row.peak_gflops},
                    {"fraction_of_peak", row.gflops / row.peak_gflops}});
  }
  const json j = {{"bench", "reader"},
                  {"parameters", r.parameters},
                  {"mean_tokens_per_set", r.mean_tokens},
                  {"flops_per_set", r.flops_per_set},
                  {"default_precision", model::PrecisionName(r.default_precision)},
                  {"batches", rows}};
  if (g.json) {
    Print(j);
    return;
  }
  std::printf("reader: %lld parameters, %.1f tokens and %.1f MFLOP per support set; "
              "nldb reads in %s here\n",
              static_cast<long long>(r.parameters), r.mean_tokens, r.flops_per_set / 1e6,
              model::PrecisionName(r.default_precision));
  for (const auto& row : r.rows) {
    std::printf("  %-8s batch %4d: %8.1f sets/s  %8.2f ms/batch  %6.2f GFLOP/s (%.0f%% of the "
                "%.0f GFLOP/s matmul peak)\n",
                model::PrecisionName(row.precision), row.batch, row.sets_per_s, row.ms_per_batch,
                row.gflops, 100 * row.gflops / row.peak_gflops, row.peak_gflops);
  }
}

int Main(int argc, char** argv) {
  CLI::App app{"nldb: a natural-language database. Facts and questions are English sentences."};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  Globals g;
  app.add_option("--db", g.db_dir, "store directory");
  app.add_flag("--json", g.json, "print one JSON object on stdout");
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "log more on stderr");

  std::string sentence;
  auto* add = app.add_subcommand("add", "store one fact; prints its id once it is durable");
  add->add_option("sentence", sentence, "the fact, an English sentence")->required();

  std::string file;
  bool skip_bad = false, restart = false;
  size_t batch = 20000;
  auto* load = app.add_subcommand("load", "bulk-load a .txt (one fact per line) or WikiNLDB .jsonl");
  load->add_option("file", file, "input file")->required();
  load->add_flag("--skip-bad", skip_bad, "skip bad lines (and count them) instead of failing");
  load->add_flag("--restart", restart,
                 "store the whole file, even where an interrupted load of it stored a part");
  load->add_option("--batch", batch, "facts per atomic batch")->check(CLI::Range(1, 10000000));

  FactId id = 0;
  auto* del = app.add_subcommand("delete", "hide a fact from later versions");
  del->add_option("id", id, "fact id")->required()->check(WholeNumberOption(0));

  auto add_as_of = [&](CLI::App* cmd) {
    cmd->add_option_function<Version>(
        "--as-of", [&](const Version& v) { g.as_of = v; }, "read as of this version")
        ->check(WholeNumberOption(0));
  };
  auto* facts = app.add_subcommand("facts", "list the live facts");
  add_as_of(facts);
  auto* stats = app.add_subcommand("stats", "count the live facts");
  add_as_of(stats);

  std::string query;
  size_t limit = 10;
  bool similar = false;
  auto* search = app.add_subcommand("search", "the facts that best match some words (BM25)");
  search->add_flag("--similar", similar, "nearest in meaning instead (the dense index; score: cosine)");
  search->add_option("words", query, "words to look for")->required();
  search->add_option("--limit", limit, "facts to show")->check(CLI::Range(1, 100000));
  add_as_of(search);
  bool repair = false;
  auto* check = app.add_subcommand("check", "check the indexes against the facts");
  check->add_flag("--repair", repair, "rebuild a damaged index from the facts");

  AskCommand ask_cmd;
  auto* ask = app.add_subcommand("ask", "answer an English question over the facts");
  ask->add_option("question", ask_cmd.question, "the question")->required();
  ask->add_flag("--explain", ask_cmd.explain, "show the plan: operators, rows and time");
  ask->add_option("--model", ask_cmd.reader_model, "reader model directory");
  ask->add_option("--ssg-model", ask_cmd.ssg_model, "support-set model directory");
  add_as_of(ask);
  auto* shell = app.add_subcommand("shell", "an interactive prompt: facts, questions, deletes");
  shell->add_option("--model", ask_cmd.reader_model, "reader model directory");
  shell->add_option("--ssg-model", ask_cmd.ssg_model, "support-set model directory");

  auto* bench = app.add_subcommand("bench", "measure speed and size");
  bench->require_subcommand(1);
  bench::IngestBenchOptions ingest_options;
  ingest_options.encoder_dir = EncoderDir();
  auto* bench_ingest = bench->add_subcommand("ingest", "raw fact-store ingest of short facts");
  bench_ingest->add_option("--facts", ingest_options.facts, "facts to ingest");
  bench_ingest->add_option("--batch", ingest_options.batch, "facts per batch")
      ->check(CLI::Range(1, 10000000));
  bench_ingest->add_option("--dir", ingest_options.dir, "store to create (default: a temporary one)");

  bench::QueryBenchOptions query_bench_options;
  query_bench_options.encoder_dir = EncoderDir();
  auto* bench_query = bench->add_subcommand("query", "questions over one generated database");
  std::string query_report_dir;
  bench_query->add_option("--facts", query_bench_options.facts,
                          "facts in the database; several (1000,100000) for one run each")
      ->delimiter(',')
      ->check(WholeNumberOption(1));
  bench_query->add_option("--compare", query_bench_options.compare_queries,
                          "questions also read one set per call and as the whole database")
      ->check(WholeNumberOption(0));
  bench_query->add_option("--report", query_report_dir,
                          "write query.md and query.png (gnuplot) into this directory");
  bench_query->add_option("--queries", query_bench_options.queries, "questions to ask")
      ->check(WholeNumberOption(1));
  bench_query->add_option("--seed", query_bench_options.seed, "generator seed")->check(WholeNumberOption(0));

  GenCommand gen_cmd;
  auto* gen = app.add_subcommand("gen", "write synthetic WikiNLDB databases with gold answers");
  gen->add_option("--dbs", gen_cmd.dbs, "databases to write")->check(WholeNumberOption(1));
  gen->add_option("--facts", gen_cmd.options.facts, "facts per database")->check(WholeNumberOption(1));
  gen->add_option("--seed", gen_cmd.options.seed, "random seed (same seed, same output)")->check(WholeNumberOption(0));
  gen->add_option("--queries", gen_cmd.options.queries, "questions per database")
      ->check(CLI::Range(0, 1000000));
  gen->add_option("--templates", gen_cmd.templates, "phrasings: train, heldout or all");
  gen->add_option("--entities", gen_cmd.entities, "name pool: train, heldout or all (default: as --templates)");
  gen->add_option("--max-support", gen_cmd.options.max_support,
                  "skip questions needing more support sets than this")
      ->check(WholeNumberOption(1));
  gen->add_option("--out", gen_cmd.out, "output .jsonl file")->required();

  EvalCommand eval_cmd;
  auto* eval = app.add_subcommand("eval", "answer and score every query of a WikiNLDB file");
  eval->add_option("file", eval_cmd.file, "WikiNLDB .jsonl file")->required();
  eval->add_option("--support", eval_cmd.support, "gold or retrieved support sets");
  eval->add_option("--spj", eval_cmd.spj, "gold derivations or the model reader");
  eval->add_option("--misses", eval_cmd.show_misses, "wrong answers to list");
  eval->add_option("--set-log", eval_cmd.set_log,
                   "write one JSON line per support set read (question, facts, gold, output)");
  eval->add_option("--model", eval_cmd.model, "reader model directory (with --spj model)");
  eval->add_option("--ssg-model", eval_cmd.ssg_model,
                   "support-set model directory (with --support retrieved)");
  eval->add_option("--max-sets", eval_cmd.max_sets,
                   "most support sets retrieved per question (with --support retrieved)")
      ->check(CLI::Range(1, 100000));
  eval->add_option("--distractors", eval_cmd.distractors,
                   "add 1..N random other facts to every gold support set")
      ->check(CLI::Range(0, 10));
  eval->add_option("--negatives", eval_cmd.negatives,
                   "add N one-fact support sets per query that do not answer it")
      ->check(CLI::Range(0, 100));

  TrainCommand train_cmd;
  auto* train = app.add_subcommand("train", "train a built-in model from generated data");
  train->require_subcommand(1);
  auto* train_reader = train->add_subcommand("reader", "the Neural SPJ reader");
  auto& to = train_cmd.options;
  train_reader->add_option("--out", to.out_dir, "model directory to write")->required();
  train_reader->add_option("--seed", to.seed, "random seed")->check(WholeNumberOption(0));
  train_reader->add_option("--steps", to.steps, "training steps")->check(WholeNumberOption(1));
  train_reader->add_option("--batch", to.batch, "support sets per step")->check(WholeNumberOption(1));
  train_reader->add_option("--lr", to.lr, "peak learning rate");
  train_reader->add_option("--dbs", to.dbs, "generated training databases")->check(WholeNumberOption(1));
  train_reader->add_option("--minutes", to.max_minutes, "stop training after this long");
  train_reader->add_option("--dim", to.config.dim, "model width");
  train_reader->add_option("--layers", to.config.layers, "transformer layers");
  train_reader->add_option("--heads", to.config.heads, "attention heads");
  train_reader->add_option("--ff", to.config.ff, "feed-forward width");
  train_reader->add_option("--vocab", to.vocab, "subword vocabulary size");
  train_reader->add_option("--init", to.init_dir,
                           "start from this reader's weights, tokenizer, sizes and input features "
                           "(a warm start) instead of from scratch");
  train_reader->add_option("--token-dropout", to.token_dropout,
                           "chance of hiding each token's subword id in training")
      ->check(CLI::Range(0.0, 0.9));
  train_reader->add_option("--initials", to.initials,
                           "chance of middle initials in a generated person's name")
      ->check(CLI::Range(0.0, 1.0));
  train_reader->add_option("--real-data", to.real_data,
                           "real WikiNLDB databases with gold support sets to mix in "
                           "(e.g. ../shared/data/kelm10/train.jsonl)");
  train_reader->add_option("--real-repeats", to.real_repeats,
                           "times each real database is cut into examples")
      ->check(CLI::Range(1, 1000));
  train_reader->add_flag("--word-match", to.config.word_match,
                         "mark each word that is also on the other side (question or facts)");
  train_reader->add_flag("--soft-match", to.config.soft_match,
                         "mark how close in meaning (GloVe) each word's nearest word on the other "
                         "side is");
  train_reader->add_flag("--unicode-capitals", to.config.unicode_capitals,
                         "mark words that begin with a non-ASCII letter (\"Åland\") as capitalised");
  train_reader->add_option("--paraphrase", to.paraphrase,
                           "chance of varying each training text's wording with WordNet synonyms")
      ->check(CLI::Range(0.0, 1.0));
  train_reader->add_option("--unknown-words", to.unknown_words,
                           "chance of a training question's word that ties it to no fact becoming "
                           "a rare word training never reads (answer unchanged)")
      ->check(CLI::Range(0.0, 1.0));
  train_reader->add_option("--negatives", to.negatives,
                           "NULL examples per question: random, sharing a name, sharing words")
      ->check(CLI::Range(0, 12));
  train_reader->add_option("--retrieved", to.retrieved,
                           "the support-set generator's own sets per question, labelled by the "
                           "gold sets they hold (0: none)")
      ->check(CLI::Range(0, 40));
  train_reader->add_option("--ssg-model", to.ssg_dir,
                           "support-set generator for --retrieved and --calibrate");
  train_reader->add_flag("--calibrate", train_cmd.calibrate,
                         "choose the NULL bias per query type on retrieved sets (train calibrate)");
  train_reader->add_option("--eval-dbs", train_cmd.eval_dbs, "held-out databases to score");
  CalibrateCommand calibrate_cmd{model::DefaultModelDir("reader"), model::DefaultModelDir("ssg")};
  auto* train_calibrate =
      train->add_subcommand("calibrate", "the reader's NULL bias per query type, on retrieved sets");
  train_calibrate->add_option("--model", calibrate_cmd.model_dir, "reader model directory to calibrate");
  train_calibrate->add_option("--ssg-model", calibrate_cmd.ssg_dir, "support-set generator");
  train_calibrate->add_option("--dbs", calibrate_cmd.dbs, "generated databases read (default 320)")
      ->check(WholeNumberOption(1));
  train_calibrate
      ->add_option("--always-read", calibrate_cmd.always_read,
                   "read the best N sets of a question whatever their score (default: as the "
                   "reader's config.json says, 3 if it says nothing)")
      ->check(CLI::Range(1, 300));
  train_calibrate
      ->add_option("--min-set-score", calibrate_cmd.min_set_score,
                   "read sets scored at least this (fewer sets, faster) and choose only the "
                   "NULL biases; default: the score of best EM on the grid 0-0.8")
      ->check(CLI::Range(0.0, 1.0));
  BlendCommand blend_cmd;
  auto* train_blend = train->add_subcommand(
      "blend", "the weight-space average of two readers of one shape and tokenizer");
  train_blend->add_option("--model", blend_cmd.options.model_dir, "the first reader")->required();
  train_blend->add_option("--with", blend_cmd.options.with_dir,
                          "the second reader (e.g. a warm start of the first)")
      ->required();
  train_blend->add_option("--weight", blend_cmd.options.weight, "share of the second reader's weights")
      ->check(CLI::Range(0.0, 1.0));
  train_blend->add_option("--out", blend_cmd.options.out_dir, "model directory to write")->required();
  train_blend->add_option("--eval-dbs", blend_cmd.eval_dbs, "held-out databases to score");
  ssg::SsgTrainOptions ssg_options;
  auto* train_ssg = train->add_subcommand("ssg", "the support-set generator's scorer");
  train_ssg->add_option("--out", ssg_options.out_dir, "model directory to write")->required();
  train_ssg->add_option("--seed", ssg_options.seed, "random seed")->check(WholeNumberOption(0));
  train_ssg->add_option("--dbs", ssg_options.dbs, "generated training databases")
      ->check(WholeNumberOption(1));
  train_ssg->add_option("--epochs", ssg_options.epochs, "passes over the examples")
      ->check(WholeNumberOption(1));

  model::EncoderTrainOptions encoder_options;
  auto* train_encoder = train->add_subcommand("encoder", "the dense index's sentence encoder");
  train_encoder->add_option("--out", encoder_options.out_dir, "model directory to write")->required();
  train_encoder->add_option("--seed", encoder_options.seed, "random seed")->check(WholeNumberOption(0));
  train_encoder->add_option("--dbs", encoder_options.dbs, "generated training databases")
      ->check(WholeNumberOption(1));
  train_encoder->add_option("--steps", encoder_options.steps, "training steps")
      ->check(WholeNumberOption(1));
  train_encoder->add_option("--dims", encoder_options.dims, "code size")->check(CLI::Range(2, 512));

  bench::ReaderBenchOptions reader_bench_options;
  auto* bench_reader = bench->add_subcommand("reader", "built-in reader throughput and FLOPs");
  bench_reader->add_option("--model", reader_bench_options.model_dir, "reader model directory");
  bench_reader->add_option("--batches", reader_bench_options.batches, "batch sizes to measure");
  bench_reader->add_option("--seconds", reader_bench_options.seconds_per_batch,
                           "measuring time per batch size");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "nldb: %s (see nldb --help)\n", e.what());
    return 2;
  }

  auto logger = spdlog::stderr_color_mt("nldb");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("nldb: %l: %v");
  spdlog::set_level(verbose || *train ? spdlog::level::debug : spdlog::level::warn);

  try {
    if (*add) CmdAdd(g, sentence);
    if (*load) CmdLoad(g, file, skip_bad, restart, batch);
    if (*del) CmdDelete(g, id);
    if (*facts) CmdFacts(g);
    if (*stats) CmdStats(g);
    if (*search) CmdSearch(g, query, limit, similar);
    if (*check) CmdCheck(g, repair);
    if (*bench_ingest) CmdBenchIngest(g, ingest_options);
    if (*bench_reader) CmdBenchReader(g, reader_bench_options);
    if (*bench_query) {
      std::string command = "nldb";
      for (int i = 1; i < argc; ++i) command += std::string(" ") + argv[i];
      CmdBenchQuery(g, query_bench_options, query_report_dir, command, ask_cmd);
    }
    if (*gen) CmdGen(g, gen_cmd);
    if (*eval) CmdEval(g, eval_cmd);
    if (*train_reader) CmdTrainReader(g, train_cmd);
    if (*train_blend) CmdTrainBlend(g, blend_cmd);
    if (*train_ssg) CmdTrainSsg(g, ssg_options);
    if (*train_encoder) CmdTrainEncoder(g, encoder_options);
    if (*train_calibrate) {
      CmdTrainCalibrate(g, calibrate_cmd);
    }
    if (*ask) CmdAsk(g, ask_cmd);
    if (*shell) CmdShell(g, ask_cmd);
  } catch (const Failure& f) {
    std::fflush(stdout);
    std::fprintf(stderr, "nldb: %s\n", f.message.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nldb: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace nldb::cli

int main(int argc, char** argv) {
  // OpenMP (libtorch) and OpenBLAS threads spin against each other on two
  // cores unless OpenMP waits passively; it reads this only at start-up, so
  // set it and start again.
  if (!std::getenv("OMP_WAIT_POLICY")) {
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);  // returns only on failure: carry on as we are
  }
  return nldb::cli::Main(argc, argv);
}
