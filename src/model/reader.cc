#include "model/reader.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/read_threads.h"
#include "model/reader_net.h"
#include "model/type_cues.h"
#include "storage/atomic_file.h"
#include "text/tokenizer.h"
#include "text/word_vectors.h"

namespace nldb::model {

// ------------------------------------------------------------------ network

ReaderNetImpl::ReaderNetImpl(const ReaderConfig& c, int vocab, torch::Tensor glove_matrix)
    : glove(std::move(glove_matrix)) {
  piece_emb = register_module("piece_emb", torch::nn::Embedding(vocab, c.dim));
  segment_emb = register_module("segment_emb", torch::nn::Embedding(kMaxSegments, c.dim));
  shape_emb = register_module("shape_emb", torch::nn::Embedding(FeaturesOf(c).shapes(), c.dim));
  position_emb = register_module("position_emb", torch::nn::Embedding(c.max_len, c.dim));
  glove_proj = register_module("glove_proj", torch::nn::Linear(glove.size(1), c.dim));
  norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim})));
  encoder = register_module(
      "encoder",
      torch::nn::TransformerEncoder(torch::nn::TransformerEncoderOptions(
          torch::nn::TransformerEncoderLayerOptions(c.dim, c.heads)
              .dim_feedforward(c.ff)
              .dropout(0.1)
              .activation(torch::kGELU),
          c.layers)));
  type_head = register_module("type_head", torch::nn::Linear(c.dim, kQueryTypes));
  kind_head = register_module("kind_head", torch::nn::Linear(c.dim, FeaturesOf(c).kinds()));
  span_head = register_module("span_head", torch::nn::Linear(c.dim, 4));
}

ReaderNetImpl::Out ReaderNetImpl::forward(const torch::Tensor& piece, const torch::Tensor& word,
                                          const torch::Tensor& segment, const torch::Tensor& shape,
                                          const torch::Tensor& pad_mask,
                                          const torch::Tensor& fact_mask) {
  // The encoder is sequence-first: [T, B, D].
  auto x = Embed(piece, word, segment, shape).transpose(0, 1);
  return Heads(encoder(x, /*src_mask=*/torch::Tensor(), pad_mask).transpose(0, 1), fact_mask);
}

torch::Tensor ReaderNetImpl::Embed(const torch::Tensor& piece, const torch::Tensor& word,
                                   const torch::Tensor& segment, const torch::Tensor& shape) {
  const int64_t T = piece.size(1);
  auto positions = torch::arange(T, torch::kLong).unsqueeze(0);
  auto x = piece_emb(piece) + glove_proj(glove.index_select(0, word.reshape(-1)).view({piece.size(0), T, -1})) +
           segment_emb(segment) + shape_emb(shape) + position_emb(positions);
  return norm(x);
}

ReaderNetImpl::Out ReaderNetImpl::Heads(const torch::Tensor& h, const torch::Tensor& fact_mask) {
  auto cls = h.select(1, 0);
  auto span = span_head(h).masked_fill(fact_mask.logical_not().unsqueeze(-1),
                                       -std::numeric_limits<float>::infinity());
  return {type_head(cls), kind_head(cls), span};
}

InferenceNet::InferenceNet(ReaderNetImpl& net, torch::ScalarType dtype)
    : net_(net), dtype_(dtype) {
  torch::NoGradGuard no_grad;
  auto cast = [&](const torch::Tensor& t) { return t.detach().to(dtype_).contiguous(); };
  for (size_t i = 0; i < net.encoder->layers->size(); ++i) {
    auto& l = *net.encoder->layers->ptr(i)->as<torch::nn::TransformerEncoderLayerImpl>();
    heads_ = l.options.nhead();
    Layer out;
    out.in_proj = {cast(l.self_attn->in_proj_weight), cast(l.self_attn->in_proj_bias)};
    out.out_proj = {cast(l.self_attn->out_proj->weight), cast(l.self_attn->out_proj->bias)};
    out.ff1 = {cast(l.linear1->weight), cast(l.linear1->bias)};
    out.ff2 = {cast(l.linear2->weight), cast(l.linear2->bias)};
    out.norm1_w = l.norm1->weight.detach(), out.norm1_b = l.norm1->bias.detach();
    out.norm2_w = l.norm2->weight.detach(), out.norm2_b = l.norm2->bias.detach();
    out.eps1 = l.norm1->options.eps(), out.eps2 = l.norm2->options.eps();
    layers_.push_back(std::move(out));
  }
}

