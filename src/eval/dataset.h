// The WikiNLDB format that `nldb gen` writes and `nldb eval` reads: one
// database per line,
//   {"facts":[str...], "queries":[{"id","query","answer":[...],"type",
//     "relation","height","facts":[[idx...]...],"derivations":[...]}...]}
// A query sees only facts[0..height], both ends included (as in NeuralDB,
// whose readers take facts[:height + 1]). facts[i] (a support set of fact
// indices) produced derivations[i] (an intermediate answer).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "nldb/status.h"

namespace nldb::eval {

struct Query {
  std::string id;
  std::string query;
  std::string type;      // set, bool, count, min, max, argmin, argmax
  std::string relation;  // e.g. "P19", or "P108+P19" for a join
  std::vector<std::string> answer;  // numbers are kept as their JSON text
  uint64_t height = 0;  // the last fact index it sees
  std::vector<std::vector<uint32_t>> facts;  // gold support sets
  std::vector<std::string> derivations;      // one per support set
  nlohmann::ordered_json extra;              // other fields, written back as they were

  // How many facts of a database of `db_facts` this query sees: facts[0..height].
  uint64_t Sees(uint64_t db_facts) const { return height >= db_facts ? db_facts : height + 1; }
};

struct DatabaseRecord {
  std::vector<std::string> facts;
  std::vector<Query> queries;
  nlohmann::ordered_json metadata;  // null when absent
};

// Parses one line; InvalidArgument says what is wrong with it. Every query of
// a parsed database has a known type (agg::ParseQueryType) and support sets
// that name only its database's facts.
Result<DatabaseRecord> ParseDatabase(std::string_view line);
// One line, without its "\n".
std::string SerializeDatabase(const DatabaseRecord& db);

// Calls `fn` with each database of a WikiNLDB .jsonl file, in order, and
// "PATH:LINE" for its messages; blank lines are skipped. Stops at the first
// error: `fn`'s, or InvalidArgument "PATH:LINE: why" for a line that does not
// parse. NotFound if PATH is no readable file (a folder, say).
Status ForEachDatabase(const std::string& path,
                       const std::function<Status(DatabaseRecord& db, const std::string& where)>& fn);

}  // namespace nldb::eval
