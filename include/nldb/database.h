// nldb::Database — a durable, versioned store of English fact sentences.
//
// Every update (adding a fact, deleting one) gets the next version number,
// starting at 1, so the versions 1..CurrentVersion() are exactly the update
// stream. A fact's id is the version that added it: ids grow with time, and
// the facts live "as of" version V are those with id <= V that were not
// deleted at a version <= V. Reads at any past version stay possible.
//
// Durability: when Add, AddBatch or Delete return OK, the update is synced to
// disk. A batch is atomic: after a crash it is stored whole or not at all.
//
// Concurrency: one writer process at a time (Open with read_only=false takes
// a lock; a second writer gets kBusy naming the holder). Any number of
// readers may run beside it; each read sees one committed version.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nldb/status.h"

namespace nldb {

using FactId = uint64_t;
using Version = uint64_t;

struct Fact {
  FactId id = 0;  // also the version that added the fact
  std::string text;
};

struct Stats {
  Version version = 0;      // the version the figures are for
  uint64_t live_facts = 0;  // facts added and not deleted as of `version`
  uint64_t deleted_facts = 0;
};

// One fact found by a search, with its BM25 score (higher is better).
struct SearchHit {
  FactId id = 0;
  double score = 0;
  std::string text;
};

struct OpenOptions {
  bool read_only = false;         // readers take no lock and never create
  bool create_if_missing = true;  // for writers: make the directory and store
  std::string writer_label;       // shown to a second writer, e.g. "nldb load x.txt"
  // The sentence encoder (`nldb train encoder`) of the dense index; empty: the
  // store keeps no dense index and SearchSimilar finds nothing.
  std::string encoder_dir;
  bool temporary = false;  // a throwaway store: closing it never saves the dense index
};

// Where an interrupted bulk load stands. Committed in the same transaction as
// the batch it follows, so after a crash it names exactly what was stored.
// A load whose items are all stored keeps its checkpoint until its indexes
// are saved too; then a batch with `forget` drops it.
struct LoadCheckpoint {
  std::string fingerprint;  // identifies the input (content hash and size)
  std::string source;       // the input's absolute path
  uint64_t next_item = 0;   // input items consumed so far (stored or skipped)
  uint64_t total_items = 0;
  bool forget = false;      // the load is finished: drop its checkpoint
};

class Database {
 public:
  // Opens (or, for writers with create_if_missing, creates) the store in `dir`.
  static Result<std::unique_ptr<Database>> Open(const std::string& dir,
                                                const OpenOptions& options = {});
  virtual ~Database() = default;

  // Appends one fact; returns its id once it is durable.
  virtual Result<FactId> Add(std::string_view text) = 0;

  // Appends `texts` atomically; they get consecutive ids, the first returned.
  // With a checkpoint, records it in the same transaction; a checkpoint with
  // next_item == total_items marks that load finished and forgets it.
  virtual Result<FactId> AddBatch(const std::vector<std::string>& texts,
                                  const LoadCheckpoint* checkpoint = nullptr) = 0;

  // Hides fact `id` from later versions; returns the version of the delete.
  virtual Result<Version> Delete(FactId id) = 0;

  // Calls `fn` for every fact live as of `as_of` (default: now), in id order,
  // until `fn` returns false. Returns the version that was read.
  virtual Result<Version> Scan(std::optional<Version> as_of,
                               const std::function<bool(const Fact&)>& fn) = 0;

  // The fact with this id if it is live as of `as_of` (default: now).
  virtual Result<Fact> Get(FactId id, std::optional<Version> as_of = std::nullopt) = 0;

  virtual Result<Stats> GetStats(std::optional<Version> as_of = std::nullopt) = 0;
  virtual Result<Version> CurrentVersion() = 0;

  // The `limit` facts live as of `as_of` that best match the words of
  // `query` (BM25), best first; empty when no word matches.
  virtual Result<std::vector<SearchHit>> Search(std::string_view query, size_t limit,
                                                std::optional<Version> as_of = std::nullopt) = 0;
  // At most `limit` facts live as of `as_of` that hold any of `names` as a
  // name, written as the names index keeps it (index::NameIndex::Keys: "Anna
  // Pawłowski", "University of Belton", also "Belton" in it): the facts of
  // the name fewest facts hold first (score: 1 / that number), each name's
  // newest first. Names held by more than `most_held` facts are left out:
  // they single nothing out.
  virtual Result<std::vector<SearchHit>> SearchNames(const std::vector<std::string>& names,
                                                     size_t limit,
                                                     std::optional<Version> as_of = std::nullopt,
                                                     uint64_t most_held = 1000) = 0;
  // As SearchNames, for runs of words ("dates back founding"): a fact
  // matches when it holds every word of one, anywhere, in any case.
  virtual Result<std::vector<SearchHit>> SearchWords(const std::vector<std::string>& phrases,
                                                     size_t limit,
                                                     std::optional<Version> as_of = std::nullopt,
                                                     uint64_t most_held = 1000) = 0;

  // The `limit` facts live as of `as_of` nearest in meaning to `text` (the
  // dense index; score: cosine), best first, found among the 20,000 nearest
  // facts of any version (fewer when not that many of those are live). Loads the index and takes in the
  // facts added since it was saved on first use; empty without an encoder.
  virtual Result<std::vector<SearchHit>> SearchSimilar(std::string_view text, size_t limit,
                                                       std::optional<Version> as_of = std::nullopt) = 0;

  // Brings the dense index up to date with the facts and saves it (writers;
  // nothing without an encoder). Closing a writer does it too when 1,000 or
  // more facts are not yet saved in it.
  virtual Status SaveIndexes() = 0;

  // Checks the indexes against the facts (writers only: the lexical index's
  // check writes); with `repair`, rebuilds a damaged or missing one from the
  // facts and checks again. Other errors (a busy store) are returned as they are.
  virtual Status CheckIndexes(bool repair) = 0;

  // An unfinished load of the input with this fingerprint, else one of
  // another input read from `source` (the file has changed since), if any.
  virtual Result<std::optional<LoadCheckpoint>> FindUnfinishedLoad(const std::string& fingerprint,
                                                                   const std::string& source) = 0;
};

}  // namespace nldb
