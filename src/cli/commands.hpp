#pragma once

#include <string>
#include <vector>

#include "redress/diagnostic.hpp"

namespace redress::cli {

int run_test(const std::vector<std::string>& paths, const std::string& filter);
// `redress graph` (issue #5): prints DOT or Mermaid, or SVG through Graphviz's dot.
int run_graph(const std::string& path, const std::string& playbook, const std::string& format,
              const std::string& state);
std::string diagnostics_json(const std::vector<Diagnostic>& diags);

}  // namespace redress::cli
