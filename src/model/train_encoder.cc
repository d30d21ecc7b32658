#include "model/train_encoder.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>

#include "gen/generator.h"
#include "text/sentence_encoder.h"
#include "text/word_vectors.h"

namespace nldb::model {

namespace {

Result<std::vector<eval::DatabaseRecord>> Databases(gen::Split split, uint64_t seed, int count) {
  gen::GenOptions o;
  o.seed = seed;
  o.templates = o.entities = split;
  o.facts = 200;
  auto g = gen::Generator::Create(o);
  if (!g.ok()) return g.status();
  std::vector<eval::DatabaseRecord> out;
  for (int i = 0; i < count; ++i) out.push_back((*g)->Generate(static_cast<uint64_t>(i)));
  return out;
}

// Gold facts of `q` among the `k` facts (of those it sees) nearest to it.
EncoderRecall Recall(const text::SentenceEncoder& encoder,
                     const std::vector<eval::DatabaseRecord>& dbs) {
  EncoderRecall r;
  int n = 0;
  for (const auto& db : dbs) {
    std::vector<std::vector<float>> codes;
    for (const auto& f : db.facts) codes.push_back(encoder.Encode(f));
    for (const auto& q : db.queries) {
      std::set<uint32_t> gold;
      for (const auto& set : q.facts) gold.insert(set.begin(), set.end());
      const auto code = encoder.Encode(q.query);
      if (gold.empty()) continue;
      std::vector<std::pair<float, uint32_t>> ranked;
      const size_t visible = q.Sees(db.facts.size());
      for (uint32_t i = 0; i < visible; ++i) {
        float s = -2;
        if (!code.empty() && !codes[i].empty()) {
          s = 0;
          for (int d = 0; d < encoder.dims(); ++d) s += code[d] * codes[i][d];
        }
        ranked.push_back({-s, i});
      }
      std::sort(ranked.begin(), ranked.end());
      auto share = [&](size_t k) {
        size_t hit = 0;
        for (size_t i = 0; i < std::min(k, ranked.size()); ++i) hit += gold.count(ranked[i].second);
        return double(hit) / double(std::min(k, gold.size()));
      };
      r.at10 += share(10);
      r.at50 += share(50);
      ++n;
    }
  }
  if (n > 0) {
    r.at10 /= n;
    r.at50 /= n;
  }
  return r;
}

}  // namespace

Result<EncoderTrainReport> TrainEncoder(const EncoderTrainOptions& o) {
  auto log = [&](const std::string& s) {
    if (o.log) o.log(s);
  };
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) return Status::IOError("cannot create " + o.out_dir + ": " + ec.message());
  auto words = text::WordVectors::Load(text::DefaultWordVectorsPath());
  if (!words.ok()) return words.status();
  const int in = (*words)->dims();
  std::vector<float> identity(size_t(in) * in, 0.f);
  for (int i = 0; i < in; ++i) identity[size_t(i) * in + i] = 1.f;
  const text::SentenceEncoder mean_only(**words, in, identity);

  // Pairs: a question's mean vector and one of its gold facts'.
  log("generating training pairs");
  std::vector<float> qs, fs;
  std::vector<int64_t> owner;  // which question a pair comes from
  int64_t question = 0;
  auto train = Databases(gen::Split::kTrain, o.seed, o.dbs);
  if (!train.ok()) return train.status();
  for (const auto& db : *train) {
    for (const auto& q : db.queries) {
      const auto qv = mean_only.MeanVector(q.query);
      if (qv.empty()) continue;
      std::set<uint32_t> gold;
      for (const auto& set : q.facts) gold.insert(set.begin(), set.end());
      for (uint32_t f : gold) {
        const auto fv = mean_only.MeanVector(db.facts[f]);
        if (fv.empty()) continue;
        qs.insert(qs.end(), qv.begin(), qv.end());
        fs.insert(fs.end(), fv.begin(), fv.end());
        owner.push_back(question);
      }
      ++question;
    }
  }
  const int64_t n = static_cast<int64_t>(owner.size());
  if (n < o.batch) return Status::Corruption("the generator made too few question-fact pairs");
  EncoderTrainReport report;
  report.pairs = n;
  log("training on " + std::to_string(n) + " question-fact pairs");

  torch::manual_seed(o.seed);
  auto Q = torch::from_blob(qs.data(), {n, in}).clone();
  auto F = torch::from_blob(fs.data(), {n, in}).clone();
  auto owners = torch::from_blob(owner.data(), {n}, torch::kLong).clone();
  auto P = torch::empty({o.dims, in});
  torch::nn::init::orthogonal_(P);
  P.set_requires_grad(true);
  torch::optim::Adam opt({P}, torch::optim::AdamOptions(o.lr));
  for (int step = 1; step <= o.steps; ++step) {
    auto pick = torch::randint(n, {o.batch}, torch::kLong);
    auto zq = torch::nn::functional::normalize(Q.index_select(0, pick).matmul(P.t()),
                                               torch::nn::functional::NormalizeFuncOptions().dim(1));
    auto zf = torch::nn::functional::normalize(F.index_select(0, pick).matmul(P.t()),
                                               torch::nn::functional::NormalizeFuncOptions().dim(1));
    auto logits = zq.matmul(zf.t()) / o.temperature;
    // Another pair of the same question is not a negative.
    auto who = owners.index_select(0, pick);
    auto same = who.unsqueeze(1).eq(who.unsqueeze(0)) &
                torch::eye(o.batch, torch::kBool).logical_not();
    logits = logits.masked_fill(same, -1e9);
    auto target = torch::arange(o.batch, torch::kLong);
    auto loss = (torch::cross_entropy_loss(logits, target) +
                 torch::cross_entropy_loss(logits.t(), target)) / 2;
    opt.zero_grad();
    loss.backward();
    opt.step();
    report.steps = step;
    if (step % 100 == 0) log("step " + std::to_string(step) + " loss " + std::to_string(loss.item<double>()));
  }

  auto p = P.detach().contiguous();
  const text::SentenceEncoder trained(**words, o.dims,
                                      std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.numel()));
  NLDB_RETURN_IF_ERROR(trained.Save(o.out_dir));
  auto dev = Databases(gen::Split::kHeldout, o.seed + 1000, o.dev_dbs);
  if (!dev.ok()) return dev.status();
  report.trained = Recall(trained, *dev);
  report.untrained = Recall(mean_only, *dev);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace nldb::model
