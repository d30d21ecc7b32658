#include "index/lexical_index.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_set>

#include "text/function_words.h"

namespace nldb::index {


Status LexicalIndex::Create(sqlite3* db) {
  NLDB_RETURN_IF_ERROR(storage::Exec(
      db,
      "CREATE VIRTUAL TABLE IF NOT EXISTS fact_terms USING fts5("
      "text, content='facts', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"));
  return Rebuild(db);
}

Result<bool> LexicalIndex::Exists(sqlite3* db) {
  auto n = storage::QueryInt(
      db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'fact_terms'");
  if (!n.ok()) return n.status();
  return *n > 0;
}

Status LexicalIndex::Rebuild(sqlite3* db) {
  return storage::Exec(db, "INSERT INTO fact_terms(fact_terms) VALUES('rebuild')");
}

Status LexicalIndex::Check(sqlite3* db) {
  // rank 1: also compare the index with the facts it was built from.
  Status s = storage::Exec(
      db, "INSERT INTO fact_terms(fact_terms, rank) VALUES('integrity-check', 1)");
  if (s.ok()) return s;
  return Status::Corruption("the lexical index disagrees with the facts (" + s.message() + ")");
}

Status LexicalIndex::Prepare(sqlite3* db, bool writable) {
  if (writable) {
    NLDB_RETURN_IF_ERROR(add_.Prepare(db, "INSERT INTO fact_terms(rowid, text) VALUES(?1, ?2)"));
  }
  // Facts holding a word, counted up to ?2: fts5vocab counts them all, which
  // cost 8x as much per question at a million facts.
  NLDB_RETURN_IF_ERROR(documents_.Prepare(
      db, "SELECT count(*) FROM (SELECT rowid FROM fact_terms WHERE fact_terms MATCH ?1 LIMIT ?2)"));
  NLDB_RETURN_IF_ERROR(name_matches_.Prepare(
      db, "SELECT rowid FROM fact_terms WHERE fact_terms MATCH ?1 AND rowid <= ?2 "
          "ORDER BY rowid LIMIT ?3"));
  // The oldest fact id of the newest ?3 + 1 matches at or before ?2 (none if fewer).
  NLDB_RETURN_IF_ERROR(window_.Prepare(
      db, "SELECT rowid FROM fact_terms WHERE fact_terms MATCH ?1 AND rowid <= ?2 "
          "ORDER BY rowid DESC LIMIT 1 OFFSET ?3"));
  // Rank inside FTS5 first (matches with ids in [?4, ?2]), then look up only
  // the best ?3 facts: joining every match to `facts` before ranking cost 1.7x
  // as much at a million facts.
  return search_.Prepare(
      db,
      "SELECT h.id, -h.rank, f.text, f.deleted_at IS NULL OR f.deleted_at > ?2 "
      "FROM (SELECT rowid AS id, bm25(fact_terms) AS rank FROM fact_terms WHERE fact_terms "
      "MATCH ?1 AND rowid >= ?4 AND rowid <= ?2 ORDER BY rank LIMIT ?3) h "
      "JOIN facts f ON f.id = h.id ORDER BY h.rank");
}

Status LexicalIndex::Add(FactId id, std::string_view text) {
  add_.Reset();
  add_.Bind(1, static_cast<int64_t>(id));
  add_.Bind(2, text);
  Status s = add_.Run();
  add_.Reset();
  return s;
}

namespace {

// The searchable words of `text`, lowercase, each once, in order.
std::vector<std::string> SearchableWords(std::string_view text) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  auto is_word = [](unsigned char c) { return std::isalnum(c) || c >= 0x80; };
  for (size_t i = 0; i < text.size();) {
    size_t j = i;
    while (j < text.size() && is_word(static_cast<unsigned char>(text[j]))) ++j;
    if (j == i) {
      ++i;
      continue;
    }
    std::string w(text.substr(i, j - i));
    for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    i = j;
    if (text::IsFunctionWord(w) || !seen.insert(w).second) continue;
    out.push_back("\"" + w + "\"");  // words hold no quote character
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// The first column of the first row of a bound statement (none if no row);
// leaves the statement reset.
Result<std::optional<uint64_t>> FirstInt(storage::Statement& s) {
  auto row = s.Step();
  std::optional<uint64_t> value;
  if (row.ok() && *row) value = static_cast<uint64_t>(s.Int(0));
  s.Reset();
  if (!row.ok()) return row.status();
  return value;
}

// All searchable words of `name`: "a", ("a" AND "b"), or "" if none.
std::string NameClause(const std::string& name) {
  const auto words = SearchableWords(name);
  if (words.size() <= 1) return words.empty() ? "" : words[0];
  return "(" + Join(words, " AND ") + ")";
}

}  // namespace

std::string LexicalIndex::MatchExpression(std::string_view query) {
  return Join(SearchableWords(query), " OR ");
}

Result<std::string> LexicalIndex::RareWordsExpression(std::string_view query, uint64_t max_postings) {
  std::vector<std::pair<uint64_t, std::string>> by_frequency;
  for (const std::string& quoted : SearchableWords(query)) {
    documents_.Reset();
    documents_.Bind(1, quoted);  // matched as the index tokenizes: "Zoë" finds "zoe"
    documents_.Bind(2, static_cast<int64_t>(max_postings + 1));
    auto docs = FirstInt(documents_);
    if (!docs.ok()) return docs.status();
    // A word no fact holds matches nothing.
    if (docs->value_or(0) > 0) by_frequency.emplace_back(**docs, quoted);
  }
  std::stable_sort(by_frequency.begin(), by_frequency.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> kept;
  uint64_t postings = 0;
  for (const auto& [docs, quoted] : by_frequency) {
    if (!kept.empty() && postings + docs > max_postings) break;
    postings += docs;
    kept.push_back(quoted);
  }
  return Join(kept, " OR ");
}

std::string LexicalIndex::NamesExpression(const std::vector<std::string>& names) {
  std::vector<std::string> clauses;
  for (const std::string& name : names) {
    if (std::string c = NameClause(name); !c.empty()) clauses.push_back(c);
  }
  return Join(clauses, " OR ");
}

Result<std::vector<FactId>> LexicalIndex::NameMatches(const std::string& name, Version as_of,
                                                      size_t limit) {
  std::vector<FactId> ids;
  const std::string clause = NameClause(name);
  if (clause.empty() || limit == 0) return ids;
  name_matches_.Reset();
  name_matches_.Bind(1, clause);
  name_matches_.Bind(2, static_cast<int64_t>(as_of));
  name_matches_.Bind(3, static_cast<int64_t>(limit));
  NLDB_RETURN_IF_ERROR(name_matches_.EachRow([&] {
    ids.push_back(static_cast<FactId>(name_matches_.Int(0)));
    return true;
  }));
  std::reverse(ids.begin(), ids.end());  // FTS5 reads rowids backwards at 1.6x the cost
  return ids;
}

Result<std::vector<SearchHit>> LexicalIndex::Search(const std::string& match, Version as_of,
                                                    size_t limit, uint64_t max_ranked) {
  std::vector<SearchHit> hits;
  if (match.empty() || limit == 0) return hits;
  int64_t oldest = 0;  // the lowest fact id ranked
  if (max_ranked > 0) {
    window_.Reset();
    window_.Bind(1, match);
    window_.Bind(2, static_cast<int64_t>(as_of));
    window_.Bind(3, static_cast<int64_t>(max_ranked));
    auto beyond = FirstInt(window_);  // the newest match left out, if any
    if (!beyond.ok()) return beyond.status();
    if (beyond->has_value()) oldest = static_cast<int64_t>(**beyond) + 1;
  }
  // The best `ranked` matches, of which those not live at `as_of` (deleted,
  // or added later) are skipped; rank more while too few are left.
  for (size_t ranked = limit + limit / 4 + 8;; ranked *= 4) {
    hits.clear();
    size_t rows = 0;
    search_.Reset();
    search_.Bind(1, match);
    search_.Bind(2, static_cast<int64_t>(as_of));
    search_.Bind(3, static_cast<int64_t>(ranked));
    search_.Bind(4, oldest);
    NLDB_RETURN_IF_ERROR(search_.EachRow([&] {
      ++rows;
      if (hits.size() < limit && search_.Int(3) != 0) {
        hits.push_back({static_cast<FactId>(search_.Int(0)), search_.Double(1),
                        std::string(search_.Text(2))});
      }
      return true;
    }));
    if (hits.size() == limit || rows < ranked) return hits;
  }
}

}  // namespace nldb::index
