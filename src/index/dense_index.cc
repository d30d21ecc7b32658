#include "index/dense_index.h"

#include <hnswlib/hnswlib.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <queue>
#include <thread>

#include "storage/atomic_file.h"

namespace nldb::index {

namespace {

constexpr size_t kLinks = 16;          // HNSW M
constexpr size_t kBuildBreadth = 64;   // ef_construction
// Below this many facts a search compares every code (under a millisecond):
// exact, and immune to the poor reach HNSW has among many identical codes.
constexpr size_t kExactBelow = 20000;
constexpr size_t kSearchBreadth = 200; // ef at search time (at least k): recall@50 0.994 of exact at 100k facts, 0.2 ms

// The graph takes the facts of each Add in id order. Past kGroupsFrom nodes
// it takes them kGroup at a time: the group's neighbour searches run on two
// threads against the graph as it stood before the group (reads only), then
// its nodes are linked one at a time in id order, each also offered the
// group's earlier nodes as neighbours. Levels are drawn from hnswlib's
// generator in id order, as its addPoint draws them. So the same facts added
// in the same calls make the same graph; the searches, three quarters of
// addPoint's time, take half as long.
constexpr size_t kGroupsFrom = 4096;
constexpr size_t kGroup = 128;

// Calls work(i) for every i in [0, n): the odd ones on a second thread.
void OnTwoThreads(size_t n, const std::function<void(size_t)>& work) {
  std::thread other([&] {
    for (size_t i = 1; i < n; i += 2) work(i);
  });
  for (size_t i = 0; i < n; i += 2) work(i);
  other.join();
}

using Hnsw = hnswlib::HierarchicalNSW<float>;
using Found = std::priority_queue<std::pair<float, hnswlib::tableint>,
                                  std::vector<std::pair<float, hnswlib::tableint>>,
                                  Hnsw::CompareByFirst>;

struct Node {
  const float* code;
  hnswlib::labeltype label;
  hnswlib::tableint id = 0;
  int level = 0;
  std::vector<Found> found;  // by level: the candidates the search found
};

// A node for `n` as hnswlib's addPoint makes one, not yet linked.
void Claim(Hnsw& h, Node& n) {
  n.level = h.getRandomLevel(h.mult_);
  n.id = static_cast<hnswlib::tableint>(h.cur_element_count++);
  h.label_lookup_[n.label] = n.id;
  h.element_levels_[n.id] = n.level;
  std::memset(h.data_level0_memory_ + n.id * h.size_data_per_element_ + h.offsetLevel0_, 0,
              h.size_data_per_element_);
  std::memcpy(h.getExternalLabeLp(n.id), &n.label, sizeof(hnswlib::labeltype));
  std::memcpy(h.getDataByInternalId(n.id), n.code, h.data_size_);
  if (n.level > 0) {
    const size_t bytes = h.size_links_per_element_ * n.level + 1;
    h.linkLists_[n.id] = static_cast<char*>(std::malloc(bytes));
    if (!h.linkLists_[n.id]) throw std::bad_alloc();
    std::memset(h.linkLists_[n.id], 0, bytes);
  }
}

// addPoint's search for `n`'s neighbours, from the entry point down (reads
// the graph only; the group's nodes are not reachable yet).
void Search(Hnsw& h, Node& n, hnswlib::tableint entry, int top) {
  hnswlib::tableint at = entry;
  float best = h.fstdistfunc_(n.code, h.getDataByInternalId(at), h.dist_func_param_);
  for (int level = top; level > n.level; --level) {
    for (bool moved = true; moved;) {
      moved = false;
      unsigned int* list = h.get_linklist(at, level);
      const auto* next = reinterpret_cast<const hnswlib::tableint*>(list + 1);
      for (int i = 0; i < h.getListCount(list); ++i) {
        const float d = h.fstdistfunc_(n.code, h.getDataByInternalId(next[i]), h.dist_func_param_);
        if (d < best) best = d, at = next[i], moved = true;
      }
    }
  }
  n.found.assign(std::min(n.level, top) + 1, Found());
  for (int level = std::min(n.level, top); level >= 0; --level) {
    Found& f = n.found[level];
    f = h.searchBaseLayer(at, n.code, level);
    if (h.isMarkedDeleted(entry)) {
      f.emplace(h.fstdistfunc_(n.code, h.getDataByInternalId(entry), h.dist_func_param_), entry);
      if (f.size() > h.ef_construction_) f.pop();
    }
    for (Found copy = f; !copy.empty(); copy.pop()) at = copy.top().second;  // the nearest
  }
}

// Inserts `nodes` (new labels, in id order) as one group and empties it.
void InsertGroup(Hnsw& h, std::vector<Node>& nodes) {
  if (nodes.empty()) return;
  for (Node& n : nodes) Claim(h, n);
  const hnswlib::tableint entry = h.enterpoint_node_;
  const int top = h.maxlevel_;
  OnTwoThreads(nodes.size(), [&](size_t i) { Search(h, nodes[i], entry, top); });
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = nodes[i];
    for (int level = std::min(n.level, h.maxlevel_); level >= 0; --level) {
      Found f = level < static_cast<int>(n.found.size()) ? std::move(n.found[level]) : Found();
      for (size_t j = 0; j < i; ++j) {
        if (nodes[j].level < level) continue;
        f.emplace(h.fstdistfunc_(n.code, nodes[j].code, h.dist_func_param_), nodes[j].id);
        if (f.size() > h.ef_construction_) f.pop();
      }
      if (!f.empty()) h.mutuallyConnectNewElement(n.code, n.id, f, level, false);
    }
    if (n.level > h.maxlevel_) h.enterpoint_node_ = n.id, h.maxlevel_ = n.level;
  }
  nodes.clear();
}

std::string MetaPath(const std::string& dir) { return dir + "/dense.meta"; }
std::string GraphFile(uint64_t generation) {
  return "dense-" + std::to_string(generation) + ".hnsw";
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Meta {
  uint64_t generation = 0, bytes = 0, checksum = 0, fingerprint = 0;
  FactId mark = 0;
  std::string file;
};

Result<Meta> ReadMeta(const std::string& dir) {
  auto text = ReadFile(MetaPath(dir));
  if (!text.ok()) return text.status();
  try {
    const auto j = nlohmann::json::parse(*text);
    Meta m{j.at("generation").get<uint64_t>(), j.at("bytes").get<uint64_t>(),
           j.at("checksum").get<uint64_t>(),   j.at("fingerprint").get<uint64_t>(),
           j.at("mark").get<FactId>(),         j.at("file").get<std::string>()};
    if (m.file != GraphFile(m.generation)) return Status::Corruption("names another file");
    return m;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("is not valid: ") + e.what());
  }
}

struct FileSum {
  uint64_t bytes = 0, checksum = 0;
};

// The size and checksum of a file, read in 1 MiB pieces (each piece's
// checksum seeds the next), so a large graph is never held twice.
Result<FileSum> SumFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  FileSum sum;
  std::vector<char> piece(1 << 20);
  while (in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    sum.checksum = text::Checksum64(piece.data(), got, sum.checksum);
    sum.bytes += got;
  }
  return sum;
}

