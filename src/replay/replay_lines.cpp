// replay_lines: a chunk of a case stream through two packs, on the shared pool (as
// evaluate_json_lines does for one pack): each case is read once, evaluated by both, compared.
#include <algorithm>
#include <exception>
#include <new>
#include <optional>
#include <thread>

#include "eval/line_error.hpp"
#include "redress/csv_cases.hpp"
#include "redress/replay.hpp"
#include "runtime/thread_pool.hpp"

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
  if (!error.empty()) {
    if (options.diff) diff += diff_error_line(line_no, error) + "\n";
    summary.add_error(line_no, std::move(error));
    return;
  }
  if (!c.now) c.now = options.now;
  std::string old_error, new_error;
  std::optional<Decision> a = attempt([&] { return before.evaluate(c, evaluate); }, line_no, options.origin, old_error);
  std::optional<Decision> b = attempt([&] { return after.evaluate(c, evaluate); }, line_no, options.origin, new_error);
  if (a && b) {
    CaseChanges changes = compare_decisions(*a, *b);
    std::vector<RuleRef> rules = rules_fired_differently(*a, *b);
    if (options.diff && changes.any()) diff += diff_line(line_no, *a, *b, changes, rules) + "\n";
    summary.add(line_no, *a, *b, changes, rules);
    return;
  }
  // Refused by one pack (or both): the same case, so the same message is one error.
  if (!a && !b && old_error == new_error)
    error = "both packs: " + old_error;
  else
    error = (a ? "" : "old pack: " + old_error) + (!a && !b ? "; " : "") + (b ? "" : "new pack: " + new_error);
  if (options.diff) diff += diff_error_line(line_no, error) + "\n";
  summary.add_error(line_no, std::move(error));
}

}  // namespace

void replay_lines(const Pack& before, const Pack& after, std::string_view text, std::uint64_t first_line,
                  const ReplayOptions& options, const CsvCases* csv, ReplaySummary& summary, std::string& diff) {
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  EvaluateOptions evaluate = options.evaluate;
  evaluate.trace = true;   // the rules that fired differently come from the traces
  evaluate.clock = false;  // options.now stands in, the same for both packs
  // Contiguous ranges, a few per thread for balance, each with its own summary and diff text,
  // merged in order.
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t ranges = std::max<std::size_t>(1, std::min<std::size_t>(lines.size() / 64, threads * 8));
  std::vector<ReplaySummary> summaries(ranges);
  std::vector<std::string> diffs(ranges);
  runtime::ThreadPool::shared().parallel_for(ranges, threads, [&](std::size_t first, std::size_t last) {
    for (std::size_t r = first; r < last; ++r) {
      std::size_t begin = lines.size() * r / ranges, end = lines.size() * (r + 1) / ranges;
      for (std::size_t i = begin; i < end; ++i)
        replay_line(before, after, lines[i], first_line + i, options, evaluate, csv, summaries[r], diffs[r]);
    }
  });
  for (std::size_t r = 0; r < ranges; ++r) {
    summary.merge(summaries[r]);
    diff += diffs[r];
  }
}

}  // namespace redress
