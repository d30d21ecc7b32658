// What the nldb subcommands share: global options and failure reporting.
#pragma once

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "nldb/database.h"
#include "nldb/status.h"
#include "model/model_dir.h"
#include "text/word_vectors.h"

namespace nldb::cli {

struct Globals {
  std::string db_dir;
  bool json = false;
  std::optional<Version> as_of;
};

// Thrown to leave a command with one sentence for the user; caught in main.
struct Failure {
  std::string message;
};

[[noreturn]] inline void Fail(const Status& s) { throw Failure{s.message()}; }

template <typename T>
T Check(Result<T> r) {
  if (!r.ok()) Fail(r.status());
  return std::move(*r);
}

// The shipped sentence encoder of the dense index, or "" when it or the word
// vectors it reads are missing (stores then keep no dense index).
inline std::string EncoderDir() {
  const std::string dir = model::DefaultModelDir("encoder");
  std::error_code ec;
  const bool usable = std::filesystem::exists(dir + "/encoder.json", ec) &&
                      std::filesystem::exists(text::DefaultWordVectorsPath(), ec);
  return usable ? dir : "";
}

// `s` as a whole number of 64 bits, written in decimal digits only (no sign,
// space or exponent); nullopt when it is not one or does not fit.
inline std::optional<uint64_t> WholeNumber(std::string_view s) {
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// One JSON object on a line. Bytes that are not UTF-8 (a file name may hold
// them) print as U+FFFD instead of failing the command after its work.
inline void Print(const nlohmann::ordered_json& j) {
  std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace nldb::cli
