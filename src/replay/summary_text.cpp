// A ReplaySummary as JSON, Markdown and plain text (docs/replay.md shows each).
#include <algorithm>
#include <cstdio>

#include "redress/replay.hpp"
#include "replay/summary_text.hpp"
#include "util/json_writer.hpp"
#include "util/text.hpp"

namespace redress::replay {

std::string money_text(Decimal amount, const std::string& code) {
  // The currency's minor digits when that is exact (a sum of totals always is), else every digit.
  std::optional<Currency> currency = Currency::find(code);
  Decimal rounded;
  if (currency && Decimal::round(amount, currency->minor_digits(), Rounding::HalfEven, rounded) && rounded == amount)
    return amount.to_string_fixed(currency->minor_digits()) + " " + code;
  return amount.to_string() + " " + code;
}

std::string delta_text(const MoneyTotals& t, const std::string& code) {
  Decimal d;
  if (!Decimal::sub(t.after, t.before, d)) return "out of range";
  std::string s = money_text(d, code);
  return d.sign() > 0 ? "+" + s : s;
}

std::string rule_text(const RuleRef& r) {
  return r.old_expr.empty() ? "`" + r.expr + "`" : "`" + r.old_expr + "` -> `" + r.expr + "`";
}

std::vector<const RuleImpact*> rules_by_impact(const ReplaySummary& s) {
  std::vector<const RuleImpact*> out;
  for (const auto& [key, r] : s.rules) out.push_back(&r);
  std::stable_sort(out.begin(), out.end(), [](const RuleImpact* a, const RuleImpact* b) { return a->cases > b->cases; });
  return out;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;  // a display ratio, not money
}

}  // namespace redress::replay

namespace redress {

using namespace replay;
using util::thousands;

namespace {

constexpr std::size_t kTopRules = 10;

struct ChangeCount {
  const char* name;
  std::uint64_t n;
};
std::vector<ChangeCount> change_counts(const ReplaySummary& s) {
  return {{"playbook", s.playbook_changed}, {"state", s.state_changed},  {"actions", s.actions_changed},
          {"level", s.level_changed},       {"compensation", s.compensation_changed}, {"approval", s.approval_changed}};
}

void money_object(util::JsonWriter& w, const std::map<std::string, MoneyTotals>& m) {
  w.begin_object();
  for (const auto& [code, t] : m)
    w.key(code).begin_object().key("old").string(money_text(t.before, code)).key("new").string(money_text(t.after, code))
        .key("delta").string(delta_text(t, code)).end_object();
  w.end_object();
}

void levels_object(util::JsonWriter& w, const std::map<std::string, LevelCounts>& m) {
  w.begin_object();
  for (const auto& [level, n] : m)
    w.key(level).begin_object().key("old").raw(std::to_string(n.before)).key("new").raw(std::to_string(n.after))
        .end_object();
  w.end_object();
}

void brief(util::JsonWriter& w, const Decision& d) {
  w.begin_object().key("state").string(d.state).key("level").string(d.escalation.level);
  w.key("compensation").string(d.compensation.total.to_string()).key("approval");
  if (d.compensation.approval)
    w.string(*d.compensation.approval);
  else
    w.null();
  w.key("actions").begin_array();
  for (const ActionOut& a : d.actions) w.string(a.action);
  w.end_array().end_object();
}

std::string cell(const std::string& s) {  // a Markdown table cell
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += '\\';
    out += ch == '\n' ? ' ' : ch;
  }
  return out;
}

}  // namespace

std::string to_json(const ReplaySummary& s, const JsonOptions& options) {
  util::JsonWriter w(options.pretty);
  w.begin_object();
  w.key("cases").raw(std::to_string(s.cases)).key("evaluated").raw(std::to_string(s.evaluated));
  w.key("errors").raw(std::to_string(s.errors));
  w.key("changed").begin_object().key("cases").raw(std::to_string(s.changed));
  for (const ChangeCount& c : change_counts(s)) w.key(c.name).raw(std::to_string(c.n));
  w.end_object();
  w.key("compensation");
  money_object(w, s.currencies);
  w.key("playbooks").begin_object();
  for (const auto& [id, p] : s.playbooks) {
    w.key(id).begin_object().key("cases").raw(std::to_string(p.cases)).key("changed").raw(std::to_string(p.changed));
    w.key("compensation");
    money_object(w, p.compensation);
    w.end_object();
  }
  w.end_object();
  w.key("approval_levels");
  levels_object(w, s.approval_levels);
  w.key("escalation_levels");
  levels_object(w, s.escalation_levels);
  w.key("rules").begin_array();
  for (const RuleImpact* r : rules_by_impact(s))
    w.begin_object().key("playbook").string(r->rule.playbook).key("what").string(r->rule.what)
        .key("expr").string(r->rule.expr).key("old_expr").string(r->rule.old_expr).key("at").string(r->rule.at)
        .key("cases").raw(std::to_string(r->cases)).end_object();
  w.end_array();
  w.key("first_errors").begin_array();
  for (const ReplayError& e : s.first_errors)
    w.begin_object().key("line").raw(std::to_string(e.line)).key("error").string(e.message).end_object();
  w.end_array();
  w.key("top_cases").begin_array();
  for (const ChangedCase& c : s.top_cases) {
    w.begin_object().key("line").raw(std::to_string(c.line)).key("playbook").string(c.playbook).key("old");
    brief(w, c.before);
    w.key("new");
    brief(w, c.after);
    w.end_object();
  }
  w.end_array();
  w.key("money_overflow").boolean(s.money_overflow);
  w.end_object();
  return w.str();
}

