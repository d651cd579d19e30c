#include "cli/replay.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <thread>

#include "cli/common.hpp"
#include "cli/stream.hpp"
#include "eval/line_error.hpp"
#include "redress/csv_cases.hpp"
#include "redress/replay.hpp"

namespace redress::cli {

namespace {

bool ends_with(const std::string& s, const char* suffix) {
  std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// CSV when asked, or named .csv, or (neither named .jsonl/.ndjson/.json nor asked) when the
// first line does not start with '{'.
bool is_csv(const ReplayCommandOptions& o, const std::string& first_line) {
  if (o.input != "auto") return o.input == "csv";
  if (ends_with(o.cases, ".csv") || ends_with(o.cases, ".CSV")) return true;
  for (const char* ext : {".jsonl", ".ndjson", ".json", ".JSONL"})
    if (ends_with(o.cases, ext)) return false;
  std::size_t i = first_line.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (i < first_line.size() && (first_line[i] == ' ' || first_line[i] == '\t')) ++i;
  return i < first_line.size() && first_line[i] != '{';
}

}  // namespace

int run_replay(const ReplayCommandOptions& options) {
  const Pack before = Pack::load(options.old_path);
  const Pack after = Pack::load(options.new_path);

  const bool from_stdin = options.cases == "-";
  File in = open_stream(options.cases, "rb");
  if (!in) {
    std::cerr << "error: " << options.cases << ": cannot read the cases (" << std::strerror(errno) << ")\n";
    return kBadInput;
  }
  File diff_out(nullptr, CloseFile{true});
  if (!options.diff.empty()) {
    diff_out = open_stream(options.diff, "wb");
    if (!diff_out) {
      std::cerr << "error: " << options.diff << ": cannot write the differences (" << std::strerror(errno) << ")\n";
      return kBadInput;
    }
  }
  std::ofstream report;
  if (!options.report.empty()) {
    report.open(options.report, std::ios::binary);
    if (!report) {
      std::cerr << "error: " << options.report << ": cannot write the report (" << std::strerror(errno) << ")\n";
      return kBadInput;
    }
  }

  ReplayOptions replay;
  replay.origin = from_stdin ? "<stdin>" : options.cases;
  replay.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  replay.diff = static_cast<bool>(diff_out);
  replay.now = Timestamp::now();  // read once: both packs see the same time for a case without `now`

  struct stat st {};
  std::uint64_t total_bytes = fstat(fileno(in.get()), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
  Progress progress(!options.quiet && isatty(STDERR_FILENO), total_bytes);
  LineReader reader(in.get(), kMaxLineBytes);

  ReplaySummary summary;
  std::string line, text, diff;
  bool too_long = false, more = true;
  std::uint64_t next_line = 1;  // the number of the next line read
  std::uint64_t first_line = 1;  // of the first line in `text`

  // A CSV stream starts with its header.
  std::optional<CsvCases> csv;
  if ((more = reader.next(line, too_long))) {
    if (too_long && options.input != "csv") {  // a case too long, refused in its place below
      std::string error = detail::line_error_text(1, replay.origin, SourceLocation{},
                                                  "the case is longer than the 4 MiB limit");
      if (diff_out) diff = diff_error_line(1, error) + "\n";
      summary.add_error(1, std::move(error));
      ++next_line;
    } else if (too_long || is_csv(options, line)) {
      if (too_long) {
        std::cerr << "error: " << replay.origin << ":1: the CSV header is longer than the 4 MiB limit\n";
        return kBadInput;
      }
      try {
        csv.emplace(line, replay.origin);
      } catch (const EvaluationError& e) {
        std::cerr << "error: " << detail::line_error_text(1, replay.origin, e.location(), e.message()) << "\n";
        return kBadInput;
      }
      ++next_line;
    } else {
      text = line + '\n';  // line 1, the first of the first chunk
      ++next_line;
    }
    first_line = text.empty() ? next_line : 1;
  }
  auto write_diff = [&] {
    if (diff_out && !diff.empty()) {
      std::fwrite(diff.data(), 1, diff.size(), diff_out.get());
      std::fflush(diff_out.get());
    }
    diff.clear();
  };
  auto flush = [&] {
    replay_lines(before, after, text, first_line, replay, csv ? &*csv : nullptr, summary, diff);
    write_diff();
    text.clear();
    first_line = next_line;
  };
  while (more && !(diff_out && std::ferror(diff_out.get()))) {
    std::size_t n = 0;
    while (n < kChunkLines && text.size() < kChunkBytes && (more = reader.next(line, too_long))) {
      ++n;
      if (too_long) {  // refused in place, between the lines before and after it
        flush();
        std::string error = detail::line_error_text(next_line, replay.origin, SourceLocation{},
                                                    "the case is longer than the 4 MiB limit");
        if (diff_out) diff = diff_error_line(next_line, error) + "\n";
        summary.add_error(next_line, std::move(error));
        write_diff();
        first_line = ++next_line;
        continue;
      }
      text += line;
      text += '\n';
      ++next_line;
    }
    flush();
    progress.update(summary.cases, reader.bytes());
  }
  progress.finish();

  if (reader.failed()) {
    std::cerr << "error: " << replay.origin << ": read failed after line " << next_line - 1 << "\n";
    return kBadInput;
  }
  if (diff_out && std::ferror(diff_out.get())) {
    std::cerr << "error: " << options.diff << ": write failed (" << std::strerror(errno) << ")\n";
    return kBadInput;
  }
  if (report.is_open()) {
    report << to_html(summary, "redress replay: " + options.old_path + " → " + options.new_path);
    report.close();
    if (!report) {
      std::cerr << "error: " << options.report << ": write failed\n";
      return kBadInput;
    }
  }
  if (options.format == "json")
    std::cout << to_json(summary, JsonOptions{true}) << "\n";
  else if (options.format == "markdown")
    std::cout << to_markdown(summary);
  else
    std::cout << to_text(summary);
  std::cout.flush();
  if (summary.errors) return kFinding;
  return options.fail_on_change && summary.changed ? kFinding : kOk;
}

}  // namespace redress::cli
