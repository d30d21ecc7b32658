#include "model/train_reader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "agg/aggregate.h"
#include "eval/dataset.h"
#include "gen/generator.h"
#include "model/examples.h"
#include "model/reader_net.h"
#include "text/tokenizer.h"
#include "text/word_vectors.h"

namespace nldb::model {

namespace {

struct Featurized {
  Sequence seq;
  Target target;
};

// Examples from `dbs` generated databases of the given split, of sizes
// spread between min_facts and max_facts.
Result<std::vector<Example>> MakeExamples(gen::Split split, uint64_t seed, int dbs, int min_facts,
                                          int max_facts, double initials,
                                          const ExampleOptions& options) {
  constexpr int kSizes = 4;
  std::vector<std::unique_ptr<gen::Generator>> generators;
  for (int k = 0; k < kSizes; ++k) {
    gen::GenOptions o;
    o.seed = seed + k;
    o.templates = o.entities = split;
    o.initials = initials;
    o.facts = static_cast<uint64_t>(min_facts + (max_facts - min_facts) * k / (kSizes - 1));
    auto g = gen::Generator::Create(o);
    if (!g.ok()) return g.status();
    generators.push_back(std::move(*g));
  }
  std::vector<Example> out;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < dbs; ++i) {
    auto db = generators[i % kSizes]->Generate(static_cast<uint64_t>(i / kSizes));
    auto ex = ExamplesFromDatabase(db, options, rng);
    if (!ex.ok()) return ex.status();
    out.insert(out.end(), std::make_move_iterator(ex->begin()), std::make_move_iterator(ex->end()));
  }
  return out;
}

// Examples from every database of a WikiNLDB file, each cut `repeats` times.
Result<std::vector<Example>> RealExamples(const std::string& path, int repeats,
                                          const ExampleOptions& options, std::mt19937_64& rng) {
  std::vector<eval::DatabaseRecord> dbs;
  NLDB_RETURN_IF_ERROR(eval::ForEachDatabase(path, [&](eval::DatabaseRecord& db, const std::string&) {
    dbs.push_back(std::move(db));
    return Status::OK();
  }));
  std::vector<Example> out;
  for (int r = 0; r < repeats; ++r) {
    for (const auto& db : dbs) {
      auto ex = ExamplesFromDatabase(db, options, rng);
      if (!ex.ok()) return ex.status();
      out.insert(out.end(), std::make_move_iterator(ex->begin()), std::make_move_iterator(ex->end()));
    }
  }
  return out;
}

std::vector<Featurized> Featurize(const Featurizer& f, const std::vector<Example>& examples,
                                  int64_t* unplaceable) {
  std::vector<Featurized> out;
  out.reserve(examples.size());
  for (const Example& e : examples) {
    Sequence seq = f.Encode(e.question, e.facts);
    auto target = f.MakeTarget(seq, e.facts, e.derivation, QueryTypeIndex(e.type));
    if (!target) {
      ++*unplaceable;
      continue;
    }
    out.push_back({std::move(seq), *target});
  }
  return out;
}

// One epoch of batches: the shuffled examples, cut into pools of 64 batches,
// each pool sorted by length and cut into batches of `batch`, batches then
// shuffled. Padding per batch falls to a few tokens, so a step costs what its
// tokens cost (measured at batch 32 on 2 cores: 0.29 s a step before, 0.125 s after).
std::vector<std::vector<size_t>> BucketedBatches(const std::vector<Featurized>& data, int batch,
                                                 std::mt19937_64& rng) {
  std::vector<size_t> order(data.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  const size_t pool = static_cast<size_t>(batch) * 64;
  std::vector<std::vector<size_t>> batches;
  for (size_t start = 0; start < order.size(); start += pool) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(start);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + pool));
    std::stable_sort(first, last, [&](size_t a, size_t b) {
      return data[a].seq.piece.size() < data[b].seq.piece.size();
    });
    for (auto it = first; it < last; it += std::min<std::ptrdiff_t>(batch, last - it)) {
      batches.emplace_back(it, it + std::min<std::ptrdiff_t>(batch, last - it));
    }
  }
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

