// Status and Result<T>: how every nldb call reports failure.
//
// A Status is either OK or carries a code and one human-readable sentence
// (no trailing newline) that can be shown to a user as is.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace nldb {

class Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,  // the caller's input is bad (a fact, a version, an id)
    kNotFound,         // a named thing (a fact id, a store) does not exist
    kBusy,             // another process holds the store for writing
    kIOError,          // the operating system or the storage engine failed
    kCorruption,       // the store on disk is not what nldb wrote
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status Busy(std::string msg) { return {Code::kBusy, std::move(msg)}; }
  static Status IOError(std::string msg) { return {Code::kIOError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { assert(ok()); return *value_; }
  const T& value() const { assert(ok()); return *value_; }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace nldb

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define NLDB_RETURN_IF_ERROR(expr)           \
  do {                                       \
    ::nldb::Status _nldb_s = (expr);         \
    if (!_nldb_s.ok()) return _nldb_s;       \
  } while (0)
