#include "model/blend.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/reader_net.h"
#include "text/tokenizer.h"
#include "text/word_vectors.h"

namespace nldb::model {

namespace {

std::string FileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool SameNetwork(const ReaderConfig& a, const ReaderConfig& b) {
  return a.dim == b.dim && a.layers == b.layers && a.heads == b.heads && a.ff == b.ff &&
         a.max_len == b.max_len && a.max_span == b.max_span && a.word_match == b.word_match &&
         a.soft_match == b.soft_match && a.unicode_capitals == b.unicode_capitals &&
         a.both_ways == b.both_ways;
}

}  // namespace

Status BlendReaders(const BlendOptions& o) {
  if (!(o.weight >= 0 && o.weight <= 1)) {
    return Status::InvalidArgument("the blend weight must be between 0 and 1");
  }
  auto words = text::WordVectors::Load(text::DefaultWordVectorsPath());
  if (!words.ok()) return words.status();
  auto model = LoadSavedReader(o.model_dir, **words);
  if (!model.ok()) return model.status();
  auto with = LoadSavedReader(o.with_dir, **words);
  if (!with.ok()) return with.status();
  if (!SameNetwork(model->config, with->config)) {
    return Status::InvalidArgument(o.model_dir + " and " + o.with_dir +
                                   " are readers of different sizes or input features");
  }
  if (FileText(o.model_dir + "/tokenizer.vocab") != FileText(o.with_dir + "/tokenizer.vocab")) {
    return Status::InvalidArgument(o.model_dir + " and " + o.with_dir + " have different tokenizers");
  }
  {
    torch::NoGradGuard no_grad;
    const auto theirs = with->net->named_parameters();
    for (auto& p : model->net->named_parameters()) {
      p.value().mul_(1 - o.weight).add_(theirs[p.key()], o.weight);
    }
  }
  const std::string work = o.out_dir + ".partial";
  std::error_code ec;
  std::filesystem::remove_all(work, ec);
  std::filesystem::create_directories(work, ec);
  if (ec) return Status::IOError("cannot create " + work + ": " + ec.message());
  NLDB_RETURN_IF_ERROR(model->tokenizer->Save(work + "/tokenizer.vocab"));
  try {
    torch::save(model->net, work + "/reader.pt");
  } catch (const c10::Error& e) {
    return Status::IOError("cannot write " + work + "/reader.pt: " + e.what_without_backtrace());
  }
  return InstallReader(work, o.out_dir, model->config);
}

}  // namespace nldb::model