torch::Tensor Loss(const ReaderNetImpl::Out& o, const std::vector<const Featurized*>& batch) {
  const int64_t B = static_cast<int64_t>(batch.size());
  auto type = torch::empty({B}, torch::kLong), kind = torch::empty({B}, torch::kLong);
  auto spans = torch::zeros({B, 4}, torch::kLong);
  auto span_weight = torch::zeros({B, 4});
  for (int64_t i = 0; i < B; ++i) {
    const Target& t = batch[i]->target;
    type[i] = t.type;
    kind[i] = t.kind;
    if (t.kind == kSpan || t.kind == kPair || t.kind == kPairBothWays) {
      spans[i][0] = t.s1;
      spans[i][1] = t.e1;
      span_weight[i][0] = span_weight[i][1] = 1;
    }
    if (t.kind == kPair || t.kind == kPairBothWays) {
      spans[i][2] = t.s2;
      spans[i][3] = t.e2;
      span_weight[i][2] = span_weight[i][3] = 1;
    }
  }
  auto loss = torch::cross_entropy_loss(o.type, type) + torch::cross_entropy_loss(o.kind, kind);
  // Span losses: log-softmax over positions of each of the four score columns.
  auto logp = torch::log_softmax(o.span, 1);  // [B, T, 4]
  auto picked = logp.gather(1, spans.unsqueeze(1)).squeeze(1);  // [B, 4]
  picked = torch::where(span_weight > 0, picked, torch::zeros_like(picked));
  loss = loss - (picked * span_weight).sum() / span_weight.sum().clamp_min(1);
  return loss;
}

// Kind accuracy and exact derivation match on `dev`, per support set.
std::pair<double, double> DevScores(ReaderNet& net, const Featurizer& f,
                                    const std::vector<Example>& dev, int max_span) {
  torch::NoGradGuard no_grad;
  net->eval();
  int kind_ok = 0, exact = 0, n = 0;
  for (size_t start = 0; start < dev.size(); start += 64) {
    std::vector<Sequence> seqs;
    std::vector<const Sequence*> ptrs;
    const size_t stop = std::min(dev.size(), start + 64);
    for (size_t i = start; i < stop; ++i) seqs.push_back(f.Encode(dev[i].question, dev[i].facts));
    for (const auto& s : seqs) ptrs.push_back(&s);
    const Batch b = MakeBatch(ptrs, f.pad_id());
    const auto o = net->forward(b.piece, b.word, b.segment, b.shape, b.pad_mask, b.fact_mask);
    const auto kind = o.kind.argmax(1);
    const auto span = o.span.contiguous();
    const int64_t T = span.size(1);
    for (size_t i = start; i < stop; ++i) {
      const Example& e = dev[i];
      const auto k = static_cast<Kind>(kind[i - start].item<int64_t>());
      const std::string answer = DecodeAnswer(k, seqs[i - start], e.question, e.facts,
                                              span.data_ptr<float>() + (i - start) * T * 4, max_span);
      kind_ok += KindOf(e.derivation) == k;
      exact += agg::SameIntermediate(answer, e.derivation);
      ++n;
    }
  }
  net->train();
  return {n ? double(kind_ok) / n : 0, n ? double(exact) / n : 0};
}

}  // namespace

