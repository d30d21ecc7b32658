#include "shell_command.h"

#include <editline/readline.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>


namespace nldb::cli {

namespace {

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(),
                                                 [](char a, char b) {
                                                   return std::tolower(static_cast<unsigned char>(a)) == b;
                                                 });
}

// The argument of command `prefix`, without a closing '.' or '?' (as IsCommand reads it).
std::string CommandArg(const std::string& stmt, const std::string& prefix) {
  std::string arg = stmt.substr(prefix.size());
  if (!arg.empty() && (arg.back() == '.' || arg.back() == '?')) arg.pop_back();
  return Trim(arg);
}

// Whether `stmt` is the command `prefix` ARG ("delete 12", "as of now"). A
// statement that ends like a sentence is one only when its argument is a
// version or an id (or "now"): "Delete the old files." is a fact.
bool IsCommand(const std::string& stmt, const std::string& prefix) {
  if (!StartsWith(stmt, prefix)) return false;
  if (stmt.back() != '.' && stmt.back() != '?') return true;
  const std::string arg = CommandArg(stmt, prefix);
  return arg == "now" ||
         (!arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

// One line from the terminal (with editing) or from a script; nullopt at the end.
std::optional<std::string> ReadLine(bool tty, const char* prompt) {
  if (tty) {
    char* line = readline(prompt);
    if (!line) return std::nullopt;
    std::string s(line);
    std::free(line);
    return s;
  }
  std::string s;
  if (!std::getline(std::cin, s)) return std::nullopt;
  return s;
}

const char* kHelp =
    "  FACT.                 add a fact (a sentence ending in '.')\n"
    "  QUESTION?             answer a question (ending in '?')\n"
    "  explain QUESTION?     answer it and show the plan\n"
    "  delete ID             hide fact ID from later versions\n"
    "  as of V | as of now   ask questions as of version V, or of the latest\n"
    "  stats                 the number of facts and the version\n"
    "  help, quit\n";

}  // namespace

void CmdShell(const Globals& g, const AskCommand& models) {
  if (g.db_dir.empty()) throw Failure{"this command needs the store directory: --db DIR"};
  if (g.json) throw Failure{"the shell has no --json output (use ask --json)"};
  {  // make the store if missing, and check it can be written
    auto writer = Check(Database::Open(g.db_dir, {.writer_label = "nldb shell", .encoder_dir = EncoderDir()}));
  }
  auto reader_db = Check(Database::Open(g.db_dir, {.read_only = true, .encoder_dir = EncoderDir()}));
  const Models loaded = LoadModels(models);
  query::Engine engine(*reader_db, *loaded.ssg, *loaded.reader);

  const bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  const char* home = std::getenv("HOME");
  const std::string history = home ? std::string(home) + "/.nldb_history" : "";
  if (tty) {
    if (!history.empty()) read_history(history.c_str());
    std::printf("nldb shell on %s. Facts end in '.', questions in '?'; 'help' for more.\n",
                g.db_dir.c_str());
  }
  std::optional<Version> as_of = g.as_of;
  std::string pending;
  uint64_t failed = 0;  // statements that failed (a script then exits with 1)
  while (auto line = ReadLine(tty, pending.empty() ? "nldb> " : "  ...> ")) {
    pending += (pending.empty() ? "" : " ") + Trim(*line);
    const std::string stmt = Trim(pending);
    if (stmt.empty()) {
      pending.clear();
      continue;
    }
    const bool deletes = IsCommand(stmt, "delete "), sets_version = IsCommand(stmt, "as of ");
    const bool command = deletes || sets_version || stmt == "stats" || stmt == "help" ||
                         stmt == "quit" || stmt == "exit";
    if (!command && stmt.back() != '.' && stmt.back() != '?') continue;  // more lines to come
    pending.clear();
    if (tty && !history.empty()) add_history(stmt.c_str());
    if (stmt == "quit" || stmt == "exit") break;
    try {
      if (stmt == "help") {
        std::fputs(kHelp, stdout);
      } else if (stmt == "stats") {
        const Stats s = Check(reader_db->GetStats(as_of));
        std::printf("version %llu: %llu facts (%llu deleted)\n",
                    static_cast<unsigned long long>(s.version),
                    static_cast<unsigned long long>(s.live_facts),
                    static_cast<unsigned long long>(s.deleted_facts));
      } else if (sets_version) {
        const std::string v = CommandArg(stmt, "as of ");
        if (v == "now") {
          as_of.reset();
          std::printf("questions see the latest version\n");
        } else {
          const auto n = WholeNumber(v);
          if (!n) throw Failure{"'as of' takes a version number or 'now'"};
          Check(reader_db->GetStats(*n));  // the version must exist
          as_of = *n;
          std::printf("questions see version %llu\n", static_cast<unsigned long long>(*n));
        }
      } else if (deletes) {
        const auto n = WholeNumber(CommandArg(stmt, "delete "));
        if (!n) throw Failure{"'delete' takes a fact id"};
        auto writer = Check(Database::Open(g.db_dir, {.writer_label = "nldb shell", .encoder_dir = EncoderDir()}));
        const Version v = Check(writer->Delete(*n));
        std::printf("deleted fact %llu at version %llu\n", static_cast<unsigned long long>(*n),
                    static_cast<unsigned long long>(v));
      } else if (stmt.back() == '?') {
        const bool explain = StartsWith(stmt, "explain ");
        const query::AskResult r = Check(engine.Ask(explain ? Trim(stmt.substr(8)) : stmt, as_of));
        PrintAnswer(r);
        if (explain) std::fputs(query::Explain(r).c_str(), stdout);
      } else {
        auto writer = Check(Database::Open(g.db_dir, {.writer_label = "nldb shell", .encoder_dir = EncoderDir()}));
        const FactId id = Check(writer->Add(stmt));
        std::printf("added fact %llu\n", static_cast<unsigned long long>(id));
      }
    } catch (const Failure& f) {
      // The shell goes on; a script's errors go to stderr.
      std::fflush(stdout);
      std::fprintf(tty ? stdout : stderr, "error: %s\n", f.message.c_str());
      ++failed;
    }
    std::fflush(stdout);
  }
  if (tty && !history.empty()) write_history(history.c_str());
  if (const std::string rest = Trim(pending); !rest.empty()) {
    std::fprintf(tty ? stdout : stderr,
                 "error: the last statement does not end in '.' or '?', so it was not run: %s\n",
                 rest.c_str());
    ++failed;
  }
  if (!tty && failed > 0) {
    throw Failure{std::to_string(failed) + (failed == 1 ? " statement" : " statements") +
                  " of the script failed"};
  }
}

}  // namespace nldb::cli
