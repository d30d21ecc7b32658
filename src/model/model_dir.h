// Where the shipped models live: $NLDB_MODELS/NAME when that is set, else
// models/NAME under the source tree nldb was built from.
#pragma once

#include <string>

namespace nldb::model {

std::string DefaultModelDir(const std::string& name);

}  // namespace nldb::model