// Checks that the graph file `meta` names is whole.
Status CheckGraph(const std::string& dir, const Meta& meta) {
  auto sum = SumFile(dir + "/" + meta.file);
  if (!sum.ok()) return sum.status();
  if (sum->bytes != meta.bytes || sum->checksum != meta.checksum) {
    return Status::Corruption(meta.file + " does not match its checksum");
  }
  return Status::OK();
}

// Reads one header field of a graph file into `field`.
template <typename T>
void ReadField(std::FILE* f, T& field) {
  if (std::fread(&field, sizeof(T), 1, f) != 1) throw std::runtime_error("the file ends early");
}

// What hnswlib's loadIndex does, from the file its saveIndex writes, but
// reading it straight through: loadIndex first walks the file asking the
// stream its position twice a fact (two lseek calls each, 4 s of a first
// question at a million facts), and leaves the count of deleted elements
// unset, so searches took the slower path that checks for deletions.
// Throws std::runtime_error for a file that is not a whole graph.
void LoadGraph(const std::string& path, hnswlib::HierarchicalNSW<float>& h) {
  using Graph = hnswlib::HierarchicalNSW<float>;
  // What the destructor frees, empty until filled (the constructor this
  // starts from leaves them unset).
  h.data_level0_memory_ = nullptr;
  h.linkLists_ = nullptr;
  h.visited_list_pool_ = nullptr;
  h.cur_element_count = 0;
  h.num_deleted_ = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) throw std::runtime_error("cannot open it");
  std::FILE* f = file.get();
  size_t count = 0;
  ReadField(f, h.offsetLevel0_);
  ReadField(f, h.max_elements_);
  ReadField(f, count);
  ReadField(f, h.size_data_per_element_);
  ReadField(f, h.label_offset_);
  ReadField(f, h.offsetData_);
  ReadField(f, h.maxlevel_);
  ReadField(f, h.enterpoint_node_);
  ReadField(f, h.maxM_);
  ReadField(f, h.maxM0_);
  ReadField(f, h.M_);
  ReadField(f, h.mult_);
  ReadField(f, h.ef_construction_);
  h.size_links_per_element_ = h.maxM_ * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint);
  h.size_links_level0_ = h.maxM0_ * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint);
  if (h.size_data_per_element_ != h.size_links_level0_ + h.data_size_ + sizeof(hnswlib::labeltype) ||
      h.maxM_ == 0 || count > h.max_elements_ || h.max_elements_ > (size_t{1} << 40)) {
    throw std::runtime_error("its header is not this index's");
  }
  const size_t max_elements = h.max_elements_;
  h.data_level0_memory_ = static_cast<char*>(std::malloc(max_elements * h.size_data_per_element_));
  h.linkLists_ = static_cast<char**>(std::calloc(max_elements, sizeof(void*)));
  if (!h.data_level0_memory_ || !h.linkLists_) throw std::runtime_error("no memory for it");
  if (count > 0 && std::fread(h.data_level0_memory_, h.size_data_per_element_, count, f) != count) {
    throw std::runtime_error("the file ends early");
  }
  std::vector<std::mutex>(max_elements).swap(h.link_list_locks_);
  std::vector<std::mutex>(Graph::max_update_element_locks).swap(h.link_list_update_locks_);
  h.visited_list_pool_ = new hnswlib::VisitedListPool(1, max_elements);
  h.element_levels_ = std::vector<int>(max_elements);
  h.cur_element_count = count;  // the destructor frees the link lists of levels above 0
  h.revSize_ = 1.0 / h.mult_;
  h.ef_ = 10;
  h.label_lookup_.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const auto id = static_cast<hnswlib::tableint>(i);
    h.label_lookup_[h.getExternalLabel(id)] = id;
    unsigned int size = 0;
    ReadField(f, size);
    if (size % h.size_links_per_element_ != 0) throw std::runtime_error("a link list is damaged");
    if (size == 0) continue;
    h.linkLists_[i] = static_cast<char*>(std::malloc(size));
    if (!h.linkLists_[i]) throw std::runtime_error("no memory for it");
    h.element_levels_[i] = static_cast<int>(size / h.size_links_per_element_);
    if (std::fread(h.linkLists_[i], size, 1, f) != 1) throw std::runtime_error("the file ends early");
  }
  if (std::fgetc(f) != EOF) throw std::runtime_error("it goes on past the graph");
  for (size_t i = 0; i < count; ++i) h.num_deleted_ += h.isMarkedDeleted(static_cast<hnswlib::tableint>(i));
}

}  // namespace

