// One case, two Decisions: what changed, which rules fired differently, and its diff line.
#include <algorithm>
#include <unordered_map>

#include "eval/value_equal.hpp"
#include "redress/replay.hpp"
#include "util/json_writer.hpp"

namespace redress {

namespace {

bool same_actions(const Decision& a, const Decision& b) {
  if (a.actions.size() != b.actions.size()) return false;
  for (std::size_t i = 0; i < a.actions.size(); ++i)
    if (a.actions[i].action != b.actions[i].action) return false;
  return true;
}

// Facts and lets are computations, not rules: their values show up in the rules they feed.
bool is_rule(const TraceStep& s) { return s.what != "fact" && s.what != "let"; }

bool same_step(const TraceStep& a, const TraceStep& b) {
  return a.what == b.what && a.expr == b.expr && detail::same_value(a.value, b.value);
}

// Quick check for the common case: the same rules gave the same values, in the same order.
bool same_rules(const std::vector<TraceStep>& a, const std::vector<TraceStep>& b) {
  std::size_t i = 0, j = 0;
  for (;;) {
    while (i < a.size() && !is_rule(a[i])) ++i;
    while (j < b.size() && !is_rule(b[j])) ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (!same_step(a[i], b[j])) return false;
    ++i, ++j;
  }
}

std::string key_of(const TraceStep& s) {
  std::string k = s.what;
  k += '\x1f';
  k += s.expr;
  return k;
}

}  // namespace

CaseChanges compare_decisions(const Decision& before, const Decision& after) {
  CaseChanges c;
  c.playbook = before.playbook != after.playbook;
  c.state = before.state != after.state;
  c.actions = !same_actions(before, after);
  c.level = before.escalation.level != after.escalation.level;
  c.compensation = before.compensation.total != after.compensation.total;
  c.approval = before.compensation.approval != after.compensation.approval;
  return c;
}

std::vector<RuleRef> rules_fired_differently(const Decision& before, const Decision& after) {
  std::vector<RuleRef> out;
  if (!before.has_trace || !after.has_trace || same_rules(before.trace, after.trace)) return out;
  // Each rule's values in trace order, per version; a rule evaluated more than once (a guard
  // seen on two passes) compares as the sequence.
  struct Seen {
    std::vector<const TraceStep*> before, after;
  };
  std::unordered_map<std::string, Seen> seen;
  std::vector<std::string> order;  // first appearance, new version first, for a stable output
  auto note = [&](const TraceStep& s, bool is_after) {
    if (!is_rule(s)) return;
    auto [it, fresh] = seen.try_emplace(key_of(s));
    if (fresh) order.push_back(it->first);
    (is_after ? it->second.after : it->second.before).push_back(&s);
  };
  for (const TraceStep& s : after.trace) note(s, true);
  for (const TraceStep& s : before.trace) note(s, false);
  auto differ = [](const std::vector<const TraceStep*>& x, const std::vector<const TraceStep*>& y) {
    if (x.size() != y.size()) return true;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!detail::same_value(x[i]->value, y[i]->value)) return true;
    return false;
  };
  // A rule whose text the new pack changed (a cap raised) shows as a rule only the old trace
  // has and one only the new has, of the same kind: paired in order, they are one rule, which
  // fired differently where their values differ.
  std::vector<const Seen*> only_before, only_after;
  for (const std::string& key : order) {
    const Seen& s = seen[key];
    if (s.after.empty()) only_before.push_back(&s);
    if (s.before.empty()) only_after.push_back(&s);
  }
  std::vector<const Seen*> paired;
  for (const Seen* n : only_after)
    for (const Seen*& o : only_before)
      if (o && o->before.front()->what == n->after.front()->what) {
        const TraceStep &was = *o->before.front(), &is = *n->after.front();
        if (differ(o->before, n->after)) out.push_back({after.playbook, is.what, is.expr, to_string(is.at), was.expr});
        paired.push_back(o);
        paired.push_back(n);
        o = nullptr;
        break;
      }
  // A rule only one version has fired differently where it fired: a guard that held, an amount.
  auto fired = [](const std::vector<const TraceStep*>& steps) {
    return std::any_of(steps.begin(), steps.end(), [](const TraceStep* t) {
      return t->value.kind() != Value::Kind::Null && !(t->value.kind() == Value::Kind::Bool && !t->value.as_bool());
    });
  };
  for (const std::string& key : order) {
    const Seen& s = seen[key];
    if (std::find(paired.begin(), paired.end(), &s) != paired.end() || !differ(s.before, s.after)) continue;
    if ((s.before.empty() && !fired(s.after)) || (s.after.empty() && !fired(s.before))) continue;
    const TraceStep& step = s.after.empty() ? *s.before.front() : *s.after.front();
    out.push_back({s.after.empty() ? before.playbook : after.playbook, step.what, step.expr, to_string(step.at), {}});
  }
  return out;
}

std::string diff_line(std::uint64_t line, const Decision& before, const Decision& after, const CaseChanges& changes,
                      const std::vector<RuleRef>& rules) {
  util::JsonWriter w(false);
  w.begin_object().key("line").raw(std::to_string(line)).key("playbook").string(after.playbook);
  w.key("changed").begin_array();
  for (auto [flag, name] : {std::pair{changes.playbook, "playbook"}, {changes.state, "state"},
                            {changes.actions, "actions"}, {changes.level, "level"},
                            {changes.compensation, "compensation"}, {changes.approval, "approval"}})
    if (flag) w.string(name);
  w.end_array();
  auto pair = [&](const char* key, const std::string& a, const std::string& b) {
    w.key(key).begin_object().key("old").string(a).key("new").string(b).end_object();
  };
  auto optional_text = [&](const std::optional<std::string>& s) -> util::JsonWriter& {
    return s ? w.string(*s) : w.null();
  };
  if (changes.playbook) pair("playbook_change", before.playbook, after.playbook);
  if (changes.state) pair("state", before.state, after.state);
  if (changes.actions) {
    w.key("actions").begin_object();
    for (const Decision* d : {&before, &after}) {
      w.key(d == &before ? "old" : "new").begin_array();
      for (const ActionOut& a : d->actions) w.string(a.action);
      w.end_array();
    }
    w.end_object();
  }
  if (changes.level) pair("level", before.escalation.level, after.escalation.level);
  if (changes.compensation) {
    const Money &a = before.compensation.total, &b = after.compensation.total;
    w.key("compensation").begin_object().key("old").string(a.to_string()).key("new").string(b.to_string());
    Decimal delta;
    if (a.currency == b.currency && Decimal::sub(b.amount, a.amount, delta))
      w.key("delta").string(Money{delta, b.currency}.to_string());
    w.end_object();
  }
  if (changes.approval) {
    w.key("approval").begin_object().key("old");
    optional_text(before.compensation.approval).key("new");
    optional_text(after.compensation.approval).end_object();
  }
  if (!rules.empty()) {
    w.key("rules").begin_array();
    for (const RuleRef& r : rules)
    {
      w.begin_object().key("what").string(r.what).key("expr").string(r.expr);
      if (!r.old_expr.empty()) w.key("old_expr").string(r.old_expr);
      w.key("at").string(r.at).end_object();
    }
    w.end_array();
  }
  w.end_object();
  return w.str();
}

std::string diff_error_line(std::uint64_t line, std::string_view message) {
  util::JsonWriter w(false);
  w.begin_object().key("line").raw(std::to_string(line)).key("error").string(message).end_object();
  return w.str();
}

}  // namespace redress
