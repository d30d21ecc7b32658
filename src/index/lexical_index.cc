#include "index/lexical_index.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "text/function_words.h"
#include "text/utf8.h"

namespace nldb::index {


Status LexicalIndex::Create(sqlite3* db) {
  NLDB_RETURN_IF_ERROR(storage::Exec(
      db,
      "CREATE VIRTUAL TABLE IF NOT EXISTS fact_terms USING fts5("
      "text, content='facts', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"));
  return Rebuild(db);
}

Result<bool> LexicalIndex::Exists(sqlite3* db) {
  return storage::TableExists(db, "fact_terms");
}

Status LexicalIndex::Rebuild(sqlite3* db) {
  return storage::Exec(db, "INSERT INTO fact_terms(fact_terms) VALUES('rebuild')");
}

Status LexicalIndex::Check(sqlite3* db) {
  // rank 1: also compare the index with the facts it was built from.
  Status s = storage::Exec(
      db, "INSERT INTO fact_terms(fact_terms, rank) VALUES('integrity-check', 1)");
  if (s.code() != Status::Code::kCorruption) return s;  // ok, or busy, read-only, ...
  return Status::Corruption("the lexical index disagrees with the facts (" + s.message() + ")");
}

Status LexicalIndex::Prepare(sqlite3* db, bool writable) {
  if (writable) {
    NLDB_RETURN_IF_ERROR(add_.Prepare(db, "INSERT INTO fact_terms(rowid, text) VALUES(?1, ?2)"));
  }
  NLDB_RETURN_IF_ERROR(word_oldest_.Prepare(
      db, "SELECT rowid FROM fact_terms WHERE fact_terms MATCH ?1 AND rowid <= ?2 "
          "ORDER BY rowid LIMIT ?3"));
  NLDB_RETURN_IF_ERROR(word_newest_.Prepare(
      db, "SELECT rowid FROM fact_terms WHERE fact_terms MATCH ?1 AND rowid <= ?2 "
          "ORDER BY rowid DESC LIMIT ?3"));
  return fact_.Prepare(db, "SELECT text, deleted_at FROM facts WHERE id = ?1");
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
  for (size_t i = 0; i < text.size();) {
    const size_t j = text::WordEnd(text, i);
    if (j == i) {
      i = text::CharEnd(text, i);
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

// The rowids that `s` (shaped as word_oldest_ and word_newest_) gives for
// `match` at or before `as_of`, at most `limit`.
Result<std::vector<FactId>> Rowids(storage::Statement& s, const std::string& match, Version as_of,
                                   uint64_t limit) {
  std::vector<FactId> ids;
  s.Reset();
  s.Bind(1, match);
  s.Bind(2, static_cast<int64_t>(as_of));
  s.Bind(3, static_cast<int64_t>(limit));
  NLDB_RETURN_IF_ERROR(s.EachRow([&] {
    ids.push_back(static_cast<FactId>(s.Int(0)));
    return true;
  }));
  return ids;
}

// Tokens FTS5's unicode61 tokenizer makes of `text`, near enough for BM25's
// length: its words (text::WordEnd).
size_t CountTokens(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t j = text::WordEnd(text, i);
    n += j > i;
    i = j > i ? j : text::CharEnd(text, i);
  }
  return n;
}

// All searchable words of `text`: "a", ("a" AND "b"), or "" if none.
std::string EveryWordClause(const std::string& text) {
  const auto words = SearchableWords(text);
  if (words.size() <= 1) return words.empty() ? "" : words[0];
  return "(" + Join(words, " AND ") + ")";
}

}  // namespace

Result<std::vector<SearchHit>> LexicalIndex::SearchRareWords(std::string_view query, Version as_of,
                                                             size_t limit, uint64_t max_postings) {
  std::vector<SearchHit> hits;
  if (limit == 0) return hits;
  // Each word's facts, counted up to max_postings + 1.
  struct Word {
    std::string quoted;
    std::vector<FactId> ids;
  };
  std::vector<Word> words;
  for (std::string& quoted : SearchableWords(query)) {
    auto ids = Rowids(word_oldest_, quoted, as_of, max_postings + 1);
    if (!ids.ok()) return ids.status();
    if (!ids->empty()) words.push_back({std::move(quoted), std::move(*ids)});
  }
  std::stable_sort(words.begin(), words.end(),
                   [](const Word& a, const Word& b) { return a.ids.size() < b.ids.size(); });
  uint64_t postings = 0;
  size_t kept = 0;
  while (kept < words.size() && (kept == 0 || postings + words[kept].ids.size() <= max_postings)) {
    postings += words[kept++].ids.size();
  }
  words.resize(kept);
  if (words.empty()) return hits;
  if (words[0].ids.size() > max_postings) {  // a common word alone: its newest facts
    auto newest = Rowids(word_newest_, words[0].quoted, as_of, max_postings);
    if (!newest.ok()) return newest.status();
    words[0].ids = std::move(*newest);
  }

  // Rank by the words each fact holds (BM25 at an average length), ties newest first.
  const double n = static_cast<double>(std::max<Version>(as_of, 1));
  std::unordered_map<FactId, double> idf_sum;
  for (const Word& w : words) {
    const double held = static_cast<double>(w.ids.size());
    const double idf = std::max(1e-6, std::log((n - held + 0.5) / (held + 0.5)));
    for (FactId id : w.ids) idf_sum[id] += idf;
  }
  std::vector<std::pair<double, FactId>> ranked;
  ranked.reserve(idf_sum.size());
  for (const auto& [id, sum] : idf_sum) ranked.emplace_back(sum, id);
  auto better = [](const auto& a, const auto& b) { return a > b; };
  // BM25 with lengths for the leaders, live ones only; more if some are not.
  constexpr double k1 = 1.2, b = 0.75;
  const size_t leaders = 2 * limit + 8;
  struct Leader {
    SearchHit hit;
    double idf_sum, length;
  };
  std::vector<Leader> read;
  for (size_t begin = 0; begin < ranked.size() && read.size() < leaders;) {
    const size_t end = std::min(ranked.size(), begin + leaders);
    std::partial_sort(ranked.begin() + begin, ranked.begin() + end, ranked.end(), better);
    for (size_t i = begin; i < end && read.size() < leaders; ++i) {
      auto text = LiveText(ranked[i].second, as_of);
      if (!text.ok()) return text.status();
      if (*text) {
        const double length = static_cast<double>(CountTokens(**text));
        read.push_back({{ranked[i].second, 0, std::move(**text)}, ranked[i].first, length});
      }
    }
    begin = end;
  }
  double mean_length = 0;
  for (const Leader& l : read) mean_length += l.length / read.size();
  for (Leader& l : read) {
    l.hit.score = l.idf_sum * (k1 + 1) / (1 + k1 * (1 - b + b * l.length / std::max(1.0, mean_length)));
  }
  std::stable_sort(read.begin(), read.end(),
                   [](const Leader& a, const Leader& c) { return a.hit.score > c.hit.score; });
  for (size_t i = 0; i < read.size() && hits.size() < limit; ++i) hits.push_back(std::move(read[i].hit));
  return hits;
}

Result<std::optional<std::string>> LexicalIndex::LiveText(FactId id, Version as_of) {
  fact_.Reset();
  fact_.Bind(1, static_cast<int64_t>(id));
  auto row = fact_.Step();
  std::optional<std::string> text;
  if (row.ok() && *row && id <= as_of &&
      (fact_.IsNull(1) || static_cast<Version>(fact_.Int(1)) > as_of)) {
    text = std::string(fact_.Text(0));
  }
  fact_.Reset();
  if (!row.ok()) return row.status();
  return text;
}

Result<std::vector<FactId>> LexicalIndex::EveryWord(const std::string& words, Version as_of,
                                                    size_t limit) {
  const std::string clause = EveryWordClause(words);
  if (clause.empty()) return std::vector<FactId>{};
  auto ids = Rowids(word_oldest_, clause, as_of, limit);
  if (ids.ok()) std::reverse(ids->begin(), ids->end());  // FTS5 reads backwards at 1.6x the cost
  return ids;
}

}  // namespace nldb::index
