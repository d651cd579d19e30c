#include "cli/explain.hpp"

#include <unistd.h>

#include <iostream>

#include "cli/common.hpp"
#include "redress/explain.hpp"
#include "redress/pack.hpp"

namespace redress::cli {

int run_explain(const ExplainCommandOptions& options) {
  Pack pack = Pack::load(options.path);
  Case c;
  if (int rc = read_case(options.case_path, options.now, c); rc != kOk) return rc;
  if (!options.playbook.empty()) c.playbook = options.playbook;
  if (!options.state.empty()) c.state = options.state;
  if (!options.event.empty()) c.event = options.event;
  ExplainOptions explain;
  explain.evaluate.clock = true;  // spec §6: a case without `now` is evaluated at the current time
  explain.why_not = options.why_not;
  explain.fixed = options.fixed;
  try {
    for (const auto& change : options.what_if) add_what_if(explain, change);
  } catch (const EvaluationError& e) {
    std::cerr << "error: --" << e.message() << "\n";
    return kBadInput;
  }
  Explanation e = redress::explain(pack, c, explain);
  if (options.format == "json") {
    std::cout << to_json(e, JsonOptions{options.pretty || isatty(STDOUT_FILENO) == 1}) << "\n";
    return kOk;
  }
  std::cout << to_text(e);
  return kOk;
}

}  // namespace redress::cli
