#include "model/features.h"
#include "model/reader.h"
#include "spj/spj.h"

namespace nldb::spj {

namespace {
class ModelSpj final : public SpjOperator {
 public:
  explicit ModelSpj(std::unique_ptr<model::Reader> reader) : reader_(std::move(reader)) {}
  std::vector<SpjOutput> Run(const std::string& question,
                             const std::vector<std::vector<std::string>>& sets) override {
    std::vector<SpjOutput> out;
    for (const model::ReadOutput& r : reader_->Read(question, sets)) {
      out.push_back({model::QueryTypeName(r.type), r.answer, r.null_margin, r.best_answer});
    }
    return out;
  }
  SetsToRead Reads() const override {
    const model::ReaderConfig& c = reader_->config();
    return {c.min_set_score, c.always_read, c.most_read};
  }
  double Flops(const std::string& question,
               const std::vector<std::vector<std::string>>& sets) const override {
    double flops = 0;
    for (const auto& facts : sets) {
      flops += reader_->FlopsPerSequence(reader_->SequenceLength(question, facts));
    }
    return flops;
  }

 private:
  std::unique_ptr<model::Reader> reader_;
};
}  // namespace

Result<std::unique_ptr<SpjOperator>> OpenModelSpj(const std::string& model_dir) {
  auto reader = model::Reader::Load(model_dir);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<SpjOperator>(new ModelSpj(std::move(*reader)));
}

}  // namespace nldb::spj
