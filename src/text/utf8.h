// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates,
// nothing above U+10FFFF.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace nldb::text {

// Returns the byte offset of the first invalid UTF-8 sequence in `s`,
// or nullopt when all of `s` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

}  // namespace nldb::text
