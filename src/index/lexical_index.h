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

  // The `limit` facts live at version `as_of` that best match the words of
  // `query` (BM25: k1 1.2, b 0.75, each word counted once), best first.
  // Words are matched whole, case- and accent-insensitively; function words
  // ("the", "of", "is", ...) are ignored.
  // Only the rarest words are searched, as many as `max_postings` facts hold
  // together (at least one: of words held by more, the first, and then only
  // its newest `max_postings` facts): ranking costs time in proportion to the
  // matches, and a common word barely moves BM25 next to a rare one. Facts
  // are ranked by the words they hold first, and the best few by BM25 with
  // their lengths: FTS5's own bm25() over every match cost 10 ms a question
  // at a million facts.
  Result<std::vector<SearchHit>> SearchRareWords(std::string_view query, Version as_of,
                                                 size_t limit, uint64_t max_postings);

  // The ids of the oldest `limit` facts added at or before `as_of` that hold
  // every word of `words`, newest first; none if it has no searchable word.
  // Unranked: a name's facts are too alike for BM25 to order them, and
  // ranking cost 3-6x as much as finding them at a million facts.
  Result<std::vector<FactId>> EveryWord(const std::string& words, Version as_of, size_t limit);
  // The text of fact `id` if it is live at `as_of` (added by then and not
  // deleted by then); nullopt otherwise.
  Result<std::optional<std::string>> LiveText(FactId id, Version as_of);

 private:
  storage::Statement add_, fact_;
  // Rowids matching ?1 at or before ?2, at most ?3: the oldest or the newest.
  storage::Statement word_oldest_, word_newest_;
};

}  // namespace nldb::index
