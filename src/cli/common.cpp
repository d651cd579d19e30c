#include "cli/common.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace redress::cli {

int print_load_error(const LoadError& e) {
  std::size_t errors = 0;
  for (const auto& d : e.diagnostics()) {
    std::cerr << d.to_string_with_caret() << "\n";
    errors += d.severity == Severity::Error;
  }
  std::cerr << errors << (errors == 1 ? " error" : " errors") << "\n";
  return kBadInput;
}

bool read_input(const std::string& path, std::string& text) {
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return !in.bad();
}

}  // namespace redress::cli
