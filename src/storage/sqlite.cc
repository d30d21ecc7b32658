#include "storage/sqlite.h"

namespace nldb::storage {

Status SqliteError(int rc, std::string_view doing, std::string_view detail) {
  std::string msg = std::string(doing) + " failed: " + std::string(detail);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(msg);
    default:
      return Status::IOError(msg);
  }
}

Status Statement::Prepare(sqlite3* db, const char* sql) {
  sqlite3_finalize(stmt_);
  stmt_ = nullptr;
  int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, std::string("preparing \"") + sql + "\"", sqlite3_errmsg(db));
  return Status::OK();
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(rc, "a storage statement", sqlite3_errmsg(sqlite3_db_handle(stmt_)));
}

Status Statement::Run() {
  auto row = Step();
  if (!row.ok()) return row.status();
  return Status::OK();
}

Result<int64_t> QueryInt(sqlite3* db, const char* sql) {
  Statement st;
  NLDB_RETURN_IF_ERROR(st.Prepare(db, sql));
  auto row = st.Step();
  if (!row.ok()) return row.status();
  return *row ? st.Int(0) : 0;
}

Result<bool> TableExists(sqlite3* db, std::string_view table) {
  Statement st;
  NLDB_RETURN_IF_ERROR(st.Prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1"));
  st.Bind(1, table);
  auto row = st.Step();
  if (!row.ok()) return row.status();
  const bool found = *row;
  st.Reset();
  return found;
}

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::OK();
  std::string detail = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return SqliteError(rc, sql, detail);
}

}  // namespace nldb::storage
