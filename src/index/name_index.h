// NameIndex: which facts hold a name, kept in the store's SQLite file as
//   fact_names(name TEXT, id INTEGER, PRIMARY KEY(name, id)) WITHOUT ROWID
// one row per name a fact holds (NameIndex::Keys). The store adds a fact's
// names in the same transaction as the fact; a delete leaves them, because
// earlier versions still see the fact, and lookups filter by version.
//
// It answers the support-set generator's neighbour searches ("the facts that
// hold Malik Bose") with one B-tree range, where the lexical index would
// intersect the doclists of the name's words.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

#include "nldb/database.h"
#include "storage/sqlite.h"

namespace nldb::index {

class NameIndex {
 public:
  // The names `text` holds, each once: every run of names as the support-set
  // generator reads them (ssg::Featurizer::Analyze: words opening with a
  // capital, a digit or a letter outside ASCII, joined by one space, " of "
  // or an initial's ". ", cut at punctuation and at text::IsNameBreakingWord
  // words; written "Ana C Ruiz", "University of Belton"), the run without its
  // first word where that opens the sentence ("Pelldorf" of "Among Pelldorf's
  // voters ..."), and each number between spaces ("5,551,039"). A name is
  // found where the fact holds it whole, not within a longer one ("Fort
  // Pelldorf" is no fact of "Pelldorf").
  static std::vector<std::string> Keys(std::string_view text);

  // Creates the table (if missing) and fills it from `facts`. Needs a write
  // transaction held by the caller.
  static Status Create(sqlite3* db);
  static Result<bool> Exists(sqlite3* db);
  // Refills the table from `facts` (when damaged).
  static Status Rebuild(sqlite3* db);
  // Compares the table with the names of the facts: OK, or kCorruption.
  static Status Check(sqlite3* db);

  // Prepares statements on an open store that has the table.
  Status Prepare(sqlite3* db, bool writable);
  // Adds the names of facts first, first + 1, ... (inside the caller's
  // transaction).
  Status Add(FactId first, const std::vector<std::string>& texts);
  // The ids of the oldest `limit` facts added at or before `as_of` that hold
  // `name` (as Keys writes it), newest first.
  Result<std::vector<FactId>> Matches(const std::string& name, Version as_of, size_t limit);

 private:
  storage::Statement add_, matches_;
};

}  // namespace nldb::index
