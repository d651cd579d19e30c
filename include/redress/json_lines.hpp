// JSON Lines in, JSON Lines out: the bulk path of the CLI (`redress batch`) and of Python
// (`Pack.evaluate_jsonl`). One output line per input line, in order, never dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "redress/pack.hpp"

namespace redress {

struct JsonLinesOptions {
  EvaluateOptions evaluate;
  std::string origin = "<jsonl>";   // names the stream in error locations ("cases.jsonl:12:5")
  // Overrides of each case's own playbook, state, event and triage ("" and nullopt keep the
  // case's), as apply_overrides() applies them.
  std::string playbook, state, event;
  std::optional<Triage> triage;
  unsigned threads = 0;             // evaluate_json_lines: at most this many threads (0: every core)
};

struct JsonLinesStats {
  std::uint64_t decided = 0, failed = 0, blank = 0;
  std::uint64_t lines() const { return decided + failed + blank; }
};

enum class LineOutcome : std::uint8_t { Decided, Failed, Blank };

// The caller's overrides, as if the case had written them (spec §6): `triage` sets the case's
// triage, `event` its event (a compound case routes it, spec §4.1 step 2). `playbook` and
// `state` set a single case's; a compound case names its playbooks and their states itself, so
// with either override it is an EvaluationError that says so.
void apply_overrides(Case& c, const JsonLinesOptions& options);

// Evaluates one line (line_no counts from 1) and sets `out` to what takes its place, without a
// newline: the Decision's JSON on one line (spec §5), or a compound case's CompoundDecision
// (spec §4.1, §5.1); {"line":N,"error":"ORIGIN:N:COL: message"} for a case that cannot be read
// or evaluated; "" for a blank line. Never throws for a case.
LineOutcome evaluate_json_line(const Pack& pack, std::string_view line, std::uint64_t line_no,
                               const JsonLinesOptions& options, std::string& out);

// The same for a line that was cut at `limit` bytes (a reader's bound): the error in its place.
void refuse_long_line(std::uint64_t line_no, std::size_t limit, const JsonLinesOptions& options, std::string& out);

// Every line of `text` (split at '\n'; a last line without one counts too; the first is line
// `first_line`), evaluated on up to options.threads threads; appends each line's result and a
// '\n' to `out`, in input order.
JsonLinesStats evaluate_json_lines(const Pack& pack, std::string_view text, std::uint64_t first_line,
                                   const JsonLinesOptions& options, std::string& out);

}  // namespace redress
