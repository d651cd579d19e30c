// One JSON line in, one line out (include/redress/json_lines.hpp): the same for the CLI and Python.
#include "redress/json_lines.hpp"

#include "redress/compound.hpp"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>
#include <new>

#include "eval/line_error.hpp"
#include "runtime/thread_pool.hpp"
#include "util/text.hpp"
#include "util/json_writer.hpp"

namespace redress {

namespace detail {

std::string line_error_text(std::uint64_t line_no, const std::string& origin, const SourceLocation& at,
                            const std::string& message) {
  const std::string n = std::to_string(line_no);
  if (at.file == 0 || at.path() == origin)
    return origin + ":" + n + (at.known() && at.column ? ":" + std::to_string(at.column) : "") + ": " + message;
  return to_string(at) + ": " + message;
}

}  // namespace detail

namespace {

// {"line":N,"error":"ORIGIN:N:COL: message"}.
void error_line(std::uint64_t line_no, const std::string& origin, const SourceLocation& at,
                const std::string& message, std::string& out) {
  out = "{\"line\":" + std::to_string(line_no) + ",\"error\":";
  util::JsonWriter::escape(out, detail::line_error_text(line_no, origin, at, message));  // quoted and escaped
  out += "}";
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

void apply_overrides(Case& c, const JsonLinesOptions& options) {
  if (options.triage) c.triage = *options.triage;
  if (!options.event.empty()) c.event = options.event;
  if (c.compound() && (!options.playbook.empty() || !options.state.empty())) {
    const std::string what = !options.playbook.empty() ? "playbook override ('" + options.playbook + "')"
                                                       : "state override ('" + options.state + "')";
    throw EvaluationError("the " + what + " is for single cases, and this case is compound (spec §4.1: it " +
                          (c.playbooks.empty() ? "asks 'triage: all'" : "names 'playbooks'") +
                          "); it names its playbooks and gives their states in 'states' itself");
  }
  if (!options.playbook.empty()) c.playbook = options.playbook;
  if (!options.state.empty()) c.state = options.state;
}

LineOutcome evaluate_json_line(const Pack& pack, std::string_view line, std::uint64_t line_no,
                               const JsonLinesOptions& options, std::string& out) {
  if (blank(line)) {
    out.clear();
    return LineOutcome::Blank;
  }
  try {
    Case c = parse_case(line, options.origin);
    apply_overrides(c, options);
    if (c.compound()) {
      out = to_json(pack.evaluate_compound(c, options.evaluate));
      return LineOutcome::Decided;
    }
    // One Decision per thread, reused line after line: its storage is not allocated again.
    thread_local Decision decision;
    pack.evaluate_into(c, decision, options.evaluate);
    out = to_json(decision);
    return LineOutcome::Decided;
  } catch (const EvaluationError& e) {
    error_line(line_no, options.origin, e.location(), e.message(), out);
  } catch (const std::bad_alloc&) {
    error_line(line_no, options.origin, SourceLocation{}, "out of memory", out);
  } catch (const std::exception& e) {
    error_line(line_no, options.origin, SourceLocation{}, std::string("internal error: ") + e.what(), out);
  }
  return LineOutcome::Failed;
}

void refuse_long_line(std::uint64_t line_no, std::size_t limit, const JsonLinesOptions& options, std::string& out) {
  error_line(line_no, options.origin, SourceLocation{},
             "the case is longer than the " + std::to_string(limit >> 20) + " MiB limit", out);
}

JsonLinesStats evaluate_json_lines(const Pack& pack, std::string_view text, std::uint64_t first_line,
                                   const JsonLinesOptions& options, std::string& out) {
  const std::vector<std::string_view> lines = util::split_lines(text);
  // Contiguous ranges of lines, a few per thread for balance, each written to its own text and
  // joined in order; the ranges run on the library's shared pool.
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t ranges = std::max<std::size_t>(1, std::min<std::size_t>(lines.size() / 64, threads * 8));
  std::vector<std::string> parts(ranges);
  std::vector<JsonLinesStats> stats(ranges);
  runtime::ThreadPool::shared().parallel_for(ranges, threads, [&](std::size_t first, std::size_t last) {
    std::string one;
    for (std::size_t r = first; r < last; ++r) {
      std::size_t begin = lines.size() * r / ranges, end = lines.size() * (r + 1) / ranges;
      for (std::size_t i = begin; i < end; ++i) {
        switch (evaluate_json_line(pack, lines[i], first_line + i, options, one)) {
          case LineOutcome::Decided: ++stats[r].decided; break;
          case LineOutcome::Failed: ++stats[r].failed; break;
          case LineOutcome::Blank: ++stats[r].blank; break;
        }
        parts[r] += one;
        parts[r] += '\n';
      }
    }
  });
  JsonLinesStats total;
  for (std::size_t r = 0; r < ranges; ++r) {
    out += parts[r];
    total.decided += stats[r].decided;
    total.failed += stats[r].failed;
    total.blank += stats[r].blank;
  }
  return total;
}

}  // namespace redress