struct DenseIndex::Graph {
  explicit Graph(int dims) : space(dims) {}
  hnswlib::InnerProductSpace space;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> hnsw;
};

DenseIndex::DenseIndex(const text::SentenceEncoder& encoder)
    : encoder_(encoder), graph_(std::make_unique<Graph>(encoder.dims())) {
  graph_->hnsw = std::make_unique<hnswlib::HierarchicalNSW<float>>(&graph_->space, 1024, kLinks,
                                                                   kBuildBreadth);
}

DenseIndex::~DenseIndex() = default;

std::unique_ptr<DenseIndex> DenseIndex::Load(const std::string& dir,
                                             const text::SentenceEncoder& encoder,
                                             std::string* why) {
  std::unique_ptr<DenseIndex> index(new DenseIndex(encoder));
  std::string problem;
  uint64_t generation = 0;  // the next save writes a newer one, whatever is read
  // A writer may replace the generation between reading the meta and the
  // graph; the second try then reads the new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto meta = ReadMeta(dir);
    if (!meta.ok()) {
      if (meta.status().code() != Status::Code::kNotFound) problem = "dense.meta " + meta.status().message();
      break;
    }
    generation = meta->generation;
    if (meta->fingerprint != encoder.Fingerprint()) {
      problem = "the dense index was made by another sentence encoder";
      break;
    }
    if (Status s = CheckGraph(dir, *meta); !s.ok()) {
      problem = s.message();
      continue;
    }
    try {
      auto loaded = std::make_unique<hnswlib::HierarchicalNSW<float>>(&index->graph_->space);
      loaded->data_size_ = index->graph_->space.get_data_size();
      loaded->fstdistfunc_ = index->graph_->space.get_dist_func();
      loaded->dist_func_param_ = index->graph_->space.get_dist_func_param();
      LoadGraph(dir + "/" + meta->file, *loaded);
      index->graph_->hnsw = std::move(loaded);
      index->mark_ = meta->mark;
      index->generation_ = meta->generation;
      problem.clear();
    } catch (const std::exception& e) {
      problem = meta->file + " cannot be read: " + e.what();
    }
    break;
  }
  if (!problem.empty()) index.reset(new DenseIndex(encoder));
  index->generation_ = generation;
  if (why) *why = problem;
  return index;
}

