// ReaderNet: the reader's network (libtorch). Included only by src/model/*.cc.
//
// Embeddings (subword + projected frozen GloVe of the token's word + segment
// + shape + position) -> transformer encoder -> heads on [CLS] for the query
// type and the answer kind, and per-token start/end scores for two spans.
#pragma once

#include <torch/torch.h>

#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/features.h"
#include "model/reader.h"

namespace nldb::model {

struct ReaderNetImpl : torch::nn::Module {
  ReaderNetImpl(const ReaderConfig& config, int vocab, torch::Tensor glove);

  struct Out {
    torch::Tensor type;  // [B, kQueryTypes]
    torch::Tensor kind;  // [B, kKinds]
    torch::Tensor span;  // [B, T, 4]: start1, end1, start2, end2; -inf off the facts
  };
  Out forward(const torch::Tensor& piece, const torch::Tensor& word, const torch::Tensor& segment,
              const torch::Tensor& shape, const torch::Tensor& pad_mask,
              const torch::Tensor& fact_mask);
  // The two ends of forward: the normalised input embeddings [B, T, D], and
  // the heads over the encoder's output.
  torch::Tensor Embed(const torch::Tensor& piece, const torch::Tensor& word,
                      const torch::Tensor& segment, const torch::Tensor& shape);
  Out Heads(const torch::Tensor& h, const torch::Tensor& fact_mask);

  torch::nn::Embedding piece_emb{nullptr}, segment_emb{nullptr}, shape_emb{nullptr},
      position_emb{nullptr};
  torch::nn::Linear glove_proj{nullptr}, type_head{nullptr}, kind_head{nullptr},
      span_head{nullptr};
  torch::nn::LayerNorm norm{nullptr};
  torch::nn::TransformerEncoder encoder{nullptr};
  torch::Tensor glove;  // [words + 1, 100], row 0 zero; frozen and not saved
};
TORCH_MODULE(ReaderNet);

// Padded tensors for a batch of sequences.
struct Batch {
  torch::Tensor piece, word, segment, shape, pad_mask, fact_mask;
};
Batch MakeBatch(const std::vector<const Sequence*>& seqs, int pad_id);

// A trained ReaderNet for inference only, written out layer by layer so that
// its matrix products can run in `dtype`: bfloat16 halves their cost on CPUs
// with bf16 instructions (oneDNN). Softmax, layer norms and sums stay float.
// In float it computes what ReaderNet::forward computes in eval mode.
class InferenceNet {
 public:
  InferenceNet(ReaderNetImpl& net, torch::ScalarType dtype);
  ReaderNetImpl::Out forward(const Batch& b) const;

 private:
  struct Linear {
    torch::Tensor weight, bias;
  };
  struct Layer {
    Linear in_proj, out_proj, ff1, ff2;
    torch::Tensor norm1_w, norm1_b, norm2_w, norm2_b;
    double eps1 = 1e-5, eps2 = 1e-5;
  };

  ReaderNetImpl& net_;  // embeddings and heads
  torch::ScalarType dtype_;
  int64_t heads_;
  std::vector<Layer> layers_;
};

// A reader saved in a model directory: config.json, tokenizer.vocab and
// reader.pt. NotFound when `dir` holds no config.json; Corruption when the
// files disagree with each other or with `words`.
struct SavedReader {
  ReaderConfig config;
  std::unique_ptr<text::Tokenizer> tokenizer;
  ReaderNet net{nullptr};
};
Result<SavedReader> LoadSavedReader(const std::string& dir, const text::WordVectors& words);

// A reader's network and input features as config.json gives them (no
// calibration): two readers with equal ones can read each other's weights.
nlohmann::ordered_json NetworkJson(const ReaderConfig& config);

// OUT_DIR.partial, emptied and created: where a new reader's files are
// written before InstallReader moves them into out_dir.
Result<std::string> FreshWorkDir(const std::string& out_dir);

// torch::save of `net` to `path`, an IOError when it cannot be written.
Status SaveNet(ReaderNet& net, const std::string& path);

// Writes config.json (NetworkJson) into `work`, then moves tokenizer.vocab, reader.pt and
// config.json from `work` into `out_dir`, config.json last, and removes
// `work`; out_dir's old manifest.json (which describes another network) goes
// first. A run that stops before it leaves out_dir as it was.
Status InstallReader(const std::string& work, const std::string& out_dir, const ReaderConfig& config);

// The featurizer options a reader configuration asks for.
FeatureOptions FeaturesOf(const ReaderConfig& config);

// The GloVe matrix as a tensor with a zero row 0 for "no vector".
torch::Tensor GloveTensor(const text::WordVectors& words);

// A span [s, e] of a sequence and its start + end score; s < 0: none.
struct SpanChoice {
  int s = -1, e = -1;
  float score = -std::numeric_limits<float>::infinity();
};

// Best span within one fact of `facts` for start/end score rows of one
// sequence, among those that CanBeOneAnswer and do not overlap `avoid`.
SpanChoice BestSpan(const Sequence& seq, const std::vector<std::string>& facts,
                    const float* start, const float* end, int stride, int max_span,
                    SpanChoice avoid = {});

// The answer of `kind` that one sequence's span scores (`span`: its [T, 4]
// row-major start1/end1/start2/end2 scores) read out of `facts`; "" when a
// part has no span (no fact token in the sequence).
std::string DecodeAnswer(Kind kind, const Sequence& seq, std::string_view question,
                         const std::vector<std::string>& facts, const float* span, int max_span);

}  // namespace nldb::model
