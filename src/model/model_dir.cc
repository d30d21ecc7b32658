#include "model/model_dir.h"

#include <cstdlib>

namespace nldb::model {

std::string DefaultModelDir(const std::string& name) {
  if (const char* env = std::getenv("NLDB_MODELS"); env && *env) return std::string(env) + "/" + name;
  return std::string(NLDB_SOURCE_DIR) + "/models/" + name;
}

}  // namespace nldb::model