ReaderNetImpl::Out InferenceNet::forward(const Batch& b) const {
  torch::NoGradGuard no_grad;
  torch::Tensor x = net_.Embed(b.piece, b.word, b.segment, b.shape);  // [B, T, D]
  const int64_t B = x.size(0), T = x.size(1), D = x.size(2), H = heads_, Dh = D / H;
  // Padding keys get -inf before the softmax: [B, 1, 1, T].
  const auto key_mask = torch::zeros({B, 1, 1, T}).masked_fill(
      b.pad_mask.view({B, 1, 1, T}), -std::numeric_limits<float>::infinity());
  const double scale = 1.0 / std::sqrt(static_cast<double>(Dh));
  for (const Layer& l : layers_) {
    auto qkv = torch::linear(x.to(dtype_), l.in_proj.weight, l.in_proj.bias)
                   .view({B, T, 3, H, Dh})
                   .permute({2, 0, 3, 1, 4});  // [3, B, H, T, Dh]
    auto scores = torch::matmul(qkv[0] * scale, qkv[1].transpose(-2, -1)).to(torch::kFloat) + key_mask;
    auto mixed = torch::matmul(torch::softmax(scores, -1).to(dtype_), qkv[2]);  // [B, H, T, Dh]
    auto attn = torch::linear(mixed.transpose(1, 2).reshape({B, T, D}), l.out_proj.weight,
                              l.out_proj.bias).to(torch::kFloat);
    x = torch::layer_norm(x + attn, {D}, l.norm1_w, l.norm1_b, l.eps1);
    // The widest activation stays in dtype between the two products.
    auto inner = torch::gelu(torch::linear(x.to(dtype_), l.ff1.weight, l.ff1.bias));
    auto ff = torch::linear(inner, l.ff2.weight, l.ff2.bias).to(torch::kFloat);
    x = torch::layer_norm(x + ff, {D}, l.norm2_w, l.norm2_b, l.eps2);
  }
  return net_.Heads(x, b.fact_mask);
}

FeatureOptions FeaturesOf(const ReaderConfig& c) {
  return {.max_len = c.max_len,
          .word_match = c.word_match,
          .soft_match = c.soft_match,
          .unicode_capitals = c.unicode_capitals,
          .both_ways = c.both_ways};
}

Batch MakeBatch(const std::vector<const Sequence*>& seqs, int pad_id) {
  const int64_t B = static_cast<int64_t>(seqs.size());
  int64_t T = 1;
  for (const Sequence* s : seqs) T = std::max<int64_t>(T, static_cast<int64_t>(s->piece.size()));
  Batch b;
  b.piece = torch::full({B, T}, pad_id, torch::kLong);
  b.word = torch::zeros({B, T}, torch::kLong);
  b.segment = torch::zeros({B, T}, torch::kLong);
  b.shape = torch::zeros({B, T}, torch::kLong);
  b.pad_mask = torch::ones({B, T}, torch::kBool);
  b.fact_mask = torch::zeros({B, T}, torch::kBool);
  auto piece = b.piece.accessor<int64_t, 2>(), word = b.word.accessor<int64_t, 2>(),
       segment = b.segment.accessor<int64_t, 2>(), shape = b.shape.accessor<int64_t, 2>();
  auto pad = b.pad_mask.accessor<bool, 2>(), fact = b.fact_mask.accessor<bool, 2>();
  for (int64_t i = 0; i < B; ++i) {
    const Sequence& s = *seqs[i];
    for (size_t t = 0; t < s.piece.size(); ++t) {
      piece[i][t] = s.piece[t];
      word[i][t] = s.word[t];
      segment[i][t] = s.segment[t];
      shape[i][t] = s.shape[t];
      pad[i][t] = false;
      fact[i][t] = s.text[t] >= 0;
    }
  }
  return b;
}

