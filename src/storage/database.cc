// Database: the writer lock, fact validation and the FactStore, together.
#include "nldb/database.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "storage/fact_store.h"
#include "storage/writer_lock.h"
#include "text/fact_text.h"

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

class StoreDatabase final : public Database {
 public:
  StoreDatabase(std::unique_ptr<storage::WriterLock> lock,
                std::unique_ptr<storage::FactStore> store)
      : lock_(std::move(lock)), store_(std::move(store)) {}

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
  Result<std::optional<LoadCheckpoint>> FindUnfinishedLoad(
      const std::string& fingerprint) override {
    return store_->FindLoad(fingerprint);
  }
  Result<std::vector<SearchHit>> Search(std::string_view query, size_t limit,
                                        std::optional<Version> as_of) override {
    return store_->Search(query, limit, as_of);
  }
  Result<std::vector<SearchHit>> SearchNames(const std::vector<std::string>& names, size_t limit,
                                             std::optional<Version> as_of) override {
    return store_->SearchNames(names, limit, as_of);
  }
  Status CheckIndexes(bool repair) override {
    Status s = store_->CheckIndex();
    if (s.ok() || !repair) return s;
    NLDB_RETURN_IF_ERROR(CheckWritable());
    NLDB_RETURN_IF_ERROR(store_->Reindex());
    return store_->CheckIndex();
  }

 private:
  Status CheckWritable() const {
    if (!lock_) return Status::InvalidArgument("the store was opened read-only");
    return Status::OK();
  }

  std::unique_ptr<storage::WriterLock> lock_;  // null for readers
  std::unique_ptr<storage::FactStore> store_;
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
  return std::unique_ptr<Database>(new StoreDatabase(std::move(lock), std::move(*store)));
}

}  // namespace nldb
