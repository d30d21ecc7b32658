// Engine: answers one English question over a store, as a plan of four
// operators (a DuckDB-style tree, printed by Explain):
//
//   AGGREGATE (type)          the exact, symbolic last step (src/agg)
//   └─ NEURAL_SPJ             one reader pass over every support set, batched
//      └─ SUPPORT_SETS        candidates scored and grown into sets (src/ssg)
//         └─ INDEX_SEARCH     BM25 and nearest by meaning (the dense index) over
//                             the facts live at the version asked
//
// The query type is the one most support sets were read as; a question with
// no support set is read alone, for its type, and has an empty answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "nldb/database.h"
#include "spj/spj.h"
#include "ssg/support_sets.h"

namespace nldb::query {

struct OperatorProfile {
  std::string name, detail;
  uint64_t rows_in = 0, rows_out = 0;
  double ms = 0;
};

struct AskResult {
  std::vector<std::string> answer;
  std::string type;
  std::vector<std::vector<FactId>> support;  // the facts behind answer[i]
  Version version = 0;                       // the version the question saw
  double retrieve_ms = 0, spj_ms = 0, aggregate_ms = 0, total_ms = 0;
  std::vector<OperatorProfile> plan;         // top (aggregate) first
};

class Engine {
 public:
  Engine(Database& db, const ssg::SupportSetGenerator& ssg, spj::SpjOperator& reader)
      : db_(db), ssg_(ssg), reader_(reader) {}

  // Rejects empty, over-long (> 4 KiB) or invalid UTF-8 questions with one sentence.
  Result<AskResult> Ask(const std::string& question, std::optional<Version> as_of = std::nullopt);

 private:
  Database& db_;
  const ssg::SupportSetGenerator& ssg_;
  spj::SpjOperator& reader_;
};

// The plan as a tree with rows and time per operator (EXPLAIN ANALYZE).
std::string Explain(const AskResult& result);

}  // namespace nldb::query
