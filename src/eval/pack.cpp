// The public face: Pack, diagnostics and errors.
#include <algorithm>
#include <tuple>

#include "compile/compiled.hpp"
#include "eval/evaluator.hpp"
#include "load/loader.hpp"
#include "redress/pack.hpp"
#include "redress/version.hpp"

namespace redress {

const char* version_string() { return "0.1.0"; }

const char* to_string(Severity s) { return s == Severity::Error ? "error" : "warning"; }

std::string Diagnostic::to_string() const {
  std::string s = file;
  if (line) s += ":" + std::to_string(line) + ":" + std::to_string(column);
  s += std::string(": ") + redress::to_string(severity) + ": " + message;
  return s;
}

std::string Diagnostic::to_string_with_caret() const {
  std::string s = to_string();
  if (source_line.empty() || !line) return s;
  // Show at most a window of the line around the column, with control bytes made visible,
  // so a minified or binary line cannot flood the terminal.
  constexpr std::uint32_t kWindow = 100;
  std::vector<std::string> chars;  // one code point each
  for (std::size_t i = 0; i < source_line.size();) {
    std::size_t n = 1;
    unsigned char c = static_cast<unsigned char>(source_line[i]);
    if (c >= 0xC0) while (i + n < source_line.size() && (static_cast<unsigned char>(source_line[i + n]) & 0xC0) == 0x80) ++n;
    std::string ch = source_line.substr(i, n);
    if (c < 0x20 && c != '\t') ch = "?";
    if (c == 0x7F) ch = "?";
    chars.push_back(ch);
    i += n;
  }
  std::uint32_t col = std::max<std::uint32_t>(column, 1);
  std::size_t first = chars.size() > kWindow && col > kWindow / 2 ? col - kWindow / 2 : 1;  // 1-based
  std::size_t last = std::min(chars.size(), first + kWindow - 1);
  std::string shown = first > 1 ? "…" : "";
  std::string caret = first > 1 ? " " : "";
  for (std::size_t i = first; i <= last; ++i) {
    shown += chars[i - 1];
    if (i < col) caret += chars[i - 1] == "\t" ? "\t" : " ";
  }
  if (last < chars.size()) shown += "…";
  s += "\n  " + shown + "\n  " + caret + "^";
  return s;
}

static std::string summarize(const std::vector<Diagnostic>& diags) {
  std::size_t errors = 0;
  for (const auto& d : diags) errors += d.severity == Severity::Error;
  std::string s = std::to_string(errors) + (errors == 1 ? " error" : " errors") + " while loading";
  for (const auto& d : diags)
    if (d.severity == Severity::Error) { s += ": " + d.to_string(); break; }
  return s;
}

LoadError::LoadError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(summarize(diagnostics)), diagnostics_(std::move(diagnostics)) {}

EvaluationError::EvaluationError(std::string message, std::string location)
    : std::runtime_error(location.empty() ? message : location + ": " + message),
      location_(std::move(location)),
      message_(std::move(message)) {}

Pack Pack::load(const std::string& path, const LoadOptions& options) {
  return load(std::vector<std::string>{path}, options);
}

Pack Pack::load(const std::vector<std::string>& paths, const LoadOptions& options) {
  std::vector<Diagnostic> diags;
  load::Limits limits;
  limits.analysis_warnings = options.analyse;
  std::shared_ptr<detail::CompiledPack> compiled;
  try {
    compiled = load::load_pack(paths, limits, diags);
  } catch (const std::bad_alloc&) {
    Diagnostic d;
    d.message = "out of memory while loading";
    diags.push_back(d);
  } catch (const std::exception& e) {
    // A parser exception that escaped the located checks: still a diagnostic, never a crash.
    Diagnostic d;
    d.file = paths.empty() ? "" : paths.front();
    d.message = std::string("cannot load: ") + e.what();
    diags.push_back(d);
  }
  // Stable, de-duplicated order: by file, line, column (pack.yaml problems appear once).
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  diags.erase(std::unique(diags.begin(), diags.end(),
                          [](const Diagnostic& a, const Diagnostic& b) {
                            return a.file == b.file && a.line == b.line && a.column == b.column &&
                                   a.message == b.message;
                          }),
              diags.end());
  bool failed = !compiled;
  for (const auto& d : diags) failed = failed || d.severity == Severity::Error;
  if (!failed && compiled->playbooks.empty()) {
    Diagnostic d;
    d.file = paths.empty() ? "" : paths.front();
    d.message = "no playbooks found (a playbook is a *.yaml file with 'redress: 1' and 'playbook: <id>')";
    diags.push_back(d);
    failed = true;
  }
  if (failed) throw LoadError(std::move(diags));
  compiled->warnings = std::move(diags);
  return Pack(std::move(compiled));
}

static Timestamp evaluation_time(const std::optional<Timestamp>& now, const EvaluateOptions& options) {
  if (now) return *now;
  if (options.clock) return Timestamp::now();
  throw EvaluationError("the case has no 'now' (the evaluation time); give one, or set EvaluateOptions::clock", "");
}

Decision Pack::evaluate(const Case& c, const EvaluateOptions& options) const {
  detail::Evaluator ev(evaluation_time(c.now, options), options.trace);
  return ev.evaluate(*impl_, c);
}

Decision Pack::evaluate(const BoundCase& c, const EvaluateOptions& options) const {
  detail::Evaluator ev(evaluation_time(c.now, options), options.trace);
  return ev.evaluate(*impl_, c);
}

std::optional<PlaybookRef> Pack::playbook_ref(const std::string& id) const {
  auto it = impl_->playbook_index.find(id);
  if (it == impl_->playbook_index.end()) return std::nullopt;
  return PlaybookRef{it->second};
}

template <typename Ref>
static std::optional<Ref> ref_in(const detail::CompiledPack& pack, PlaybookRef pb,
                                 const std::unordered_map<std::string, std::uint32_t> detail::Playbook::*index,
                                 const std::string& name) {
  if (pb.index >= pack.playbooks.size()) return std::nullopt;
  const auto& map = pack.playbooks[pb.index].*index;
  auto it = map.find(name);
  if (it == map.end()) return std::nullopt;
  return Ref{pb.index, it->second};
}

std::optional<FactRef> Pack::fact_ref(PlaybookRef pb, const std::string& fact) const {
  return ref_in<FactRef>(*impl_, pb, &detail::Playbook::fact_index, fact);
}
std::optional<StateRef> Pack::state_ref(PlaybookRef pb, const std::string& state) const {
  return ref_in<StateRef>(*impl_, pb, &detail::Playbook::state_index, state);
}
std::optional<EventRef> Pack::event_ref(PlaybookRef pb, const std::string& event) const {
  return ref_in<EventRef>(*impl_, pb, &detail::Playbook::event_index, event);
}

std::string Pack::triage(const Case& c, const EvaluateOptions& options) const {
  detail::Evaluator ev(evaluation_time(c.now, options), false);
  Case probe = c;
  probe.playbook.clear();
  return ev.pick(*impl_, probe).id;
}

const std::vector<PlaybookInfo>& Pack::playbooks() const { return impl_->infos; }
const std::vector<Diagnostic>& Pack::warnings() const { return impl_->warnings; }
const std::string& Pack::fingerprint() const { return impl_->fingerprint; }
const std::vector<std::string>& Pack::sources() const { return impl_->sources; }

}  // namespace redress
