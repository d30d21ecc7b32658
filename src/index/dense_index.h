// DenseIndex: the facts nearest a question in meaning, by approximate nearest
// neighbours (hnswlib's HNSW graph, inner product of SentenceEncoder codes).
//
// It is derived data kept beside the store: every fact ever added, deleted or
// not (older versions still see deleted facts; searches filter by version),
// up to a mark, the highest fact id it has taken in. Files in the store's
// directory:
//   dense-G.hnsw  the graph of generation G (hnswlib's format)
//   dense.meta    JSON naming the current generation: its file, mark, size,
//                 checksum and the encoder's fingerprint
// Save writes a new generation and then replaces dense.meta atomically, so a
// reader loads a whole index or none; a missing, damaged or other-encoder
// index loads as empty, and the facts past its mark are added from the store.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nldb/database.h"
#include "text/sentence_encoder.h"

namespace nldb::index {

class DenseIndex {
 public:
  // The saved index in `dir` if it is whole and made by `encoder`, else an
  // empty one; `why` (if given) then says why the saved one was not used, or
  // is left empty when there was none.
  static std::unique_ptr<DenseIndex> Load(const std::string& dir,
                                          const text::SentenceEncoder& encoder,
                                          std::string* why = nullptr);
  // The mark in dir/dense.meta, or 0 when there is no readable one.
  static FactId SavedMark(const std::string& dir);
  // Checks that dir/dense.meta names a whole file made by `encoder`; OK when
  // there is no dense index at all.
  static Status Check(const std::string& dir, const text::SentenceEncoder& encoder);
  ~DenseIndex();

  FactId mark() const { return mark_; }
  size_t size() const;
  // Takes in `facts`, whose ids must all exceed the mark (ascending), in id
  // order (the same facts in the same calls give the same graph); facts with
  // no word vector are counted in the mark only.
  void Add(const std::vector<Fact>& facts);
  // Up to `k` fact ids nearest to `text`, nearest first, with their cosine.
  std::vector<std::pair<FactId, float>> Search(std::string_view text, size_t k) const;
  // Writes a new generation into `dir` (one writer at a time).
  Status Save(const std::string& dir);

 private:
  struct Graph;
  explicit DenseIndex(const text::SentenceEncoder& encoder);

  const text::SentenceEncoder& encoder_;
  std::unique_ptr<Graph> graph_;
  FactId mark_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace nldb::index
