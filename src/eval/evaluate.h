// Evaluate: answers every query of a WikiNLDB file over its own database's
// facts[0..height] and scores it (`nldb eval`).
//
// Modes isolate the stages of the pipeline:
//   --spj gold      the gold derivations go straight into aggregation, so the
//                   score measures aggregation (and the gold data) alone;
//   --support gold  the reader reads the gold support sets (measures the reader);
//   otherwise       the full pipeline retrieves its own support sets.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "eval/dataset.h"
#include "nldb/status.h"
#include "spj/spj.h"
#include "ssg/support_sets.h"

namespace nldb::eval {

enum class SupportMode { kGold, kRetrieved };
enum class SpjMode { kGold, kModel };

struct EvalOptions {
  SupportMode support = SupportMode::kGold;
  SpjMode spj = SpjMode::kGold;
  spj::SpjOperator* reader = nullptr;  // reads the support sets with SpjMode::kModel
  // Finds the support sets with SupportMode::kRetrieved, over a temporary
  // store per database. With SpjMode::kGold a found set that holds a gold set
  // yields that set's derivation and any other set NULL (an oracle reader).
  const ssg::SupportSetGenerator* ssg = nullptr;
  std::string encoder_dir;  // the temporary stores' dense index (none if empty)
  int distractors = 0;  // add 1..distractors random other facts to every gold support set
  int negatives = 0;    // add this many one-fact sets per query that do not answer it
  uint64_t seed = 1;    // for the two above
  // If set, one JSON line per support set read: {"db" (FILE:LINE), "id",
  // "query","type","facts","gold","got" ("" for NULL),"best" (the answer it
  // would give were it not NULL),"got_type","null_margin","set_score"}, for
  // error analysis and replaying NULL decisions offline.
  std::ostream* set_log = nullptr;
};

// Totals over a group of queries.
struct Tally {
  uint64_t n = 0, exact = 0;
  double f1 = 0;  // sum; divide by n
  double em() const { return n ? static_cast<double>(exact) / n : 0; }
  double mean_f1() const { return n ? f1 / n : 0; }
};

struct Miss {  // one query answered wrongly
  std::string file_line, id, query, type;
  std::vector<std::string> gold, predicted;
  std::string predicted_type;
};

// Support-set level results of a reader: NULL decisions and errors by kind.
struct SetTally {
  uint64_t sets = 0, correct = 0;
  uint64_t null_tp = 0, null_fp = 0, null_fn = 0;  // NULL is the positive class
  uint64_t wrong_answer = 0;  // answered, but not the gold derivation
  uint64_t pruned = 0;        // retrieved but not read (see spj::SpjOperator::Reads)
  double null_precision() const { return null_tp + null_fp ? double(null_tp) / (null_tp + null_fp) : 1; }
  double null_recall() const { return null_tp + null_fn ? double(null_tp) / (null_tp + null_fn) : 1; }
};

struct EvalReport {
  Tally overall;
  SetTally sets;
  uint64_t wrong_type = 0;  // queries whose voted type is not the gold type
  double support_recall = 0;  // sum over queries of the share of gold sets found
  std::map<uint64_t, Tally> recall_by_size;  // exact = gold sets found, n = gold sets
  std::map<std::string, Tally> by_type, by_relation;
  std::map<uint64_t, Tally> by_size;  // by facts seen, rounded up to 25, 100, 1k, ... 10M

  std::vector<double> latency_ms;  // one per query
  std::map<std::string, std::vector<double>> stage_ms;  // retrieve, spj, aggregate: one per query
  std::vector<Miss> misses;
};

Result<EvalReport> Evaluate(const std::string& path, const EvalOptions& options);

// One support set to read: fact indexes into the database, and what it
// should yield ("" for NULL).
struct SetToRead {
  std::vector<uint32_t> facts;
  std::string gold;
  float score = 1;  // the support-set generator's score (1 for gold sets)
};

struct RetrievedSets {
  std::vector<SetToRead> sets;  // best first; gold is the first gold set held
  uint64_t gold_found = 0;      // gold sets of the query held by some set
  uint64_t pruned = 0;          // sets the reader does not read
};

// The sets `ssg` finds for `q` over `store` (the database's facts, fact i
// with id i + 1) that the reader reads (`read`, see spj::SpjOperator::Reads),
// each labelled with the derivation of the
// gold set it holds.
Result<RetrievedSets> Retrieve(const DatabaseRecord& db, const Query& q,
                               const ssg::SupportSetGenerator& ssg, Database& store,
                               const spj::SetsToRead& read = {});

// {"em","f1","n","by_type":{..},"by_relation":{..},"by_size":{..},
//  "latency_ms":{"p50","p99","retrieve":{..},"spj":{..},"aggregate":{..}},"misses":[...first max_misses...]}
nlohmann::ordered_json ReportJson(const EvalReport& report, size_t max_misses);
std::string ReportText(const EvalReport& report, size_t max_misses);

}  // namespace nldb::eval
