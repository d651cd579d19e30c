// `redress test PATH... [--filter TEXT] [--coverage] [--require-coverage]`: run the examples
// the playbooks carry; the last line is "N passed, M failed".
#pragma once

#include <string>
#include <vector>

namespace redress::cli {

struct TestOptions {
  std::vector<std::string> paths;  // playbook files or pack directories
  std::string filter;              // only tests whose playbook id or name contains this
  bool coverage = false;           // also report what the tests exercise
  bool require_coverage = false;   // ... and exit 1 when anything is left unexercised
};

// Throws LoadError (main prints it).
int run_test(const TestOptions& options);

}  // namespace redress::cli
