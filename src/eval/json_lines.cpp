// One JSON line in, one line out (include/redress/json_lines.hpp): the same for the CLI and Python.
#include "redress/json_lines.hpp"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>
#include <new>

#include "util/json_writer.hpp"

namespace redress {

namespace {

// {"line":N,"error":"ORIGIN:N:COL: message"}: a location inside the one-line case text
// (ORIGIN, line 1) becomes the line of the stream; a playbook's location is kept as it is.
void error_line(std::uint64_t line_no, const std::string& origin, const SourceLocation& at,
                const std::string& message, std::string& out) {
  const std::string n = std::to_string(line_no);
  std::string where;
  if (at.file == 0 || at.path() == origin)
    where = origin + ":" + n + (at.known() && at.column ? ":" + std::to_string(at.column) : "");
  else
    where = to_string(at);
  out = "{\"line\":" + n + ",\"error\":";
  util::JsonWriter::escape(out, where + ": " + message);  // quoted and escaped
  out += "}";
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

LineOutcome evaluate_json_line(const Pack& pack, std::string_view line, std::uint64_t line_no,
                               const JsonLinesOptions& options, std::string& out) {
  if (blank(line)) {
    out.clear();
    return LineOutcome::Blank;
  }
  try {
    Case c = parse_case(std::string(line), options.origin);
    if (!options.playbook.empty()) c.playbook = options.playbook;
    if (!options.state.empty()) c.state = options.state;
    if (!options.event.empty()) c.event = options.event;
    out = to_json(pack.evaluate(c, options.evaluate));
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
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  // Contiguous ranges, one per thread, each written to its own text and joined in order.
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, lines.size() / 64)));
  std::vector<std::string> parts(threads);
  std::vector<JsonLinesStats> stats(threads);
  auto run_range = [&](unsigned t) {
    std::size_t begin = lines.size() * t / threads, end = lines.size() * (t + 1) / threads;
    std::string& part = parts[t];
    std::string one;
    for (std::size_t i = begin; i < end; ++i) {
      switch (evaluate_json_line(pack, lines[i], first_line + i, options, one)) {
        case LineOutcome::Decided: ++stats[t].decided; break;
        case LineOutcome::Failed: ++stats[t].failed; break;
        case LineOutcome::Blank: ++stats[t].blank; break;
      }
      part += one;
      part += '\n';
    }
  };
  std::vector<std::exception_ptr> failures(threads);
  auto work = [&](unsigned t) noexcept {
    try {
      run_range(t);
    } catch (...) {
      failures[t] = std::current_exception();  // out of memory while writing: rethrown below
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work, t);
  work(0);
  for (auto& h : helpers) h.join();
  for (auto& f : failures)
    if (f) std::rethrow_exception(f);
  JsonLinesStats total;
  for (unsigned t = 0; t < threads; ++t) {
    out += parts[t];
    total.decided += stats[t].decided;
    total.failed += stats[t].failed;
    total.blank += stats[t].blank;
  }
  return total;
}

}  // namespace redress
