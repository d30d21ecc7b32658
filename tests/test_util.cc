#include "test_util.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nldb::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "nldb-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string Mutate(std::string s, const std::vector<std::string>& pieces, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const size_t at = s.empty() ? 0 : rng() % s.size();
    switch (rng() % 4) {
      case 0:
        if (!s.empty()) s[at] = static_cast<char>(rng() % 256);
        break;
      case 1:
        if (!s.empty()) s.erase(at, 1 + rng() % 8);
        break;
      case 2:
        if (!pieces.empty()) s.insert(at, pieces[rng() % pieces.size()]);
        break;
      default:
        s.resize(at);
    }
  }
  return s;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary);
  f << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

namespace {
int Spawn(const std::string& binary, const std::vector<std::string>& args, const std::string& out,
          const std::string& err, const std::string& in = "/dev/null") {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int i = open(in.c_str(), O_RDONLY);
  dup2(i, 0);
  int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(o, 1);
  dup2(e, 2);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  _exit(127);
}
}  // namespace

RunResult RunNldb(const std::vector<std::string>& args, const std::string& input) {
  return RunProgram(NLDB_BINARY, args, input);
}

RunResult RunProgram(const std::string& binary, const std::vector<std::string>& args,
                     const std::string& input) {
  TempDir io;
  WriteFile(io / "in", input);
  pid_t pid = Spawn(binary, args, io / "out", io / "err", io / "in");
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(io / "out");
  r.err = ReadFile(io / "err");
  return r;
}

int SpawnNldb(const std::vector<std::string>& args, const std::string& out_path) {
  return Spawn(NLDB_BINARY, args, out_path, out_path + ".err");
}

}  // namespace nldb::testing
