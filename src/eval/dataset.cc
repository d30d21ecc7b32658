#include "eval/dataset.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>

#include "agg/aggregate.h"

namespace nldb::eval {

namespace {
using json = nlohmann::ordered_json;

std::string AnswerText(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Counts are written as JSON numbers, as in WikiNLDB; everything else as strings.
json AnswerJson(const std::string& s, const std::string& type) {
  if (type == "count" && !s.empty() && s.size() < 16 &&
      s.find_first_not_of("0123456789") == std::string::npos) {
    return std::stoll(s);
  }
  return s;
}

// A query every reader of the format can use: a known type, and support
// sets that name only facts of its database.
Status CheckQuery(const Query& q, size_t facts) {
  if (!agg::ParseQueryType(q.type)) {
    return Status::InvalidArgument("query " + q.id + " has unknown type " + q.type);
  }
  for (const auto& set : q.facts) {
    for (uint32_t f : set) {
      if (f >= facts) {
        return Status::InvalidArgument("query " + q.id + " names fact " + std::to_string(f) +
                                       ", which does not exist");
      }
    }
  }
  return Status::OK();
}

constexpr const char* kKnownKeys[] = {"id",     "query", "type",        "relation",
                                      "answer", "height", "facts", "derivations"};
// `v` as a number when it is a whole number from 0 to `max`.
std::optional<uint64_t> WholeNumber(const json& v, uint64_t max) {
  if (!v.is_number_unsigned()) return std::nullopt;  // negative, fractional, or no number
  const uint64_t n = v.get<uint64_t>();
  return n <= max ? std::optional<uint64_t>(n) : std::nullopt;
}

}  // namespace

Result<DatabaseRecord> ParseDatabase(std::string_view line) {
  json j;
  try {
    j = json::parse(line);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("not valid JSON: ") + e.what());
  }
  DatabaseRecord db;
  try {
    if (!j.is_object() || !j.contains("facts")) {
      return Status::InvalidArgument("the line has no \"facts\" list");
    }
    db.facts = j.at("facts").get<std::vector<std::string>>();
    if (j.contains("metadata")) db.metadata = j["metadata"];
    for (const json& q : j.value("queries", json::array())) {
      Query query;
      query.id = q.value("id", "");
      query.query = q.at("query").get<std::string>();
      query.type = q.at("type").get<std::string>();
      query.relation = q.value("relation", "");
      for (const json& a : q.at("answer")) query.answer.push_back(AnswerText(a));
      query.height = db.facts.empty() ? 0 : db.facts.size() - 1;  // none given: it sees them all
      if (q.contains("height")) {
        const auto height = WholeNumber(q["height"], UINT64_MAX);
        if (!height) return Status::InvalidArgument("a query's \"height\" is not a whole number");
        query.height = *height;
      }
      for (const json& set : q.value("facts", json::array())) {
        query.facts.emplace_back();
        for (const json& f : set) {
          const auto index = WholeNumber(f, UINT32_MAX);
          if (!index) return Status::InvalidArgument("a support set names fact " + f.dump());
          query.facts.back().push_back(static_cast<uint32_t>(*index));
        }
      }
      for (const json& d : q.value("derivations", json::array())) {
        query.derivations.push_back(AnswerText(d));
      }
      for (auto it = q.begin(); it != q.end(); ++it) {
        bool known = false;
        for (const char* k : kKnownKeys) known = known || it.key() == k;
        if (!known) query.extra[it.key()] = it.value();
      }
      NLDB_RETURN_IF_ERROR(CheckQuery(query, db.facts.size()));
      db.queries.push_back(std::move(query));
    }
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("not a WikiNLDB database: ") + e.what());
  }
  return db;
}

std::string SerializeDatabase(const DatabaseRecord& db) {
  json j;
  j["facts"] = db.facts;
  json queries = json::array();
  for (const Query& q : db.queries) {
    json o;
    o["id"] = q.id;
    o["query"] = q.query;
    o["type"] = q.type;
    o["relation"] = q.relation;
    json answer = json::array();
    for (const auto& a : q.answer) answer.push_back(AnswerJson(a, q.type));
    o["answer"] = answer;
    o["height"] = q.height;
    o["facts"] = q.facts;
    o["derivations"] = q.derivations;
    for (auto it = q.extra.begin(); it != q.extra.end(); ++it) o[it.key()] = it.value();
    queries.push_back(std::move(o));
  }
  j["queries"] = std::move(queries);
  if (!db.metadata.is_null()) j["metadata"] = db.metadata;
  return j.dump();
}

Status ForEachDatabase(const std::string& path,
                       const std::function<Status(DatabaseRecord& db, const std::string& where)>& fn) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("cannot read " + path + ": not a file");
  }
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  std::string line;
  for (uint64_t line_no = 1; std::getline(in, line); ++line_no) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank, or CRLF's "\r"
    const std::string where = path + ":" + std::to_string(line_no);
    auto db = ParseDatabase(line);
    if (!db.ok()) return Status::InvalidArgument(where + ": " + db.status().message());
    NLDB_RETURN_IF_ERROR(fn(*db, where));
  }
  if (in.bad()) return Status::IOError("cannot read " + path + " to its end");
  return Status::OK();
}

}  // namespace nldb::eval
