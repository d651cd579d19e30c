// `redress triage [PATH...] --case FILE [--now TIME] [--all] [--explain] [--json]`: which
// playbook a case belongs to (the first whose `match` holds, spec §4), or every one that matches
// (`--all`, a compound case's parts, spec §4.1), and why each playbook did or did not match,
// without evaluating it.
#pragma once

#include <string>
#include <vector>

namespace redress::cli {

struct TriageOptions {
  std::vector<std::string> paths;   // playbook files or pack directories
  std::string case_path;            // JSON or YAML; "-" reads stdin
  std::string now;                  // overrides the case's `now` ("" keeps it; none: the clock)
  bool json = false;                // {"playbook": …, "version": …} instead of the id alone
  bool all = false;                 // every playbook that matches (also when the case says `triage: all`)
  bool explain = false;             // every playbook's result and why (always, on stderr, when none matches)
};

// Throws LoadError and EvaluationError (main prints them).
int run_triage(const TriageOptions& options);

}  // namespace redress::cli
