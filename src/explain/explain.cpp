// explain(): why each part of a Decision is what it is (issue #17, criterion 1), and the
// orchestration of why-not (why_not.cpp), counterfactuals (counterfactual.cpp) and what-if.
#include <algorithm>

#include "eval/pack_internal.hpp"
#include "explain/run.hpp"
#include "util/text.hpp"

namespace redress::explaining {

using detail::Transition;

// ---- one run and its frame ----------------------------------------------------------------

Run evaluate(const CompiledPack& pack, Case c, const EvaluateOptions& options) {
  Run run;
  run.input = std::make_unique<Case>(std::move(c));
  if (run.input->now) run.now = *run.input->now;
  else if (options.clock) run.now = Timestamp::now();
  else throw EvaluationError("the case has no 'now' (the evaluation time); give one, or set EvaluateOptions::clock");
  EvaluateOptions untraced = options;
  untraced.trace = false;
  run.output = std::make_unique<Decision>();
  run.evaluator = std::make_unique<detail::Evaluator>(run.now, untraced, *run.output);
  run.evaluator->evaluate(pack, *run.input);
  run.playbook = &pack.playbooks[pack.playbook_index.at(run.decision().playbook)];
  return run;
}

const detail::FactDecl* fact_at(const Playbook& pb, std::uint32_t slot) {
  for (const auto& f : pb.facts)
    if (f.slot == slot) return &f;
  return nullptr;
}

std::string slot_name(const Playbook& pb, std::uint32_t slot) {
  for (const auto& sym : pb.money_scope.symbols)
    if (sym.slot == slot) return sym.name;
  return "?";
}

FactValue fact_value(const Run& run, std::uint32_t slot) {
  const Playbook& pb = *run.playbook;
  FactValue out{slot_name(pb, slot), "null", ""};
  const auto& frame = run.frame();
  if (slot < frame.size()) out.value = expr::display(frame[slot]);
  if (const detail::FactDecl* f = fact_at(pb, slot)) {
    const bool given = std::any_of(run.input->facts.begin(), run.input->facts.end(),
                                   [&](const auto& kv) { return kv.first == f->name && !kv.second.is_null(); });
    out.source = given ? "case" : f->has_default ? "default" : "absent";
  } else if (slot >= pb.money_slot) {
    out.source = "compensation";
  } else {
    out.source = "let";
  }
  return out;
}

std::optional<Val> value_of(const Run& run, const GuardView& g, std::string* error) {
  Val out;
  expr::EvalError err;
  expr::Scratch scratch;  // lower()/upper() of a condition: only compared, never kept
  if (!g.evaluate(run.frame().data(), run.now, scratch, out, err, &run.evaluator->clock())) {
    if (error) *error = err.message;
    return std::nullopt;
  }
  // Views into `scratch` die with it; a condition part's value is shown as text right away by
  // every caller, so only strings made here are affected: give them no view.
  if (out.type == expr::VType::String && !scratch.strings.empty()) out.s = {};
  return out;
}

namespace {

// The facts `slots` read, each once; a `let` is followed by the facts (and lets) it read.
void add_facts(const Run& run, const std::vector<std::uint32_t>& slots, std::vector<FactValue>& out,
               std::vector<std::uint32_t>& seen) {
  const Playbook& pb = *run.playbook;
  for (std::uint32_t slot : slots) {
    if (std::find(seen.begin(), seen.end(), slot) != seen.end()) continue;
    seen.push_back(slot);
    out.push_back(fact_value(run, slot));
    for (const auto& let : pb.lets)
      if (let.slot == slot) add_facts(run, GuardView(let.program).slots_read(), out, seen);
  }
}

std::string value_text(const std::optional<Val>& v, const std::string& error) {
  return v ? expr::display(*v) : "error: " + error;
}

}  // namespace

ConditionCheck check(const Run& run, const expr::Program& p, std::optional<GuardView> part) {
  const GuardView g = part ? *part : GuardView(p);
  ConditionCheck c;
  c.expr = part ? g.text(run.playbook->money_scope) : p.text();
  c.at = p.location();
  std::string error;
  c.value = value_text(value_of(run, g, &error), error);
  std::vector<std::uint32_t> seen;
  add_facts(run, g.slots_read(), c.facts, seen);
  return c;
}

std::vector<GuardView> conjuncts(const GuardView& g) {
  if (g.kind() != GuardView::Kind::And) return {g};
  std::vector<GuardView> out = conjuncts(g.operand(0));
  std::vector<GuardView> right = conjuncts(g.operand(1));
  out.insert(out.end(), right.begin(), right.end());
  return out;
}

std::optional<ConditionCheck> first_failed(const Run& run, const expr::Program& p) {
  for (const GuardView& part : conjuncts(GuardView(p))) {
    auto v = value_of(run, part);
    if (v && v->type == expr::VType::Bool && v->b) continue;
    return check(run, p, part);
  }
  return std::nullopt;
}

bool holds(const Run& run, const std::optional<expr::Program>& when) {
  if (!when) return true;
  auto v = value_of(run, GuardView(*when));
  return v && v->type == expr::VType::Bool && v->b;
}

std::string facts_text(const std::vector<FactValue>& facts) {
  std::vector<std::string> parts;
  for (const auto& f : facts) {
    if (f.source == "compensation" && f.name.empty()) continue;
    std::string s = f.name + " is " + (f.source == "absent" ? std::string("absent") : f.value);
    if (f.source == "default") s += " (default)";
    parts.push_back(s);
  }
  return util::join(parts, ", ");
}

// ---- why: each part of the Decision -------------------------------------------------------

namespace {

std::string because_of(const ConditionCheck& c) {
  // A condition that is one name (a bool fact or let): "vip is true (tier is gold, …)".
  if (!c.facts.empty() && c.facts.front().name == c.expr) {
    std::vector<FactValue> rest(c.facts.begin() + 1, c.facts.end());
    return c.expr + " is " + c.value + (rest.empty() ? "" : " (" + facts_text(rest) + ")");
  }
  std::string facts = facts_text(c.facts);
  return c.expr + (facts.empty() ? "" : " (" + facts + ")");
}

// "Moved from A to B (on event E) because C." with the author's words first when given.
Because transition_because(const Run& run, const std::string& from, const std::string& to, const Transition& t,
                           const std::string& how) {
  Because b;
  b.part = "transition";
  b.subject = from + " -> " + to;
  b.at = t.pos;
  b.why = t.why;
  if (t.when) b.conditions.push_back(check(run, *t.when));
  b.text = "Moved from " + from + " to " + to + " " + how;
  if (t.why) b.text += ": " + *t.why;
  if (t.when) b.text += (t.why ? " (" : " because ") + because_of(b.conditions.back()) + (t.why ? ")" : "");
  b.text += ".";
  return b;
}

void why_path(const Run& run, std::vector<Because>& out) {
  const Playbook& pb = *run.playbook;
  const Decision& d = run.decision();
  auto state_of = [&](const std::string& name) { return pb.state_index.at(name); };
  bool event_pending = !run.input->event.empty();
  for (std::size_t i = 1; i < d.path.size(); ++i) {
    const detail::State& from = pb.states[state_of(d.path[i - 1])];
    const std::uint32_t to = state_of(d.path[i]);
    if (event_pending) {
      event_pending = false;
      auto e = pb.event_index.find(run.input->event);
      if (e != pb.event_index.end() && e->second < from.on.size()) {
        const Transition* taken = nullptr;
        for (const auto& t : from.on[e->second])
          if (holds(run, t.when)) { taken = &t; break; }
        if (taken && taken->target == to) {
          out.push_back(transition_because(run, from.name, d.path[i], *taken, "on event '" + run.input->event + "'"));
          continue;
        }
      }
    }
    const Transition* taken = nullptr;
    for (const auto& t : from.always)
      if (holds(run, t.when)) { taken = &t; break; }
    if (taken && taken->target == to) {
      out.push_back(transition_because(run, from.name, d.path[i], *taken, "automatically"));
      continue;
    }
    for (const auto& t : from.after)
      if (t.transition.target == to && holds(run, t.transition.when)) {
        out.push_back(transition_because(run, from.name, d.path[i], t.transition,
                                         "after " + t.span.to_string() + " without a change"));
        break;
      }
  }
  if (d.path.size() == 1) {
    const detail::State& st = pb.states[state_of(d.state)];
    Because b;
    b.part = "stay";
    b.subject = st.name;
    b.at = st.pos;
    for (const auto& t : st.always)
      if (t.when) b.conditions.push_back(check(run, *t.when));
    b.text = "Stays in " + st.name;
    if (st.terminal) b.text += ": it is a terminal state.";
    else if (st.always.empty()) b.text += ": it waits for an event (" +
                                          (st.to_close.events.empty() ? std::string("none") : util::join(st.to_close.events, ", ")) + " closes it).";
    else {
      std::vector<std::string> failed;
      for (const auto& c : b.conditions) failed.push_back(because_of(c));
      b.text += ": no automatic transition holds (" + util::join(failed, "; ") + ").";
    }
    out.push_back(std::move(b));
  }
}

void why_escalation(const Run& run, std::vector<Because>& out) {
  const Playbook& pb = *run.playbook;
  int rung = pb.start_rung;
  const int top = static_cast<int>(pb.ladder.size()) - 1;
  bool any = false;
  for (const auto& rule : pb.escalation) {
    if (!holds(run, rule.when)) continue;
    any = true;
    const int before = rung;
    switch (rule.kind) {
      case detail::EscalationRule::Kind::AtLeast: rung = std::max(rung, rule.rung); break;
      case detail::EscalationRule::Kind::Raise: rung = std::min(top, rung + rule.rung); break;
      case detail::EscalationRule::Kind::Set: rung = rule.rung; break;
    }
    Because b;
    b.part = "escalation";
    b.subject = pb.ladder[static_cast<std::size_t>(rung)];
    b.at = rule.pos;
    b.why = rule.why;
    if (rule.when) b.conditions.push_back(check(run, *rule.when));
    const std::string& level = pb.ladder[static_cast<std::size_t>(rung)];
    b.text = rung == before ? "Stays at " + level : "Escalated from " + pb.ladder[static_cast<std::size_t>(before)] + " to " + level;
    if (rule.why) b.text += ": " + *rule.why;
    if (rule.when) b.text += (rule.why ? " (" : " because ") + because_of(b.conditions.back()) + (rule.why ? ")" : "");
    b.text += ".";
    out.push_back(std::move(b));
  }
  if (!any) {
    Because b;
    b.part = "escalation";
    b.subject = run.decision().escalation.level;
    b.text = "Stays at " + run.decision().escalation.level + ", where escalation starts: no escalation rule holds.";
    out.push_back(std::move(b));
  }
}

void why_compensation(const Run& run, std::vector<Because>& out) {
  const Playbook& pb = *run.playbook;
  const Compensation& comp = run.decision().compensation;
  for (const auto& item : comp.items) {
    auto rule = std::find_if(pb.compensation.begin(), pb.compensation.end(),
                             [&](const detail::CompensationRule& r) { return r.id == item.id; });
    if (rule == pb.compensation.end()) continue;
    Because b;
    b.part = "compensation";
    b.subject = item.id + " " + item.amount.to_string();
    b.at = rule->pos;
    b.why = rule->why;
    if (rule->when) b.conditions.push_back(check(run, *rule->when));
    b.conditions.push_back(check(run, rule->amount));
    const ConditionCheck& amount = b.conditions.back();
    b.text = item.id + " (" + item.kind + ", " + to_string(item.basis) + ") " + item.amount.to_string();
    if (rule->why) b.text += ": " + *rule->why;
    if (rule->when) b.text += (rule->why ? ", " : " ") + std::string("because ") + because_of(b.conditions.front());
    b.text += "; amount " + amount.expr + " = " + amount.value + (amount.facts.empty() ? "" : " (" + facts_text(amount.facts) + ")");
    if (item.amount.amount.is_zero() || (comp.capped && item.basis == Basis::Goodwill)) b.text += ", after the cap";
    b.text += ".";
    out.push_back(std::move(b));
  }
  if (pb.cap && pb.has_compensation) {
    Because b;
    b.part = "cap";
    b.conditions.push_back(check(run, *pb.cap));
    b.at = pb.cap->location();
    const ConditionCheck& cap = b.conditions.back();
    b.subject = cap.value;
    b.text = comp.capped ? "Capped at " + cap.value + " by the cap " + cap.expr
                         : "Under the cap of " + cap.value + " (" + cap.expr + ")";
    if (!cap.facts.empty()) b.text += ", with " + facts_text(cap.facts);
    b.text += ".";
    out.push_back(std::move(b));
  }
  if (comp.held && pb.hold) {
    Because b;
    b.part = "hold";
    b.subject = *comp.hold_reason;
    b.at = pb.hold->when.location();
    b.why = pb.hold->why.empty() ? std::nullopt : std::optional<std::string>(pb.hold->why);
    b.conditions.push_back(check(run, pb.hold->when));
    b.text = "Held for review by a " + pb.ladder[static_cast<std::size_t>(pb.hold->rung)] + ": " + *comp.hold_reason +
             " (" + because_of(b.conditions.back()) + ").";
    out.push_back(std::move(b));
  }
  if (!pb.approvals.empty() && !comp.held) {
    // What the thresholds compare: the goodwill total, or the total with `limits: all`.
    const Money& controlled = pb.limits_cover_owed ? comp.total : comp.goodwill;
    const detail::Approval* passed = nullptr;
    for (const auto& a : pb.approvals)
      if (controlled.amount > a.above) passed = &a;
    Because b;
    b.part = "approval";
    const std::string what = pb.limits_cover_owed ? "the total " : "the goodwill ";
    if (passed) {
      const std::string above = Money{passed->above, pb.currency}.to_string();
      b.subject = pb.ladder[static_cast<std::size_t>(passed->rung)];
      b.at = passed->pos;
      b.text = "Needs " + b.subject + " sign-off: " + what + controlled.to_string() + " is above " + above + ".";
    } else {
      b.subject = "none";
      b.at = pb.approvals.front().pos;
      b.text = "No sign-off needed: " + what + controlled.to_string() + " is not above " +
               Money{pb.approvals.front().above, pb.currency}.to_string() + ".";
    }
    out.push_back(std::move(b));
  }
}

void why_actions(const Run& run, std::vector<Because>& out) {
  const Playbook& pb = *run.playbook;
  const detail::State& st = pb.states[pb.state_index.at(run.decision().state)];
  for (const auto& a : st.actions) {
    if (!holds(run, a.when)) continue;
    Because b;
    b.part = "action";
    b.subject = a.id;
    b.at = a.pos;
    b.why = a.why;
    if (a.when) b.conditions.push_back(check(run, *a.when));
    b.text = a.id + ": an action of state " + st.name;
    if (a.why) b.text += ", " + *a.why;
    if (a.when) b.text += ", because " + because_of(b.conditions.back());
    b.text += ".";
    out.push_back(std::move(b));
  }
}

// A case's value as written: text without quotes.
std::string as_text(const Value& v) { return v.kind() == Value::Kind::String ? v.as_string() : v.to_display(); }

// What-if: the case with facts (and `now`) changed, and what differs.
WhatIf what_if(const CompiledPack& pack, const Run& run, const ExplainOptions& options) {
  WhatIf w;
  Case changed = with_facts(*run.input, options.what_if);
  for (const auto& [name, value] : options.what_if) {
    if (!run.playbook->fact_index.count(name)) {
      std::vector<std::string> names;
      for (const auto& f : run.playbook->facts) names.push_back(f.name);
      throw EvaluationError("what-if: playbook '" + run.playbook->id + "' has no fact '" + name + "'" +
                            util::did_you_mean_or_list(name, names, "its facts:"));
    }
    auto it = std::find_if(run.input->facts.begin(), run.input->facts.end(), [&](const auto& kv) { return kv.first == name; });
    std::string from = "absent";
    if (it != run.input->facts.end()) from = as_text(it->second);
    else if (auto f = run.playbook->fact_index.find(name); f != run.playbook->fact_index.end())
      from = fact_value(run, run.playbook->facts[f->second].slot).value + " (default)";
    w.changes.push_back(FactChange{name, from, as_text(value)});
  }
  if (options.what_if_now) {
    w.changes.push_back(FactChange{"now", run.now.to_string(), options.what_if_now->to_string()});
    changed.now = options.what_if_now;
  }
  if (changed.playbook.empty()) changed.playbook = run.decision().playbook;  // the same playbook, not a new triage
  w.decision = std::move(*evaluate(pack, std::move(changed), options.evaluate).output);
  w.differences = diff(run.decision(), w.decision);
  return w;
}

}  // namespace

Case with_facts(const Case& c, const std::vector<std::pair<std::string, Value>>& facts) {
  Case out = c;
  for (const auto& [name, value] : facts) {
    auto it = std::find_if(out.facts.begin(), out.facts.end(), [&](const auto& kv) { return kv.first == name; });
    if (it != out.facts.end()) it->second = value;
    else out.facts.emplace_back(name, value);
  }
  return out;
}

}  // namespace redress::explaining

