// Located problems found while loading a pack (and findings of analysis).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "redress/location.hpp"

namespace redress {

enum class Severity : std::uint8_t { Error, Warning };

const char* to_string(Severity s);

struct Diagnostic {
  Severity severity = Severity::Error;
  // The file (its path as given to load: relative paths stay relative), the 1-based line and
  // column; line 0 when the problem concerns the whole file.
  SourceLocation location;
  std::string message;      // one line; includes a "did you mean" hint where one exists
  std::string source_line;  // the line of the file the location points at ("" if none)

  const std::string& file() const { return location.path(); }
  std::uint32_t line() const { return location.line; }
  std::uint32_t column() const { return location.column; }

  // "file:line:col: error: message" (the path as given to load)
  std::string to_string() const;
  // to_string() plus, when the source line is known, the line and a caret under the column.
  std::string to_string_with_caret() const;
};

// Thrown by Pack::load: every diagnostic of every file, errors and warnings alike.
class LoadError : public std::runtime_error {
 public:
  explicit LoadError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Thrown by Pack::evaluate for a bad case or a failure while evaluating (spec §4): a missing
// fact, a null used in arithmetic, an overflow, an event the state does not accept, …
class EvaluationError : public std::runtime_error {
 public:
  EvaluationError(std::string message, SourceLocation location = {});
  // Where the expression (or state, or template) that failed is; no file for a problem of the
  // case itself. to_string(location()) is "delivery_delay.yaml:41:28".
  const SourceLocation& location() const { return location_; }
  // The message without the location (what() is "location: message").
  const std::string& message() const { return message_; }

 private:
  SourceLocation location_;
  std::string message_;
};

}  // namespace redress
