// The public face: Pack (load, evaluate, refs, triage). Diagnostics and errors are formatted
// in src/util/diagnostic.cpp.
#include <algorithm>
#include <atomic>
#include <tuple>

#include "compile/compiled.hpp"
#include "eval/evaluator.hpp"
#include "load/loader.hpp"
#include "redress/pack.hpp"
#include "runtime/thread_pool.hpp"

namespace redress {

// Every load gets its own identity, which its refs carry; 0 is never given (a ref made by hand).
static std::uint64_t next_pack_id() {
  static std::atomic<std::uint64_t> last{0};
  return ++last;
}

Pack Pack::load(const std::string& path, const LoadOptions& options) {
  return load(std::vector<std::string>{path}, options);
}

Pack Pack::load(const std::vector<std::string>& paths, const LoadOptions& options) {
  std::vector<Diagnostic> diags;
  const load::Limits limits(options.limits, options.analyse);
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
    if (!paths.empty()) d.location.file = detail::intern_source_file(paths.front());
    d.message = std::string("cannot load: ") + e.what();
    diags.push_back(d);
  }
  // Stable, de-duplicated order: by file, line, column (pack.yaml problems appear once).
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::forward_as_tuple(a.file(), a.location.line, a.location.column) <
           std::forward_as_tuple(b.file(), b.location.line, b.location.column);
  });
  diags.erase(std::unique(diags.begin(), diags.end(),
                          [](const Diagnostic& a, const Diagnostic& b) {
                            return a.file() == b.file() && a.location.line == b.location.line &&
                                   a.location.column == b.location.column && a.message == b.message;
                          }),
              diags.end());
  bool failed = !compiled;
  for (const auto& d : diags) failed = failed || d.severity == Severity::Error;
  if (!failed && compiled->playbooks.empty()) {
    Diagnostic d;
    if (!paths.empty()) d.location.file = detail::intern_source_file(paths.front());
    d.message = "no playbooks found (a playbook is a *.yaml file with 'redress: 1' and 'playbook: <id>')";
    diags.push_back(d);
    failed = true;
  }
  if (failed) throw LoadError(std::move(diags));
  if (options.strict_facts)
    for (auto& pb : compiled->playbooks) pb.strict_facts = *options.strict_facts;
  compiled->warnings = std::move(diags);
  compiled->id = next_pack_id();
  return Pack(std::move(compiled));
}

static Timestamp evaluation_time(const std::optional<Timestamp>& now, const EvaluateOptions& options) {
  if (now) return *now;
  if (options.clock) return Timestamp::now();
  throw EvaluationError("the case has no 'now' (the evaluation time); give one, or set EvaluateOptions::clock");
}

// evaluate() is evaluate_into() a fresh Decision: one path.
Decision Pack::evaluate(const Case& c, const EvaluateOptions& options) const {
  Decision d;
  evaluate_into(c, d, options);
  return d;
}

Decision Pack::evaluate(const BoundCase& c, const EvaluateOptions& options) const {
  Decision d;
  evaluate_into(c, d, options);
  return d;
}

void Pack::evaluate_into(const Case& c, Decision& into, const EvaluateOptions& options) const {
  detail::Evaluator ev(evaluation_time(c.now, options), options, into);
  ev.evaluate(*impl_, c);
}

void Pack::evaluate_into(const BoundCase& c, Decision& into, const EvaluateOptions& options) const {
  detail::Evaluator ev(evaluation_time(c.now, options), options, into);
  ev.evaluate(*impl_, c);
}

// One batch on the shared pool: `run(case, now, result)` fills each result, and an exception
// becomes that case's error. A case without `now` gets the batch's clock, read once.
template <class Result, class AnyCase, class Run>
static std::vector<Result> batch(const std::vector<AnyCase>& cases, const BatchOptions& options, Run run) {
  std::vector<Result> results(cases.size());
  EvaluateOptions at_batch_time = options.evaluate;
  std::optional<Timestamp> batch_now;
  if (options.evaluate.clock) batch_now = Timestamp::now();
  at_batch_time.clock = false;
  runtime::ThreadPool::shared().parallel_for(cases.size(), options.threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      Result& r = results[i];
      try {
        run(cases[i], evaluation_time(cases[i].now ? cases[i].now : batch_now, at_batch_time), r);
      } catch (const EvaluationError& e) {
        r.decision.reset();
        r.error = e;
      } catch (const std::exception& e) {
        r.decision.reset();
        r.error = EvaluationError(std::string("internal error: ") + e.what());
      } catch (...) {
        r.decision.reset();
        r.error = EvaluationError("internal error");
      }
    }
  });
  return results;
}

