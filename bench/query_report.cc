#include "bench/query_report.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

extern char** environ;

namespace nldb::bench {

namespace {

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

// Runs `gnuplot script` with no shell; true if it exited 0.
bool RunGnuplot(const std::string& script) {
  std::vector<char*> argv = {const_cast<char*>("gnuplot"), const_cast<char*>(script.c_str()), nullptr};
  pid_t pid;
  if (posix_spawnp(&pid, "gnuplot", nullptr, nullptr, argv.data(), environ) != 0) return false;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

Status WriteQueryReport(const std::string& dir, const std::string& command,
                        const std::vector<QueryBenchResult>& rows, double peak_gflops,
                        const std::string& precision, std::string* note) {
  namespace fs = std::filesystem;
  if (dir.find('\'') != std::string::npos) {
    return Status::InvalidArgument("the report directory's name must not hold a quote");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());

  std::ofstream md(dir + "/query.md");
  md << "# nldb bench query\n\n`" << command << "`, " << sysconf(_SC_NPROCESSORS_ONLN)
     << " cores; held-out wording and names; one process, sizes in order. p50 and p99 are over "
        "the questions after a first one, which is timed apart (a cold process). \"Scoped\" are "
        "the set, bool, count and argmax questions whose gold answers need at most 100 support "
        "sets (the latency target's questions).\n\n"
     << "| facts | questions | ingest facts/s | disk MB | first question ms | p50 ms | p99 ms | "
        "scoped: questions, p50 / p99 ms | retrieve p50 | spj p50 | sets/question | EM | RSS MB |\n"
     << "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& r : rows) {
    md << "| " << r.facts << " | " << r.queries << " | " << Fixed(r.ingest_facts_per_s, 0) << " | "
       << Fixed(r.disk_bytes / 1e6, 1) << " | " << Fixed(r.first_ms, 1) << " | "
       << Fixed(r.total_ms.p50, 1) << " | "
       << Fixed(r.total_ms.p99, 1) << " | " << r.scoped_queries << ", "
       << Fixed(r.scoped_ms.p50, 1) << " / " << Fixed(r.scoped_ms.p99, 1) << " | "
       << Fixed(r.stage_ms.at("retrieve").p50, 1) << " | "
       << Fixed(r.stage_ms.at("spj").p50, 1) << " | " << Fixed(r.mean_support_sets, 1) << " | "
       << Fixed(r.em, 3) << " | " << Fixed(r.rss_mb, 0) << " |\n";
  }
  md << "\n## The reader, side by side (first questions of each size)\n\n"
     << "| facts | GFLOP/question | ms at peak | batched p50 ms | reader GFLOP/s | of peak "
        "| one set per call p50 ms | speed-up | whole database as one set: EM (ms) |\n"
     << "|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const auto& r : rows) {
    md << "| " << r.facts << " | " << Fixed(r.spj_flops / 1e9, 2) << " | "
       << (peak_gflops > 0 ? Fixed(r.spj_flops / peak_gflops / 1e6, 1) : "?") << " | "
       << Fixed(r.compare_batched_ms, 1) << " | " << Fixed(r.spj_gflops, 1) << " | "
       << (peak_gflops > 0 ? Fixed(100 * r.spj_gflops / peak_gflops, 0) + "%" : "?") << " | "
       << Fixed(r.compare_per_set_ms, 1) << " | "
       << (r.compare_batched_ms > 0 ? Fixed(r.compare_per_set_ms / r.compare_batched_ms, 2) + "x" : "-")
       << " | "
       << (r.whole_em >= 0 ? Fixed(r.whole_em, 3) + " (" + Fixed(r.whole_ms, 1) + ")" : "not run")
       << " |\n";
  }
  if (peak_gflops > 0) {
    md << "\nThe physical limit: \"ms at peak\" is a question's reader FLOPs (matrix products, no "
       << "padding) at the matrix-multiply peak measured in the same run in the reader's precision ("
       << precision << "), " << Fixed(peak_gflops, 1)
       << " GFLOP/s; \"of peak\" is the share the batched reader achieved.\n";
  }

  std::ofstream dat(dir + "/query.dat");
  dat << "# facts p50_ms p99_ms retrieve_p50 spj_p50 rss_mb\n";
  for (const auto& r : rows) {
    dat << r.facts << " " << r.total_ms.p50 << " " << r.total_ms.p99 << " "
        << r.stage_ms.at("retrieve").p50 << " " << r.stage_ms.at("spj").p50 << " " << r.rss_mb << "\n";
  }
  dat.close();
  std::ofstream gp(dir + "/query.gp");
  gp << "set terminal pngcairo size 1100,450\n"
     << "set output '" << dir << "/query.png'\n"
     << "set multiplot layout 1,2\n"
     << "set logscale x\nset xlabel 'facts'\nset grid\nset key top left\n"
     << "set ylabel 'ms'\nset logscale y\nset title 'question latency'\n"
     << "plot '" << dir << "/query.dat' using 1:2 with linespoints title 'p50', "
     << "'' using 1:3 with linespoints title 'p99', "
     << "'' using 1:4 with linespoints title 'retrieve p50', "
     << "'' using 1:5 with linespoints title 'reader p50'\n"
     << "set ylabel 'MB'\nunset logscale y\nset yrange [0:*]\nset title 'resident memory while serving'\n"
     << "plot '" << dir << "/query.dat' using 1:6 with linespoints title 'RSS'\n"
     << "unset multiplot\n";
  gp.close();
  if (!md || !gp) return Status::IOError("cannot write the report in " + dir);
  *note = RunGnuplot(dir + "/query.gp") ? "" : "gnuplot did not run, so there is no query.png";
  return Status::OK();
}

}  // namespace nldb::bench
