// A source file held in memory, with the maps from byte offsets to 1-based line/column that
// every diagnostic needs, and the checks that keep hostile files away from the YAML parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expr.hpp"
#include "redress/diagnostic.hpp"
#include "redress/limits.hpp"

namespace redress::load {

// LoadOptions' limits (include/redress/limits.hpp), as every stage of the loader reads them.
struct Limits : LoadLimits {
  bool analysis_warnings = true;  // LoadOptions::analyse
  Limits() = default;
  explicit Limits(const LoadLimits& l, bool analyse = true) : LoadLimits(l), analysis_warnings(analyse) {}
  // Block nesting as the text shows it, before parsing: columns of indentation.
  std::size_t max_indent() const { return 4 * max_yaml_depth; }
  // The message of a refusal: "<what> (limits.<field>)".
  static std::string refusal(const std::string& what, const char* field) {
    return what + " (limits." + field + ")";
  }
};

class SourceFile {
 public:
  // `limits`: what the file is read under (expressions compiled from it follow them too).
  SourceFile(std::string path, std::string display, std::string text, const Limits& limits = {});

  const std::string& path() const { return path_; }
  const std::string& display() const { return display_; }
  const std::string& text() const { return text_; }
  FileId id() const { return id_; }
  const Limits& limits() const { return limits_; }

  // 1-based line and column (in code points) of a byte offset.
  expr::SourceMap::Pos pos_of(std::size_t offset) const;
  SourceLocation location_of(std::size_t offset) const {
    auto p = pos_of(offset);
    return {id_, p.line, p.column, 0};
  }
  // The text of a 1-based line, without its newline ("" if out of range).
  std::string line_text(std::uint32_t line) const;
  // Byte offset of a 1-based line/column given in code points (as yaml-cpp's marks are
  // converted by mark_pos).
  std::size_t offset_of_line(std::uint32_t line) const;

  Diagnostic diag(Severity sev, std::uint32_t line, std::uint32_t column, std::string message) const;

  // Maps each character of `value` (a scalar as parsed) onto the file, starting at the scalar's
  // byte offset: quotes, escapes and folded line breaks are skipped by aligning characters.
  expr::SourceMap map_scalar(std::size_t start_offset, std::string_view value) const;

  // Checks a file before it reaches the YAML parser: size, NUL bytes, UTF-8, nesting.
  // Returns a diagnostic when the file must not be parsed.
  std::optional<Diagnostic> precheck() const;

 private:
  std::string path_, display_, text_;
  FileId id_ = 0;
  Limits limits_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace redress::load