torch::Tensor GloveTensor(const text::WordVectors& words) {
  auto m = torch::zeros({words.size() + 1, words.dims()});
  std::memcpy(m.data_ptr<float>() + words.dims(), words.matrix().data(),
              words.matrix().size() * sizeof(float));
  return m;
}

SpanChoice BestSpan(const Sequence& seq, const std::vector<std::string>& facts,
                    const float* start, const float* end, int stride, int max_span,
                    SpanChoice avoid) {
  SpanChoice best;
  const int n = static_cast<int>(seq.piece.size());
  for (int s = 0; s < n; ++s) {
    if (seq.text[s] < 0) continue;
    for (int e = s; e < n && e < s + max_span && seq.text[e] == seq.text[s]; ++e) {
      if (avoid.s >= 0 && s <= avoid.e && avoid.s <= e) continue;
      const float score = start[s * stride] + end[e * stride];
      if (score > best.score && CanBeOneAnswer(Featurizer::SpanText(seq, facts, s, e))) {
        best = {s, e, score};
      }
    }
  }
  return best;
}

std::string DecodeAnswer(Kind kind, const Sequence& seq, std::string_view question,
                         const std::vector<std::string>& facts, const float* span, int max_span) {
  auto text = [&](const SpanChoice& c) {
    return c.s < 0 ? std::string() : Featurizer::AnswerSpanText(seq, question, facts, c.s, c.e);
  };
  if (kind == kSpan) {
    return AnswerText(kind, text(BestSpan(seq, facts, span + 0, span + 1, 4, max_span)), "");
  }
  if (kind != kPair && kind != kPairBothWays) return AnswerText(kind, "", "");
  // A pair with a part missing (no fact token could hold it) is no answer.
  auto pair = [&](const SpanChoice& a, const SpanChoice& b) {
    const std::string x = text(a), y = text(b);
    return x.empty() || y.empty() ? std::string() : AnswerText(kind, x, y);
  };
  // The two parts of a pair are two things: the best pair of spans that do
  // not overlap, chosen from either part's best span.
  const SpanChoice first = BestSpan(seq, facts, span + 0, span + 1, 4, max_span);
  const SpanChoice second = BestSpan(seq, facts, span + 2, span + 3, 4, max_span);
  const SpanChoice second_after = BestSpan(seq, facts, span + 2, span + 3, 4, max_span, first);
  const SpanChoice first_after = BestSpan(seq, facts, span + 0, span + 1, 4, max_span, second);
  const float keep_first = first.score + second_after.score;
  const float keep_second = first_after.score + second.score;
  if (keep_first == -std::numeric_limits<float>::infinity() && keep_first == keep_second) {
    return pair(first, second);  // one name only: as read
  }
  if (keep_first >= keep_second) return pair(first, second_after);
  return pair(first_after, second);
}

// ------------------------------------------------------------------- Reader

// Support sets per forward pass, at most: the fewer, the closer their lengths
// and the less padding is computed. 50 sets read on two cores (bfloat16, one
// chunk a thread at a time): 28-29 / 24-26 / 25-29 / 29-33 ms in chunks of
// 4 / 8 / 13 / 26.
constexpr size_t kReadBatch = 8;

struct Reader::Impl {
  ReaderConfig config;
  std::unique_ptr<text::Tokenizer> tokenizer;
  std::shared_ptr<const text::WordVectors> words;  // shared with the rest of the process
  std::unique_ptr<Featurizer> featurizer;
  Precision precision = Precision::kFloat32;
  ReaderNet net{nullptr};
  std::unique_ptr<InferenceNet> inference;  // over net's weights
  std::unique_ptr<ReadThreads> threads;      // one a core
};

Precision FastestPrecision() {
  return __builtin_cpu_supports("avx512bf16") ? Precision::kBFloat16 : Precision::kFloat32;
}

const char* PrecisionName(Precision precision) {
  return precision == Precision::kBFloat16 ? "bfloat16" : "float32";
}

static torch::ScalarType ScalarTypeOf(Precision precision) {
  return precision == Precision::kBFloat16 ? torch::kBFloat16 : torch::kFloat;
}

Reader::Reader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Reader::~Reader() = default;

const ReaderConfig& Reader::config() const { return impl_->config; }
Precision Reader::precision() const { return impl_->precision; }

