// Small text formatting helpers shared by the generator and the CLI.
#pragma once

#include <cstdint>
#include <string>

namespace nldb::text {

// "1234567" -> "1,234,567".
std::string WithSeparators(uint64_t n);

}  // namespace nldb::text
