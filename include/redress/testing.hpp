// Running the examples playbooks carry (`tests:` and NAME.test.yaml): `redress test`.
#pragma once

#include <string>
#include <vector>

#include "redress/pack.hpp"

namespace redress {

struct TestResult {
  std::string playbook;
  std::string name;
  std::string file;
  unsigned line = 0;
  bool passed = false;
  // One line per difference: "state: expected offer, got investigating".
  std::vector<std::string> failures;
};

// Runs every test of every playbook (or those whose playbook id or name contains `filter`),
// in pack order. Never throws for a failing test: an unexpected evaluation error is a failure.
std::vector<TestResult> run_tests(const Pack& pack, const std::string& filter = "");

}  // namespace redress
