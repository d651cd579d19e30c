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

int run_test(const std::vector<std::string>& paths, const std::string& filter) {
  Pack pack = Pack::load(paths);
  auto results = run_tests(pack, filter);
  std::size_t passed = 0, failed = 0;
  for (const auto& r : results) {
    if (r.passed) { ++passed; continue; }
    ++failed;
    std::cout << r.file << ":" << r.line << ": FAIL " << r.playbook << ": " << r.name << "\n";
    for (const auto& f : r.failures) std::cout << "    " << f << "\n";
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}

}  // namespace redress::cli
