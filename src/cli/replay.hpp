// `redress replay --old PACK --new PACK [CASES|-]`: every case through both packs, streaming,
// on every core; a summary of what changes (cases, states, actions, levels, exact compensation
// per playbook and currency, approval levels, the rules that fired differently), per-case
// differences as JSON Lines (--diff), and a self-contained HTML page (--report). docs/replay.md.
#pragma once

#include <string>

namespace redress::cli {

struct ReplayCommandOptions {
  std::string old_path, new_path;  // playbook files or pack directories
  std::string cases = "-";         // JSON Lines, or CSV with a header; "-" reads stdin
  std::string input = "auto";      // auto (by extension, else by the first line), jsonl, csv
  std::string diff;                // --diff FILE: one JSON line per changed or failed case
  std::string report;              // --report FILE.html
  std::string format = "text";     // the summary on stdout: text, json, markdown
  unsigned threads = 0;            // 0: every core
  bool quiet = false;              // no progress line
  bool fail_on_change = false;     // exit 1 when any case changed
};

// 0 when every case was replayed (changed or not); 1 when some case gave an error (each
// reported in place), or with fail_on_change when a case changed; 2 when the input or an
// output cannot be opened. Throws LoadError (main prints it).
int run_replay(const ReplayCommandOptions& options);

}  // namespace redress::cli
