// TempStore: a store in a fresh temporary directory holding given facts
// (fact i gets id i + 1), removed with its directory on destruction. For
// evaluation and training over generated databases. With `encoder_dir`, it
// has a dense index (built on first use; see Database::SearchSimilar).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nldb/database.h"

namespace nldb::storage {

class TempStore {
 public:
  static Result<std::unique_ptr<TempStore>> Create(const std::vector<std::string>& facts,
                                                   const std::string& encoder_dir = {});
  ~TempStore();
  Database& db() { return *db_; }
  const std::string& dir() const { return dir_; }

 private:
  explicit TempStore(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  std::unique_ptr<Database> db_;
};

}  // namespace nldb::storage