template <class AnyCase>
static std::vector<EvaluationResult> evaluate_batch(const detail::CompiledPack& pack, const std::vector<AnyCase>& cases,
                                                    const BatchOptions& options) {
  return batch<EvaluationResult>(cases, options, [&](const AnyCase& c, Timestamp now, EvaluationResult& r) {
    detail::Evaluator ev(now, options.evaluate, r.decision.emplace());
    ev.evaluate(pack, c);
  });
}

std::vector<EvaluationResult> Pack::evaluate_many(const std::vector<Case>& cases, const BatchOptions& options) const {
  return evaluate_batch(*impl_, cases, options);
}

std::vector<EvaluationResult> Pack::evaluate_many(const std::vector<BoundCase>& cases,
                                                  const BatchOptions& options) const {
  return evaluate_batch(*impl_, cases, options);
}

std::vector<CompoundResult> Pack::evaluate_compound_many(const std::vector<Case>& cases,
                                                         const BatchOptions& options) const {
  return batch<CompoundResult>(cases, options, [&](const Case& c, Timestamp now, CompoundResult& r) {
    r.decision = detail::evaluate_compound(*impl_, c, now, options.evaluate);
  });
}

std::optional<PlaybookRef> Pack::playbook_ref(const std::string& id) const {
  auto it = impl_->playbook_index.find(id);
  if (it == impl_->playbook_index.end()) return std::nullopt;
  return PlaybookRef{it->second, impl_->id};
}

template <typename Ref>
static std::optional<Ref> ref_in(const detail::CompiledPack& pack, PlaybookRef pb,
                                 const std::unordered_map<std::string, std::uint32_t> detail::Playbook::*index,
                                 const std::string& name) {
  if (pb.pack != pack.id)
    throw EvaluationError("this PlaybookRef was resolved on another Pack (another pack, or an earlier load of these "
                          "files): resolve it with this pack's playbook_ref");
  if (pb.index >= pack.playbooks.size()) return std::nullopt;
  const auto& map = pack.playbooks[pb.index].*index;
  auto it = map.find(name);
  if (it == map.end()) return std::nullopt;
  return Ref{pb.index, it->second, pack.id};
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
  EvaluateOptions untraced = options;
  untraced.trace = false;
  Decision unused;  // pick() fills only the trace, which is off
  detail::Evaluator ev(evaluation_time(c.now, options), untraced, unused);
  Case probe = c;
  probe.playbook.clear();
  return ev.pick(*impl_, probe).id;
}

CompoundDecision Pack::evaluate_compound(const Case& c, const EvaluateOptions& options) const {
  return detail::evaluate_compound(*impl_, c, evaluation_time(c.now, options), options);
}

std::vector<TriageResult> Pack::explain_triage(const Case& c, const EvaluateOptions& options) const {
  EvaluateOptions untraced = options;
  untraced.trace = false;
  Decision unused;
  detail::Evaluator ev(evaluation_time(c.now, options), untraced, unused);
  std::vector<TriageResult> out;
  const std::vector<Case> views = detail::fact_views(*impl_, c);
  ev.ranked_matches(*impl_, c, &out, views.empty() ? nullptr : &views);
  return out;
}

std::vector<std::string> Pack::triage_all(const Case& c, const EvaluateOptions& options) const {
  EvaluateOptions untraced = options;
  untraced.trace = false;
  Decision unused;
  detail::Evaluator ev(evaluation_time(c.now, options), untraced, unused);
  std::vector<std::string> out;
  const std::vector<Case> views = detail::fact_views(*impl_, c);
  for (const detail::Playbook* pb : ev.ranked_matches(*impl_, c, nullptr, views.empty() ? nullptr : &views))
    out.push_back(pb->id);
  return out;
}

const std::vector<PlaybookInfo>& Pack::playbooks() const { return impl_->infos; }
const std::vector<Diagnostic>& Pack::warnings() const { return impl_->warnings; }
const std::string& Pack::fingerprint() const { return impl_->fingerprint; }
const std::vector<std::string>& Pack::sources() const { return impl_->sources; }

}  // namespace redress
