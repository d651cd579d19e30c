// parse_case (include/redress/case.hpp): picks the reader for the text, JSON or YAML, and turns
// its problem into an EvaluationError located in the case's text.
#include <string>
#include <string_view>

#include "case/json_case.hpp"
#include "load/case_yaml.hpp"
#include "load/source.hpp"
#include "redress/diagnostic.hpp"

namespace redress {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

CaseFormat format_of(std::string_view text, const std::string& origin) {
  for (const char* ext : {".json", ".jsonl", ".ndjson", ".JSON"})
    if (ends_with(origin, ext)) return CaseFormat::Json;
  for (const char* ext : {".yaml", ".yml", ".YAML", ".YML"})
    if (ends_with(origin, ext)) return CaseFormat::Yaml;
  // No telling name (stdin): a JSON case starts with '{' (a list, '[', is read as JSON to say
  // that it is not one case). A YAML case in flow style on stdin needs '---' first.
  std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  return i < text.size() && (text[i] == '{' || text[i] == '[') ? CaseFormat::Json : CaseFormat::Yaml;
}

}  // namespace

Case parse_case(std::string_view text, const std::string& origin, CaseFormat format) {
  return parse_case(text, origin, LoadLimits{}, format);
}

Case parse_case(std::string_view text, const std::string& origin, const LoadLimits& limits, CaseFormat format) {
  if (format == CaseFormat::Auto) format = format_of(text, origin);
  // The origin is named (interned) only when there is something to report.
  auto fail = [&](const cases::CaseTextError& e) -> Case {
    throw EvaluationError(e.message, SourceLocation{detail::intern_source_file(origin), e.line, e.column, 0});
  };
  if (text.size() > limits.max_file_bytes)
    fail({load::Limits::refusal("the case is " + std::to_string(text.size()) + " bytes; the limit is " +
                                    std::to_string(limits.max_file_bytes),
                                "max_file_bytes")});
  Case c;
  if (format == CaseFormat::Json) {
    // A byte order mark is not JSON, but editors on Windows write one: skip it.
    std::string_view json = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? text.substr(3) : text;
    if (auto e = cases::case_from_json(json, c, limits)) {
      if (e->line == 1 && json.size() != text.size()) ++e->column;
      return fail(*e);
    }
    return c;
  }
  if (auto e = load::case_from_yaml_text(text, c, limits)) return fail(*e);
  return c;
}

}  // namespace redress
