// Thin RAII helpers over the SQLite C API, turning its errors into Status.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "nldb/status.h"

namespace nldb::storage {

// One prepared statement, reset and re-bound for each use.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  Status Prepare(sqlite3* db, const char* sql);

  // Clears bindings and the previous result.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void Bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }

  // Runs one step: true when a row is ready, false when done.
  Result<bool> Step();
  // Runs one step of a statement that returns no row (an insert, update or
  // delete: one step runs it whole).
  Status Run();
  // Resets the statement when the guard goes out of scope: a statement left
  // holding a row keeps the connection's read snapshot after its transaction.
  struct [[nodiscard]] ResetGuard {
    Statement& statement;
    ~ResetGuard() { statement.Reset(); }
  };
  ResetGuard ResetOnExit() { return {*this}; }
  // Calls `on_row` for each row (read it with Int, Text, ...) until it
  // returns false or the rows end; leaves the statement reset.
  template <typename OnRow>
  Status EachRow(OnRow&& on_row) {
    while (true) {
      auto row = Step();
      if (!row.ok()) {
        Reset();
        return row.status();
      }
      if (!*row || !on_row()) break;
    }
    Reset();
    return Status::OK();
  }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return {p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// A Status for SQLite result code `rc`: "DOING failed: DETAIL".
Status SqliteError(int rc, std::string_view doing, std::string_view detail);

// Runs a one-off query whose first row's first column is an integer.
Result<int64_t> QueryInt(sqlite3* db, const char* sql);

// Whether the database has a table named `table`.
Result<bool> TableExists(sqlite3* db, std::string_view table);

// Runs SQL that returns no rows (schema, pragmas, BEGIN/COMMIT).
Status Exec(sqlite3* db, const char* sql);

}  // namespace nldb::storage
