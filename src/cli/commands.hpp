#pragma once

#include <string>
#include <vector>

#include "redress/diagnostic.hpp"

namespace redress::cli {

// `coverage`: also report what the tests exercise; `require_coverage`: exit 1 when anything is
// left unexercised.
int run_test(const std::vector<std::string>& paths, const std::string& filter, bool coverage,
             bool require_coverage);
// `redress graph` (issue #5): prints DOT or Mermaid, or SVG through Graphviz's dot.
int run_graph(const std::string& path, const std::string& playbook, const std::string& format,
              const std::string& state);
std::string diagnostics_json(const std::vector<Diagnostic>& diags);

}  // namespace redress::cli
