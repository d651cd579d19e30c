// `redress lint PATH... [--strict] [--format text|json]`: load and check playbooks, printing
// every diagnostic as FILE:LINE:COL: error|warning: message.
#pragma once

#include <string>
#include <vector>

#include "redress/diagnostic.hpp"

namespace redress::cli {

struct LintOptions {
  std::vector<std::string> paths;  // playbook files or pack directories
  bool strict = false;             // warnings fail too (exit 1)
  std::string format = "text";     // "text" (stderr, with carets) or "json" (stdout)
};

int run_lint(const LintOptions& options);

// The diagnostics as a JSON array of {file, line, column, severity, message}.
std::string diagnostics_json(const std::vector<Diagnostic>& diags);

}  // namespace redress::cli
