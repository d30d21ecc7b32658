// LoadFile: bulk-loads a .txt or WikiNLDB .jsonl file into a Database.
//
// Contract:
//  1. The whole file is read and checked first. Without skip_bad, the first
//     bad fact fails the load as "FILE:LINE: reason" and nothing is stored.
//  2. Facts are then stored in atomic batches, each committed together with
//     a checkpoint. If the process dies, what is stored is a prefix of the
//     file made of whole batches, and loading the same file again resumes
//     after that prefix instead of storing it twice.
//  3. If the file changes after it was checked, the load stops with an error
//     that names the facts already stored from it (they stay stored).
//  4. An interrupted load of the file as it was before it changed is not
//     resumed (nor silently repeated): the load fails and says how many facts
//     that one stored, unless `restart` forgets it.
//  5. When every fact is stored, the indexes are saved (Database::SaveIndexes)
//     before the load is forgotten: loading the file again after a crash in
//     between stores nothing and finishes them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nldb/database.h"

namespace nldb::ingest {

struct LoadProgress {
  enum class Phase { kChecking, kStoring } phase;
  uint64_t done = 0;   // bytes checked, or facts stored
  uint64_t total = 0;  // bytes in the file, or facts to store
};

struct LoadOptions {
  bool skip_bad = false;        // skip bad facts instead of failing the load
  bool restart = false;         // store the whole file, forgetting interrupted loads of it
  size_t batch_facts = 20000;   // facts per atomic batch
  std::function<void(const LoadProgress&)> on_progress;  // may be empty
};

struct LoadReport {
  uint64_t input_facts = 0;  // facts in the file, bad ones included
  uint64_t stored = 0;       // facts this call stored
  uint64_t skipped = 0;      // bad facts skipped (skip_bad)
  uint64_t resumed_at = 0;   // facts an interrupted earlier load had done; 0 if none
  FactId first_id = 0;       // ids of what this call stored (0 when nothing)
  FactId last_id = 0;
  std::vector<std::string> skipped_examples;  // "FILE:LINE: reason", the first few
};

Result<LoadReport> LoadFile(Database& db, const std::string& path, const LoadOptions& options);

}  // namespace nldb::ingest
