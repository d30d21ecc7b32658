#include "index/name_index.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "text/function_words.h"
#include "text/sentence_encoder.h"
#include "text/utf8.h"

namespace nldb::index {

namespace {

bool IsNameWord(std::string_view w) {
  const auto c = static_cast<unsigned char>(w[0]);
  return std::isupper(c) || std::isdigit(c) || c >= 0x80;
}

// A run of names being read: its words, and whether " of " comes before each.
struct Run {
  std::vector<std::pair<std::string_view, bool>> words;
  bool opens_sentence = false;

  std::string Join(size_t from) const {
    std::string out(words[from].first);
    for (size_t k = from + 1; k < words.size(); ++k) {
      out += words[k].second ? " of " : " ";
      out += words[k].first;
    }
    return out;
  }
};

// The words of `text` between spaces that open with a digit, trimmed of
// punctuation as ssg::Featurizer::Holds trims them ("5,551,039").
void AddNumbers(std::string_view text, std::vector<std::string>* keys) {
  for (size_t i = 0; i < text.size();) {
    const size_t j = std::min(text.find(' ', i), text.size());
    const std::string_view w = text::TrimWordPunctuation(text.substr(i, j - i));
    if (!w.empty() && std::isdigit(static_cast<unsigned char>(w[0]))) keys->emplace_back(w);
    i = j + 1;
  }
}

constexpr const char* kInsert = "INSERT INTO fact_names(name, id) VALUES(?1, ?2)";

using Row = std::pair<std::string, FactId>;

// Inserts `rows` with `add` (shaped as kInsert) in key order, so that each
// B-tree page is touched once, and empties them.
Status InsertSorted(storage::Statement& add, std::vector<Row>& rows) {
  std::sort(rows.begin(), rows.end());
  Status s;
  for (const auto& [name, id] : rows) {
    add.Reset();
    add.Bind(1, name);
    add.Bind(2, static_cast<int64_t>(id));
    s = add.Run();
    if (!s.ok()) break;
  }
  add.Reset();
  rows.clear();
  return s;
}

// Calls `fn(id, text)` for every fact ever added, in id order.
template <typename Fn>
Status EachFact(sqlite3* db, Fn&& fn) {
  storage::Statement scan;
  NLDB_RETURN_IF_ERROR(scan.Prepare(db, "SELECT id, text FROM facts ORDER BY id"));
  return scan.EachRow([&] {
    fn(static_cast<FactId>(scan.Int(0)), scan.Text(1));
    return true;
  });
}

// An order-free digest of (name, id) rows: their count and the sum of their hashes.
struct Digest {
  uint64_t rows = 0, sum = 0;
  void Add(std::string_view name, FactId id) {
    ++rows;
    sum += text::Checksum64(name.data(), name.size(), id);
  }
  bool operator==(const Digest&) const = default;
};

}  // namespace

std::vector<std::string> NameIndex::Keys(std::string_view text) {
  std::vector<std::string> keys;
  Run run;
  bool of_read = false;  // run + " of" read, waiting for a name
  bool initial = false;  // the previous word was one capital letter
  bool first_word = true;
  size_t last_end = 0;   // where the previous word ended
  auto close = [&] {
    if (!run.words.empty()) {
      keys.push_back(run.Join(0));
      // The run without a first word of the sentence, which the support-set
      // generator reads as no name when it is a common word ("Among").
      if (run.opens_sentence && run.words.size() > 1) keys.push_back(run.Join(1));
    }
    run.words.clear();
    of_read = false;
  };
  for (size_t i = 0; i < text.size();) {
    const size_t j = text::HyphenatedWordEnd(text, i);
    if (j == i) {
      i = text::CharEnd(text, i);
      continue;
    }
    const std::string_view w = text.substr(i, j - i);
    const std::string_view gap = text.substr(last_end, i - last_end);
    if (gap != " " && !(initial && gap == ". ")) close();  // punctuation between
    initial = w.size() == 1 && std::isupper(static_cast<unsigned char>(w[0]));
    last_end = j;
    const bool sentence_start = first_word;
    first_word = false;
    if (initial && !run.words.empty() && j < text.size() && text[j] == '.') {  // "A." in "Ana A. Ruiz"
      run.words.emplace_back(w, false);
    } else if (const std::string lower = text::AsciiLower(w); text::IsNameBreakingWord(lower)) {
      if (lower == "of" && !run.words.empty() && !of_read) {
        of_read = true;
      } else {
        close();
      }
    } else if (IsNameWord(w)) {
      if (run.words.empty()) run.opens_sentence = sentence_start;
      run.words.emplace_back(w, of_read);
      of_read = false;
    } else {
      close();
    }
    i = j;
  }
  close();
  AddNumbers(text, &keys);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

Status NameIndex::Create(sqlite3* db) {
  NLDB_RETURN_IF_ERROR(storage::Exec(
      db,
      "CREATE TABLE IF NOT EXISTS fact_names(name TEXT NOT NULL, id INTEGER NOT NULL, "
      "PRIMARY KEY(name, id)) WITHOUT ROWID"));
  return Rebuild(db);
}

Result<bool> NameIndex::Exists(sqlite3* db) {
  return storage::TableExists(db, "fact_names");
}

Status NameIndex::Rebuild(sqlite3* db) {
  NLDB_RETURN_IF_ERROR(storage::Exec(db, "DELETE FROM fact_names"));
  storage::Statement add;
  NLDB_RETURN_IF_ERROR(add.Prepare(db, kInsert));
  std::vector<Row> rows;  // a chunk of facts' rows at a time
  Status inserting;
  NLDB_RETURN_IF_ERROR(EachFact(db, [&](FactId id, std::string_view text) {
    for (std::string& name : Keys(text)) rows.emplace_back(std::move(name), id);
    if (rows.size() >= 4'000'000 && inserting.ok()) inserting = InsertSorted(add, rows);
  }));
  NLDB_RETURN_IF_ERROR(inserting);
  return InsertSorted(add, rows);
}

Status NameIndex::Check(sqlite3* db) {
  Digest want, have;
  NLDB_RETURN_IF_ERROR(EachFact(db, [&](FactId id, std::string_view text) {
    for (const std::string& name : Keys(text)) want.Add(name, id);
  }));
  storage::Statement scan;
  NLDB_RETURN_IF_ERROR(scan.Prepare(db, "SELECT name, id FROM fact_names"));
  NLDB_RETURN_IF_ERROR(scan.EachRow([&] {
    have.Add(scan.Text(0), static_cast<FactId>(scan.Int(1)));
    return true;
  }));
  if (want == have) return Status::OK();
  return Status::Corruption("the names index disagrees with the facts (" +
                            std::to_string(have.rows) + " rows where the facts give " +
                            std::to_string(want.rows) + ")");
}

Status NameIndex::Prepare(sqlite3* db, bool writable) {
  if (writable) {
    NLDB_RETURN_IF_ERROR(add_.Prepare(db, kInsert));
  }
  return matches_.Prepare(
      db, "SELECT id FROM fact_names WHERE name = ?1 AND id <= ?2 ORDER BY id LIMIT ?3");
}

Status NameIndex::Add(FactId first, const std::vector<std::string>& texts) {
  std::vector<Row> rows;
  for (size_t i = 0; i < texts.size(); ++i) {
    for (std::string& name : Keys(texts[i])) rows.emplace_back(std::move(name), first + i);
  }
  return InsertSorted(add_, rows);
}

Result<std::vector<FactId>> NameIndex::Matches(const std::string& name, Version as_of,
                                                size_t limit) {
  std::vector<FactId> ids;
  matches_.Reset();
  matches_.Bind(1, name);
  matches_.Bind(2, static_cast<int64_t>(as_of));
  matches_.Bind(3, static_cast<int64_t>(limit));
  NLDB_RETURN_IF_ERROR(matches_.EachRow([&] {
    ids.push_back(static_cast<FactId>(matches_.Int(0)));
    return true;
  }));
  std::reverse(ids.begin(), ids.end());
  return ids;
}

}  // namespace nldb::index
