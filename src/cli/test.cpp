#include "cli/test.hpp"

#include <iostream>

#include "cli/common.hpp"
#include "redress/testing.hpp"

namespace redress::cli {

namespace {

// One summary line per playbook, then a line per item the tests leave unexercised. Returns
// kFinding when there is any.
int print_coverage(const Pack& pack, const std::string& filter) {
  std::size_t missing = 0;
  for (const auto& cov : measure_coverage(pack, filter)) {
    std::cout << "coverage " << cov.playbook << ": " << cov.covered() << "/" << cov.items.size();
    // Per kind, in a fixed order.
    for (const char* kind : {"state", "transition", "escalation", "compensation", "approval", "cap", "hold"}) {
      std::size_t all = 0, hit = 0;
      for (const auto& item : cov.items)
        if (item.kind == kind) { ++all; hit += item.covered; }
      if (all) std::cout << "  " << kind << (all > 1 ? "s " : " ") << hit << "/" << all;
    }
    std::cout << "\n";
    for (const auto& item : cov.items)
      if (!item.covered) {
        ++missing;
        std::cout << "  " << to_string(item.where) << ": not exercised: " << item.kind << " " << item.what << "\n";
      }
  }
  return missing ? kFinding : kOk;
}

}  // namespace

int run_test(const TestOptions& options) {
  Pack pack = Pack::load(options.paths);
  auto results = run_tests(pack, options.filter);
  std::size_t passed = 0, failed = 0;
  for (const auto& r : results) {
    if (r.passed) { ++passed; continue; }
    ++failed;
    std::cout << r.file << ":" << r.line << ": FAIL " << r.playbook << ": " << r.name << "\n";
    for (const auto& f : r.failures) std::cout << "    " << f << "\n";
  }
  int uncovered = options.coverage || options.require_coverage ? print_coverage(pack, options.filter) : kOk;
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed || (options.require_coverage && uncovered) ? kFinding : kOk;
}

}  // namespace redress::cli
