// Helpers shared by the tests: temporary directories, files, and running
// the nldb program as a child process.
#pragma once

#include <random>
#include <string>
#include <vector>

namespace nldb::testing {

// A fresh directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out, err;
};

// `s` with 1-4 random byte edits (a byte changed, a run deleted, a piece of
// `pieces` inserted, the rest cut off): inputs for the fuzz tests.
std::string Mutate(std::string s, const std::vector<std::string>& pieces, std::mt19937_64& rng);

// Runs the nldb binary with `args` and `input` on stdin, and waits for it.
RunResult RunNldb(const std::vector<std::string>& args, const std::string& input = "");
// The same for another program of this build.
RunResult RunProgram(const std::string& binary, const std::vector<std::string>& args,
                     const std::string& input = "");

// Starts the nldb binary with `args` without waiting; returns its pid.
int SpawnNldb(const std::vector<std::string>& args, const std::string& out_path);

}  // namespace nldb::testing
