// Replay and impact analysis: the same cases through an old and a new pack, and what changes
// (`redress replay`, Python's redress.replay, redress.dask). The CLI, Python and Dask share this
// one core: comparing two Decisions, accumulating a summary with exact money, merging summaries.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redress/decimal.hpp"
#include "redress/decision.hpp"
#include "redress/pack.hpp"

namespace redress {

// What differs between a case's old and new Decision.
struct CaseChanges {
  bool playbook = false;      // triage picked another playbook
  bool state = false;         // the resulting state
  bool actions = false;       // the actions' names, in order
  bool level = false;         // the escalation level
  bool compensation = false;  // the compensation total (amount or currency)
  bool approval = false;      // the level a sign-off needs
  bool any() const { return playbook || state || actions || level || compensation || approval; }
};
CaseChanges compare_decisions(const Decision& before, const Decision& after);

// A rule (a guard, an escalation or compensation rule, a cap, a hold: a trace step other than
// a fact or a `let`) is named by its playbook, its kind and its expression's text; it "fired
// differently" for a case when the values the old and new traces give it differ, or when only
// one version has it. Needs both Decisions evaluated with a trace (else none).
// A rule whose text the new pack changed is one rule: `expr` the new text, `old_expr` the old.
struct RuleRef {
  std::string playbook, what, expr;
  std::string at;        // "delivery_delay.yaml:76:9": where it is (in the new pack when it has it)
  std::string old_expr;  // the old text when the new pack changed it, else ""
};
std::vector<RuleRef> rules_fired_differently(const Decision& before, const Decision& after);

// One JSON line (no newline) of `redress replay --diff`: {"line":N,"playbook":…,"changed":[…],
// then for each change {"old":…,"new":…}, "rules":[…]} (docs/replay.md).
std::string diff_line(std::uint64_t line, const Decision& before, const Decision& after, const CaseChanges& changes,
                      const std::vector<RuleRef>& rules);
// {"line":N,"error":"…"} for a case that could not be read or evaluated by either pack.
std::string diff_error_line(std::uint64_t line, std::string_view message);

// Exact money, per currency: the old and the new sum of compensation totals.
struct MoneyTotals {
  Decimal before, after;
};

struct PlaybookImpact {
  std::uint64_t cases = 0;     // decided by both packs, counted under the new Decision's playbook
  std::uint64_t changed = 0;
  std::map<std::string, MoneyTotals> compensation;  // by currency code
};

struct LevelCounts {
  std::uint64_t before = 0, after = 0;
};

struct RuleImpact {
  RuleRef rule;
  std::uint64_t cases = 0;  // cases for which it fired differently
};

struct ReplayError {
  std::uint64_t line = 0;
  std::string message;  // "cases.jsonl:12:5: …", or "new pack: delivery_delay.yaml:41:28: …"
};

// A changed case kept for the report, with both Decisions (and their traces).
struct ChangedCase {
  std::uint64_t line = 0;
  std::string playbook;
  Decimal weight;  // |new total - old total| (the new total when the currencies differ)
  Decision before, after;
};

// Everything `redress replay` reports. add() and merge() are exact and order-independent: the
// summary of a stream is the same whether one thread, many threads or many machines made it.
struct ReplaySummary {
  static constexpr std::size_t kKeptErrors = 10;  // the first errors, by line
  static constexpr std::size_t kKeptCases = 10;   // the most changed cases, for the report

  std::uint64_t cases = 0;      // lines holding a case (blank lines are not cases)
  std::uint64_t evaluated = 0;  // decided by both packs
  std::uint64_t errors = 0;     // unreadable, or refused by either pack
  std::uint64_t changed = 0, playbook_changed = 0, state_changed = 0, actions_changed = 0, level_changed = 0,
                compensation_changed = 0, approval_changed = 0;
  std::map<std::string, PlaybookImpact> playbooks;
  std::map<std::string, MoneyTotals> currencies;
  std::map<std::string, LevelCounts> approval_levels;    // "none" when no sign-off is needed
  std::map<std::string, LevelCounts> escalation_levels;
  std::map<std::string, RuleImpact> rules;  // by playbook, kind and expression
  std::vector<ReplayError> first_errors;    // at most kKeptErrors, by line
  std::vector<ChangedCase> top_cases;       // at most kKeptCases, most changed first
  bool money_overflow = false;  // a sum left Decimal's range (10^26): its totals are wrong

  // A case both packs decided; `line` numbers it in its input.
  // `changes` and `rules` are compare_decisions' and rules_fired_differently's.
  void add(std::uint64_t line, const Decision& before, const Decision& after, const CaseChanges& changes,
           const std::vector<RuleRef>& rules);
  void add(std::uint64_t line, const Decision& before, const Decision& after) {
    add(line, before, after, compare_decisions(before, after), rules_fired_differently(before, after));
  }
  // A case that could not be read, or that a pack could not evaluate.
  void add_error(std::uint64_t line, std::string message);
  void merge(const ReplaySummary& other);
  // Adds `offset` to every line number kept (errors, cases): a partition replayed from 0, once
  // its place in the whole stream is known. Merging then gives the one-pass summary exactly.
  void shift_lines(std::uint64_t offset);

  bool operator==(const ReplaySummary& other) const;
  bool operator!=(const ReplaySummary& other) const { return !(*this == other); }
};

// The summary as JSON (docs/replay.md; money as exact text), Markdown, or plain text.
std::string to_json(const ReplaySummary& s, const JsonOptions& options = {});
std::string to_markdown(const ReplaySummary& s);
std::string to_text(const ReplaySummary& s);
// One self-contained HTML page (inline CSS and SVG, no script, no network): the summary, charts
// of compensation old vs new per playbook and of level changes, the top cases' traces side by side.
std::string to_html(const ReplaySummary& s, std::string_view title);

// Lossless bytes of a summary, for another process to merge (Python pickles this way).
// decode_summary throws std::invalid_argument for bytes encode_summary did not make.
std::string encode_summary(const ReplaySummary& s);
ReplaySummary decode_summary(std::string_view bytes);

// How replay_lines reads and evaluates.
struct ReplayOptions {
  std::string origin = "<cases>";  // names the stream in error locations
  EvaluateOptions evaluate;        // trace is always on (the rules come from it); clock is off
  // A case without its own `now` is evaluated at this time by both packs (one reading of the
  // clock for the whole run, so the packs never see different times); unset: such a case is an error.
  std::optional<Timestamp> now;
  unsigned threads = 0;            // 0: every core
  bool diff = false;               // write the diff lines
};

class CsvCases;  // redress/csv_cases.hpp

// Replays every line of `text` (split at '\n'; the first is line `first_line`): JSON Lines, or
// CSV rows under `csv`'s header when `csv` is given. Each case is read once and evaluated by
// both packs on the shared pool; the results go into `summary`, and with options.diff a line
// for each changed or failed case into `diff`, in input order. Never throws for a case.
void replay_lines(const Pack& before, const Pack& after, std::string_view text, std::uint64_t first_line,
                  const ReplayOptions& options, const CsvCases* csv, ReplaySummary& summary, std::string& diff);

// The same for cases already read (Python's redress.replay, a Dask partition): each pack
// evaluates them with Pack::evaluate_many; cases[i] is numbered lines[i] in the summary and the
// diff (the diff in `cases` order). Throws std::invalid_argument when the sizes differ.
void replay_cases(const Pack& before, const Pack& after, std::vector<Case> cases, const std::vector<std::uint64_t>& lines,
                  const ReplayOptions& options, ReplaySummary& summary, std::string& diff);

}  // namespace redress
