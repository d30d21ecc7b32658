#include "text/tokenizer.h"

#include <algorithm>
#include <fstream>
#include <map>

namespace nldb::text {

namespace {

// Length in bytes of the UTF-8 character starting with `c` (1 for bad bytes).
size_t CharLength(unsigned char c) {
  if (c >= 0xF0 && c <= 0xF4) return 4;
  if (c >= 0xE0) return c <= 0xEF ? 3 : 1;
  if (c >= 0xC2) return 2;
  return 1;
}

bool IsLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

constexpr size_t kMaxPieceBytes = 12;

}  // namespace

std::vector<std::pair<uint32_t, uint32_t>> SplitWords(std::string_view text) {
  std::vector<std::pair<uint32_t, uint32_t>> words;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    size_t j = i + std::min(CharLength(c), text.size() - i);
    if (IsLetter(c) || c >= 0x80) {
      while (j < text.size()) {
        const auto d = static_cast<unsigned char>(text[j]);
        if (!IsLetter(d) && d < 0x80) break;
        j += std::min(CharLength(d), text.size() - j);
      }
    }
    words.emplace_back(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
    i = j;
  }
  return words;
}

Tokenizer::Tokenizer(std::vector<std::string> pieces) : pieces_(std::move(pieces)) {
  for (size_t i = 0; i < pieces_.size(); ++i) {
    ids_.emplace(pieces_[i], static_cast<int>(i));
    const size_t len = pieces_[i].rfind("##", 0) == 0 ? pieces_[i].size() - 2 : pieces_[i].size();
    longest_ = std::max(longest_, len);
  }
}

std::unique_ptr<Tokenizer> Tokenizer::Train(const std::vector<std::string>& sentences,
                                            int vocab_size) {
  std::map<std::string, uint64_t> words;  // ordered: the result is deterministic
  for (const std::string& s : sentences) {
    for (auto [b, e] : SplitWords(s)) words[s.substr(b, e - b)]++;
  }
  // Characters first (as a word start and as a continuation), then pieces
  // scored by the bytes they would cover: count x (length - 1).
  std::vector<std::string> pieces = {"[UNK]"};
  std::map<std::string, uint64_t> score;
  std::vector<std::string> chars;
  for (const auto& [w, count] : words) {
    for (size_t i = 0; i < w.size();) {
      const size_t n = std::min(CharLength(static_cast<unsigned char>(w[i])), w.size() - i);
      const std::string ch = w.substr(i, n);
      chars.push_back(i == 0 ? ch : "##" + ch);
      // Longer pieces end on a character boundary, never inside one.
      for (size_t len = n; i + len < w.size();) {
        len += std::min(CharLength(static_cast<unsigned char>(w[i + len])), w.size() - i - len);
        if (len > kMaxPieceBytes) break;
        const std::string piece = w.substr(i, len);
        score[i == 0 ? piece : "##" + piece] += count * (len - 1);
      }
      i += n;
    }
  }
  std::sort(chars.begin(), chars.end());
  chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
  pieces.insert(pieces.end(), chars.begin(), chars.end());
  std::vector<std::pair<uint64_t, std::string>> ranked;
  for (auto& [p, s] : score) {
    if (std::binary_search(chars.begin(), chars.end(), p)) continue;
    ranked.emplace_back(s, p);
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (const auto& [s, p] : ranked) {
    if (static_cast<int>(pieces.size()) >= vocab_size) break;
    pieces.push_back(p);
  }
  return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(pieces)));
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read the tokenizer vocabulary " + path);
  std::vector<std::string> pieces;
  for (std::string line; std::getline(in, line);) pieces.push_back(line);
  if (pieces.empty() || pieces[0] != "[UNK]") {
    return Status::Corruption(path + " is not an nldb tokenizer vocabulary");
  }
  return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(pieces)));
}

Status Tokenizer::Save(const std::string& path) const {
  std::ofstream out(path);
  for (const std::string& p : pieces_) out << p << "\n";
  out.close();
  if (!out) return Status::IOError("cannot write " + path);
  return Status::OK();
}

std::vector<Token> Tokenizer::Encode(std::string_view text) const {
  std::vector<Token> out;
  std::string key;
  for (auto [b, e] : SplitWords(text)) {
    uint32_t i = b;
    while (i < e) {
      int id = kUnk;
      uint32_t stop = i + std::min<uint32_t>(CharLength(static_cast<unsigned char>(text[i])), e - i);
      for (uint32_t len = std::min<uint32_t>(static_cast<uint32_t>(longest_), e - i); len > 0; --len) {
        key.assign(i == b ? "" : "##");
        key.append(text.substr(i, len));
        auto it = ids_.find(key);
        if (it != ids_.end()) {
          id = it->second;
          stop = i + len;
          break;
        }
      }
      out.push_back({id, i, stop});
      i = stop;
    }
  }
  return out;
}

}  // namespace nldb::text
