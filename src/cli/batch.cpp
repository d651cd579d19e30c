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
#include "redress/json_lines.hpp"

namespace redress::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kChunkLines = 16384;        // lines evaluated together
constexpr std::size_t kMaxLineBytes = 4u << 20;   // a case's limit, as for --case files
constexpr std::size_t kChunkBytes = 64u << 20;    // and at most this much text at once

// Reads lines of at most kMaxLineBytes; the rest of a longer line is skipped, not buffered, so
// memory stays bounded whatever the input.
class LineReader {
 public:
  explicit LineReader(std::FILE* in) : in_(in), buffer_(1u << 20) {}

  // False at the end of the input. `too_long` when the line was cut.
  bool next(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    for (;;) {
      if (pos_ == end_) {
        end_ = std::fread(buffer_.data(), 1, buffer_.size(), in_);
        pos_ = 0;
        if (end_ == 0) return any;
      }
      any = true;
      const char* start = buffer_.data() + pos_;
      const void* nl = std::memchr(start, '\n', end_ - pos_);
      std::size_t n = nl ? static_cast<const char*>(nl) - start : end_ - pos_;
      bytes_ += n + (nl ? 1 : 0);
      if (!too_long) {
        std::size_t room = kMaxLineBytes - line.size();
        if (n > room) too_long = true;
        line.append(start, std::min(n, room));
      }
      pos_ += n + (nl ? 1 : 0);
      if (nl) break;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }

  bool failed() const { return std::ferror(in_) != 0; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::FILE* in_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t bytes_ = 0;
};

// Closes the files the command opened, not stdin or stdout.
struct CloseFile {
  bool owned;
  void operator()(std::FILE* f) const {
    if (owned) std::fclose(f);
  }
};

std::string thousands(std::uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string clock_text(double seconds) {
  auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

// "  1,234,567 cases  312,000/s  42%  ETA 0:00:12" on one terminal line, at most 5 times a second.
class Progress {
 public:
  Progress(bool on, std::uint64_t total_bytes) : on_(on), total_bytes_(total_bytes), start_(Clock::now()) {}

  void update(std::uint64_t cases, std::uint64_t bytes) {
    if (!on_) return;
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string line = "\r  " + thousands(cases) + " cases  " +
                       thousands(static_cast<std::uint64_t>(elapsed > 0 ? cases / elapsed : 0)) + "/s";
    if (total_bytes_ && bytes) {
      double done = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes_));
      line += "  " + std::to_string(static_cast<int>(done * 100)) + "%  ETA " +
              clock_text(done > 0 ? elapsed * (1 - done) / done : 0);
    }
    line += "\033[K";
    std::fputs(line.c_str(), stderr);
    shown_ = true;
  }

  void finish() {
    if (shown_) std::fputs("\r\033[K", stderr);
  }

 private:
  bool on_, shown_ = false;
  std::uint64_t total_bytes_;
  Clock::time_point start_, last_{};
};

}  // namespace

int run_batch(const BatchCommandOptions& options) {
  const Pack pack = Pack::load(options.path);

  const bool from_stdin = options.cases == "-";
  std::unique_ptr<std::FILE, CloseFile> in(from_stdin ? stdin : std::fopen(options.cases.c_str(), "rb"),
                                           CloseFile{!from_stdin});
  if (!in) {
    std::cerr << "error: " << options.cases << ": cannot read the cases (" << std::strerror(errno) << ")\n";
    return kBadInput;
  }
  const bool to_stdout = options.output == "-";
  std::unique_ptr<std::FILE, CloseFile> out(to_stdout ? stdout : std::fopen(options.output.c_str(), "wb"),
                                            CloseFile{!to_stdout});
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
  const std::string& origin = lines.origin;
  lines.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const unsigned threads = lines.threads;

  struct stat st {};
  std::uint64_t total_bytes = fstat(fileno(in.get()), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
  Progress progress(!options.quiet && isatty(STDERR_FILENO), total_bytes);
  LineReader reader(in.get());

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
    std::cerr << thousands(cases) << (cases == 1 ? " case: " : " cases: ") << thousands(decided) << " decided, "
              << thousands(failed) << (failed == 1 ? " error" : " errors");
    if (blanks) std::cerr << ", " << thousands(blanks) << " blank " << (blanks == 1 ? "line" : "lines");
    char rate[64];
    std::snprintf(rate, sizeof rate, " in %.2f s (%s cases/s, %u %s)", seconds,
                  thousands(static_cast<std::uint64_t>(seconds > 0 ? cases / seconds : 0)).c_str(), threads,
                  threads == 1 ? "thread" : "threads");
    std::cerr << rate << "\n";
  }
  return failed ? kFinding : kOk;
}

}  // namespace redress::cli
