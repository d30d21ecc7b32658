// Files replaced whole: a reader of the path sees the old content or the new,
// never a part, and a failed write leaves the old file in place.
#pragma once

#include <string>
#include <string_view>

#include "nldb/status.h"

namespace nldb::storage {

// fsync of a file or a directory.
Status SyncFile(const std::string& path);

// Writes `content` to PATH.tmp, syncs it, renames it over `path` and syncs
// the directory. IOError naming the file when any step fails.
Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace nldb::storage
