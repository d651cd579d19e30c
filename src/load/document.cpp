#include "load/document.hpp"

#include "load/reader.hpp"
#include "util/file.hpp"

namespace redress::load {

Document parse_document(const std::string& path, const std::string& display,
                        std::vector<Diagnostic>& diags, const Limits& limits, DocumentKind kind) {
  Document d;
  std::string error;
  auto text = util::read_file(path, error);
  if (!text) {
    Diagnostic diag;
    diag.location.file = detail::intern_source_file(path, display);
    diag.message = error;
    diags.push_back(diag);
    return d;
  }
  d.src = std::make_unique<SourceFile>(path, display, std::move(*text), limits);
  if (auto problem = d.src->precheck()) {
    diags.push_back(*problem);
    return d;
  }
  try {
    d.root = YAML::Load(d.src->text());
  } catch (const YAML::Exception& e) {
    std::uint32_t line = e.mark.is_null() ? 0 : static_cast<std::uint32_t>(e.mark.line + 1);
    std::uint32_t col = e.mark.is_null() ? 0 : static_cast<std::uint32_t>(e.mark.column + 1);
    // yaml-cpp's words for the two most common slips of a hand-written file.
    std::string hint = e.msg == "illegal map value"
        ? " (indent with spaces, never a tab; put a value that contains ': ' in quotes)" : "";
    diags.push_back(d.src->diag(Severity::Error, line, col, "malformed YAML: " + e.msg + hint));
    return d;
  } catch (const std::exception& e) {
    diags.push_back(d.src->diag(Severity::Error, 0, 0, std::string("cannot read YAML: ") + e.what()));
    return d;
  }
  if (auto problem = check_limits(d.root, limits)) {
    Reader(*d.src, diags).error(problem->where, problem->message);
    return d;
  }
  if (!d.root.IsDefined() || d.root.IsNull()) {
    if (kind == DocumentKind::PackYaml) {  // nothing shared: every section is optional
      d.root = YAML::Node(YAML::NodeType::Map);
      d.ok = true;
      return d;
    }
    diags.push_back(d.src->diag(Severity::Error, 1, 1,
                                kind == DocumentKind::Tests
                                    ? "empty file: a test file holds 'tests:' (a list of tests)"
                                    : "empty file: a playbook starts with 'redress: 1' and 'playbook: <id>'"));
    return d;
  }
  if (!d.root.IsMap()) {
    Reader r(*d.src, diags);
    r.error(d.root, kind == DocumentKind::PackYaml ? "pack.yaml must be a mapping of keys (currency, ladder, facts, let, calendars, …)"
                    : kind == DocumentKind::Tests  ? "a test file must be a mapping with 'tests:' (a list of tests)"
                                                   : "a playbook file must be a mapping of keys (redress, playbook, states, …)");
    return d;
  }
  d.ok = true;
  return d;
}

bool looks_like_case(const YAML::Node& root) {
  if (root["playbook"] || root["states"] || root["redress"] || !root["facts"]) return false;
  return root["now"] || root["event"] || root["state"] || root["entered_at"] ||
         (root["facts"].IsMap() && root.size() <= 6);
}

}  // namespace redress::load