namespace redress {

void add_what_if(ExplainOptions& options, const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw EvaluationError("what-if '" + spec + "' is not FACT=VALUE (e.g. days_late=7, or now=2026-11-23T10:00:00Z)");
  const std::string name = spec.substr(0, eq), value = spec.substr(eq + 1);
  if (name == "now") {
    auto t = Timestamp::parse(value);
    if (!t) throw EvaluationError("what-if now='" + value + "' is not a time like 2026-11-23T10:00:00Z");
    options.what_if_now = t;
    return;
  }
  // Text, converted to the fact's declared type as a case file's is.
  options.what_if.emplace_back(name, value == "null" ? Value::null() : Value::string(value));
}

Explanation explain(const Pack& pack, const Case& c, const ExplainOptions& options) {
  // Each part's why is its own playbook's; one explanation of a merged answer would mix them.
  if (c.compound())
    throw EvaluationError("explain takes a single case, and this one is compound (spec §4.1: 'playbooks' or "
                          "'triage: all'): explain one conflict at a time, with a case that names its 'playbook' "
                          "and its 'state' from 'states'");
  const detail::CompiledPack& compiled = detail::compiled(pack);
  explaining::Run run = explaining::evaluate(compiled, c, options.evaluate);
  Explanation e;
  explaining::why_path(run, e.because);
  explaining::why_escalation(run, e.because);
  explaining::why_compensation(run, e.because);
  explaining::why_actions(run, e.because);
  for (const auto& target : options.why_not) e.why_not.push_back(explaining::why_not(compiled, run, target, options));
  if (!options.what_if.empty() || options.what_if_now) e.what_if = explaining::what_if(compiled, run, options);
  e.decision = std::move(*run.output);
  return e;
}

}  // namespace redress
