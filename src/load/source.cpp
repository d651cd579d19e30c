#include "load/source.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace redress::load {

SourceFile::SourceFile(std::string path, std::string display, std::string text, const Limits& limits)
    : path_(std::move(path)), display_(std::move(display)), text_(std::move(text)),
      id_(detail::intern_source_file(path_, display_)), limits_(limits) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

static bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

expr::SourceMap::Pos SourceFile::pos_of(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());  // 1-based
  std::size_t start = line_starts_[line - 1];
  std::uint32_t col = 1;
  for (std::size_t i = start; i < offset; ++i)
    if (!is_continuation(static_cast<unsigned char>(text_[i]))) ++col;
  return {static_cast<std::uint32_t>(line), col};
}

std::size_t SourceFile::offset_of_line(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return text_.size();
  return line_starts_[line - 1];
}

std::string SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::size_t start = line_starts_[line - 1];
  std::size_t end = text_.find('\n', start);
  if (end == std::string::npos) end = text_.size();
  std::string s = text_.substr(start, end - start);
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

Diagnostic SourceFile::diag(Severity sev, std::uint32_t line, std::uint32_t column,
                            std::string message) const {
  Diagnostic d;
  d.severity = sev;
  d.location = {id_, line, column, 0};
  d.message = std::move(message);
  d.source_line = line_text(line);
  return d;
}

expr::SourceMap SourceFile::map_scalar(std::size_t start, std::string_view value) const {
  expr::SourceMap map;
  map.file = id_;
  map.pos.reserve(value.size() + 1);
  std::size_t p = std::min(start, text_.size());
  // Skip an opening quote or a block indicator line.
  if (p < text_.size() && (text_[p] == '"' || text_[p] == '\'')) ++p;
  else if (p < text_.size() && (text_[p] == '|' || text_[p] == '>')) {
    std::size_t nl = text_.find('\n', p);
    p = nl == std::string::npos ? text_.size() : nl + 1;
  }
  // `p` only moves forward, so the line and column are carried along with it: pos_of() counts
  // the column from the start of the line, which is quadratic on a 60 KB one-line expression.
  expr::SourceMap::Pos at = pos_of(p);
  std::size_t at_off = p;
  auto pos_at = [&](std::size_t off) {
    for (; at_off < off; ++at_off) {
      if (text_[at_off] == '\n') {
        ++at.line;
        at.column = 1;
      } else if (!is_continuation(static_cast<unsigned char>(text_[at_off]))) {
        ++at.column;
      }
    }
    return at;
  };
  // Greedy alignment: each character of the value is the next equal byte in the file (bounded
  // look-ahead), so escapes and folded whitespace do not shift later tokens.
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::size_t q = p;
    std::size_t limit = std::min(text_.size(), p + 16);
    while (q < limit && text_[q] != value[i]) ++q;
    if (q < limit) p = q;
    map.pos.push_back(pos_at(p));
    if (p < text_.size()) ++p;
  }
  map.pos.push_back(pos_at(p));
  return map;
}

std::optional<Diagnostic> SourceFile::precheck() const {
  const Limits& limits = limits_;
  if (text_.size() > limits.max_file_bytes)
    return diag(Severity::Error, 0, 0,
                Limits::refusal("file is " + std::to_string(text_.size()) + " bytes; the limit is " +
                                    std::to_string(limits.max_file_bytes),
                                "max_file_bytes"));
  std::size_t nul = text_.find('\0');
  if (nul != std::string::npos) {
    auto p = pos_of(nul);
    Diagnostic d = diag(Severity::Error, p.line, p.column, "binary data (a NUL byte): not a YAML text file");
    d.source_line.clear();
    return d;
  }
  if (!util::valid_utf8(text_)) return diag(Severity::Error, 0, 0, "the file is not valid UTF-8 text (save it as UTF-8)");
  // Nesting: flow brackets outside quotes and comments, and indentation of block content.
  std::size_t depth = 0;
  char quote = 0;
  bool comment = false, line_start = true;
  std::size_t indent = 0;
  for (std::size_t i = 0; i < text_.size(); ++i) {
    char c = text_[i];
    if (c == '\n') { comment = false; line_start = true; indent = 0; if (quote == '\'') {} continue; }
    if (comment) continue;
    if (line_start) {
      if (c == ' ' || c == '-' || c == '\t' || c == '?' || c == ':') {
        ++indent;
        if (indent > limits.max_indent()) {
          auto p = pos_of(i);
          return diag(Severity::Error, p.line, p.column,
                      Limits::refusal("nesting too deep (indented more than " + std::to_string(limits.max_indent()) + " columns)",
                                      "max_yaml_depth"));
        }
        continue;
      }
      line_start = false;
    }
    if (quote) {
      if (c == '\\' && quote == '"') { ++i; continue; }
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '#' && (i == 0 || text_[i - 1] == ' ' || text_[i - 1] == '\t')) { comment = true; continue; }
    if (c == '"' || c == '\'') {
      // A quote opens a quoted scalar only at the start of a token.
      char prev = i == 0 ? ' ' : text_[i - 1];
      if (prev == ' ' || prev == '[' || prev == '{' || prev == ',' || prev == ':' || prev == '\t') quote = c;
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > limits.max_yaml_depth) {
        auto p = pos_of(i);
        return diag(Severity::Error, p.line, p.column,
                    Limits::refusal("nesting too deep (more than " + std::to_string(limits.max_yaml_depth) + " levels of [ or {)",
                                    "max_yaml_depth"));
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace redress::load
