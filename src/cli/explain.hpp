// `redress explain [PATH] --case FILE [--why-not KIND=VALUE]... [--what-if FACT=VALUE]...
// [--fixed FACT,...] [--format text|json] [--now TIME]`: why the Decision is what it is, why
// not something else and what would change it (each change checked by evaluation), and what
// differs when facts (or `now`, as --what-if now=TIME) change. docs/explain.md.
#pragma once

#include <string>
#include <vector>

namespace redress::cli {

struct ExplainCommandOptions {
  std::string path;                   // a playbook file or a pack directory
  std::string case_path;              // JSON or YAML; "-" reads stdin
  std::string now;                    // overrides the case's `now`
  std::string format = "text";        // text | json
  bool pretty = false;                // indented JSON even in a pipe
  std::vector<std::string> why_not;   // level=manager, item=goodwill, state=offer, action=ID
  std::vector<std::string> what_if;   // FACT=VALUE, or now=TIME
  std::vector<std::string> fixed;     // facts counterfactuals must not change
  std::string playbook, state, event; // overrides of the case's own
};

// Throws LoadError and EvaluationError (main prints them).
int run_explain(const ExplainCommandOptions& options);

}  // namespace redress::cli
