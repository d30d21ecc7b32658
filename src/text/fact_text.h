// The rules every stored fact sentence obeys.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "nldb/status.h"

namespace nldb::text {

// Longest fact sentence accepted, in bytes.
inline constexpr size_t kMaxFactBytes = 8192;

// OK when `fact` can be stored: valid UTF-8, no NUL byte, not empty or only
// whitespace, at most kMaxFactBytes. Otherwise InvalidArgument with a short
// reason ("the fact is empty"), suitable after a "FILE:LINE: " prefix.
Status CheckFactText(std::string_view fact);

}  // namespace nldb::text
