// What the nldb subcommands share: global options and failure reporting.
#pragma once

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "nldb/database.h"
#include "nldb/status.h"

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

inline void Print(const nlohmann::ordered_json& j) { std::cout << j.dump() << "\n"; }

}  // namespace nldb::cli
