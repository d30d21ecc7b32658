// LexicalIndex: BM25 search over fact sentences, kept in the store's own
// SQLite file as an FTS5 table over `facts` (rowid = fact id). The store adds
// a fact's terms in the same transaction as the fact, so the index never
// disagrees with what is stored; a delete leaves the terms in place, because
// earlier versions still see the fact, and searches filter by version.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nldb/database.h"
#include "storage/sqlite.h"

namespace nldb::index {

class LexicalIndex {
 public:
  // Creates the FTS5 table (if missing) and fills it from `facts`. Needs a
  // write transaction held by the caller.
  static Status Create(sqlite3* db);
  // True when the table exists.
  static Result<bool> Exists(sqlite3* db);
  // Rebuilds the terms of every fact from `facts` (when missing or damaged).
  static Status Rebuild(sqlite3* db);
  // Runs FTS5's integrity check: OK, or kCorruption naming what is wrong.
  static Status Check(sqlite3* db);

  // Prepares statements on an open store that has the table.
  Status Prepare(sqlite3* db, bool writable);

  // Adds the terms of fact `id` (inside the caller's transaction).
  Status Add(FactId id, std::string_view text);

  // The `limit` best facts live at version `as_of` for the FTS5 query
  // `match` (from one of the two below), best first; none for an empty one.
  // Only the newest `max_ranked` matches at or before `as_of` are ranked (all
  // with 0): ranking costs time in proportion to the matches, and a word held
  // by millions of facts ("university") can match that many.
  Result<std::vector<SearchHit>> Search(const std::string& match, Version as_of, size_t limit,
                                        uint64_t max_ranked);

  // Any word of `query`: quoted words joined by OR; empty if it has no
  // searchable word. Words are matched whole, case- and accent-insensitively;
  // function words ("the", "of", "is", ...) are ignored.
  static std::string MatchExpression(std::string_view query);
  // Any of `names`, each with all its searchable words: ("a" AND "b") OR "c".
  static std::string NamesExpression(const std::vector<std::string>& names);
  // The ids of the oldest `limit` facts added at or before `as_of` that hold
  // every word of `name`, newest first; none if it has no searchable word.
  // Unranked: a name's facts are too alike for BM25 to order them, and
  // ranking cost 3-6x as much as finding them at a million facts.
  Result<std::vector<FactId>> NameMatches(const std::string& name, Version as_of, size_t limit);
  // As MatchExpression, but only the rarest words, as many as fit in
  // `max_postings` facts together (at least one: of words held by more, the
  // first). Ranking every fact that holds a common word costs time in
  // proportion to their number, and such a word barely moves BM25 next to a
  // rare one.
  Result<std::string> RareWordsExpression(std::string_view query, uint64_t max_postings);

 private:
  storage::Statement add_, search_, window_, documents_, name_matches_;
};

}  // namespace nldb::index
