// nldb_null_replay: replays the reader's NULL decisions offline, from the set
// logs of `nldb eval --support retrieved --spj model --set-log LOG`, to say
// what NULL decisions cost and what a calibration could still gain:
//   - EM with the NULL biases of a reader's config.json (as `nldb eval` gave),
//   - EM with perfect NULL decisions (a set answers, with the reader's best
//     answer, exactly when it has a gold derivation),
//   - per query type, the best biases `a + b ln n` of calibration's grids
//     chosen on these very files (an oracle), with `a` on -4..8 and on -4..0.
//   build/nldb_null_replay CONFIG.json DATA.jsonl LOG [DATA.jsonl LOG ...]
// Questions are keyed by database and id; a database that repeats an id (a
// few of kelm10's) has those questions' sets merged, so there the replay is
// approximate.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agg/aggregate.h"
#include "eval/scorer.h"
#include "model/calibrate.h"

namespace {

using nlohmann::json;

// The reader's query types: the first seven of agg::QueryType.
constexpr int kTypeCount = 7;
std::string TypeName(int t) {
  return std::string(nldb::agg::QueryTypeName(static_cast<nldb::agg::QueryType>(t)));
}

struct SetRead {
  bool answers = false;  // has a gold derivation
  std::string best;      // the reader's best answer other than NULL
  float null_margin = 0;
};

struct Question {
  std::vector<std::string> gold;
  int type = -1;  // as the reader read it; -1 with no set read
  std::vector<SetRead> sets;
};

struct Biases {
  float a[kTypeCount] = {}, b[kTypeCount] = {};
};

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return json::parse(in);
}

// One data file and its set log, in one list of questions.
std::vector<Question> Load(const std::string& data, const std::string& log) {
  std::map<std::string, Question> questions;
  std::ifstream in(data);
  if (!in) throw std::runtime_error("cannot read " + data);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const json db = json::parse(line);
    for (const json& q : db.at("queries")) {
      Question& x = questions[data + ":" + std::to_string(n) + "/" + q.value("id", "")];
      x.gold.clear();
      for (const json& a : q.at("answer")) x.gold.push_back(a.is_string() ? a.get<std::string>() : a.dump());
    }
  }
  std::ifstream sets(log);
  if (!sets) throw std::runtime_error("cannot read " + log);
  while (std::getline(sets, line)) {
    const json s = json::parse(line);
    if (!s.contains("best") || !s.contains("db")) {
      throw std::runtime_error(log + " has no \"best\" or \"db\": write it again with this build's nldb eval");
    }
    auto it = questions.find(s.at("db").get<std::string>() + "/" + s.at("id").get<std::string>());
    if (it == questions.end()) throw std::runtime_error(log + " names a question that " + data + " has not");
    Question& q = it->second;
    for (int t = 0; t < kTypeCount; ++t) {
      if (s.at("got_type") == TypeName(t)) q.type = t;
    }
    q.sets.push_back({!s.at("gold").get<std::string>().empty(), s.at("best"), s.at("null_margin")});
  }
  std::vector<Question> out;
  for (auto& [key, q] : questions) out.push_back(std::move(q));
  return out;
}

// Exact match with the NULL bias a + b ln(sets read), or with perfect NULLs.
bool Exact(const Question& q, float a, float b, bool perfect) {
  std::vector<std::string> predicted;
  if (q.type >= 0 && !q.sets.empty()) {
    const float bias = a + b * std::log(static_cast<float>(q.sets.size()));
    std::vector<nldb::agg::Intermediate> inputs;
    for (const SetRead& s : q.sets) {
      const bool null = perfect ? !s.answers : s.null_margin + bias > 0;
      inputs.push_back({null ? "" : s.best, {}});
    }
    predicted = nldb::agg::Aggregate(static_cast<nldb::agg::QueryType>(q.type), inputs).values;
  }
  return nldb::eval::ScoreAnswer(predicted, q.gold).exact;
}

// Questions right per file, for the type's biases (every type when type < 0).
std::vector<int> Right(const std::vector<std::vector<Question>>& files, const Biases& biases, int type,
                       bool perfect = false) {
  std::vector<int> right;
  for (const auto& file : files) {
    int n = 0;
    for (const Question& q : file) {
      if (type >= 0 && q.type != type) continue;
      const int t = q.type < 0 ? 0 : q.type;
      n += Exact(q, biases.a[t], biases.b[t], perfect);
    }
    right.push_back(n);
  }
  return right;
}

int Sum(const std::vector<int>& v) {
  int s = 0;
  for (int x : v) s += x;
  return s;
}

void PrintLine(const char* what, const std::vector<int>& right, const std::vector<size_t>& sizes) {
  std::printf("%s:", what);
  for (size_t i = 0; i < right.size(); ++i) std::printf("  %.4f (%d/%zu)", double(right[i]) / sizes[i], right[i], sizes[i]);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc % 2 != 0) {
    std::fprintf(stderr, "usage: nldb_null_replay CONFIG.json DATA.jsonl LOG [DATA.jsonl LOG ...]\n");
    return 2;
  }
  try {
    const json config = ReadJson(argv[1]);
    Biases shipped;
    for (int t = 0; t < kTypeCount; ++t) {
      shipped.a[t] = config.at("null_bias").value(TypeName(t), 0.0f);
      shipped.b[t] = config.at("null_bias_log_sets").value(TypeName(t), 0.0f);
    }
    std::vector<std::vector<Question>> files;
    std::vector<size_t> sizes;
    for (int i = 2; i < argc; i += 2) {
      files.push_back(Load(argv[i], argv[i + 1]));
      sizes.push_back(files.back().size());
    }
    PrintLine("EM, the config's NULL biases", Right(files, shipped, -1), sizes);
    PrintLine("EM, perfect NULL decisions", Right(files, shipped, -1, true), sizes);
    // The grids of `nldb train calibrate`, and a's grid with the values above
    // 0 that it had until it kept them out.
    const nldb::model::CalibrateOptions calibrate;
    const std::vector<float>& b_grid = calibrate.log_sets_grid;
    std::vector<float> a_all = calibrate.grid;
    for (float a : {0.5f, 1.f, 1.5f, 2.f, 3.f, 4.f, 5.f, 6.f, 8.f}) a_all.push_back(a);
    for (const bool non_positive : {false, true}) {
      Biases best = shipped;
      for (int t = 0; t < kTypeCount; ++t) {
        // Ties keep the config's own biases.
        const int config_right = Sum(Right(files, shipped, t));
        int best_right = config_right;
        for (float b : b_grid) {
          for (float a : a_all) {
            if (non_positive && a > 0) continue;
            Biases trial = shipped;
            trial.a[t] = a;
            trial.b[t] = b;
            const int right = Sum(Right(files, trial, t));
            if (right > best_right) {
              best_right = right;
              best.a[t] = a;
              best.b[t] = b;
            }
          }
        }
        std::printf("  %-6s config %+.1f %+.1f ln n: %4d right; best with a on %s: %+.1f %+.1f ln n: %4d\n",
                    TypeName(t).c_str(), shipped.a[t], shipped.b[t], config_right,
                    non_positive ? "-4..0" : "-4..8", best.a[t], best.b[t], best_right);
      }
      PrintLine(non_positive ? "EM, best biases with a on -4..0" : "EM, best biases with a on -4..8",
                Right(files, best, -1), sizes);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nldb_null_replay: %s\n", e.what());
    return 1;
  }
  return 0;
}
