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

int read_case(const std::string& path, const std::string& now, Case& c) {
  std::string text;
  if (!read_input(path, text)) {
    std::cerr << "error: " << path << ": cannot read the case file\n";
    return kBadInput;
  }
  c = parse_case(text, path == "-" ? "<stdin>" : path);
  if (!now.empty()) {
    std::optional<Timestamp> t = Timestamp::parse(now);
    if (!t) {
      std::cerr << "error: --now '" << now << "' is not a time like 2026-11-23T10:00:00Z\n";
      return kBadInput;
    }
    c.now = t;
  }
  return kOk;
}

std::optional<Triage> triage_option(const std::string& option) {
  if (option.empty()) return std::nullopt;
  return option == "all" ? Triage::All : Triage::First;  // CLI11 admits only "first" and "all"
}

}  // namespace redress::cli
