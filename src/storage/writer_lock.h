// The one-writer-per-store lock: an flock(2) on DIR/LOCK.
//
// The holder writes "pid PID: LABEL" into the file so that a second writer
// can be told who holds it. The kernel drops the lock when the holder exits
// or is killed, so a crash never leaves a stale lock.
#pragma once

#include <memory>
#include <string>

#include "nldb/status.h"

namespace nldb::storage {

class WriterLock {
 public:
  // Takes the lock on `dir`, or returns kBusy naming the current holder.
  static Result<std::unique_ptr<WriterLock>> Acquire(const std::string& dir,
                                                     const std::string& label);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  explicit WriterLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace nldb::storage
