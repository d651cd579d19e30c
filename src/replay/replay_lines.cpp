// replay_lines: a chunk of a case stream through two packs, on the shared pool (as
// evaluate_json_lines does for one pack): each case is read once, evaluated by both, compared.
#include <algorithm>
#include <exception>
#include <iterator>
#include <new>
#include <optional>
#include <stdexcept>
#include <thread>

#include "eval/line_error.hpp"
#include "redress/csv_cases.hpp"
#include "redress/replay.hpp"
#include "runtime/thread_pool.hpp"
#include "util/text.hpp"

namespace redress {

namespace {

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

// The Decision, or the error's text ("ORIGIN:N:COL: message") in `error`.
template <class Fn>
std::optional<Decision> attempt(Fn&& fn, std::uint64_t line_no, const std::string& origin, std::string& error) {
  try {
    return fn();
  } catch (const EvaluationError& e) {
    error = detail::line_error_text(line_no, origin, e.location(), e.message());
  } catch (const std::bad_alloc&) {
    error = detail::line_error_text(line_no, origin, SourceLocation{}, "out of memory");
  } catch (const std::exception& e) {
    error = detail::line_error_text(line_no, origin, SourceLocation{}, std::string("internal error: ") + e.what());
  }
  return std::nullopt;
}

// One case's two outcomes into the summary (and the diff).
void record(std::uint64_t line_no, const std::optional<Decision>& a, const std::string& old_error,
            const std::optional<Decision>& b, const std::string& new_error, const ReplayOptions& options,
            ReplaySummary& summary, std::string& diff) {
  if (a && b) {
    CaseChanges changes = compare_decisions(*a, *b);
    std::vector<RuleRef> rules = rules_fired_differently(*a, *b);
    if (options.diff && changes.any()) diff += diff_line(line_no, *a, *b, changes, rules) + "\n";
    summary.add(line_no, *a, *b, changes, rules);
    return;
  }
  // Refused by one pack (or both): the same case, so the same message is one error.
  std::string error;
  if (!a && !b && old_error == new_error)
    error = "both packs: " + old_error;
  else
    error = (a ? "" : "old pack: " + old_error) + (!a && !b ? "; " : "") + (b ? "" : "new pack: " + new_error);
  if (options.diff) diff += diff_error_line(line_no, error) + "\n";
  summary.add_error(line_no, std::move(error));
}

// Contiguous ranges of [0, n), a few per thread for balance, each with its own summary and
// diff text, merged in order.
template <class Fn>
void in_ranges(std::size_t n, const ReplayOptions& options, ReplaySummary& summary, std::string& diff, Fn&& replay_one) {
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t ranges = std::max<std::size_t>(1, std::min<std::size_t>(n / 64, threads * 8));
  std::vector<ReplaySummary> summaries(ranges);
  std::vector<std::string> diffs(ranges);
  runtime::ThreadPool::shared().parallel_for(ranges, threads, [&](std::size_t first, std::size_t last) {
    for (std::size_t r = first; r < last; ++r)
      for (std::size_t i = n * r / ranges, end = n * (r + 1) / ranges; i < end; ++i) replay_one(i, summaries[r], diffs[r]);
  });
  for (std::size_t r = 0; r < ranges; ++r) {
    summary.merge(summaries[r]);
    diff += diffs[r];
  }
}

EvaluateOptions traced(const ReplayOptions& options) {
  EvaluateOptions evaluate = options.evaluate;
  evaluate.trace = true;   // the rules that fired differently come from the traces
  evaluate.clock = false;  // options.now stands in, the same for both packs
  return evaluate;
}

void replay_line(const Pack& before, const Pack& after, std::string_view line, std::uint64_t line_no,
                 const ReplayOptions& options, const EvaluateOptions& evaluate, const CsvCases* csv,
                 ReplaySummary& summary, std::string& diff) {
  if (blank(line)) return;
  std::string error;
  Case c;
  try {
    c = csv ? csv->read(line, line_no) : parse_case(line, options.origin, CaseFormat::Json);
  } catch (const EvaluationError& e) {
    error = detail::line_error_text(line_no, options.origin, e.location(), e.message());
  } catch (const std::bad_alloc&) {
    error = detail::line_error_text(line_no, options.origin, SourceLocation{}, "out of memory");
  }
  if (error.empty() && c.compound())  // spec §4.1: no single state, level or total to compare
    error = detail::line_error_text(line_no, options.origin, SourceLocation{},
                                    "a compound case (spec §4.1: 'playbooks' or 'triage: all') is not replayed: "
                                    "replay compares single cases; evaluate it with `redress batch` on each pack");
  if (!error.empty()) {
    if (options.diff) diff += diff_error_line(line_no, error) + "\n";
    summary.add_error(line_no, std::move(error));
    return;
  }
  if (!c.now) c.now = options.now;
  std::string old_error, new_error;
  std::optional<Decision> a = attempt([&] { return before.evaluate(c, evaluate); }, line_no, options.origin, old_error);
  std::optional<Decision> b = attempt([&] { return after.evaluate(c, evaluate); }, line_no, options.origin, new_error);
  record(line_no, a, old_error, b, new_error, options, summary, diff);
}

}  // namespace

void replay_lines(const Pack& before, const Pack& after, std::string_view text, std::uint64_t first_line,
                  const ReplayOptions& options, const CsvCases* csv, ReplaySummary& summary, std::string& diff) {
  const std::vector<std::string_view> lines = util::split_lines(text);
  const EvaluateOptions evaluate = traced(options);
  in_ranges(lines.size(), options, summary, diff, [&](std::size_t i, ReplaySummary& s, std::string& d) {
    replay_line(before, after, lines[i], first_line + i, options, evaluate, csv, s, d);
  });
}

void replay_cases(const Pack& before, const Pack& after, std::vector<Case> cases, const std::vector<std::uint64_t>& lines,
                  const ReplayOptions& options, ReplaySummary& summary, std::string& diff) {
  if (lines.size() != cases.size()) throw std::invalid_argument("replay_cases: one line number per case");
  for (Case& c : cases)
    if (!c.now) c.now = options.now;
  BatchOptions batch;
  batch.evaluate = traced(options);
  batch.threads = options.threads;
  // No line in the text: the case's number is the error's `line`, and a partition replayed from
  // 0 keeps the same text once shifted into place (ReplaySummary::shift_lines).
  auto text = [&](const EvaluationResult& r) {
    if (!r.error) return std::string();
    return r.error->location().file ? to_string(r.error->location()) + ": " + r.error->message() : r.error->message();
  };
  // In blocks: two traced Decisions a case are kilobytes, so a block's are held, not a batch's.
  constexpr std::size_t kBlock = 2048;
  std::vector<Case> block;
  for (std::size_t start = 0; start < cases.size(); start += kBlock) {
    const std::size_t n = std::min(kBlock, cases.size() - start);
    block.assign(std::make_move_iterator(cases.begin() + static_cast<std::ptrdiff_t>(start)),
                 std::make_move_iterator(cases.begin() + static_cast<std::ptrdiff_t>(start + n)));
    std::vector<EvaluationResult> a = before.evaluate_many(block, batch);
    std::vector<EvaluationResult> b = after.evaluate_many(block, batch);
    in_ranges(n, options, summary, diff, [&](std::size_t i, ReplaySummary& s, std::string& d) {
      record(lines[start + i], a[i].decision, text(a[i]), b[i].decision, text(b[i]), options, s, d);
    });
  }
}

}  // namespace redress
