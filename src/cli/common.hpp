// What every `redress` command shares: its exit codes, reading an input file, printing a
// pack's load errors.
#pragma once

#include <optional>
#include <string>

#include "redress/case.hpp"
#include "redress/diagnostic.hpp"

namespace redress::cli {

// Exit codes of every command (spec §6).
enum Exit : int {
  kOk = 0,
  kFinding = 1,   // a lint error, a failing test, missing coverage
  kBadInput = 2,  // bad usage, or input that cannot be read, loaded or evaluated
};

// Every diagnostic with its caret, then "N errors", on stderr.
int print_load_error(const LoadError& e);

// The whole file, or stdin for "-". False when the file cannot be read.
bool read_input(const std::string& path, std::string& text);

// Reads the case file (or stdin for "-") into `c`; a non-empty `now` (ISO 8601 with an offset)
// replaces the case's. kOk, or kBadInput after saying why on stderr. Throws EvaluationError
// for a malformed case.
int read_case(const std::string& path, const std::string& now, Case& c);

// `--triage first|all`; "" (not given) keeps the case's own.
std::optional<Triage> triage_option(const std::string& option);

}  // namespace redress::cli
