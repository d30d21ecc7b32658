// FactStore: the facts, their versions and load checkpoints in one SQLite
// database (WAL mode, synchronous=FULL), DIR/facts.db.
//
// Schema (user_version 3):
//   facts(id INTEGER PRIMARY KEY, text TEXT, deleted_at INTEGER NULL)
//   loads(fingerprint TEXT PRIMARY KEY, source, next_item, total_items)
//   fact_terms: the lexical index (src/index/lexical_index.h), FTS5 over facts
//   fact_names: the names index (src/index/name_index.h)
// A writer builds an index that is missing (a store of an older version).
// A reader of a version-2 store, which has no names index, searches names
// word by word in the lexical index.
// Every version is used by exactly one update: the add of fact `id` is
// version `id`, a delete is version `deleted_at`. So the current version is
// max(max id, max deleted_at) and the number of facts live as of V is
// V - 2 * (deletes at or before V); neither is stored separately.
//
// FactStore checks nothing about fact texts or locks; Database does.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "index/lexical_index.h"
#include "index/name_index.h"
#include "nldb/database.h"
#include "storage/sqlite.h"

namespace nldb::storage {

class FactStore {
 public:
  // Opens DIR/facts.db; `create` makes it (and its schema) if missing.
  static Result<std::unique_ptr<FactStore>> Open(const std::string& dir, bool read_only,
                                                 bool create);
  ~FactStore();

  Result<FactId> Append(const std::vector<std::string>& texts, const LoadCheckpoint* checkpoint);
  Result<Version> Delete(FactId id);
  Result<Version> Scan(std::optional<Version> as_of, const std::function<bool(const Fact&)>& fn);
  Result<Fact> Get(FactId id, std::optional<Version> as_of);
  // Every fact ever added with id > `after`, deleted or not, in id order: what
  // an index that serves all versions must hold.
  Status ScanAdded(FactId after, const std::function<bool(const Fact&)>& fn);
  Result<Stats> GetStats(std::optional<Version> as_of);
  Result<Version> CurrentVersion();
  Result<FactId> LastFactId();  // the highest id added (0 when none)
  // Database::FindUnfinishedLoad.
  Result<std::optional<LoadCheckpoint>> FindLoad(const std::string& fingerprint,
                                                 const std::string& source);
  // Database::Search, Database::SearchNames and Database::SearchWords.
  Result<std::vector<SearchHit>> Search(std::string_view query, size_t limit,
                                        std::optional<Version> as_of);
  Result<std::vector<SearchHit>> SearchNames(const std::vector<std::string>& names, size_t limit,
                                             std::optional<Version> as_of, uint64_t most_held);
  Result<std::vector<SearchHit>> SearchWords(const std::vector<std::string>& phrases, size_t limit,
                                             std::optional<Version> as_of, uint64_t most_held);
  // Rebuilds the lexical and names indexes from the facts; checks both against the facts.
  Status Reindex();
  Status CheckIndex();

 private:
  explicit FactStore(sqlite3* db) : db_(db) {}
  Status NeedIndex() const;  // NotFound while the store has no lexical index
  Status Prepare(bool writable);
  // Checks the schema version; `create` makes the schema in a new file; a
  // writer adds the lexical index where it is missing.
  Status InitSchema(const std::string& dir, bool create, bool writable);
  // The version that `as_of` names, checked against the current version.
  Result<Version> ResolveVersion(std::optional<Version> as_of);
  Result<uint64_t> CountDeletesUpTo(Version v);
  // The ids of the facts at or before a version holding one key, at most a
  // number (NameIndex::Matches, LexicalIndex::EveryWord).
  using MatchFn = std::function<Result<std::vector<FactId>>(const std::string&, Version, size_t)>;
  // The facts of `keys` as Database::SearchNames gives them, found by `match`.
  Result<std::vector<SearchHit>> SearchEach(const std::vector<std::string>& keys, size_t limit,
                                            std::optional<Version> as_of, uint64_t most_held,
                                            const MatchFn& match);

  sqlite3* db_;
  Statement insert_fact_, max_id_, max_deleted_, count_deleted_, find_fact_, mark_deleted_,
      scan_, scan_added_, upsert_load_, forget_load_, find_load_;
  index::LexicalIndex lexical_;
  index::NameIndex names_;
  bool has_index_ = false, has_names_ = false;
};

}  // namespace nldb::storage