FactId DenseIndex::SavedMark(const std::string& dir) {
  auto meta = ReadMeta(dir);
  return meta.ok() ? meta->mark : 0;
}

Status DenseIndex::Check(const std::string& dir, const text::SentenceEncoder& encoder) {
  auto meta = ReadMeta(dir);
  if (!meta.ok()) {
    if (meta.status().code() == Status::Code::kNotFound) return Status::OK();
    return Status::Corruption("the dense index's dense.meta " + meta.status().message());
  }
  if (meta->fingerprint != encoder.Fingerprint()) {
    return Status::Corruption("the dense index was made by another sentence encoder");
  }
  if (Status s = CheckGraph(dir, *meta); !s.ok()) {
    return Status::Corruption("the dense index is damaged: " + s.message());
  }
  return Status::OK();
}

size_t DenseIndex::size() const { return graph_->hnsw->cur_element_count; }

void DenseIndex::Add(const std::vector<Fact>& facts) {
  if (facts.empty()) return;
  auto& hnsw = *graph_->hnsw;
  const size_t needed = hnsw.cur_element_count + facts.size();
  if (needed > hnsw.max_elements_) hnsw.resizeIndex(std::max(needed, hnsw.max_elements_ * 2));
  std::vector<std::vector<float>> codes(facts.size());
  OnTwoThreads(facts.size(), [&](size_t i) { codes[i] = encoder_.Encode(facts[i].text); });
  std::vector<Node> nodes;
  for (size_t i = 0; i < facts.size(); ++i) {
    const auto label = static_cast<hnswlib::labeltype>(facts[i].id);
    if (codes[i].empty()) continue;
    if (hnsw.label_lookup_.count(label) || hnsw.cur_element_count < kGroupsFrom) {
      InsertGroup(hnsw, nodes);
      hnsw.addPoint(codes[i].data(), label);
      continue;
    }
    nodes.push_back({codes[i].data(), label});
    if (nodes.size() == kGroup) InsertGroup(hnsw, nodes);
  }
  InsertGroup(hnsw, nodes);
  mark_ = std::max(mark_, facts.back().id);
}

std::vector<std::pair<FactId, float>> DenseIndex::Search(std::string_view text, size_t k) const {
  std::vector<std::pair<FactId, float>> out;
  const auto code = encoder_.Encode(text);
  if (code.empty() || k == 0 || size() == 0) return out;
  const auto& hnsw = *graph_->hnsw;
  if (size() < kExactBelow) {
    std::vector<std::pair<float, FactId>> all;
    for (hnswlib::tableint i = 0; i < hnsw.cur_element_count; ++i) {
      const float distance = hnsw.fstdistfunc_(code.data(), hnsw.getDataByInternalId(i),
                                               hnsw.dist_func_param_);
      all.push_back({distance, static_cast<FactId>(hnsw.getExternalLabel(i))});
    }
    k = std::min(k, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
    for (size_t i = 0; i < k; ++i) out.push_back({all[i].second, 1.f - all[i].first});
    return out;
  }
  graph_->hnsw->setEf(std::max(k, kSearchBreadth));
  auto found = graph_->hnsw->searchKnn(code.data(), k);
  out.resize(found.size());
  // The queue pops the farthest first; inner-product distance is 1 - cosine.
  for (size_t i = out.size(); i-- > 0; found.pop()) {
    out[i] = {static_cast<FactId>(found.top().second), 1.f - found.top().first};
  }
  return out;
}

Status DenseIndex::Save(const std::string& dir) {
  namespace fs = std::filesystem;
  const uint64_t generation = generation_ + 1;
  const std::string file = GraphFile(generation), path = dir + "/" + file;
  try {
    graph_->hnsw->saveIndex(path);
  } catch (const std::exception& e) {
    return Status::IOError("cannot write " + path + ": " + e.what());
  }
  NLDB_RETURN_IF_ERROR(storage::SyncFile(path));
  auto sum = SumFile(path);
  if (!sum.ok()) return sum.status();
  const nlohmann::json meta = {{"generation", generation},
                               {"file", file},
                               {"mark", mark_},
                               {"bytes", sum->bytes},
                               {"checksum", sum->checksum},
                               {"fingerprint", encoder_.Fingerprint()},
                               {"dims", encoder_.dims()}};
  NLDB_RETURN_IF_ERROR(storage::WriteFileAtomically(MetaPath(dir), meta.dump(2) + "\n"));
  std::error_code ec;
  // Older generations are no longer named; a reader holding one open keeps it.
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("dense-", 0) == 0 && name != file) fs::remove(entry.path(), ec);
  }
  generation_ = generation;
  return Status::OK();
}

}  // namespace nldb::index
