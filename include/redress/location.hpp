// Where something is in a pack's source files: a value (file id, line, column, span), formatted
// into text only at the edge (diagnostics, the Decision JSON, the CLI, Python).
#pragma once

#include <cstdint>
#include <string>
#include <tuple>

namespace redress {

// A source file, named once per process: the same (path, name) pair always gets the same id,
// so a location from a pack compares equal to the same place in the pack loaded again.
// 0 is "no file". Ids are never freed (one entry per distinct file a process loads).
using FileId = std::uint32_t;

// The path as given to load ("playbooks/delivery_delay.yaml"); "" for 0 or an unknown id.
const std::string& source_path(FileId file);
// The file's name as traces print it ("delivery_delay.yaml"); "" for 0 or an unknown id.
const std::string& source_name(FileId file);

struct SourceLocation {
  FileId file = 0;
  std::uint32_t line = 0;    // 1-based; 0 when the location is the whole file (or unknown)
  std::uint32_t column = 0;  // 1-based, in code points
  std::uint32_t length = 0;  // code points the located text spans on its line; 0 when unknown

  bool known() const { return line != 0; }
  const std::string& path() const { return source_path(file); }
  const std::string& name() const { return source_name(file); }

  friend bool operator==(const SourceLocation& a, const SourceLocation& b) {
    return std::tie(a.file, a.line, a.column, a.length) == std::tie(b.file, b.line, b.column, b.length);
  }
  friend bool operator!=(const SourceLocation& a, const SourceLocation& b) { return !(a == b); }
  // File id first: an order for sets and maps, not the order of paths.
  friend bool operator<(const SourceLocation& a, const SourceLocation& b) {
    return std::tie(a.file, a.line, a.column, a.length) < std::tie(b.file, b.line, b.column, b.length);
  }
};

// "delivery_delay.yaml:41:28" (the file's name, as traces and evaluation errors print it);
// "delivery_delay.yaml" when the line is unknown; "" when there is no file.
std::string to_string(const SourceLocation& at);

namespace detail {
// The id of a file (registering it on first use). Thread-safe. `name` defaults to the path.
FileId intern_source_file(const std::string& path, const std::string& name);
inline FileId intern_source_file(const std::string& path) { return intern_source_file(path, path); }
}  // namespace detail

}  // namespace redress
