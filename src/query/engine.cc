#include "query/engine.h"

#include <chrono>
#include <cstdio>

#include "agg/aggregate.h"
#include "text/utf8.h"

namespace nldb::query {

namespace {

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

constexpr size_t kMaxQuestionBytes = 4096;

std::string TwoDecimals(float x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", x);
  return buf;
}

Status CheckQuestion(const std::string& q) {
  if (q.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("the question is empty");
  }
  if (q.size() > kMaxQuestionBytes) {
    return Status::InvalidArgument("the question is " + std::to_string(q.size()) +
                                   " bytes long; the limit is " + std::to_string(kMaxQuestionBytes));
  }
  if (auto bad = text::FindInvalidUtf8(q)) {
    return Status::InvalidArgument("the question is not valid UTF-8 at byte " +
                                   std::to_string(*bad + 1));
  }
  if (q.find('\0') != std::string::npos) return Status::InvalidArgument("the question holds a NUL byte");
  return Status::OK();
}

}  // namespace

Result<AskResult> Engine::Ask(const std::string& question, std::optional<Version> as_of) {
  NLDB_RETURN_IF_ERROR(CheckQuestion(question));
  const auto start = Clock::now();
  AskResult r;
  auto stats = db_.GetStats(as_of);  // also checks that the version exists
  if (!stats.ok()) return stats.status();
  r.version = stats->version;

  ssg::SsgStats sst;
  auto t = Clock::now();
  const spj::SetsToRead read = reader_.Reads();
  auto sets = ssg_.Generate(db_, question, r.version, &sst, read);
  if (!sets.ok()) return sets.status();
  r.retrieve_ms = MsSince(t);

  t = Clock::now();
  std::vector<std::vector<std::string>> texts;
  for (const auto& s : *sets) texts.push_back(s.texts);
  // With no set, read the question alone: for its type only.
  const std::vector<spj::SpjOutput> outputs =
      reader_.Run(question, texts.empty() ? std::vector<std::vector<std::string>>{{}} : texts);
  r.spj_ms = MsSince(t);
  r.type = spj::VotedType(outputs);
  size_t answered = 0;

  t = Clock::now();
  std::vector<agg::Intermediate> inputs;
  for (size_t i = 0; i < sets->size(); ++i) {
    answered += !outputs[i].answer.empty();
    inputs.push_back({outputs[i].answer, {(*sets)[i].facts.begin(), (*sets)[i].facts.end()}});
  }
  if (auto type = agg::ParseQueryType(r.type)) {
    agg::Answer a = agg::Aggregate(*type, inputs);
    r.answer = std::move(a.values);
    for (auto& s : a.support) r.support.emplace_back(s.begin(), s.end());
  }
  r.aggregate_ms = MsSince(t);
  r.total_ms = MsSince(start);

  r.plan = {
      {"AGGREGATE", r.type, sets->size(), r.answer.size(), r.aggregate_ms},
      {"NEURAL_SPJ", "built-in reader, batched", sets->size(), answered, r.spj_ms},
      {"SUPPORT_SETS", (sst.neighbours ? std::to_string(sst.neighbours) +
                                              " candidates found beside the best seeds, "
                                        : std::string()) +
                           "seeds " + std::to_string(sst.seeds) + ", " + std::to_string(sst.pruned) +
                           " sets scored below the reader's " + TwoDecimals(read.min_score) +
                           " dropped (the best " + std::to_string(read.at_least) +
                           " read whatever their score), facts scored " +
                           std::to_string(sst.scored) + ", neighbour searches " +
                           std::to_string(sst.name_searches) + " (" +
                           std::to_string(static_cast<int>(sst.names_ms + 0.5)) + " ms)" +
                           (sst.other_names ? ", " + std::to_string(sst.other_names) +
                                                  " facts passed over: a name of the question "
                                                  "only within a longer one"
                                            : std::string()),
       sst.candidates, sets->size(), r.retrieve_ms - sst.search_ms},
      {"INDEX_SEARCH", "BM25" +
                           (sst.exhaustive ? std::string(" and every fact (a small store)")
                                           : " and " + std::to_string(sst.similar) +
                                                 " more by meaning (dense)") +
                           (sst.worded ? ", " + std::to_string(sst.worded) +
                                             " more worded as the best seeds"
                                       : std::string()) +
                           (sst.named ? ", " + std::to_string(sst.named) +
                                            " more holding the question's names"
                                      : std::string()) +
                           ", as of version " + std::to_string(r.version),
       stats->live_facts, sst.candidates - sst.neighbours, sst.search_ms}};
  return r;
}

std::string Explain(const AskResult& r) {
  std::string out;
  char buf[512];
  for (size_t i = 0; i < r.plan.size(); ++i) {
    const OperatorProfile& p = r.plan[i];
    // "└─ " is three columns but five bytes: pad by columns.
    const std::string indent = i == 0 ? "" : std::string(3 * (i - 1), ' ') + "└─ ";
    const size_t columns = (i == 0 ? 0 : 3 * i) + p.name.size();
    const std::string label = indent + p.name + std::string(columns < 30 ? 30 - columns : 1, ' ');
    std::snprintf(buf, sizeof(buf), "%s rows %8llu -> %-6llu %9.3f ms   %s\n",
                  label.c_str(), static_cast<unsigned long long>(p.rows_in),
                  static_cast<unsigned long long>(p.rows_out), p.ms, p.detail.c_str());
    out += buf;
  }
  std::snprintf(buf, sizeof(buf), "total %.3f ms\n", r.total_ms);
  out += buf;
  return out;
}

}  // namespace nldb::query
