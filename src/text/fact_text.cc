#include "text/fact_text.h"

#include "text/utf8.h"

namespace nldb::text {

namespace {
bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\v' && c != '\f') return false;
  }
  return true;
}
}  // namespace

Status CheckFactText(std::string_view fact) {
  if (fact.size() > kMaxFactBytes) {
    return Status::InvalidArgument("the fact is " + std::to_string(fact.size()) +
                                   " bytes long, more than the limit of " +
                                   std::to_string(kMaxFactBytes));
  }
  if (IsBlank(fact)) return Status::InvalidArgument("the fact is empty");
  if (fact.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("the fact contains a NUL byte at byte " +
                                   std::to_string(fact.find('\0') + 1));
  }
  if (auto bad = FindInvalidUtf8(fact)) {
    return Status::InvalidArgument("the fact is not valid UTF-8 at byte " +
                                   std::to_string(*bad + 1));
  }
  return Status::OK();
}

}  // namespace nldb::text
