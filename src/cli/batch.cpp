#include "cli/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <vector>

#include "cli/common.hpp"
#include "cli/stream.hpp"
#include "redress/json_lines.hpp"

namespace redress::cli {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

int run_batch(const BatchCommandOptions& options) {
  const Pack pack = Pack::load(options.path);

  const bool from_stdin = options.cases == "-";
  File in = open_stream(options.cases, "rb");
  if (!in) {
    std::cerr << "error: " << options.cases << ": cannot read the cases (" << std::strerror(errno) << ")\n";
    return kBadInput;
  }
  File out = open_stream(options.output, "wb");
  if (!out) {
    std::cerr << "error: " << options.output << ": cannot write the decisions (" << std::strerror(errno) << ")\n";
    return kBadInput;
  }
  JsonLinesOptions lines;
  lines.origin = from_stdin ? "<stdin>" : options.cases;
  lines.evaluate.trace = options.trace;
  lines.evaluate.clock = true;  // as `eval`: a case without `now` is evaluated at the current time (spec §6)
  lines.playbook = options.playbook;
  lines.state = options.state;
  lines.event = options.event;
  lines.triage = triage_option(options.triage);
  const std::string& origin = lines.origin;
  lines.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const unsigned threads = lines.threads;

  struct stat st {};
  std::uint64_t total_bytes = fstat(fileno(in.get()), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
  Progress progress(!options.quiet && isatty(STDERR_FILENO), total_bytes);
  LineReader reader(in.get(), kMaxLineBytes);

  std::string line, text, decisions;
  bool too_long = false, more = true;
  std::uint64_t next_line = 1;  // the number of the first line in `text`
  JsonLinesStats stats;
  auto write = [&](const std::string& s) { std::fwrite(s.data(), 1, s.size(), out.get()); };
  // Evaluates the lines gathered in `text` and writes their results.
  auto flush = [&] {
    decisions.clear();
    JsonLinesStats s = evaluate_json_lines(pack, text, next_line, lines, decisions);
    stats.decided += s.decided;
    stats.failed += s.failed;
    stats.blank += s.blank;
    next_line += s.lines();
    text.clear();
    write(decisions);
    std::fflush(out.get());  // a reader downstream gets each chunk as soon as it is decided
  };
  auto start = Clock::now();
  while (more && !std::ferror(out.get())) {
    std::size_t n = 0;
    while (n < kChunkLines && text.size() < kChunkBytes && (more = reader.next(line, too_long))) {
      ++n;
      if (too_long) {  // refused in place, between the lines before and after it
        flush();
        refuse_long_line(next_line++, kMaxLineBytes, lines, decisions);
        ++stats.failed;
        write(decisions + "\n");
        continue;
      }
      text += line;
      text += '\n';
    }
    flush();
    progress.update(stats.decided + stats.failed, reader.bytes());
  }
  std::uint64_t decided = stats.decided, failed = stats.failed, blanks = stats.blank;
  std::fflush(out.get());
  progress.finish();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  if (reader.failed()) {
    std::cerr << "error: " << origin << ": read failed after line " << next_line - 1 << "\n";
    return kBadInput;
  }
  if (std::ferror(out.get())) {
    std::cerr << "error: " << options.output << ": write failed (" << std::strerror(errno) << ")\n";
    return kBadInput;
  }
  if (!options.quiet) {
    std::uint64_t cases = decided + failed;
    std::cerr << util::thousands(cases) << (cases == 1 ? " case: " : " cases: ") << util::thousands(decided) << " decided, "
              << util::thousands(failed) << (failed == 1 ? " error" : " errors");
    if (blanks) std::cerr << ", " << util::thousands(blanks) << " blank " << (blanks == 1 ? "line" : "lines");
    char rate[64];
    std::snprintf(rate, sizeof rate, " in %.2f s (%s cases/s, %u %s)", seconds,
                  util::thousands(static_cast<std::uint64_t>(seconds > 0 ? cases / seconds : 0)).c_str(), threads,
                  threads == 1 ? "thread" : "threads");
    std::cerr << rate << "\n";
  }
  return failed ? kFinding : kOk;
}

}  // namespace redress::cli
