// The report of `nldb bench query --report DIR`: DIR/query.md (one table row
// per database size), DIR/query.dat and DIR/query.gp (the data and gnuplot
// script), and DIR/query.png (latency and memory against size), rendered by
// gnuplot when it is installed.
#pragma once

#include <string>
#include <vector>

#include "bench/query_bench.h"
#include "nldb/status.h"

namespace nldb::bench {

// `command` is the command line that produced `rows`; `peak_gflops` the
// machine's measured matrix-multiply peak (0 if unknown) in the reader's
// `precision` ("float32", "bfloat16"). Fails if the files cannot be written;
// a missing gnuplot only leaves the PNG out (*note says so).
Status WriteQueryReport(const std::string& dir, const std::string& command,
                        const std::vector<QueryBenchResult>& rows, double peak_gflops,
                        const std::string& precision, std::string* note);

}  // namespace nldb::bench
