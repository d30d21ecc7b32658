#include "storage/temp_store.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

namespace nldb::storage {

Result<std::unique_ptr<TempStore>> TempStore::Create(const std::vector<std::string>& facts,
                                                     const std::string& encoder_dir) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/nldb-store-XXXXXX";
  if (!mkdtemp(tmpl.data())) return Status::IOError("cannot create a temporary directory " + tmpl);
  auto t = std::unique_ptr<TempStore>(new TempStore(tmpl));
  auto db = Database::Open(t->dir_, {.writer_label = "a temporary store",
                                     .encoder_dir = encoder_dir,
                                     .temporary = true});
  if (!db.ok()) return db.status();
  t->db_ = std::move(*db);
  if (!facts.empty()) {
    auto first = t->db_->AddBatch(facts);
    if (!first.ok()) return first.status();
  }
  return t;
}

TempStore::~TempStore() {
  db_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace nldb::storage
