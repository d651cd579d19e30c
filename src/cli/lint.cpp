#include "cli/lint.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "redress/pack.hpp"
#include "util/json_writer.hpp"

namespace redress::cli {

std::string diagnostics_json(const std::vector<Diagnostic>& diags) {
  util::JsonWriter w(true);
  w.begin_array();
  for (const auto& d : diags) {
    w.begin_object();
    w.key("file").string(d.file());
    w.key("line").raw(std::to_string(d.location.line));
    w.key("column").raw(std::to_string(d.location.column));
    w.key("severity").string(to_string(d.severity));
    w.key("message").string(d.message);
    w.end_object();
  }
  w.end_array();
  return w.str();
}

int run_lint(const LintOptions& options) {
  std::vector<Diagnostic> diags;
  std::size_t playbooks = 0;
  try {
    Pack pack = Pack::load(options.paths);
    diags = pack.warnings();
    playbooks = pack.playbooks().size();
  } catch (const LoadError& e) {
    diags = e.diagnostics();
  }
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : diags) (d.severity == Severity::Error ? errors : warnings)++;
  if (options.format == "json") {
    std::cout << diagnostics_json(diags) << "\n";
  } else {
    for (const auto& d : diags) std::cerr << d.to_string_with_caret() << "\n";
    if (errors == 0) std::cout << "ok: " << playbooks << (playbooks == 1 ? " playbook" : " playbooks") << ", ";
    std::cout << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
              << (warnings == 1 ? " warning" : " warnings") << "\n";
  }
  // A path that is not there is bad input (exit 2, as everywhere else), not a lint finding.
  const bool missing = std::any_of(options.paths.begin(), options.paths.end(), [](const std::string& p) {
    std::error_code ec;
    return !std::filesystem::exists(p, ec);
  });
  if (missing) return kBadInput;
  return errors || (options.strict && warnings) ? kFinding : kOk;
}

}  // namespace redress::cli