Result<TrainReport> TrainReader(const TrainOptions& o) {
  auto log = [&](const std::string& s) {
    if (o.log) o.log(s);
  };
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  NLDB_RETURN_IF_ERROR(o.config.Check());
  ReaderConfig config = o.config;
  // Everything is written into DIR.partial and moved into DIR at the end: a
  // run that stops early never leaves new weights beside an old config.
  auto made_work = FreshWorkDir(o.out_dir);
  if (!made_work.ok()) return made_work.status();
  const std::string work = *made_work;
  auto save = [&](ReaderNet& net) { return SaveNet(net, work + "/reader.pt"); };
  torch::manual_seed(o.seed);

  auto words = text::WordVectors::Load(text::DefaultWordVectorsPath());
  if (!words.ok()) return words.status();
  // A warm start takes the network, tokenizer and input features of the
  // reader in init_dir (not its calibration: config.json is written without it).
  SavedReader init;
  if (!o.init_dir.empty()) {
    auto loaded = LoadSavedReader(o.init_dir, **words);
    if (!loaded.ok()) return loaded.status();
    init = std::move(*loaded);
    config = init.config;
  }
  ExampleOptions train_options;
  train_options.negatives = o.negatives;
  std::unique_ptr<text::Synonyms> synonyms;
  if (o.paraphrase > 0) {
    auto loaded = text::Synonyms::Load(text::DefaultWordNetPath(), **words);
    if (!loaded.ok()) return loaded.status();
    synonyms = std::move(*loaded);
    train_options.synonyms = synonyms.get();
    train_options.paraphrase_rate = o.paraphrase;
  }
  // Rare GloVe words (rows 20,000 to 60,000; lowercase letters only) for
  // --unknown-words: words no training text holds, with vectors.
  std::vector<std::string> rare_words;
  if (o.unknown_words > 0) {
    for (int row = 20000; row < std::min(60000, (*words)->size()); ++row) {
      const std::string& w = (*words)->Word(row);
      if (w.size() >= 3 && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
        rare_words.push_back(w);
      }
    }
    train_options.unknown_words = &rare_words;
    train_options.unknown_rate = o.unknown_words;
  }
  std::unique_ptr<ssg::SupportSetGenerator> ssg;
  if (o.retrieved > 0) {
    auto loaded = ssg::SupportSetGenerator::Load(o.ssg_dir, **words);
    if (!loaded.ok()) return loaded.status();
    ssg = std::move(*loaded);
    train_options.ssg = ssg.get();
    train_options.retrieved = o.retrieved;
  }
  log("generating training data");
  auto made_train =
      MakeExamples(gen::Split::kTrain, o.seed, o.dbs, o.min_facts, o.max_facts, o.initials,
                   train_options);
  if (!made_train.ok()) return made_train.status();
  auto made_dev = MakeExamples(gen::Split::kHeldout, o.seed + 1, 40, o.min_facts, o.max_facts, 0, {});
  if (!made_dev.ok()) return made_dev.status();
  std::vector<Example> train = std::move(*made_train), dev = std::move(*made_dev);
  int64_t real_examples = 0;
  if (!o.real_data.empty()) {
    std::mt19937_64 rng(o.seed + 7);
    auto real = RealExamples(o.real_data, o.real_repeats, train_options, rng);
    if (!real.ok()) return real.status();
    real_examples = static_cast<int64_t>(real->size());
    log("mixing in " + std::to_string(real_examples) + " examples from " + o.real_data);
    train.insert(train.end(), std::make_move_iterator(real->begin()),
                 std::make_move_iterator(real->end()));
  }
  if (train.empty()) return Status::Corruption("the generator made no training examples");
  if (dev.size() > 2000) dev.resize(2000);

  std::unique_ptr<text::Tokenizer> tok = std::move(init.tokenizer);
  if (!tok) {
    log("building the tokenizer from " + std::to_string(train.size()) + " examples");
    std::vector<std::string> corpus;
    for (size_t i = 0; i < train.size(); i += 4) {
      corpus.push_back(train[i].question);
      corpus.insert(corpus.end(), train[i].facts.begin(), train[i].facts.end());
    }
    tok = text::Tokenizer::Train(corpus, o.vocab);
  }
  NLDB_RETURN_IF_ERROR(tok->Save(work + "/tokenizer.vocab"));
  Featurizer featurizer(*tok, **words, FeaturesOf(config));

  TrainReport report;
  std::vector<Featurized> data = Featurize(featurizer, train, &report.unplaceable);
  report.examples = static_cast<int64_t>(data.size());
  report.real_examples = real_examples;
  train.clear();
  train.shrink_to_fit();
  if (data.empty()) return Status::InvalidArgument("no training example could be placed");
  log("training on " + std::to_string(data.size()) + " examples (" +
      std::to_string(report.unplaceable) + " could not be placed)");

  ReaderNet net = !init.net.is_empty() ? init.net : ReaderNet(config, featurizer.vocab(), GloveTensor(**words));
  report.config = config;
  report.vocab = tok->vocab_size();
  for (const auto& p : net->parameters()) report.parameters += p.numel();
  torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(o.lr).weight_decay(0.01));
  std::mt19937_64 rng(o.seed);
  std::vector<std::vector<size_t>> batches;
  size_t next = 0;
  double running = 0;
  const int warmup = std::max(1, o.steps / 20);
  net->train();
  for (int step = 1; step <= o.steps; ++step) {
    const double lr = step < warmup ? o.lr * step / warmup
                                    : o.lr * std::max(0.05, 1.0 - double(step - warmup) / (o.steps - warmup));
    for (auto& group : opt.param_groups()) {
      static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    }
    std::vector<const Featurized*> batch;
    std::vector<const Sequence*> seqs;
    if (next == batches.size()) {
      batches = BucketedBatches(data, o.batch, rng);
      next = 0;
    }
    for (size_t i : batches[next++]) {
      batch.push_back(&data[i]);
      seqs.push_back(&batch.back()->seq);
    }
    Batch b = MakeBatch(seqs, featurizer.pad_id());
    if (o.token_dropout > 0) {
      // Hide some subword ids (not [CLS]/[SEP]/padding) so the reader leans on
      // word vectors and context rather than on the exact training wording.
      auto hide = (torch::rand(b.piece.sizes()) < o.token_dropout) &
                  b.piece.lt(tok->vocab_size()) & b.pad_mask.logical_not();
      b.piece.masked_fill_(hide, text::Tokenizer::kUnk);
    }
    const auto out = net->forward(b.piece, b.word, b.segment, b.shape, b.pad_mask, b.fact_mask);
    auto loss = Loss(out, batch);
    opt.zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(net->parameters(), 1.0);
    opt.step();
    running = step == 1 ? loss.item<double>() : 0.98 * running + 0.02 * loss.item<double>();
    report.steps = step;
    if (step % 100 == 0) {
      char buf[160];
      std::snprintf(buf, sizeof(buf), "step %d/%d loss %.4f lr %.2e %.0f s", step, o.steps, running,
                    lr, elapsed());
      log(buf);
    }
    if (step % 1000 == 0 || step == o.steps) {
      auto [kind_acc, exact] = DevScores(net, featurizer, dev, config.max_span);
      char buf[160];
      std::snprintf(buf, sizeof(buf), "step %d held-out: kind %.4f exact %.4f", step, kind_acc, exact);
      log(buf);
      report.dev_kind_accuracy = kind_acc;
      report.dev_exact = exact;
      NLDB_RETURN_IF_ERROR(save(net));
    }
    if (elapsed() > o.max_minutes * 60) {
      log("stopping at the time limit");
      break;
    }
  }
  auto [kind_acc, exact] = DevScores(net, featurizer, dev, config.max_span);
  report.dev_kind_accuracy = kind_acc;
  report.dev_exact = exact;
  NLDB_RETURN_IF_ERROR(save(net));
  NLDB_RETURN_IF_ERROR(InstallReader(work, o.out_dir, config));
  report.seconds = elapsed();
  return report;
}

}  // namespace nldb::model
