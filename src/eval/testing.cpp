// `redress test`: the examples playbooks carry (NAME.test.yaml, `tests:`) and the compound tests
// of pack.test.yaml (spec §1), each evaluated and compared with what it expects. A Decision and a
// CompoundDecision answer most questions alike (level, actions, the compensation's amounts and
// flags), so one checker reads both; each kind adds its own keys.
#include "redress/testing.hpp"

#include <tuple>

#include "eval/pack_internal.hpp"
#include "util/text.hpp"

namespace redress {

namespace {

std::string bracketed(const std::vector<std::string>& v) { return "[" + util::join(v) + "]"; }
const char* yes_no(bool b) { return b ? "true" : "false"; }

// The failures of one test; a part's lines start with "parts.PLAYBOOK.".
struct Failures {
  std::vector<std::string>& lines;
  std::string prefix;
  void add(std::string line) { lines.push_back(prefix + line); }
  void check(const std::string& what, const std::string& expected, const std::string& got) {
    if (expected != got) add(what + ": expected " + expected + ", got " + got);
  }
};

// Money compares by value: "17.99 EUR" equals "17.990 EUR".
bool same_money(const std::string& expected, const Money& got) {
  auto m = Money::parse(expected);
  return m && *m == got;
}

const ActionOut& action_of(const ActionOut& a) { return a; }
const ActionOut& action_of(const CompoundAction& a) { return a.step; }

// The first recommended action (or step) with this id.
template <typename Actions>
const ActionOut* find_action(const Actions& actions, const std::string& id) {
  for (const auto& a : actions)
    if (action_of(a).action == id) return &action_of(a);
  return nullptr;
}

// The `say` of the first recommended action with this id, or a failure naming what is missing.
template <typename Actions>
const std::string* say_of(Failures& f, const Actions& actions, const std::string& action) {
  const ActionOut* a = find_action(actions, action);
  if (!a)
    f.add("say of '" + action + "': the action is not recommended");
  else if (!a->say)
    f.add("say of '" + action + "': the action has no 'say'");
  return a && a->say ? &*a->say : nullptr;
}

// What a Decision and a CompoundDecision share: the level, the actions (steps), the
// compensation's amounts and flags, the words of the scripts.
template <typename D>
void check_shared(Failures& f, const PlaybookTest::Expect& x, const D& d) {
  if (x.level) f.check("level", *x.level, d.escalation.level);
  if (x.actions) {
    std::vector<std::string> got;
    for (const auto& a : d.actions) got.push_back(action_of(a).action);
    f.check("actions", bracketed(*x.actions), bracketed(got));
  }
  const auto& c = d.compensation;
  if (x.compensation && !same_money(*x.compensation, c.total))
    f.add("compensation: expected " + *x.compensation + ", got " + c.total.to_string());
  if (x.approval_given) f.check("approval", x.approval.value_or("null"), c.approval.value_or("null"));
  for (auto [what, expected, got] : {std::tuple{"approved", &x.approved, c.approved},
                                     {"held", &x.held, c.held},
                                     {"capped", &x.capped, c.capped},
                                     {"signed_off", &x.signed_off, c.signed_off}})
    if (*expected) f.check(what, yes_no(**expected), yes_no(got));
  for (auto [what, expected, got] : {std::tuple{"owed", &x.owed, &c.owed},
                                     {"goodwill", &x.goodwill, &c.goodwill},
                                     {"paid", &x.paid, &c.paid},
                                     {"remaining", &x.remaining, &c.remaining},
                                     {"payable", &x.payable, &c.payable}})
    if (*expected && !same_money(**expected, *got))
      f.add(std::string(what) + ": expected " + **expected + ", got " + got->to_string());
  for (const auto& [action, text] : x.say)
    if (const std::string* got = say_of(f, d.actions, action); got && *got != text)
      f.add("say of '" + action + "': expected \"" + text + "\", got \"" + *got + "\"");
  for (const auto& [action, text] : x.say_contains)
    if (const std::string* got = say_of(f, d.actions, action); got && got->find(text) == std::string::npos)
      f.add("say of '" + action + "': expected it to contain \"" + text + "\", got \"" + *got + "\"");
  for (const auto& [action, text] : x.say_lacks)
    if (const std::string* got = say_of(f, d.actions, action); got && got->find(text) != std::string::npos)
      f.add("say of '" + action + "': expected it not to contain \"" + text + "\", got \"" + *got + "\"");
}

// The deadlines of the actions (steps) and next_change_at.
template <typename D>
void check_timing(Failures& f, const PlaybookTest::Expect& x, const D& d) {
  auto instant = [](const std::optional<Timestamp>& t) { return t ? t->to_string() : std::string("null"); };
  if (x.next_change_given) f.check("next_change_at", instant(x.next_change_at), instant(d.next_change_at));
  for (const auto& want : x.actions_detail) {
    const ActionOut* got = find_action(d.actions, want.action);
    const std::string what = "do." + want.action;
    if (!got) {
      f.add(what + ": expected the action, but it is not recommended");
      continue;
    }
    if (want.due_at_given) f.check(what + ".due_at", instant(want.due_at), instant(got->due_at));
    if (want.overdue) f.check(what + ".overdue", yes_no(*want.overdue), yes_no(got->overdue));
    if (want.done) f.check(what + ".done", yes_no(*want.done), yes_no(got->done));
    if (want.to) f.check(what + ".to", *want.to, got->to ? *got->to : std::string("(none)"));
  }
}

// Everything a single test (or a compound test's part) expects of one Decision.
void check_decision(Failures& f, const PlaybookTest::Expect& x, const Decision& d) {
  if (x.playbook) f.check("playbook", *x.playbook, d.playbook);
  if (x.state) f.check("state", *x.state, d.state);
  check_shared(f, x, d);
  if (x.reasons) f.check("reasons", bracketed(*x.reasons), bracketed(d.escalation.reasons));
  if (x.items) {
    std::vector<std::string> got;
    for (const auto& i : d.compensation.items) got.push_back(i.id);
    f.check("items", bracketed(*x.items), bracketed(got));
  }
  if (x.path) f.check("path", bracketed(*x.path), bracketed(d.path));
  check_timing(f, x, d);
}

std::string item_name(const std::string& playbook, const std::string& item) { return playbook + "." + item; }

const CompoundItem* find_item(const CompoundDecision& d, const std::string& name) {
  for (const auto& i : d.compensation.items)
    if (item_name(i.playbook, i.id) == name) return &i;
  return nullptr;
}

std::string states_text(const std::vector<std::pair<std::string, std::string>>& states) {
  std::vector<std::string> parts;
  for (const auto& [playbook, state] : states) parts.push_back(playbook + ": " + state);
  return "{" + util::join(parts) + "}";
}

// Everything a compound test expects of a CompoundDecision.
void check_compound(Failures& f, const detail::CompoundTest::Expect& x, const CompoundDecision& d) {
  if (x.states) {
    // Only the playbooks the test names are compared, in the order it names them.
    std::vector<std::pair<std::string, std::string>> got;
    for (const auto& [playbook, state] : *x.states) {
      std::string s = "(not a part)";
      for (const auto& ps : d.states)
        if (ps.playbook == playbook) s = ps.state;
      got.emplace_back(playbook, s);
    }
    f.check("states", states_text(*x.states), states_text(got));
  }
  check_shared(f, x.common, d);
  check_timing(f, x.common, d);
  if (x.reasons) {
    // A text alone is compared with the reason's text; a tagged one as "playbook: text".
    std::vector<std::string> want, got;
    for (std::size_t i = 0; i < x.reasons->size() || i < d.escalation.reasons.size(); ++i) {
      const detail::CompoundTest::Reason* w = i < x.reasons->size() ? &(*x.reasons)[i] : nullptr;
      const Tagged* g = i < d.escalation.reasons.size() ? &d.escalation.reasons[i] : nullptr;
      const bool tagged = w ? w->playbook.has_value() : true;
      if (w) want.push_back(tagged ? *w->playbook + ": " + w->text : w->text);
      if (g) got.push_back(tagged ? g->playbook.value_or("(pack)") + ": " + g->text : g->text);
    }
    f.check("reasons", bracketed(want), bracketed(got));
  }
  if (x.items) {
    std::vector<std::string> got;
    for (const auto& i : d.compensation.items) got.push_back(item_name(i.playbook, i.id));
    f.check("items", bracketed(*x.items), bracketed(got));
  }
  for (const auto& [name, amount] : x.amounts) {
    const CompoundItem* i = find_item(d, name);
    if (!i)
      f.add("amounts." + name + ": expected " + amount + ", but the decision has no such item");
    else if (!same_money(amount, i->amount))
      f.add("amounts." + name + ": expected " + amount + ", got " + i->amount.to_string() + " (claimed " +
            i->claimed.to_string() + ")");
  }
  for (const auto& [name, by] : x.covered_by) {
    const CompoundItem* i = find_item(d, name);
    if (!i) {
      f.add("covered_by." + name + ": expected " + by.value_or("null") +
            ", but the decision has no such item");
      continue;
    }
    f.check("covered_by." + name, by.value_or("null"),
            i->covered_by ? item_name(i->covered_by->playbook, i->covered_by->item) : std::string("null"));
  }
  for (const auto& [playbook, expect] : x.parts) {
    const Decision* part = nullptr;
    for (const auto& p : d.parts)
      if (p.playbook == playbook) part = &p;
    if (!part) {
      f.add("parts." + playbook + ": expected a part, but the case did not involve this playbook");
      continue;
    }
    Failures pf{f.lines, f.prefix + "parts." + playbook + "."};
    check_decision(pf, expect, *part);
  }
}

// Runs `evaluate` and compares; an evaluation error is compared with `expect.error`.
template <typename Evaluate>
void run_one(TestResult& r, const std::optional<std::string>& expected_error, Evaluate evaluate) {
  try {
    std::string got = evaluate();
    if (expected_error)
      r.failures.insert(r.failures.begin(),
                        "error: expected an error containing '" + *expected_error + "', got " + got);
  } catch (const EvaluationError& e) {
    std::string message = e.what();
    if (!expected_error)
      r.failures.push_back("error: expected a decision, got error: " + message);
    else if (message.find(*expected_error) == std::string::npos)
      r.failures.push_back("error: expected an error containing '" + *expected_error + "', got: " + message);
  }
  r.passed = r.failures.empty();
}

bool selected(const std::string& filter, const std::vector<std::string>& playbooks, const std::string& name) {
  if (filter.empty() || name.find(filter) != std::string::npos) return true;
  for (const auto& id : playbooks)
    if (id.find(filter) != std::string::npos) return true;
  return false;
}

}  // namespace

std::vector<TestResult> run_tests(const Pack& pack, const std::string& filter) {
  std::vector<TestResult> results;
  for (const auto& pb : pack.playbooks()) {
    for (const auto& t : pb.tests) {
      if (!selected(filter, {pb.id}, t.name)) continue;
      TestResult r;
      r.playbook = pb.id;
      r.name = t.name;
      r.file = t.file;
      r.line = t.line;
      run_one(r, t.expect.error, [&] {
        Decision d = pack.evaluate(t.input);
        Failures f{r.failures, ""};
        check_decision(f, t.expect, d);
        return "state " + d.state;
      });
      results.push_back(std::move(r));
    }
  }
  for (const auto& t : detail::compiled(pack).compound_tests) {
    if (!selected(filter, t.playbooks, t.name)) continue;
    TestResult r;
    r.compound = true;
    r.playbook = t.input.playbooks.empty() ? "triage: all" : util::join(t.input.playbooks, "+");
    r.name = t.name;
    r.file = t.file;
    r.line = t.line;
    run_one(r, t.expect.common.error, [&] {
      CompoundDecision d = pack.evaluate_compound(t.input);
      std::vector<std::string> ids;
      for (const auto& s : d.states) ids.push_back(s.playbook);
      r.playbook = util::join(ids, "+");
      Failures f{r.failures, ""};
      check_compound(f, t.expect, d);
      return "a decision of " + util::join(ids, " and ");
    });
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace redress
