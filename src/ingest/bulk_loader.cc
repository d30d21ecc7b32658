#include "ingest/bulk_loader.h"

#include <filesystem>
#include <memory>

#include "ingest/fact_source.h"

namespace nldb::ingest {

namespace {

constexpr size_t kMaxSkippedExamples = 10;
constexpr uint64_t kCheckProgressEvery = 1 << 20;  // bytes

std::string Where(const std::string& path, const SourceItem& item) {
  return path + ":" + std::to_string(item.line) + ": ";
}

// Pass 1: counts the facts and fingerprints the file; fails on a bad fact
// unless skip_bad.
Result<uint64_t> CheckFile(const std::string& path, const LoadOptions& options,
                           std::string* fingerprint) {
  auto source = FactSource::Open(path);
  if (!source.ok()) return source.status();
  SourceItem item;
  uint64_t count = 0, next_report = 0;
  while (true) {
    auto got = (*source)->Next(&item);
    if (!got.ok()) return Status::IOError(path + ": " + got.status().message());
    if (!*got) break;
    if (!item.problem.empty() && !options.skip_bad) {
      return Status::InvalidArgument(Where(path, item) + item.problem);
    }
    ++count;
    if (options.on_progress && (*source)->bytes_read() >= next_report) {
      options.on_progress({LoadProgress::Phase::kChecking, (*source)->bytes_read(),
                           (*source)->size_bytes()});
      next_report = (*source)->bytes_read() + kCheckProgressEvery;
    }
  }
  *fingerprint = (*source)->Fingerprint();
  return count;
}

}  // namespace

Result<LoadReport> LoadFile(Database& db, const std::string& path, const LoadOptions& options) {
  LoadReport report;
  std::string fingerprint;
  auto total = CheckFile(path, options, &fingerprint);
  if (!total.ok()) return total.status();
  report.input_facts = *total;

  // Checkpoints name the file by its absolute path.
  std::error_code ec;
  std::string absolute = std::filesystem::weakly_canonical(path, ec).string();
  if (ec || absolute.empty()) absolute = path;
  while (true) {
    auto unfinished = db.FindUnfinishedLoad(fingerprint, absolute);
    if (!unfinished.ok()) return unfinished.status();
    if (!*unfinished) break;
    LoadCheckpoint& old = **unfinished;
    if (!options.restart && old.fingerprint == fingerprint) {
      report.resumed_at = old.next_item;
      break;
    }
    if (!options.restart) {
      return Status::InvalidArgument(
          "an interrupted load of " + path + " stored the first " + std::to_string(old.next_item) +
          " facts of the file as it was then, and it has changed since; load it with --restart "
          "to store the whole file anyway (those facts stay stored)");
    }
    old.forget = true;
    if (auto forgot = db.AddBatch({}, &old); !forgot.ok()) return forgot.status();
  }

  // Pass 2: store in batches, each with the checkpoint of where it ends.
  auto source = FactSource::Open(path);
  if (!source.ok()) return source.status();
  LoadCheckpoint checkpoint{fingerprint, absolute, report.resumed_at, *total};
  std::vector<std::string> batch;
  batch.reserve(options.batch_facts);
  auto commit = [&]() -> Status {
    auto first = db.AddBatch(batch, &checkpoint);
    if (!first.ok()) return first.status();
    if (!batch.empty()) {
      if (report.first_id == 0) report.first_id = *first;
      report.last_id = *first + batch.size() - 1;
      report.stored += batch.size();
    }
    batch.clear();
    if (options.on_progress) {
      options.on_progress({LoadProgress::Phase::kStoring, checkpoint.next_item, *total});
    }
    return Status::OK();
  };

  // The file changed after pass 1 checked it: the batches already committed
  // stay stored, and the error says which facts they are.
  auto changed = [&](const std::string& how) {
    std::string kept = report.stored == 0
                           ? "this load stored nothing from it"
                           : "facts " + std::to_string(report.first_id) + " to " +
                                 std::to_string(report.last_id) +
                                 " were stored from it before the change";
    if (report.resumed_at > 0) {
      kept += " (an interrupted earlier load had stored its first " +
              std::to_string(report.resumed_at) + " facts)";
    }
    return Status::InvalidArgument(path + " changed while it was being loaded (" + how + "); " +
                                   kept);
  };
  SourceItem item;
  uint64_t index = 0;
  while (true) {
    auto got = (*source)->Next(&item);
    if (!got.ok()) return Status::IOError(path + ": " + got.status().message());
    if (!*got) break;
    if (index++ < report.resumed_at) continue;
    if (!item.problem.empty()) {
      if (!options.skip_bad) return changed(Where(path, item) + item.problem);
      ++report.skipped;
      if (report.skipped_examples.size() < kMaxSkippedExamples) {
        report.skipped_examples.push_back(Where(path, item) + item.problem);
      }
    } else {
      batch.emplace_back(item.text);
    }
    checkpoint.next_item = index;
    if (batch.size() >= options.batch_facts) NLDB_RETURN_IF_ERROR(commit());
  }
  if (index != *total || (*source)->Fingerprint() != fingerprint) {
    return changed(std::to_string(index) + " facts where " + std::to_string(*total) +
                   " were checked, or other bytes");
  }
  checkpoint.next_item = *total;
  NLDB_RETURN_IF_ERROR(commit());
  // Every fact is stored; the checkpoint stays until the indexes are saved
  // too, so that a load killed while it builds them is finished, not
  // repeated, by running it again.
  if (Status s = db.SaveIndexes(); !s.ok()) {
    return Status::IOError("every fact of " + path + " is stored, but saving the indexes failed (" +
                           s.message() + "); load the file again to finish");
  }
  checkpoint.forget = true;
  if (auto forgot = db.AddBatch({}, &checkpoint); !forgot.ok()) return forgot.status();
  return report;
}

}  // namespace nldb::ingest
