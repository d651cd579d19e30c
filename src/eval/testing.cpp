#include "redress/testing.hpp"
#include <tuple>

#include "util/text.hpp"

namespace redress {

namespace {

std::string bracketed(const std::vector<std::string>& v) { return "[" + util::join(v) + "]"; }

void check(std::vector<std::string>& failures, const char* what, const std::string& expected, const std::string& got) {
  if (expected != got) failures.push_back(std::string(what) + ": expected " + expected + ", got " + got);
}

// Money compares by value: "17.99 EUR" equals "17.990 EUR".
bool same_money(const std::string& expected, const Money& got) {
  auto m = Money::parse(expected);
  return m && *m == got;
}

// The `say` of the first recommended action with this id, or a failure naming what is missing.
const std::string* say_of(std::vector<std::string>& failures, const Decision& d, const std::string& action) {
  for (const auto& a : d.actions)
    if (a.action == action) {
      if (a.say) return &*a.say;
      failures.push_back("say of '" + action + "': the action has no 'say'");
      return nullptr;
    }
  failures.push_back("say of '" + action + "': the action is not recommended");
  return nullptr;
}

void check_says(std::vector<std::string>& failures, const PlaybookTest::Expect& x, const Decision& d) {
  for (const auto& [action, text] : x.say)
    if (const std::string* got = say_of(failures, d, action); got && *got != text)
      failures.push_back("say of '" + action + "': expected \"" + text + "\", got \"" + *got + "\"");
  for (const auto& [action, text] : x.say_contains)
    if (const std::string* got = say_of(failures, d, action); got && got->find(text) == std::string::npos)
      failures.push_back("say of '" + action + "': expected it to contain \"" + text + "\", got \"" + *got + "\"");
  for (const auto& [action, text] : x.say_lacks)
    if (const std::string* got = say_of(failures, d, action); got && got->find(text) != std::string::npos)
      failures.push_back("say of '" + action + "': expected it not to contain \"" + text + "\", got \"" + *got + "\"");
}

}  // namespace

std::vector<TestResult> run_tests(const Pack& pack, const std::string& filter) {
  std::vector<TestResult> results;
  for (const auto& pb : pack.playbooks()) {
    for (const auto& t : pb.tests) {
      if (!filter.empty() && pb.id.find(filter) == std::string::npos && t.name.find(filter) == std::string::npos)
        continue;
      TestResult r;
      r.playbook = pb.id;
      r.name = t.name;
      r.file = t.file;
      r.line = t.line;
      const auto& x = t.expect;
      try {
        Decision d = pack.evaluate(t.input);
        if (x.error) r.failures.push_back("error: expected an error containing '" + *x.error + "', got state " + d.state);
        if (x.playbook) check(r.failures, "playbook", *x.playbook, d.playbook);
        if (x.state) check(r.failures, "state", *x.state, d.state);
        if (x.level) check(r.failures, "level", *x.level, d.escalation.level);
        if (x.actions) {
          std::vector<std::string> got;
          for (const auto& a : d.actions) got.push_back(a.action);
          check(r.failures, "actions", bracketed(*x.actions), bracketed(got));
        }
        if (x.compensation && !same_money(*x.compensation, d.compensation.total))
          r.failures.push_back("compensation: expected " + *x.compensation + ", got " + d.compensation.total.to_string());
        if (x.approval_given)
          check(r.failures, "approval", x.approval.value_or("null"), d.compensation.approval.value_or("null"));
        if (x.approved) check(r.failures, "approved", *x.approved ? "true" : "false", d.compensation.approved ? "true" : "false");
        if (x.held) check(r.failures, "held", *x.held ? "true" : "false", d.compensation.held ? "true" : "false");
        if (x.capped) check(r.failures, "capped", *x.capped ? "true" : "false", d.compensation.capped ? "true" : "false");
        if (x.signed_off)
          check(r.failures, "signed_off", *x.signed_off ? "true" : "false", d.compensation.signed_off ? "true" : "false");
        const Compensation& c = d.compensation;
        for (auto [what, expected, got] : {std::tuple{"owed", &x.owed, &c.owed}, {"goodwill", &x.goodwill, &c.goodwill},
                                           {"paid", &x.paid, &c.paid}, {"remaining", &x.remaining, &c.remaining},
                                           {"payable", &x.payable, &c.payable}})
          if (*expected && !same_money(**expected, *got))
            r.failures.push_back(std::string(what) + ": expected " + **expected + ", got " + got->to_string());
        check_says(r.failures, x, d);
        if (x.reasons) check(r.failures, "reasons", bracketed(*x.reasons), bracketed(d.escalation.reasons));
        if (x.items) {
          std::vector<std::string> got;
          for (const auto& i : d.compensation.items) got.push_back(i.id);
          check(r.failures, "items", bracketed(*x.items), bracketed(got));
        }
        if (x.path) check(r.failures, "path", bracketed(*x.path), bracketed(d.path));
        auto instant = [](const std::optional<Timestamp>& t) { return t ? t->to_string() : std::string("null"); };
        if (x.next_change_given) check(r.failures, "next_change_at", instant(x.next_change_at), instant(d.next_change_at));
        for (const auto& want : x.actions_detail) {
          const ActionOut* got = nullptr;
          for (const auto& a : d.actions)
            if (a.action == want.action) { got = &a; break; }
          const std::string what = "do." + want.action;
          if (!got) { r.failures.push_back(what + ": expected the action, but it is not recommended"); continue; }
          if (want.due_at_given) check(r.failures, (what + ".due_at").c_str(), instant(want.due_at), instant(got->due_at));
          if (want.overdue) check(r.failures, (what + ".overdue").c_str(), *want.overdue ? "true" : "false", got->overdue ? "true" : "false");
          if (want.done) check(r.failures, (what + ".done").c_str(), *want.done ? "true" : "false", got->done ? "true" : "false");
          if (want.to) check(r.failures, (what + ".to").c_str(), *want.to, got->to ? *got->to : std::string("(none)"));
        }
      } catch (const EvaluationError& e) {
        std::string message = e.what();
        if (!x.error) r.failures.push_back("error: expected a decision, got error: " + message);
        else if (message.find(*x.error) == std::string::npos)
          r.failures.push_back("error: expected an error containing '" + *x.error + "', got: " + message);
      }
      r.passed = r.failures.empty();
      results.push_back(std::move(r));
    }
  }
  return results;
}

}  // namespace redress
