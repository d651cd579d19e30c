// `redress triage [PATH...] --case FILE [--now TIME] [--json]`: which playbook a case belongs to
// (the first whose `match` holds, spec §4), without evaluating it.
#pragma once

#include <string>
#include <vector>

namespace redress::cli {

struct TriageOptions {
  std::vector<std::string> paths;   // playbook files or pack directories
  std::string case_path;            // JSON or YAML; "-" reads stdin
  std::string now;                  // overrides the case's `now` ("" keeps it; none: the clock)
  bool json = false;                // {"playbook": …, "version": …} instead of the id alone
};

// Throws LoadError and EvaluationError (main prints them).
int run_triage(const TriageOptions& options);

}  // namespace redress::cli
