// FactSource: reads the facts of an input file, in order, one at a time.
//
// Formats, chosen by the file's extension:
//   .txt    one fact per line ("\n" or "\r\n" line ends)
//   .jsonl  WikiNLDB: one database per line, its "facts" list read in order
// Every fact is checked with text::CheckFactText; a line that cannot be read
// (bad JSON, no "facts" list) becomes one item with a problem.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nldb/status.h"

namespace nldb::ingest {

struct SourceItem {
  uint64_t line = 0;      // 1-based line number in the file
  std::string_view text;  // the fact, valid until the next call to Next
  std::string problem;    // why the item cannot be stored, or empty when it can
};

class FactSource {
 public:
  static Result<std::unique_ptr<FactSource>> Open(const std::string& path);
  ~FactSource();

  // Fills `item` with the next fact: true, or false at the end of the file.
  Result<bool> Next(SourceItem* item);

  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t size_bytes() const { return size_bytes_; }
  // Identifies the content read so far: FNV-1a hash and length, in hex.
  std::string Fingerprint() const;

 private:
  enum class Format { kText, kJsonl };
  FactSource(std::FILE* file, Format format, uint64_t size)
      : file_(file), format_(format), size_bytes_(size) {}
  // Reads the next line (without its "\n") into line_: true, or false at EOF.
  Result<bool> ReadLine();
  void ParseJsonLine();

  std::FILE* file_;
  Format format_;
  uint64_t size_bytes_;
  uint64_t bytes_read_ = 0;
  uint64_t hash_ = 14695981039346656037ull;  // FNV-1a 64 offset basis
  uint64_t line_no_ = 0;
  std::string line_;
  std::vector<char> buf_ = std::vector<char>(1 << 20);  // read-ahead from file_
  size_t buf_pos_ = 0, buf_len_ = 0;
  // .jsonl: the facts (or one problem) of the current line, served in order.
  std::vector<std::string> pending_facts_;
  std::string pending_problem_;
  size_t pending_next_ = 0;
};

}  // namespace nldb::ingest
