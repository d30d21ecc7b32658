#include "storage/fact_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>

namespace nldb::storage {

namespace {

// Version 2 added the lexical index (fact_terms), version 3 the names index
// (fact_names); older stores are upgraded when a writer opens them.
constexpr int kSchemaVersion = 3;

constexpr const char* kSchema = R"sql(
CREATE TABLE facts(
  id INTEGER PRIMARY KEY,   -- the version that added the fact
  text TEXT NOT NULL,
  deleted_at INTEGER        -- the version that deleted it, or NULL
);
CREATE INDEX facts_deleted_at ON facts(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE TABLE loads(
  fingerprint TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  next_item INTEGER NOT NULL,
  total_items INTEGER NOT NULL
);
)sql";

// BEGIN on construction; ROLLBACK on destruction unless Commit() succeeded.
class Transaction {
 public:
  Transaction(sqlite3* db, bool write) : db_(db) {
    status_ = Exec(db_, write ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  ~Transaction() {
    if (status_.ok() && !committed_) Exec(db_, "ROLLBACK");
  }
  const Status& status() const { return status_; }
  Status Commit() {
    NLDB_RETURN_IF_ERROR(Exec(db_, "COMMIT"));
    committed_ = true;
    return Status::OK();
  }

 private:
  sqlite3* db_;
  Status status_;
  bool committed_ = false;
};

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

Result<std::unique_ptr<FactStore>> FactStore::Open(const std::string& dir, bool read_only,
                                                   bool create) {
  const std::string path = dir + "/facts.db";
  if (!FileExists(path)) {
    if (read_only || !create) return Status::NotFound("there is no nldb store in " + dir);
  }
  sqlite3* db = nullptr;
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return SqliteError(rc, "opening " + path, detail);
  }
  std::unique_ptr<FactStore> store(new FactStore(db));
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);
  NLDB_RETURN_IF_ERROR(store->InitSchema(dir, !read_only && create, !read_only));
  if (!read_only) {
    // Every commit is synced to disk before it returns.
    NLDB_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=FULL"));
  }
  NLDB_RETURN_IF_ERROR(Exec(db, "PRAGMA cache_size=-65536"));  // 64 MiB page cache
  // Reads map the file (read-only pages, up to SQLite's compiled limit) rather
  // than copying each page through a pread call: index probes at a million
  // facts are mostly such page reads.
  NLDB_RETURN_IF_ERROR(Exec(db, "PRAGMA mmap_size=17179869184"));
  NLDB_RETURN_IF_ERROR(store->Prepare(!read_only));
  return store;
}

FactStore::~FactStore() { sqlite3_close_v2(db_); }  // closes once statements are finalized

Status FactStore::InitSchema(const std::string& dir, bool create, bool writable) {
  auto found = QueryInt(db_, "PRAGMA user_version");
  if (!found.ok()) {
    if (found.status().code() == Status::Code::kCorruption) {
      return Status::Corruption("the store's facts.db is not an SQLite database nldb wrote");
    }
    return found.status();
  }
  if (*found == 0 && create) {
    // A new store. Only the writer-lock holder gets here, so nobody races us.
    NLDB_RETURN_IF_ERROR(Exec(db_, "PRAGMA journal_mode=WAL"));
    Transaction txn(db_, /*write=*/true);
    NLDB_RETURN_IF_ERROR(txn.status());
    NLDB_RETURN_IF_ERROR(Exec(db_, kSchema));
    NLDB_RETURN_IF_ERROR(index::LexicalIndex::Create(db_));
    NLDB_RETURN_IF_ERROR(index::NameIndex::Create(db_));
    NLDB_RETURN_IF_ERROR(Exec(db_, "PRAGMA user_version = 3"));
    NLDB_RETURN_IF_ERROR(txn.Commit());
  } else if (*found == 0) {  // created, but killed before its schema was committed
    return Status::NotFound("there is no nldb store in " + dir);
  } else if (*found < 1 || *found > kSchemaVersion) {
    return Status::Corruption("the store has schema version " + std::to_string(*found) +
                              ", but this nldb reads versions 1 to " +
                              std::to_string(kSchemaVersion));
  }
  auto exists = index::LexicalIndex::Exists(db_);
  if (!exists.ok()) return exists.status();
  has_index_ = *exists;
  auto names_exist = index::NameIndex::Exists(db_);
  if (!names_exist.ok()) return names_exist.status();
  has_names_ = *names_exist;
  if ((!has_index_ || !has_names_) && writable) {
    // An older store, or one whose index was dropped: build it from the facts.
    Transaction txn(db_, /*write=*/true);
    NLDB_RETURN_IF_ERROR(txn.status());
    if (!has_index_) NLDB_RETURN_IF_ERROR(index::LexicalIndex::Create(db_));
    if (!has_names_) NLDB_RETURN_IF_ERROR(index::NameIndex::Create(db_));
    NLDB_RETURN_IF_ERROR(Exec(db_, "PRAGMA user_version = 3"));
    NLDB_RETURN_IF_ERROR(txn.Commit());
    has_index_ = has_names_ = true;
  }
  return Status::OK();
}

Status FactStore::Reindex() {
  Transaction txn(db_, /*write=*/true);
  NLDB_RETURN_IF_ERROR(txn.status());
  NLDB_RETURN_IF_ERROR(index::LexicalIndex::Rebuild(db_));
  if (has_names_) NLDB_RETURN_IF_ERROR(index::NameIndex::Rebuild(db_));
  return txn.Commit();
}

Status FactStore::CheckIndex() {
  if (!has_index_) return Status::NotFound("the store has no lexical index yet");
  Transaction txn(db_, /*write=*/false);
  NLDB_RETURN_IF_ERROR(txn.status());
  NLDB_RETURN_IF_ERROR(index::LexicalIndex::Check(db_));
  if (has_names_) NLDB_RETURN_IF_ERROR(index::NameIndex::Check(db_));
  return txn.Commit();
}

// Postings one search may rank (see LexicalIndex::SearchRareWords).
constexpr uint64_t kMaxSearchPostings = 10000;
Status FactStore::NeedIndex() const {
  if (has_index_) return Status::OK();
  return Status::NotFound(
      "the store has no lexical index yet; build it with nldb check --repair");
}

Result<std::vector<SearchHit>> FactStore::Search(std::string_view query, size_t limit,
                                                 std::optional<Version> as_of) {
  NLDB_RETURN_IF_ERROR(NeedIndex());
  Transaction txn(db_, /*write=*/false);
  NLDB_RETURN_IF_ERROR(txn.status());
  auto v = ResolveVersion(as_of);
  if (!v.ok()) return v.status();
  auto hits = lexical_.SearchRareWords(query, *v, limit, kMaxSearchPostings);
  if (!hits.ok()) return hits.status();
  NLDB_RETURN_IF_ERROR(txn.Commit());
  return hits;
}

Result<std::vector<SearchHit>> FactStore::SearchNames(const std::vector<std::string>& names,
                                                      size_t limit, std::optional<Version> as_of,
                                                      uint64_t most_held) {
  return SearchEach(names, limit, as_of, most_held,
                    [&](const std::string& name, Version v, size_t n) {
                      return has_names_ ? names_.Matches(name, v, n) : lexical_.EveryWord(name, v, n);
                    });
}

Result<std::vector<SearchHit>> FactStore::SearchWords(const std::vector<std::string>& phrases,
                                                      size_t limit, std::optional<Version> as_of,
                                                      uint64_t most_held) {
  return SearchEach(phrases, limit, as_of, most_held,
                    [&](const std::string& phrase, Version v, size_t n) {
                      return lexical_.EveryWord(phrase, v, n);
                    });
}

Result<std::vector<SearchHit>> FactStore::SearchEach(const std::vector<std::string>& keys,
                                                     size_t limit, std::optional<Version> as_of,
                                                     uint64_t most_held, const MatchFn& match) {
  NLDB_RETURN_IF_ERROR(NeedIndex());
  Transaction txn(db_, /*write=*/false);
  NLDB_RETURN_IF_ERROR(txn.status());
  auto v = ResolveVersion(as_of);
  if (!v.ok()) return v.status();
  // Each specific key's facts, the rarest key's first.
  std::vector<std::vector<FactId>> by_key;
  for (const std::string& key : keys) {
    // One more than most_held, to tell a key held by more.
    auto ids = match(key, *v, most_held < UINT64_MAX ? most_held + 1 : most_held);
    if (!ids.ok()) return ids.status();
    if (!ids->empty() && ids->size() <= most_held) by_key.push_back(std::move(*ids));
  }
  std::stable_sort(by_key.begin(), by_key.end(),
                   [](const auto& a, const auto& b) { return a.size() < b.size(); });
  std::vector<SearchHit> hits;
  std::set<FactId> seen;
  for (const auto& ids : by_key) {
    for (size_t i = 0; i < ids.size() && hits.size() < limit; ++i) {
      if (!seen.insert(ids[i]).second) continue;
      auto text = lexical_.LiveText(ids[i], *v);
      if (!text.ok()) return text.status();
      // Score: the key's rarity, 1 for a key only this fact holds.
      if (*text) hits.push_back({ids[i], 1.0 / ids.size(), std::move(**text)});
    }
  }
  NLDB_RETURN_IF_ERROR(txn.Commit());
  return hits;
}

Status FactStore::Prepare(bool writable) {
  NLDB_RETURN_IF_ERROR(insert_fact_.Prepare(db_, "INSERT INTO facts(id, text) VALUES(?1, ?2)"));
  NLDB_RETURN_IF_ERROR(max_id_.Prepare(db_, "SELECT max(id) FROM facts"));
  NLDB_RETURN_IF_ERROR(max_deleted_.Prepare(
      db_, "SELECT max(deleted_at) FROM facts WHERE deleted_at IS NOT NULL"));
  NLDB_RETURN_IF_ERROR(count_deleted_.Prepare(
      db_, "SELECT count(*) FROM facts WHERE deleted_at IS NOT NULL AND deleted_at <= ?1"));
  NLDB_RETURN_IF_ERROR(
      find_fact_.Prepare(db_, "SELECT text, deleted_at FROM facts WHERE id = ?1"));
  NLDB_RETURN_IF_ERROR(
      mark_deleted_.Prepare(db_, "UPDATE facts SET deleted_at = ?2 WHERE id = ?1"));
  NLDB_RETURN_IF_ERROR(scan_.Prepare(db_,
                                     "SELECT id, text FROM facts WHERE id <= ?1 AND "
                                     "(deleted_at IS NULL OR deleted_at > ?1) ORDER BY id"));
  NLDB_RETURN_IF_ERROR(
      scan_added_.Prepare(db_, "SELECT id, text FROM facts WHERE id > ?1 ORDER BY id"));
  NLDB_RETURN_IF_ERROR(upsert_load_.Prepare(
      db_, "INSERT OR REPLACE INTO loads(fingerprint, source, next_item, total_items) "
           "VALUES(?1, ?2, ?3, ?4)"));
  NLDB_RETURN_IF_ERROR(forget_load_.Prepare(db_, "DELETE FROM loads WHERE fingerprint = ?1"));
  NLDB_RETURN_IF_ERROR(find_load_.Prepare(
      db_, "SELECT fingerprint, source, next_item, total_items FROM loads "
           "WHERE fingerprint = ?1 OR source = ?2 ORDER BY fingerprint = ?1 DESC LIMIT 1"));
  if (has_names_) NLDB_RETURN_IF_ERROR(names_.Prepare(db_, writable));
  return has_index_ ? lexical_.Prepare(db_, writable) : Status::OK();
}

namespace {
// The value of a one-row MAX query, 0 when it is NULL.
Result<uint64_t> MaxOf(Statement& max) {
  max.Reset();
  auto row = max.Step();
  if (!row.ok()) return row.status();
  const uint64_t v = *row && !max.IsNull(0) ? static_cast<uint64_t>(max.Int(0)) : 0;
  max.Reset();
  return v;
}
}  // namespace

Result<Version> FactStore::CurrentVersion() {
  auto added = MaxOf(max_id_);
  if (!added.ok()) return added.status();
  auto deleted = MaxOf(max_deleted_);
  if (!deleted.ok()) return deleted.status();
  return std::max<Version>(*added, *deleted);
}

Result<FactId> FactStore::LastFactId() { return MaxOf(max_id_); }

Result<uint64_t> FactStore::CountDeletesUpTo(Version v) {
  count_deleted_.Reset();
  count_deleted_.Bind(1, static_cast<int64_t>(v));
  auto row = count_deleted_.Step();
  if (!row.ok()) return row.status();
  uint64_t n = static_cast<uint64_t>(count_deleted_.Int(0));
  count_deleted_.Reset();
  return n;
}

Result<Version> FactStore::ResolveVersion(std::optional<Version> as_of) {
  auto current = CurrentVersion();
  if (!current.ok() || !as_of) return current;
  if (*as_of > *current) {
    return Status::InvalidArgument("version " + std::to_string(*as_of) +
                                   " does not exist yet; the store is at version " +
                                   std::to_string(*current));
  }
  return *as_of;
}

Result<FactId> FactStore::Append(const std::vector<std::string>& texts,
                                 const LoadCheckpoint* checkpoint) {
  Transaction txn(db_, /*write=*/true);
  NLDB_RETURN_IF_ERROR(txn.status());
  auto current = CurrentVersion();
  if (!current.ok()) return current.status();
  const FactId first = *current + 1;
  FactId id = first;
  for (const std::string& text : texts) {
    insert_fact_.Reset();
    insert_fact_.Bind(1, static_cast<int64_t>(id));
    insert_fact_.Bind(2, text);
    NLDB_RETURN_IF_ERROR(insert_fact_.Run());
    NLDB_RETURN_IF_ERROR(lexical_.Add(id++, text));
  }
  insert_fact_.Reset();
  NLDB_RETURN_IF_ERROR(names_.Add(first, texts));
  if (checkpoint) {
    Statement& st = checkpoint->forget ? forget_load_ : upsert_load_;
    st.Reset();
    st.Bind(1, checkpoint->fingerprint);
    if (&st == &upsert_load_) {
      st.Bind(2, checkpoint->source);
      st.Bind(3, static_cast<int64_t>(checkpoint->next_item));
      st.Bind(4, static_cast<int64_t>(checkpoint->total_items));
    }
    NLDB_RETURN_IF_ERROR(st.Run());
    st.Reset();
  }
  NLDB_RETURN_IF_ERROR(txn.Commit());
  return first;
}

Result<Version> FactStore::Delete(FactId id) {
  Transaction txn(db_, /*write=*/true);
  NLDB_RETURN_IF_ERROR(txn.status());
  find_fact_.Reset();
  const auto reset = find_fact_.ResetOnExit();
  find_fact_.Bind(1, static_cast<int64_t>(id));
  auto row = find_fact_.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("there is no fact with id " + std::to_string(id));
  if (!find_fact_.IsNull(1)) {
    return Status::InvalidArgument("fact " + std::to_string(id) +
                                   " was already deleted at version " +
                                   std::to_string(find_fact_.Int(1)));
  }
  find_fact_.Reset();
  auto current = CurrentVersion();
  if (!current.ok()) return current.status();
  const Version v = *current + 1;
  mark_deleted_.Reset();
  mark_deleted_.Bind(1, static_cast<int64_t>(id));
  mark_deleted_.Bind(2, static_cast<int64_t>(v));
  NLDB_RETURN_IF_ERROR(mark_deleted_.Run());
  mark_deleted_.Reset();
  NLDB_RETURN_IF_ERROR(txn.Commit());
  return v;
}

namespace {

// Calls `fn` with each (id, text) row of the bound statement `rows` until it
// returns false; resets the statement.
Status EachFact(Statement& rows, const std::function<bool(const Fact&)>& fn) {
  Fact fact;
  return rows.EachRow([&] {
    fact.id = static_cast<FactId>(rows.Int(0));
    fact.text.assign(rows.Text(1));
    return fn(fact);
  });
}

}  // namespace

Result<Version> FactStore::Scan(std::optional<Version> as_of,
                                const std::function<bool(const Fact&)>& fn) {
  Transaction txn(db_, /*write=*/false);  // one snapshot for the version and the rows
  NLDB_RETURN_IF_ERROR(txn.status());
  auto v = ResolveVersion(as_of);
  if (!v.ok()) return v.status();
  scan_.Reset();
  scan_.Bind(1, static_cast<int64_t>(*v));
  NLDB_RETURN_IF_ERROR(EachFact(scan_, fn));
  NLDB_RETURN_IF_ERROR(txn.Commit());
  return *v;
}

Status FactStore::ScanAdded(FactId after, const std::function<bool(const Fact&)>& fn) {
  Transaction txn(db_, /*write=*/false);
  NLDB_RETURN_IF_ERROR(txn.status());
  scan_added_.Reset();
  scan_added_.Bind(1, static_cast<int64_t>(after));
  NLDB_RETURN_IF_ERROR(EachFact(scan_added_, fn));
  return txn.Commit();
}

Result<Fact> FactStore::Get(FactId id, std::optional<Version> as_of) {
  Transaction txn(db_, /*write=*/false);
  NLDB_RETURN_IF_ERROR(txn.status());
  auto v = ResolveVersion(as_of);
  if (!v.ok()) return v.status();
  find_fact_.Reset();
  const auto reset = find_fact_.ResetOnExit();
  find_fact_.Bind(1, static_cast<int64_t>(id));
  auto row = find_fact_.Step();
  if (!row.ok()) return row.status();
  const std::string at = " as of version " + std::to_string(*v);
  if (!*row || id > *v) return Status::NotFound("there is no fact with id " + std::to_string(id) + at);
  if (!find_fact_.IsNull(1) && static_cast<Version>(find_fact_.Int(1)) <= *v) {
    return Status::NotFound("fact " + std::to_string(id) + " was deleted at version " +
                            std::to_string(find_fact_.Int(1)));
  }
  Fact fact{id, std::string(find_fact_.Text(0))};
  find_fact_.Reset();
  NLDB_RETURN_IF_ERROR(txn.Commit());
  return fact;
}

Result<Stats> FactStore::GetStats(std::optional<Version> as_of) {
  Transaction txn(db_, /*write=*/false);
  NLDB_RETURN_IF_ERROR(txn.status());
  auto v = ResolveVersion(as_of);
  if (!v.ok()) return v.status();
  auto deletes = CountDeletesUpTo(*v);
  if (!deletes.ok()) return deletes.status();
  NLDB_RETURN_IF_ERROR(txn.Commit());
  // Versions 1..v are each one add or one delete (see the header).
  const uint64_t adds = *v - *deletes;
  return Stats{*v, adds - *deletes, *deletes};
}

Result<std::optional<LoadCheckpoint>> FactStore::FindLoad(const std::string& fingerprint,
                                                          const std::string& source) {
  find_load_.Reset();
  find_load_.Bind(1, fingerprint);
  find_load_.Bind(2, source);
  auto row = find_load_.Step();
  if (!row.ok()) return row.status();
  std::optional<LoadCheckpoint> found;
  if (*row) {
    found = LoadCheckpoint{std::string(find_load_.Text(0)), std::string(find_load_.Text(1)),
                           static_cast<uint64_t>(find_load_.Int(2)),
                           static_cast<uint64_t>(find_load_.Int(3))};
  }
  find_load_.Reset();
  return found;
}

}  // namespace nldb::storage
