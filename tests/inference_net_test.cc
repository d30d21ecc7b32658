// The reader's inference path (model::InferenceNet) against the network it
// was trained as (ReaderNet::forward): the same outputs in float, and close
// ones in bfloat16. Includes libtorch, so it lives with the model tests.
#include <gtest/gtest.h>

#include "model/reader_net.h"

namespace nldb {
namespace {

// A padded batch: sequences of different lengths, some tokens in facts.
model::Batch RandomBatch(int64_t B, int64_t T, int vocab, int words, int shapes) {
  torch::manual_seed(7);
  model::Batch b;
  b.piece = torch::randint(vocab, {B, T}, torch::kLong);
  b.word = torch::randint(words, {B, T}, torch::kLong);
  b.segment = torch::randint(2, {B, T}, torch::kLong);
  b.shape = torch::randint(shapes, {B, T}, torch::kLong);
  auto lengths = torch::randint(T / 2, T + 1, {B, 1}, torch::kLong);
  b.pad_mask = torch::arange(T).unsqueeze(0) >= lengths;
  b.fact_mask = torch::arange(T).unsqueeze(0).ge(3) & b.pad_mask.logical_not();
  return b;
}

float MaxFiniteDifference(const torch::Tensor& a, const torch::Tensor& b) {
  const auto finite = torch::isfinite(a);
  EXPECT_TRUE(torch::equal(finite, torch::isfinite(b)));
  return (a.masked_select(finite) - b.masked_select(finite)).abs().max().item<float>();
}

TEST(InferenceNet, ComputesWhatTheTrainedNetworkComputes) {
  const model::ReaderConfig config{.dim = 64, .layers = 2, .heads = 4, .ff = 128, .max_len = 40,
                                   .word_match = true};
  const int vocab = 300, words = 50;
  model::ReaderNet net(config, vocab, torch::randn({words, 100}));
  net->eval();
  const model::Batch b = RandomBatch(5, 40, vocab, words, model::FeaturesOf(config).shapes());
  torch::NoGradGuard no_grad;
  const auto want = net->forward(b.piece, b.word, b.segment, b.shape, b.pad_mask, b.fact_mask);

  const auto fp32 = model::InferenceNet(*net, torch::kFloat).forward(b);
  EXPECT_LT(MaxFiniteDifference(want.type, fp32.type), 1e-4);
  EXPECT_LT(MaxFiniteDifference(want.kind, fp32.kind), 1e-4);
  EXPECT_LT(MaxFiniteDifference(want.span, fp32.span), 1e-4);

  // bfloat16 keeps 8 bits of mantissa: close, not equal.
  const auto bf16 = model::InferenceNet(*net, torch::kBFloat16).forward(b);
  EXPECT_LT(MaxFiniteDifference(want.kind, bf16.kind), 0.1);
  EXPECT_LT(MaxFiniteDifference(want.span, bf16.span), 0.1);
  EXPECT_GT(MaxFiniteDifference(want.span, bf16.span), 0.f);  // it did run in bfloat16
}

// A pair's two parts are two things: when both parts score best on one span
// ("21.2%"), the pair takes the best two spans that do not overlap.
TEST(DecodeAnswer, APairIsTwoSpansThatDoNotOverlap) {
  const std::vector<std::string> facts = {"The jobless rate in Togo is 21.2%."};
  model::Sequence seq;
  seq.text = {-1, 0, 0, 0, 0, 0, 0, 0};  // [CLS] The jobless rate in Togo is 21.2%.
  seq.begin = {0, 0, 4, 12, 17, 20, 25, 28};
  seq.end = {0, 3, 11, 16, 19, 24, 27, 33};
  seq.piece.assign(seq.text.size(), 0);
  std::vector<float> span(seq.text.size() * 4, -10.0f);  // start1 end1 start2 end2 per token
  auto score = [&](int token, int part, float v) {
    span[token * 4 + 2 * part] = v;
    span[token * 4 + 2 * part + 1] = v;
  };
  score(7, 0, 5.0f);  // the first part likes "21.2%", then "Togo"
  score(5, 0, 4.0f);
  score(7, 1, 6.0f);  // the second part "21.2%"
  EXPECT_EQ(model::DecodeAnswer(model::kPair, seq, "", facts, span.data(), 8), "Togo [SEP] 21.2%");
  EXPECT_EQ(model::DecodeAnswer(model::kSpan, seq, "", facts, span.data(), 8), "21.2%");
  // With no fact token (the facts cut off by max_len) there is no answer,
  // not " [SEP] ".
  model::Sequence question_only;
  question_only.text = {-1, -1};
  question_only.begin = {0, 0};
  question_only.end = {0, 3};
  question_only.piece.assign(2, 0);
  for (const model::Kind kind : {model::kPair, model::kPairBothWays, model::kSpan}) {
    EXPECT_EQ(model::DecodeAnswer(kind, question_only, "Who?", facts, span.data(), 8), "");
  }
}

}  // namespace
}  // namespace nldb
