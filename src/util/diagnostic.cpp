// Diagnostics and the library's errors as text: compiler-style lines with a caret.
#include <algorithm>
#include <string>
#include <vector>

#include "redress/diagnostic.hpp"

namespace redress {

const char* to_string(Severity s) { return s == Severity::Error ? "error" : "warning"; }

std::string Diagnostic::to_string() const {
  std::string s = file();
  if (location.line) s += ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
  s += std::string(": ") + redress::to_string(severity) + ": " + message;
  return s;
}

std::string Diagnostic::to_string_with_caret() const {
  std::string s = to_string();
  if (source_line.empty() || !location.line) return s;
  // Show at most a window of the line around the column, with control bytes made visible,
  // so a minified or binary line cannot flood the terminal.
  constexpr std::uint32_t kWindow = 100;
  std::vector<std::string> chars;  // one code point each
  for (std::size_t i = 0; i < source_line.size();) {
    std::size_t n = 1;
    unsigned char c = static_cast<unsigned char>(source_line[i]);
    if (c >= 0xC0) while (i + n < source_line.size() && (static_cast<unsigned char>(source_line[i + n]) & 0xC0) == 0x80) ++n;
    std::string ch = source_line.substr(i, n);
    if (c < 0x20 && c != '\t') ch = "?";
    if (c == 0x7F) ch = "?";
    chars.push_back(ch);
    i += n;
  }
  std::uint32_t col = std::max<std::uint32_t>(location.column, 1);
  std::size_t first = chars.size() > kWindow && col > kWindow / 2 ? col - kWindow / 2 : 1;  // 1-based
  std::size_t last = std::min(chars.size(), first + kWindow - 1);
  std::string shown = first > 1 ? "…" : "";
  std::string caret = first > 1 ? " " : "";
  for (std::size_t i = first; i <= last; ++i) {
    shown += chars[i - 1];
    if (i < col) caret += chars[i - 1] == "\t" ? "\t" : " ";
  }
  if (last < chars.size()) shown += "…";
  s += "\n  " + shown + "\n  " + caret + "^";
  return s;
}

static std::string summarize(const std::vector<Diagnostic>& diags) {
  std::size_t errors = 0;
  for (const auto& d : diags) errors += d.severity == Severity::Error;
  std::string s = std::to_string(errors) + (errors == 1 ? " error" : " errors") + " while loading";
  for (const auto& d : diags)
    if (d.severity == Severity::Error) { s += ": " + d.to_string(); break; }
  return s;
}

LoadError::LoadError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(summarize(diagnostics)), diagnostics_(std::move(diagnostics)) {}

static std::string located(const std::string& message, const SourceLocation& at) {
  std::string where = to_string(at);
  return where.empty() ? message : where + ": " + message;
}

EvaluationError::EvaluationError(std::string message, SourceLocation location)
    : std::runtime_error(located(message, location)),
      location_(location),
      message_(std::move(message)) {}

}  // namespace redress
