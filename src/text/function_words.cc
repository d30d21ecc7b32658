#include "text/function_words.h"

#include <string>
#include <unordered_set>

namespace nldb::text {

bool IsFunctionWord(std::string_view word) {
  static const std::unordered_set<std::string_view> kWords = {
      "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or",
      "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does",
      "did", "who", "whom", "whose", "what", "which", "where", "when", "why", "how", "that",
      "this", "these", "those", "it", "its", "as", "there", "their", "they", "them", "any",
      "all", "some", "s", "me", "i", "you", "can", "tell", "list", "name", "give"};
  return kWords.count(word) > 0;
}

bool IsNameBreakingWord(std::string_view word) {
  static const std::unordered_set<std::string_view> kWords = {
      "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or",
      "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did", "who",
      "whom", "whose", "what", "which", "where", "when", "how", "that", "this", "it", "its", "as",
      "there", "their", "they", "s", "any", "all", "some", "me", "i", "you", "can", "tell"};
  return kWords.count(word) > 0;
}

}  // namespace nldb::text
