// `redress test --coverage`: which parts of each playbook its tests exercise, read from the
// decisions and traces of the tests themselves.
#include <algorithm>
#include <set>
#include <tuple>

#include "eval/pack_internal.hpp"
#include "redress/testing.hpp"

namespace redress {

std::size_t PlaybookCoverage::covered() const {
  std::size_t n = 0;
  for (const auto& item : items) n += item.covered;
  return n;
}

namespace {

// What the tests of one playbook were seen to do.
struct Seen {
  std::set<std::string> states;
  std::set<std::tuple<std::string, std::string, std::string>> steps;  // from, via, to
  std::set<SourceLocation> true_guards;                               // trace `at` with value true
  std::set<std::string> items;                                        // compensation item ids
  std::set<std::string> approvals;                                    // approval levels, not held
  bool capped = false, held = false, any = false;
};

// `event`: the event the decision's evaluation took ("" none).
void observe(Seen& seen, const std::string& event, const Decision& d) {
  seen.any = true;
  for (const auto& s : d.path) seen.states.insert(s);
  for (std::size_t i = 1; i < d.path.size(); ++i) {
    // The first step is the event's when the case had one; every other step is `always`.
    std::string via = i == 1 && !event.empty() ? event : "always";
    seen.steps.emplace(d.path[i - 1], via, d.path[i]);
  }
  for (const auto& t : d.trace)
    if (t.value.kind() == Value::Kind::Bool && t.value.as_bool()) seen.true_guards.insert(t.at);
  for (const auto& item : d.compensation.items) seen.items.insert(item.id);
  if (d.compensation.approval && !d.compensation.held) seen.approvals.insert(*d.compensation.approval);
  seen.capped = seen.capped || d.compensation.capped;
  seen.held = seen.held || d.compensation.held;
}

// Whether a part of a compound case took the case's event: its first state accepts it.
bool took_event(const detail::Playbook& pb, const std::string& event, const Decision& part) {
  if (event.empty() || part.path.empty()) return false;
  auto e = pb.event_index.find(event);
  auto s = pb.state_index.find(part.path.front());
  if (e == pb.event_index.end() || s == pb.state_index.end()) return false;
  const auto& on = pb.states[s->second].on;
  return e->second < on.size() && !on[e->second].empty();
}

}  // namespace

std::vector<PlaybookCoverage> measure_coverage(const Pack& pack, const std::string& filter) {
  const detail::CompiledPack& compiled = detail::compiled(pack);
  std::vector<Seen> seen(compiled.playbooks.size());
  EvaluateOptions options;
  options.trace = true;
  for (const auto& info : pack.playbooks())
    for (const auto& t : info.tests) {
      if (!filter.empty() && info.id.find(filter) == std::string::npos && t.name.find(filter) == std::string::npos)
        continue;
      try {
        Decision d = pack.evaluate(t.input, options);
        auto it = compiled.playbook_index.find(d.playbook);
        if (it != compiled.playbook_index.end()) observe(seen[it->second], t.input.event, d);
      } catch (const EvaluationError&) {
        // A refusal covers nothing but the refusal itself.
      }
    }
  // A compound test covers what each of its parts reaches. The case's event went to the parts
  // whose starting state accepts it (spec §4.1 step 2).
  for (const auto& t : compiled.compound_tests) {
    if (!filter.empty() && t.name.find(filter) == std::string::npos &&
        std::none_of(t.playbooks.begin(), t.playbooks.end(), [&](const std::string& id) { return id.find(filter) != std::string::npos; }))
      continue;
    try {
      CompoundDecision d = pack.evaluate_compound(t.input, options);
      for (const auto& part : d.parts) {
        const std::uint32_t p = compiled.playbook_index.at(part.playbook);
        observe(seen[p], took_event(compiled.playbooks[p], t.input.event, part) ? t.input.event : "", part);
      }
    } catch (const EvaluationError&) {
    }
  }

  std::vector<PlaybookCoverage> out;
  for (std::size_t p = 0; p < compiled.playbooks.size(); ++p) {
    const detail::Playbook& pb = compiled.playbooks[p];
    const Seen& s = seen[p];
    if (!filter.empty() && pb.id.find(filter) == std::string::npos && !s.any) continue;
    PlaybookCoverage cov;
    cov.playbook = pb.id;
    auto add = [&](const char* kind, std::string what, const SourceLocation& where, bool covered) {
      cov.items.push_back(CoverageItem{kind, std::move(what), where, covered});
    };
    auto guard_held = [&](const std::optional<expr::Program>& when) {
      return when && s.true_guards.count(when->location()) > 0;
    };
    for (const auto& st : pb.states) add("state", st.name, st.pos, s.states.count(st.name) > 0);
    for (const auto& st : pb.states) {
      std::set<std::pair<std::string, std::uint32_t>> listed;  // one item per (via, target)
      auto transitions = [&](const std::string& via, const std::vector<detail::Transition>& options) {
        for (const auto& t : options) {
          if (!listed.emplace(via, t.target).second) continue;
          const std::string& to = pb.states[t.target].name;
          bool covered = s.steps.count({st.name, via, to}) > 0;
          add("transition", st.name + " -(" + via + ")-> " + to, t.pos, covered);
        }
      };
      for (std::size_t e = 0; e < st.on.size(); ++e) transitions(pb.events[e], st.on[e]);
      transitions("always", st.always);
    }
    for (const auto& rule : pb.escalation)
      add("escalation", rule.why.value_or("rule"), rule.pos, s.any && (!rule.when || guard_held(rule.when)));
    for (const auto& rule : pb.compensation)
      add("compensation", rule.id, rule.amount.location(), s.items.count(rule.id) > 0 || guard_held(rule.when));
    if (pb.cap) add("cap", pb.cap->text(), pb.cap->location(), s.capped);
    for (const auto& a : pb.approvals)
      add("approval", "above " + Money{a.above, pb.currency}.to_string() + ": " + pb.ladder[static_cast<std::size_t>(a.rung)],
          a.pos, s.approvals.count(pb.ladder[static_cast<std::size_t>(a.rung)]) > 0);
    if (pb.hold) add("hold", pb.hold->why, pb.hold->when.location(), s.held);
    out.push_back(std::move(cov));
  }
  return out;
}

}  // namespace redress
