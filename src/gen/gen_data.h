// The generator's data files (data/gen/*.json), embedded at build time so
// that `nldb gen` works from any directory.
#pragma once

#include <string_view>

namespace nldb::gen {

// The content of data/gen/NAME.json ("relations", "joins", "combined",
// "vocabulary"); empty if there is no such file.
std::string_view GenData(std::string_view name);

}  // namespace nldb::gen
