#include <iostream>

#include "cli/commands.hpp"

namespace redress::cli {

// Placeholder until the diagrams land (issue #5).
int run_graph(const std::string&, const std::string&, const std::string&, const std::string&) {
  std::cerr << "error: 'redress graph' is not built yet\n";
  return 2;
}

}  // namespace redress::cli
