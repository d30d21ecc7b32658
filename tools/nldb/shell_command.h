// `nldb shell`: an interactive prompt over one store. A line ending in "?" is
// a question, one ending in "." a fact to add; a statement may span lines
// until it ends so. Commands: delete ID, as of V | as of now, explain
// QUESTION, stats, help, quit. With a terminal: line editing and history
// (~/.nldb_history, through libedit); otherwise it reads stdin as a script:
// errors go to stderr, and if any statement failed (or the last one never
// ended) it fails after the last, with exit status 1.
#pragma once

#include "ask_command.h"
#include "cli.h"

namespace nldb::cli {

void CmdShell(const Globals& g, const AskCommand& models);

}  // namespace nldb::cli
