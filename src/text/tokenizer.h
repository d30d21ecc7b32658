// Tokenizer: a WordPiece subword tokenizer whose vocabulary `nldb train`
// builds from generated text. Tokens keep their byte offsets in the input, so
// an answer can be copied out of a fact exactly as written.
//
// Words are runs of letters (ASCII or any non-ASCII UTF-8 character); every
// digit and every punctuation character is a word of its own; whitespace only
// separates. A word becomes the longest vocabulary piece that starts it, then
// the longest "##" pieces that continue it; a character with no piece is [UNK].
// (SentencePiece from Debian cannot be used: its protobuf-lite clashes with
// libtorch's protobuf in one process.)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nldb/status.h"

namespace nldb::text {

struct Token {
  int id;
  uint32_t begin, end;  // bytes of the input this token covers
};

class Tokenizer {
 public:
  // Builds a vocabulary of about `vocab_size` pieces from `sentences`: every
  // character seen, then the pieces that cover the most text.
  static std::unique_ptr<Tokenizer> Train(const std::vector<std::string>& sentences,
                                          int vocab_size);
  // One piece per line; the line number is the id.
  static Result<std::unique_ptr<Tokenizer>> Load(const std::string& path);
  Status Save(const std::string& path) const;

  std::vector<Token> Encode(std::string_view text) const;
  int vocab_size() const { return static_cast<int>(pieces_.size()); }
  const std::string& piece(int id) const { return pieces_[id]; }

  static constexpr int kUnk = 0;  // "[UNK]"

 private:
  explicit Tokenizer(std::vector<std::string> pieces);
  std::vector<std::string> pieces_;
  std::unordered_map<std::string, int> ids_;
  size_t longest_ = 1;  // longest piece, in bytes (without "##")
};

// Splits `text` into words as the tokenizer does: [begin, end) byte ranges.
std::vector<std::pair<uint32_t, uint32_t>> SplitWords(std::string_view text);

}  // namespace nldb::text