int64_t Reader::parameters() const {
  int64_t n = 0;
  for (const auto& p : impl_->net->parameters()) n += p.numel();
  return n;
}

double Reader::FlopsPerSequence(int tokens) const {
  const ReaderConfig& c = impl_->config;
  const double t = tokens, d = c.dim;
  // Per layer: Q, K, V and output projections (4 d^2), feed-forward (2 d ff)
  // per token, and attention scores and mixing (2 t d) per token.
  const double per_layer = t * (4 * d * d + 2 * d * c.ff) + 2 * t * t * d;
  const double embed = t * impl_->words->dims() * d;  // GloVe projection
  const double heads = t * d * 4 + d * (kQueryTypes + FeaturesOf(impl_->config).kinds());
  return 2 * (c.layers * per_layer + embed + heads);
}

int Reader::SequenceLength(const std::string& question, const std::vector<std::string>& facts) const {
  return static_cast<int>(impl_->featurizer->Encode(question, facts).piece.size());
}

double MeasureMatmulGflops(Precision precision) {
  torch::NoGradGuard no_grad;
  const auto type = ScalarTypeOf(precision);
  auto a = torch::randn({1024, 1024}).to(type), b = torch::randn({1024, 1024}).to(type);
  torch::mm(a, b);  // warm up
  const int reps = 20;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) torch::mm(a, b);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return reps * 2.0 * 1024 * 1024 * 1024 / s / 1e9;
}

Status ReaderConfig::Check() const {
  if (dim < 1 || layers < 1 || heads < 1 || ff < 1 || dim % heads != 0) {
    return Status::InvalidArgument("the network needs dim, layers, heads and ff of at least 1, "
                                   "and dim divisible by heads");
  }
  if (max_len < 8 || max_len > 4096 || max_span < 1) {
    return Status::InvalidArgument("max_len must be 8 to 4096 tokens and max_span at least 1");
  }
  return Status::OK();
}

float ReaderConfig::NullBias(int type, size_t sets) const {
  const auto n = static_cast<float>(std::max<size_t>(sets, 1));
  return null_bias[type] + null_bias_log_sets[type] * std::log(n);
}

