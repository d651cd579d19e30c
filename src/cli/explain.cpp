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
  for (const auto& change : options.what_if) {
    const auto eq = change.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "error: --what-if '" << change << "' is not FACT=VALUE (e.g. days_late=7, or now=2026-11-24T09:00:00Z)\n";
      return kBadInput;
    }
    const std::string name = change.substr(0, eq), value = change.substr(eq + 1);
    if (name == "now") {
      auto t = Timestamp::parse(value);
      if (!t) {
        std::cerr << "error: --what-if now='" << value << "' is not a time like 2026-11-23T10:00:00Z\n";
        return kBadInput;
      }
      explain.what_if_now = t;
      continue;
    }
    // As a case file's text: converted to the fact's declared type ("7", "250 EUR", "gold").
    explain.what_if.emplace_back(name, value == "null" ? Value::null() : Value::string(value));
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
