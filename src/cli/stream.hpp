// Reading a stream of cases, line by line, with a progress line on a terminal: what `redress
// batch` and `redress replay` share.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "util/text.hpp"

namespace redress::cli {

// Reads lines of at most `max_line_bytes`; the rest of a longer line is skipped, not buffered,
// so memory stays bounded whatever the input.
class LineReader {
 public:
  LineReader(std::FILE* in, std::size_t max_line_bytes) : in_(in), max_line_bytes_(max_line_bytes), buffer_(1u << 20) {}

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
        std::size_t room = max_line_bytes_ - line.size();
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
  std::size_t max_line_bytes_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t bytes_ = 0;
};

// How a stream of cases is read: in chunks of at most kChunkLines lines and kChunkBytes bytes,
// each line (a case) at most kMaxLineBytes, as for --case files.
constexpr std::size_t kChunkLines = 16384;
constexpr std::size_t kMaxLineBytes = 4u << 20;
constexpr std::size_t kChunkBytes = 64u << 20;

// Closes the files the command opened, not stdin or stdout.
struct CloseFile {
  bool owned;
  void operator()(std::FILE* f) const {
    if (owned) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, CloseFile>;

// `path` opened with `mode` ("rb" or "wb"); "-" is stdin or stdout. Null (errno says why) when
// it cannot be opened.
inline File open_stream(const std::string& path, const char* mode) {
  if (path == "-") return File(mode[0] == 'r' ? stdin : stdout, CloseFile{false});
  return File(std::fopen(path.c_str(), mode), CloseFile{true});
}

inline std::string clock_text(double seconds) {
  auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

// "  1,234,567 cases  312,000/s  42%  ETA 0:00:12" on one terminal line, at most 5 times a second.
class Progress {
  using Clock = std::chrono::steady_clock;

 public:
  Progress(bool on, std::uint64_t total_bytes) : on_(on), total_bytes_(total_bytes), start_(Clock::now()) {}

  void update(std::uint64_t cases, std::uint64_t bytes) {
    if (!on_) return;
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string line = "\r  " + util::thousands(cases) + " cases  " +
                       util::thousands(static_cast<std::uint64_t>(elapsed > 0 ? cases / elapsed : 0)) + "/s";
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

}  // namespace redress::cli
