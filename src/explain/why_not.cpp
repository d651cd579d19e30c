// Why not: for a level, compensation item, state or action the Decision does not have, the
// rules that would have produced it and, for each, the first part of its condition that failed,
// with the facts' values (issue #17, criterion 2). The conditions found here are the goals the
// counterfactuals (counterfactual.cpp) try to make true.
#include <algorithm>

#include "explain/run.hpp"
#include "util/text.hpp"

namespace redress::explaining {

using detail::EscalationRule;
using detail::State;
using detail::Transition;

Target parse_target(const Playbook& pb, const std::string& spec) {
  Target t;
  t.spec = spec;
  const auto eq = spec.find('=');
  const std::vector<std::string> kinds{"level", "item", "state", "action"};
  if (eq == std::string::npos)
    throw EvaluationError("why-not target '" + spec + "' is not KIND=VALUE (" + util::join(kinds) + ", e.g. level=manager)");
  const std::string kind = spec.substr(0, eq);
  t.value = spec.substr(eq + 1);
  std::vector<std::string> known;
  if (kind == "level") {
    t.kind = Target::Kind::Level;
    known = pb.ladder;
    auto it = std::find(known.begin(), known.end(), t.value);
    if (it != known.end()) t.rung = static_cast<int>(it - known.begin());
  } else if (kind == "item") {
    t.kind = Target::Kind::Item;
    for (const auto& r : pb.compensation) known.push_back(r.id);
  } else if (kind == "state") {
    t.kind = Target::Kind::State;
    for (const auto& s : pb.states) known.push_back(s.name);
  } else if (kind == "action") {
    t.kind = Target::Kind::Action;
    for (const auto& s : pb.states)
      for (const auto& a : s.actions)
        if (std::find(known.begin(), known.end(), a.id) == known.end()) known.push_back(a.id);
  } else {
    throw EvaluationError("unknown why-not target kind '" + kind + "'" + util::did_you_mean_or_list(kind, kinds, "kinds:"));
  }
  if (std::find(known.begin(), known.end(), t.value) == known.end()) {
    if (known.empty()) throw EvaluationError("playbook '" + pb.id + "' has no " + kind + " at all");
    throw EvaluationError("playbook '" + pb.id + "' has no " + kind + " '" + t.value + "'" +
                          util::did_you_mean_or_list(t.value, known, "it has:"));
  }
  return t;
}

bool reached(const Target& t, const Decision& d) {
  switch (t.kind) {
    case Target::Kind::Level: return d.escalation.level == t.value;
    case Target::Kind::Item:
      return std::any_of(d.compensation.items.begin(), d.compensation.items.end(),
                         [&](const CompensationItem& i) { return i.id == t.value && !i.amount.amount.is_zero(); });
    case Target::Kind::State: return d.state == t.value;
    case Target::Kind::Action:
      return std::any_of(d.actions.begin(), d.actions.end(), [&](const ActionOut& a) { return a.action == t.value; });
  }
  return false;
}

std::string outcome(const Target& t, const Decision& d) {
  switch (t.kind) {
    case Target::Kind::Level: return "level " + d.escalation.level;
    case Target::Kind::Item:
      for (const auto& i : d.compensation.items)
        if (i.id == t.value) return i.id + " " + i.amount.to_string();
      return "no " + t.value;
    case Target::Kind::State: return "state " + d.state;
    case Target::Kind::Action: return (reached(t, d) ? "action " : "no action ") + t.value + " (state " + d.state + ")";
  }
  return "";
}

namespace {

std::string condition_text(const ConditionCheck& c) {
  std::string facts = facts_text(c.facts);
  return c.expr + " is " + c.value + (facts.empty() ? "" : " (" + facts + ")");
}

// "RULE at FILE:LINE:COL: PART is false (facts); NOTE."
void finish(Blocker& b) {
  b.text = b.rule + " at " + to_string(b.at);
  if (b.why) b.text += " (\"" + *b.why + "\")";
  if (b.failed) b.text += ": " + condition_text(*b.failed);
  if (!b.note.empty()) b.text += (b.failed ? "; " : ": ") + b.note;
  b.text += ".";
}

// The level escalation gives when rule `forced` is taken to hold (the others as evaluated).
int escalate_with(const Run& run, std::size_t forced) {
  const Playbook& pb = *run.playbook;
  int rung = pb.start_rung;
  const int top = static_cast<int>(pb.ladder.size()) - 1;
  for (std::size_t i = 0; i < pb.escalation.size(); ++i) {
    const EscalationRule& rule = pb.escalation[i];
    if (i != forced && !holds(run, rule.when)) continue;
    switch (rule.kind) {
      case EscalationRule::Kind::AtLeast: rung = std::max(rung, rule.rung); break;
      case EscalationRule::Kind::Raise: rung = std::min(top, rung + rule.rung); break;
      case EscalationRule::Kind::Set: rung = rule.rung; break;
    }
  }
  return rung;
}

std::string escalation_rule_name(const Playbook& pb, const EscalationRule& r) {
  std::string when = r.when ? "'" + r.when->text() + "'" : "(no when)";
  switch (r.kind) {
    case EscalationRule::Kind::AtLeast: return "escalation rule " + when + " (at_least " + pb.ladder[static_cast<std::size_t>(r.rung)] + ")";
    case EscalationRule::Kind::Raise: return "escalation rule " + when + " (raise " + std::to_string(r.rung) + ")";
    case EscalationRule::Kind::Set: return "escalation rule " + when + " (set " + pb.ladder[static_cast<std::size_t>(r.rung)] + ")";
  }
  return "escalation rule " + when;
}

void level_blockers(const Run& run, const Target& t, WhyNot& w, std::vector<const expr::Program*>& goals,
                    std::vector<const expr::Program*>& helpers) {
  const Playbook& pb = *run.playbook;
  const int current = run.decision().escalation.rank;
  if (current > t.rung) {
    w.text = "The level is " + run.decision().escalation.level + ", above " + t.value + ".";
    return;
  }
  for (std::size_t i = 0; i < pb.escalation.size(); ++i) {
    const EscalationRule& rule = pb.escalation[i];
    const bool can = rule.kind == EscalationRule::Kind::Raise || rule.rung >= t.rung;
    if (!can) {
      // Not enough alone, but a lower rung first can make a later `raise` reach the target.
      if (rule.when && !holds(run, rule.when)) helpers.push_back(&*rule.when);
      continue;
    }
    Blocker b;
    b.rule = escalation_rule_name(pb, rule);
    b.at = rule.pos;
    b.why = rule.why;
    const bool held = holds(run, rule.when);
    const std::string would = pb.ladder[static_cast<std::size_t>(escalate_with(run, i))];
    if (!held) {
      if (rule.when) b.failed = first_failed(run, *rule.when);
      b.note = escalate_with(run, i) >= t.rung ? "if it held, the level would be " + would
                                               : "even if it held, the level would be only " + would;
      if (rule.when) goals.push_back(&*rule.when);
    } else {
      b.note = "it holds, yet the level ends at " + run.decision().escalation.level;
    }
    finish(b);
    w.blockers.push_back(std::move(b));
  }
  w.text = "The level is " + run.decision().escalation.level + ", not " + t.value + ".";
  if (w.blockers.empty()) w.text += " No escalation rule of playbook '" + pb.id + "' can lift it to " + t.value + ".";
}

void item_blockers(const Run& run, const Target& t, WhyNot& w, std::vector<const expr::Program*>& goals) {
  const Playbook& pb = *run.playbook;
  auto rule = std::find_if(pb.compensation.begin(), pb.compensation.end(),
                           [&](const detail::CompensationRule& r) { return r.id == t.value; });
  Blocker b;
  b.rule = "compensation rule '" + rule->id + "'";
  b.at = rule->pos;
  b.why = rule->why;
  if (!holds(run, rule->when)) {
    b.failed = first_failed(run, *rule->when);
    goals.push_back(&*rule->when);
  } else {
    const auto& items = run.decision().compensation.items;
    auto item = std::find_if(items.begin(), items.end(), [&](const CompensationItem& i) { return i.id == t.value; });
    if (item == items.end())
      b.note = pb.combine == detail::Combine::Max ? "it holds, but 'combine: max' keeps only the largest item"
                                                  : "it holds, but 'combine: first' keeps only the first rule that holds";
    else if (run.decision().compensation.capped)
      b.note = "it holds, but the cap cuts it to " + item->amount.to_string();
    else
      b.note = "it holds, but its amount " + rule->amount.text() + " is " + item->amount.to_string();
  }
  finish(b);
  w.blockers.push_back(std::move(b));
  w.text = "No " + t.value + " in the compensation.";
}

// The options, from the states this case passed, that lead to state `target`.
void state_blockers(const Run& run, std::uint32_t target, WhyNot& w, std::vector<const expr::Program*>& goals) {
  const Playbook& pb = *run.playbook;
  std::vector<std::uint32_t> passed;
  for (const auto& name : run.decision().path) {
    std::uint32_t s = pb.state_index.at(name);
    if (std::find(passed.begin(), passed.end(), s) == passed.end()) passed.push_back(s);
  }
  auto add = [&](const State& from, const Transition& t, std::string how, const Transition* taken_first) {
    Blocker b;
    b.rule = how + " in state " + from.name + " -> " + pb.states[target].name;
    b.at = t.pos;
    b.why = t.why;
    if (!holds(run, t.when)) {
      b.failed = first_failed(run, *t.when);
      goals.push_back(&*t.when);
    } else if (taken_first) {
      b.note = "it holds, but an earlier option (to " + pb.states[taken_first->target].name + ") is taken first";
    }
    if (how.rfind("on event", 0) == 0) b.note += (b.note.empty() ? "" : "; ") + std::string("it needs that event");
    finish(b);
    w.blockers.push_back(std::move(b));
  };
  for (std::uint32_t s : passed) {
    const State& st = pb.states[s];
    const Transition* first = nullptr;
    for (const auto& t : st.always) {
      if (t.target == target) add(st, t, "automatic option", first);
      if (!first && holds(run, t.when)) first = &t;
    }
    for (std::size_t e = 0; e < st.on.size(); ++e) {
      const Transition* first_on = nullptr;
      for (const auto& t : st.on[e]) {
        if (t.target == target) add(st, t, "on event '" + pb.events[e] + "'", first_on);
        if (!first_on && holds(run, t.when)) first_on = &t;
      }
    }
    for (const auto& t : st.after)
      if (t.transition.target == target) add(st, t.transition, "timeout after " + t.span.to_string(), nullptr);
  }
  if (w.blockers.empty()) {
    std::vector<std::string> from;
    for (const auto& st : pb.states) {
      bool leads = std::any_of(st.always.begin(), st.always.end(), [&](const Transition& t) { return t.target == target; }) ||
                   std::any_of(st.after.begin(), st.after.end(), [&](const detail::Timeout& t) { return t.transition.target == target; });
      for (const auto& options : st.on)
        leads = leads || std::any_of(options.begin(), options.end(), [&](const Transition& t) { return t.target == target; });
      if (leads) from.push_back(st.name);
    }
    w.text += " No transition from the states this case passed (" + util::join(run.decision().path, ", ") + ") leads to " +
              pb.states[target].name + (from.empty() ? std::string(".") : "; it is reached from " + util::join(from, ", ") + ".");
  }
}

void action_blockers(const Run& run, const Target& t, WhyNot& w, std::vector<const expr::Program*>& goals) {
  const Playbook& pb = *run.playbook;
  const State& here = pb.states[pb.state_index.at(run.decision().state)];
  bool in_state = false;
  for (const auto& a : here.actions) {
    if (a.id != t.value) continue;
    in_state = true;
    Blocker b;
    b.rule = "action '" + a.id + "' of state " + here.name;
    b.at = a.pos;
    b.why = a.why;
    if (a.when && !holds(run, a.when)) {
      b.failed = first_failed(run, *a.when);
      goals.push_back(&*a.when);
    }
    finish(b);
    w.blockers.push_back(std::move(b));
  }
  w.text = "Action " + t.value + " is not recommended.";
  if (in_state) return;
  std::vector<std::string> states;
  for (std::uint32_t s = 0; s < pb.states.size(); ++s) {
    const auto& acts = pb.states[s].actions;
    if (std::none_of(acts.begin(), acts.end(), [&](const detail::Action& a) { return a.id == t.value; })) continue;
    states.push_back(pb.states[s].name);
    state_blockers(run, s, w, goals);
  }
  w.text = "Action " + t.value + " belongs to state " + util::join(states, ", ") + "; the case is in " + run.decision().state + ".";
}

}  // namespace

WhyNot why_not(const CompiledPack& pack, const Run& run, const std::string& spec, const ExplainOptions& options) {
  const Target t = parse_target(*run.playbook, spec);
  WhyNot w;
  w.target = spec;
  w.reached = reached(t, run.decision());
  if (w.reached) {
    w.text = "It is already so: " + outcome(t, run.decision()) + ".";
    return w;
  }
  std::vector<const expr::Program*> goals, helpers;
  switch (t.kind) {
    case Target::Kind::Level: level_blockers(run, t, w, goals, helpers); break;
    case Target::Kind::Item: item_blockers(run, t, w, goals); break;
    case Target::Kind::State:
      w.text = "The case is in " + run.decision().state + ", not " + t.value + ".";
      state_blockers(run, run.playbook->state_index.at(t.value), w, goals);
      break;
    case Target::Kind::Action: action_blockers(run, t, w, goals); break;
  }
  w.changes = counterfactuals(pack, run, t, goals, helpers, options);
  if (w.changes.empty()) w.text += " No change of the facts found reaches " + spec + ".";
  return w;
}

}  // namespace redress::explaining
