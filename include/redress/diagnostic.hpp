// Located problems found while loading a pack (and findings of analysis).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace redress {

enum class Severity : std::uint8_t { Error, Warning };

const char* to_string(Severity s);

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;         // as given to load (relative paths stay relative)
  std::uint32_t line = 0;   // 1-based; 0 when the problem concerns the whole file
  std::uint32_t column = 0; // 1-based
  std::string message;      // one line; includes a "did you mean" hint where one exists
  std::string source_line;  // the line of the file the location points at ("" if none)

  // "file:line:col: error: message"
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
  EvaluationError(std::string message, std::string location);
  // "delivery_delay.yaml:41:28" of the expression that failed, or "" for a problem of the case.
  const std::string& location() const { return location_; }
  // The message without the location (what() is "location: message").
  const std::string& message() const { return message_; }

 private:
  std::string location_;
  std::string message_;
};

}  // namespace redress
