// `redress eval PATH --case FILE [--json] [--trace] [--playbook ID] [--state S] [--event E]`:
// evaluate one case and print its Decision (spec §5) as text or JSON.
#pragma once

#include <string>

namespace redress::cli {

struct EvalOptions {
  std::string path;       // a playbook file or a pack directory
  std::string case_path;  // JSON or YAML; "-" reads stdin
  bool json = false;      // the Decision's JSON instead of text
  bool trace = false;     // every guard and rule evaluated, with its location
  // Overrides of the case's own playbook, state and event ("" keeps the case's).
  std::string playbook, state, event;
};

// Throws LoadError and EvaluationError (main prints them).
int run_eval(const EvalOptions& options);

}  // namespace redress::cli
