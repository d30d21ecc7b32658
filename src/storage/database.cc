// Database: the writer lock, fact validation and the FactStore, together.
#include "nldb/database.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "index/dense_index.h"
#include "storage/fact_store.h"
#include "storage/writer_lock.h"
#include "text/fact_text.h"
#include "text/sentence_encoder.h"
#include "text/word_vectors.h"

namespace nldb {

namespace {

bool IsFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Status MakeDirectory(const std::string& dir) {
  if (mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) {
    struct stat st;
    if (stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::OK();
    return Status::InvalidArgument(dir + " exists and is not a directory");
  }
  return Status::IOError("cannot create the directory " + dir + ": " + std::strerror(errno));
}

// Facts not yet saved in the dense index at which closing a writer saves it.
constexpr FactId kDenseSaveEvery = 1000;
// SearchSimilar looks among at most this many nearest facts of any version.
constexpr size_t kSimilarReach = 20000;
// Facts taken into the dense index per batch while catching up.
constexpr size_t kDenseBatch = 10000;

class StoreDatabase final : public Database {
 public:
  StoreDatabase(std::string dir, const OpenOptions& options,
                std::unique_ptr<storage::WriterLock> lock, std::unique_ptr<storage::FactStore> store)
      : dir_(std::move(dir)), encoder_dir_(options.encoder_dir), temporary_(options.temporary),
        lock_(std::move(lock)), store_(std::move(store)) {}

  ~StoreDatabase() override {
    // The dense index is derived data: a failure here costs the next opener
    // time to catch up, never a fact.
    if (!lock_ || encoder_dir_.empty() || temporary_) return;
    // What is on disk, as this process knows it: a saved index it found
    // unusable (damaged, another encoder's) counts as none.
    const FactId saved = dense_ ? dense_saved_mark_ : index::DenseIndex::SavedMark(dir_);
    auto last = store_->LastFactId();  // deletes leave the dense index as it is
    if (last.ok() && *last >= saved + kDenseSaveEvery) (void)SaveIndexes();
  }

  Result<FactId> Add(std::string_view text) override {
    return AddBatch({std::string(text)}, nullptr);
  }

  Result<FactId> AddBatch(const std::vector<std::string>& texts,
                          const LoadCheckpoint* checkpoint) override {
    NLDB_RETURN_IF_ERROR(CheckWritable());
    for (size_t i = 0; i < texts.size(); ++i) {
      Status s = text::CheckFactText(texts[i]);
      if (!s.ok()) {
        if (texts.size() == 1) return s;
        return Status::InvalidArgument("fact " + std::to_string(i + 1) + " of the batch: " +
                                       s.message());
      }
    }
    return store_->Append(texts, checkpoint);
  }

  Result<Version> Delete(FactId id) override {
    NLDB_RETURN_IF_ERROR(CheckWritable());
    return store_->Delete(id);
  }

  Result<Version> Scan(std::optional<Version> as_of,
                       const std::function<bool(const Fact&)>& fn) override {
    return store_->Scan(as_of, fn);
  }
  Result<Fact> Get(FactId id, std::optional<Version> as_of) override {
    return store_->Get(id, as_of);
  }
  Result<Stats> GetStats(std::optional<Version> as_of) override {
    return store_->GetStats(as_of);
  }
  Result<Version> CurrentVersion() override { return store_->CurrentVersion(); }
  Result<std::optional<LoadCheckpoint>> FindUnfinishedLoad(const std::string& fingerprint,
                                                           const std::string& source) override {
    return store_->FindLoad(fingerprint, source);
  }
  Result<std::vector<SearchHit>> Search(std::string_view query, size_t limit,
                                        std::optional<Version> as_of) override {
    return store_->Search(query, limit, as_of);
  }
  Result<std::vector<SearchHit>> SearchNames(const std::vector<std::string>& names, size_t limit,
                                             std::optional<Version> as_of,
                                             uint64_t most_held) override {
    return store_->SearchNames(names, limit, as_of, most_held);
  }
  Result<std::vector<SearchHit>> SearchWords(const std::vector<std::string>& phrases, size_t limit,
                                             std::optional<Version> as_of,
                                             uint64_t most_held) override {
    return store_->SearchWords(phrases, limit, as_of, most_held);
  }
  Result<std::vector<SearchHit>> SearchSimilar(std::string_view text, size_t limit,
                                               std::optional<Version> as_of) override {
    std::vector<SearchHit> out;
    if (encoder_dir_.empty()) return out;
    NLDB_RETURN_IF_ERROR(CatchUpDense());
    Version version = 0;
    if (as_of) {
      version = *as_of;
    } else {
      auto current = store_->CurrentVersion();
      if (!current.ok()) return current.status();
      version = *current;
    }
    // Deleted and later facts are skipped, so ask for more than `limit`, and
    // four times more again while too few were live at `version`, up to
    // kSimilarReach (a store that small is searched whole).
    std::set<FactId> read;
    for (size_t k = std::min(2 * limit + 10, kSimilarReach);; k = std::min(4 * k, kSimilarReach)) {
      const auto hits = dense_->Search(text, k);
      for (const auto& [id, cosine] : hits) {
        if (out.size() == limit) break;
        if (id > version || !read.insert(id).second) continue;
        auto fact = store_->Get(id, version);
        if (fact.status().code() == Status::Code::kNotFound) continue;
        if (!fact.ok()) return fact.status();
        out.push_back({id, cosine, std::move(fact->text)});
      }
      if (out.size() == limit || hits.size() < k || k == kSimilarReach) break;
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
    return out;
  }

  Status SaveIndexes() override {
    if (encoder_dir_.empty()) return Status::OK();
    NLDB_RETURN_IF_ERROR(CheckWritable());
    NLDB_RETURN_IF_ERROR(CatchUpDense());
    NLDB_RETURN_IF_ERROR(dense_->Save(dir_));
    dense_saved_mark_ = dense_->mark();
    return Status::OK();
  }

  Status CheckIndexes(bool repair) override {
    Status s = store_->CheckIndex();
    const bool damaged =
        s.code() == Status::Code::kCorruption || s.code() == Status::Code::kNotFound;
    if (damaged && repair) {
      NLDB_RETURN_IF_ERROR(CheckWritable());
      NLDB_RETURN_IF_ERROR(store_->Reindex());
      s = store_->CheckIndex();
    }
    NLDB_RETURN_IF_ERROR(s);
    if (encoder_dir_.empty()) return Status::OK();
    NLDB_RETURN_IF_ERROR(LoadEncoder());
    s = index::DenseIndex::Check(dir_, *encoder_);
    if (s.ok() || !repair) return s;
    NLDB_RETURN_IF_ERROR(CheckWritable());
    dense_.reset();  // Load finds the damage and starts from empty
    NLDB_RETURN_IF_ERROR(SaveIndexes());
    return index::DenseIndex::Check(dir_, *encoder_);
  }

 private:
  Status LoadEncoder() {
    if (encoder_) return Status::OK();
    auto vectors = text::WordVectors::Shared(text::DefaultWordVectorsPath());
    if (!vectors.ok()) return vectors.status();
    vectors_ = std::move(*vectors);
    auto encoder = text::SentenceEncoder::Load(encoder_dir_, *vectors_);
    if (!encoder.ok()) return encoder.status();
    encoder_ = std::move(*encoder);
    return Status::OK();
  }

  // Loads the dense index on first use and takes in the facts added since.
  Status CatchUpDense() {
    if (!dense_) {
      NLDB_RETURN_IF_ERROR(LoadEncoder());
      dense_ = index::DenseIndex::Load(dir_, *encoder_);
      dense_saved_mark_ = dense_->mark();  // 0 when the saved one was unusable
    }
    std::vector<Fact> batch;
    auto flush = [&] {
      dense_->Add(batch);
      batch.clear();
    };
    NLDB_RETURN_IF_ERROR(store_->ScanAdded(dense_->mark(), [&](const Fact& f) {
      batch.push_back(f);
      if (batch.size() == kDenseBatch) flush();
      return true;
    }));
    flush();
    return Status::OK();
  }

  Status CheckWritable() const {
    if (!lock_) return Status::InvalidArgument("the store was opened read-only");
    return Status::OK();
  }

  const std::string dir_, encoder_dir_;
  const bool temporary_;
  std::unique_ptr<storage::WriterLock> lock_;  // null for readers
  std::unique_ptr<storage::FactStore> store_;
  std::shared_ptr<const text::WordVectors> vectors_;   // loaded with the encoder
  std::unique_ptr<text::SentenceEncoder> encoder_;     // on first dense use
  std::unique_ptr<index::DenseIndex> dense_;           // on first dense use
  FactId dense_saved_mark_ = 0;                        // the usable saved index's mark
};

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& dir,
                                                 const OpenOptions& options) {
  if (dir.empty()) return Status::InvalidArgument("the store directory name is empty");
  std::unique_ptr<storage::WriterLock> lock;
  if (!options.read_only && !options.create_if_missing && !IsFile(dir + "/facts.db")) {
    return Status::NotFound("there is no nldb store in " + dir);
  }
  if (!options.read_only) {
    if (options.create_if_missing) NLDB_RETURN_IF_ERROR(MakeDirectory(dir));
    auto acquired = storage::WriterLock::Acquire(dir, options.writer_label);
    if (!acquired.ok()) return acquired.status();
    lock = std::move(*acquired);
  }
  auto store = storage::FactStore::Open(dir, options.read_only,
                                        !options.read_only && options.create_if_missing);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Database>(new StoreDatabase(dir, options, std::move(lock), std::move(*store)));
}

}  // namespace nldb
