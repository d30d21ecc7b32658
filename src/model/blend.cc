#include "model/blend.h"

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
  if (NetworkJson(model->config) != NetworkJson(with->config)) {
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
  auto work = FreshWorkDir(o.out_dir);
  if (!work.ok()) return work.status();
  NLDB_RETURN_IF_ERROR(model->tokenizer->Save(*work + "/tokenizer.vocab"));
  NLDB_RETURN_IF_ERROR(SaveNet(model->net, *work + "/reader.pt"));
  return InstallReader(*work, o.out_dir, model->config);
}

}  // namespace nldb::model
