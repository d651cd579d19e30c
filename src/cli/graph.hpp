// `redress graph PATH [--playbook ID] [--format dot|mermaid|svg] [--state S]` (spec §6, issue #5):
// a playbook's state machine as a diagram. svg goes through Graphviz's `dot`.
#pragma once

#include <string>

namespace redress::cli {

struct GraphOptions {
  std::string path;            // a playbook file or a pack directory
  std::string playbook;        // "" = the pack's only playbook
  std::string format = "dot";  // "dot", "mermaid" or "svg"
  std::string state;           // a state to highlight ("" = none)
};

int run_graph(const GraphOptions& options);

}  // namespace redress::cli