Result<SavedReader> LoadSavedReader(const std::string& dir, const text::WordVectors& words) {
  SavedReader r;
  std::ifstream cf(dir + "/config.json");
  if (!cf) return Status::NotFound("there is no reader model in " + dir + " (no config.json)");
  try {
    const auto j = nlohmann::json::parse(cf);
    r.config.dim = j.at("dim");
    r.config.layers = j.at("layers");
    r.config.heads = j.at("heads");
    r.config.ff = j.at("ff");
    r.config.max_len = j.at("max_len");
    // Keys a config may lack keep ReaderConfig's defaults.
    r.config.max_span = j.value("max_span", r.config.max_span);
    r.config.min_set_score = j.value("min_set_score", r.config.min_set_score);
    r.config.always_read = j.value("always_read", r.config.always_read);
    r.config.most_read = j.value("most_read", r.config.most_read);
    r.config.word_match = j.value("word_match", r.config.word_match);
    r.config.soft_match = j.value("soft_match", r.config.soft_match);
    r.config.unicode_capitals = j.value("unicode_capitals", r.config.unicode_capitals);
    r.config.both_ways = j.value("both_ways", r.config.both_ways);
    for (auto [key, biases] : {std::pair{"null_bias", &r.config.null_bias},
                               std::pair{"null_bias_log_sets", &r.config.null_bias_log_sets}}) {
      if (!j.contains(key)) continue;
      const auto& by_type = j.at(key);
      for (const auto& [type, bias] : by_type.items()) {
        const int t = QueryTypeIndex(type);
        if (t < 0) {
          return Status::Corruption(dir + "/config.json: " + key + " names no query type " + type);
        }
        (*biases)[t] = bias.get<float>();
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(dir + "/config.json: " + e.what());
  }
  if (Status s = r.config.Check(); !s.ok()) {
    return Status::Corruption(dir + "/config.json: " + s.message());
  }
  auto tok = text::Tokenizer::Load(dir + "/tokenizer.vocab");
  if (!tok.ok()) return tok.status();
  r.tokenizer = std::move(*tok);
  const int vocab = Featurizer(*r.tokenizer, words, FeaturesOf(r.config)).vocab();
  // torch::load takes each saved tensor whatever its shape: compare them with
  // the network that config.json, the tokenizer and the word vectors make.
  std::vector<std::pair<std::string, std::vector<int64_t>>> shapes;
  try {
    r.net = ReaderNet(r.config, vocab, GloveTensor(words));
    for (const auto& p : r.net->named_parameters()) shapes.emplace_back(p.key(), p.value().sizes().vec());
    torch::load(r.net, dir + "/reader.pt");
  } catch (const c10::Error& e) {
    return Status::Corruption("cannot load " + dir + "/reader.pt: " + e.what_without_backtrace());
  }
  const auto loaded_parameters = r.net->named_parameters();
  for (const auto& [name, sizes] : shapes) {
    const torch::Tensor* loaded = loaded_parameters.find(name);
    if (!loaded || loaded->sizes().vec() != sizes) {
      return Status::Corruption(dir + "/reader.pt does not match config.json, tokenizer.vocab and "
                                "the word vectors (parameter " + name + ")");
    }
  }
  return r;
}

nlohmann::ordered_json NetworkJson(const ReaderConfig& config) {
  return {{"dim", config.dim},
          {"layers", config.layers},
          {"heads", config.heads},
          {"ff", config.ff},
          {"max_len", config.max_len},
          {"max_span", config.max_span},
          {"word_match", config.word_match},
          {"soft_match", config.soft_match},
          {"unicode_capitals", config.unicode_capitals},
          {"both_ways", config.both_ways}};
}

Result<std::string> FreshWorkDir(const std::string& out_dir) {
  const std::string work = out_dir + ".partial";
  std::error_code ec;
  std::filesystem::remove_all(work, ec);
  std::filesystem::create_directories(work, ec);
  if (ec) return Status::IOError("cannot create " + work + ": " + ec.message());
  return work;
}

Status SaveNet(ReaderNet& net, const std::string& path) {
  try {
    torch::save(net, path);
  } catch (const c10::Error& e) {
    return Status::IOError("cannot write " + path + ": " + e.what_without_backtrace());
  }
  return Status::OK();
}

Status InstallReader(const std::string& work, const std::string& out_dir, const ReaderConfig& config) {
  namespace fs = std::filesystem;
  NLDB_RETURN_IF_ERROR(
      storage::WriteFileAtomically(work + "/config.json", NetworkJson(config).dump(2) + "\n"));
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  fs::remove(out_dir + "/manifest.json", ec);
  for (const char* name : {"tokenizer.vocab", "reader.pt", "config.json"}) {
    fs::rename(work + "/" + name, out_dir + "/" + name, ec);
    if (ec) return Status::IOError("cannot move " + work + "/" + name + ": " + ec.message());
  }
  fs::remove(work, ec);
  return Status::OK();
}

Result<std::unique_ptr<Reader>> Reader::Load(const std::string& dir, Precision precision) {
  auto impl = std::make_unique<Impl>();
  impl->precision = precision;
  auto words = text::WordVectors::Shared(text::DefaultWordVectorsPath());
  if (!words.ok()) return words.status();
  impl->words = std::move(*words);
  auto saved = LoadSavedReader(dir, *impl->words);
  if (!saved.ok()) return saved.status();
  impl->config = saved->config;
  impl->tokenizer = std::move(saved->tokenizer);
  impl->net = saved->net;
  impl->featurizer =
      std::make_unique<Featurizer>(*impl->tokenizer, *impl->words, FeaturesOf(impl->config));
  impl->net->eval();
  impl->inference = std::make_unique<InferenceNet>(*impl->net, ScalarTypeOf(precision));
  impl->threads = std::make_unique<ReadThreads>(std::max(1u, std::thread::hardware_concurrency()));
  return std::unique_ptr<Reader>(new Reader(std::move(impl)));
}

std::vector<ReadOutput> Reader::Read(const std::string& question,
                                     const std::vector<std::vector<std::string>>& sets) const {
  std::vector<ReadOutput> out(sets.size());
  if (sets.empty()) return out;
  std::vector<Sequence> seqs;
  seqs.reserve(sets.size());
  for (const auto& facts : sets) seqs.push_back(impl_->featurizer->Encode(question, facts));
  // Read in chunks of similar length (shortest first), so that little padding
  // is computed and each chunk stays in cache: see kReadBatch.
  std::vector<size_t> order(sets.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return seqs[a].piece.size() < seqs[b].piece.size(); });
  struct Chunk {
    std::vector<size_t> sets;
    ReaderNetImpl::Out out;
    torch::Tensor type_logp;
  };
  // At most kReadBatch sets a chunk, and as many chunks as threads or a
  // multiple of them, so that every thread has about as much to read.
  const size_t threads = impl_->threads->size();
  const size_t parts = (order.size() + kReadBatch - 1) / kReadBatch;
  const size_t chunk_count = (parts + threads - 1) / threads * threads;
  const size_t chunk_size = (order.size() + chunk_count - 1) / chunk_count;
  std::vector<Chunk> chunks;
  for (size_t begin = 0; begin < order.size(); begin += chunk_size) {
    chunks.emplace_back().sets.assign(order.begin() + begin,
                                      order.begin() + std::min(order.size(), begin + chunk_size));
  }
  impl_->threads->ForEach(chunks.size(), [&](size_t k) {
    torch::NoGradGuard no_grad;
    Chunk& c = chunks[k];
    std::vector<const Sequence*> ptrs;
    for (size_t i : c.sets) ptrs.push_back(&seqs[i]);
    c.out = impl_->inference->forward(MakeBatch(ptrs, impl_->featurizer->pad_id()));
    c.type_logp = torch::log_softmax(c.out.type, 1);
  });
  torch::NoGradGuard no_grad;
  torch::Tensor type_sum = torch::zeros({kQueryTypes});
  for (const Chunk& c : chunks) type_sum += c.type_logp.sum(0);
  // One type for the question, among those its wording allows; each set's kind
  // among those the type allows.
  const uint8_t wording = TypesTheWordingAllows(question);
  for (int t = 0; t < kQueryTypes; ++t) {
    if (!(wording >> t & 1)) type_sum[t] = -std::numeric_limits<float>::infinity();
  }
  const int type = static_cast<int>(type_sum.argmax().item<int64_t>());
  std::vector<uint8_t> allow(FeaturesOf(impl_->config).kinds(), 0);  // indexed by Kind
  allow[kNull] = 1;
  if (type == QueryTypeIndex("bool")) {
    allow[kTrue] = allow[kFalse] = 1;
  } else if (type == QueryTypeIndex("argmin") || type == QueryTypeIndex("argmax")) {
    allow[kPair] = 1;
    if (impl_->config.both_ways) allow[kPairBothWays] = 1;
  } else {
    allow[kSpan] = 1;
  }
  const auto allowed = torch::tensor(std::vector<int64_t>(allow.begin(), allow.end())).to(torch::kBool);
  const float bias = impl_->config.NullBias(type, sets.size());
  auto not_null = allowed.clone();
  not_null.index_put_({kNull}, false);
  for (const Chunk& c : chunks) {
    // The best kind other than NULL, and the NULL score's margin over it.
    const auto best = c.out.kind.masked_fill(not_null.logical_not().unsqueeze(0),
                                             -std::numeric_limits<float>::infinity())
                          .max(1);
    const auto best_kind = std::get<1>(best).contiguous();
    const auto margin = (c.out.kind.select(1, kNull) - std::get<0>(best)).contiguous();
    const auto span = c.out.span.contiguous();
    const int64_t T = span.size(1);
    for (size_t j = 0; j < c.sets.size(); ++j) {
      const size_t i = c.sets[j];
      ReadOutput& o = out[i];
      o.type = type;
      o.null_margin = margin[j].item<float>();
      const auto k = static_cast<Kind>(best_kind[j].item<int64_t>());
      o.best_answer = DecodeAnswer(k, seqs[i], question, sets[i],
                                   span.data_ptr<float>() + j * T * 4, impl_->config.max_span);
      if (o.null_margin + bias <= 0) o.answer = o.best_answer;
    }
  }
  return out;
}

}  // namespace nldb::model
