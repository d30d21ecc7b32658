#include "index/lexical_index.h"

#include <cctype>
#include <unordered_set>

namespace nldb::index {

namespace {

// Words that say little about which fact answers a question.
bool IsFunctionWord(const std::string& w) {
  static const std::unordered_set<std::string> kWords = {
      "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or",
      "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does",
      "did", "who", "whom", "whose", "what", "which", "where", "when", "why", "how", "that",
      "this", "these", "those", "it", "its", "as", "there", "their", "they", "them", "any",
      "all", "some", "s", "me", "i", "you", "can", "tell", "list", "name", "give"};
  return kWords.count(w) > 0;
}

}  // namespace

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
  return search_.Prepare(
      db,
      "SELECT f.id, -bm25(fact_terms) AS score, f.text FROM fact_terms JOIN facts f "
      "ON f.id = fact_terms.rowid WHERE fact_terms MATCH ?1 AND f.id <= ?2 AND "
      "(f.deleted_at IS NULL OR f.deleted_at > ?2) ORDER BY bm25(fact_terms) LIMIT ?3");
}

Status LexicalIndex::Add(FactId id, std::string_view text) {
  add_.Reset();
  add_.Bind(1, static_cast<int64_t>(id));
  add_.Bind(2, text);
  Status s = add_.Run();
  add_.Reset();
  return s;
}

std::string LexicalIndex::MatchExpression(std::string_view query) {
  std::string out;
  std::unordered_set<std::string> seen;
  auto is_word = [](unsigned char c) { return std::isalnum(c) || c >= 0x80; };
  for (size_t i = 0; i < query.size();) {
    size_t j = i;
    while (j < query.size() && is_word(static_cast<unsigned char>(query[j]))) ++j;
    if (j == i) {
      ++i;
      continue;
    }
    std::string w(query.substr(i, j - i));
    for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    i = j;
    if (IsFunctionWord(w) || !seen.insert(w).second) continue;
    if (!out.empty()) out += " OR ";
    out += "\"" + w + "\"";  // words hold no quote character
  }
  return out;
}

Result<std::vector<SearchHit>> LexicalIndex::Search(std::string_view query, Version as_of,
                                                    size_t limit) {
  std::vector<SearchHit> hits;
  const std::string match = MatchExpression(query);
  if (match.empty() || limit == 0) return hits;
  search_.Reset();
  search_.Bind(1, match);
  search_.Bind(2, static_cast<int64_t>(as_of));
  search_.Bind(3, static_cast<int64_t>(limit));
  while (true) {
    auto row = search_.Step();
    if (!row.ok()) {
      search_.Reset();
      return row.status();
    }
    if (!*row) break;
    hits.push_back({static_cast<FactId>(search_.Int(0)), search_.Double(1), std::string(search_.Text(2))});
  }
  search_.Reset();
  return hits;
}

}  // namespace nldb::index
