// `redress batch PATH [CASES|-] [-o OUT] [--threads N] [--trace]`: evaluate a stream of cases,
// one JSON case per line (JSON Lines), on every core. One output line per input line, in input
// order: the Decision's JSON (spec §5, on one line; a compound case's, §5.1), or {"line":N,"error":…} in its place; a
// blank input line gives a blank output line. Memory stays bounded whatever the input's size
// (the stream is read in chunks). A progress line (rate, ETA) goes to stderr on a terminal only;
// a summary to stderr at the end.
#pragma once

#include <string>

namespace redress::cli {

struct BatchCommandOptions {
  std::string path;            // a playbook file or a pack directory
  std::string cases = "-";     // JSON Lines; "-" reads stdin
  std::string output = "-";    // "-" writes stdout
  unsigned threads = 0;        // 0: every core
  bool trace = false;          // each Decision with its trace
  bool quiet = false;          // no progress and no summary
  // Overrides of each case's own playbook, state and event ("" keeps the case's), and its
  // triage ("first" or "all"; "" keeps the case's): redress::apply_overrides.
  std::string playbook, state, event, triage;
};

// 0 when every case gave a Decision, 1 when some gave an error (each in place), 2 when the
// input or output cannot be opened. Throws LoadError (main prints it).
int run_batch(const BatchCommandOptions& options);

}  // namespace redress::cli
