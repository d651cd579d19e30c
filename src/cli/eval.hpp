// `redress eval [PATH] --case FILE [--now TIME] [--json [--pretty]] [--trace] [--strict-facts]
// [--playbook ID] [--state S] [--event E]`: evaluate one case and print its Decision (spec §5) as
// text for a person, or as JSON (one line in a pipe; indented on a terminal or with --pretty).
#pragma once

#include <string>

namespace redress::cli {

struct EvalOptions {
  std::string path;       // a playbook file or a pack directory
  std::string case_path;  // JSON or YAML; "-" reads stdin
  std::string now;        // overrides the case's `now` ("" keeps it; none at all: the clock)
  bool json = false;      // the Decision's JSON instead of text
  bool pretty = false;    // indented JSON even when stdout is not a terminal
  bool trace = false;     // every guard and rule evaluated, with its location
  bool strict_facts = false;  // a case fact the playbook does not declare is an error
  // Overrides of the case's own playbook, state and event ("" keeps the case's).
  std::string playbook, state, event;
  // "all": every playbook that matches, merged (a compound case, spec §4.1); "first": one
  // playbook; "" keeps the case's. All four as redress::apply_overrides applies them.
  std::string triage;
};

// Throws LoadError and EvaluationError (main prints them).
int run_eval(const EvalOptions& options);

}  // namespace redress::cli
