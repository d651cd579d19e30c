#include "cli/commands.hpp"

#include <iostream>

#include "redress/redress.hpp"
#include "util/json_writer.hpp"

namespace redress::cli {

std::string diagnostics_json(const std::vector<Diagnostic>& diags) {
  util::JsonWriter w(true);
  w.begin_array();
  for (const auto& d : diags) {
    w.begin_object();
    w.key("file").string(d.file);
    w.key("line").raw(std::to_string(d.line));
    w.key("column").raw(std::to_string(d.column));
    w.key("severity").string(to_string(d.severity));
    w.key("message").string(d.message);
    w.end_object();
  }
  w.end_array();
  return w.str();
}

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
        std::cout << "  " << item.where << ": not exercised: " << item.kind << " " << item.what << "\n";
      }
  }
  return missing ? 1 : 0;
}

int run_test(const std::vector<std::string>& paths, const std::string& filter, bool coverage,
             bool require_coverage) {
  Pack pack = Pack::load(paths);
  auto results = run_tests(pack, filter);
  std::size_t passed = 0, failed = 0;
  for (const auto& r : results) {
    if (r.passed) { ++passed; continue; }
    ++failed;
    std::cout << r.file << ":" << r.line << ": FAIL " << r.playbook << ": " << r.name << "\n";
    for (const auto& f : r.failures) std::cout << "    " << f << "\n";
  }
  int uncovered = coverage || require_coverage ? print_coverage(pack, filter) : 0;
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed || (require_coverage && uncovered) ? 1 : 0;
}

}  // namespace redress::cli