std::string to_markdown(const ReplaySummary& s) {
  std::string out = "# Replay: impact of the new pack\n\n";
  out += "| cases | evaluated | errors | changed |\n|---:|---:|---:|---:|\n";
  out += "| " + thousands(s.cases) + " | " + thousands(s.evaluated) + " | " + thousands(s.errors) + " | " +
         thousands(s.changed) + " (" + percent(s.changed, s.evaluated) + ") |\n\n";
  out += "## What changed\n\n| change | cases |\n|---|---:|\n";
  for (const ChangeCount& c : change_counts(s)) out += std::string("| ") + c.name + " | " + thousands(c.n) + " |\n";
  out += "\n## Compensation\n\n| playbook | currency | old | new | delta | cases | changed |\n|---|---|---:|---:|---:|---:|---:|\n";
  for (const auto& [code, t] : s.currencies)
    out += "| **all** | " + code + " | " + money_text(t.before, code) + " | " + money_text(t.after, code) + " | " +
           delta_text(t, code) + " | " + thousands(s.evaluated) + " | " + thousands(s.changed) + " |\n";
  for (const auto& [id, p] : s.playbooks)
    for (const auto& [code, t] : p.compensation)
      out += "| " + cell(id) + " | " + code + " | " + money_text(t.before, code) + " | " + money_text(t.after, code) +
             " | " + delta_text(t, code) + " | " + thousands(p.cases) + " | " + thousands(p.changed) + " |\n";
  for (const auto& [title, levels] : {std::pair{"Approval levels", &s.approval_levels}, {"Escalation levels", &s.escalation_levels}}) {
    out += std::string("\n## ") + title + "\n\n| level | old | new |\n|---|---:|---:|\n";
    for (const auto& [level, n] : *levels)
      out += "| " + cell(level) + " | " + thousands(n.before) + " | " + thousands(n.after) + " |\n";
  }
  out += "\n## Rules that fired differently\n\n";
  std::vector<const RuleImpact*> rules = rules_by_impact(s);
  if (rules.empty()) out += "None.\n";
  else out += "| cases | playbook | rule | expression | at |\n|---:|---|---|---|---|\n";
  for (std::size_t i = 0; i < rules.size() && i < kTopRules; ++i)
    out += "| " + thousands(rules[i]->cases) + " | " + cell(rules[i]->rule.playbook) + " | " + rules[i]->rule.what +
           " | " + cell(rule_text(rules[i]->rule)) + " | " + cell(rules[i]->rule.at) + " |\n";
  if (!s.first_errors.empty()) {
    out += "\n## Errors (the first " + std::to_string(s.first_errors.size()) + " of " + thousands(s.errors) + ")\n\n";
    for (const ReplayError& e : s.first_errors) out += "- line " + std::to_string(e.line) + ": " + cell(e.message) + "\n";
  }
  if (s.money_overflow) out += "\n**A compensation sum left the exact range (10^26): its totals are wrong.**\n";
  return out;
}

std::string to_text(const ReplaySummary& s) {
  std::string out = thousands(s.cases) + " cases: " + thousands(s.evaluated) + " evaluated by both packs, " +
                    thousands(s.errors) + (s.errors == 1 ? " error\n" : " errors\n");
  out += "changed: " + thousands(s.changed) + " (" + percent(s.changed, s.evaluated) + ")";
  for (const ChangeCount& c : change_counts(s))
    if (c.n) out += std::string("  ") + c.name + " " + thousands(c.n);
  out += "\ncompensation, old -> new (delta):\n";
  for (const auto& [code, t] : s.currencies)
    out += "  all  " + money_text(t.before, code) + " -> " + money_text(t.after, code) + " (" + delta_text(t, code) + ")\n";
  for (const auto& [id, p] : s.playbooks)
    for (const auto& [code, t] : p.compensation)
      out += "  " + id + "  " + money_text(t.before, code) + " -> " + money_text(t.after, code) + " (" +
             delta_text(t, code) + "), " + thousands(p.changed) + " of " + thousands(p.cases) + " cases changed\n";
  for (const auto& [title, levels] : {std::pair{"approval levels", &s.approval_levels}, {"escalation levels", &s.escalation_levels}}) {
    out += std::string(title) + ", old -> new:\n";
    for (const auto& [level, n] : *levels) out += "  " + level + "  " + thousands(n.before) + " -> " + thousands(n.after) + "\n";
  }
  std::vector<const RuleImpact*> rules = rules_by_impact(s);
  out += rules.empty() ? "no rule fired differently\n" : "rules that fired differently (cases):\n";
  for (std::size_t i = 0; i < rules.size() && i < kTopRules; ++i)
    out += "  " + thousands(rules[i]->cases) + "  " + rules[i]->rule.at + "  " + rules[i]->rule.what + " " +
           rule_text(rules[i]->rule) + "\n";
  if (!s.first_errors.empty()) {
    out += "errors (the first " + std::to_string(s.first_errors.size()) + "):\n";
    for (const ReplayError& e : s.first_errors) out += "  line " + std::to_string(e.line) + ": " + e.message + "\n";
  }
  if (s.money_overflow) out += "warning: a compensation sum left the exact range (10^26): its totals are wrong\n";
  return out;
}

}  // namespace redress
