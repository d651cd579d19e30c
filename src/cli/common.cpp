#include "cli/common.hpp"

#include <iostream>
#include <iterator>

#include "util/file.hpp"

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
  std::string error;
  auto bytes = util::read_file(path, error);
  if (!bytes) return false;
  text = std::move(*bytes);
  return true;
}

}  // namespace redress::cli
