// ReplaySummary: accumulating cases, merging summaries (exact, order-independent), comparing.
#include <algorithm>
#include <tuple>

#include "redress/replay.hpp"

namespace redress {

namespace {

void add_money(Decimal& sum, Decimal x, bool& overflow) {
  Decimal r;
  if (Decimal::add(sum, x, r))
    sum = r;
  else
    overflow = true;
}

Decimal magnitude(Decimal d) {
  Decimal r;
  return d.sign() < 0 && Decimal::neg(d, r) ? r : d;
}

// Most changed first; a tie goes to the earlier line, so any merge order keeps the same cases.
bool before_in_report(const ChangedCase& a, const ChangedCase& b) {
  return a.weight != b.weight ? b.weight < a.weight : a.line < b.line;
}

void keep_errors(std::vector<ReplayError>& errors) {
  std::sort(errors.begin(), errors.end(), [](const ReplayError& a, const ReplayError& b) { return a.line < b.line; });
  if (errors.size() > ReplaySummary::kKeptErrors) errors.resize(ReplaySummary::kKeptErrors);
}

void keep_cases(std::vector<ChangedCase>& cases) {
  std::sort(cases.begin(), cases.end(), before_in_report);
  if (cases.size() > ReplaySummary::kKeptCases) cases.resize(ReplaySummary::kKeptCases);
}

std::string rule_key(const RuleRef& r) { return r.playbook + '\x1f' + r.what + '\x1f' + r.expr + '\x1f' + r.old_expr; }

bool same(const MoneyTotals& a, const MoneyTotals& b) { return a.before == b.before && a.after == b.after; }
bool same(const LevelCounts& a, const LevelCounts& b) { return a.before == b.before && a.after == b.after; }
bool same(const PlaybookImpact& a, const PlaybookImpact& b) {
  return a.cases == b.cases && a.changed == b.changed &&
         std::equal(a.compensation.begin(), a.compensation.end(), b.compensation.begin(), b.compensation.end(),
                    [](const auto& x, const auto& y) { return x.first == y.first && same(x.second, y.second); });
}
bool same(const RuleImpact& a, const RuleImpact& b) {
  return a.cases == b.cases && a.rule.playbook == b.rule.playbook && a.rule.what == b.rule.what &&
         a.rule.expr == b.rule.expr && a.rule.at == b.rule.at && a.rule.old_expr == b.rule.old_expr;
}
bool same(const ReplayError& a, const ReplayError& b) { return a.line == b.line && a.message == b.message; }
// Decisions by their JSON (trace included): the same pack loaded from another directory (a Dask
// worker's copy) gives locations with other file ids but the same names, lines and columns.
bool same(const ChangedCase& a, const ChangedCase& b) {
  return a.line == b.line && a.playbook == b.playbook && a.weight == b.weight &&
         to_json(a.before) == to_json(b.before) && to_json(a.after) == to_json(b.after);
}

template <class Map>
bool same_map(const Map& a, const Map& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return x.first == y.first && same(x.second, y.second); });
}
template <class T>
bool same_list(const std::vector<T>& a, const std::vector<T>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const T& x, const T& y) { return same(x, y); });
}

}  // namespace

void ReplaySummary::add(std::uint64_t line, const Decision& before, const Decision& after, const CaseChanges& c,
                        const std::vector<RuleRef>& fired) {
  ++cases;
  ++evaluated;
  const bool any = c.any();
  changed += any;
  playbook_changed += c.playbook;
  state_changed += c.state;
  actions_changed += c.actions;
  level_changed += c.level;
  compensation_changed += c.compensation;
  approval_changed += c.approval;

  PlaybookImpact& p = playbooks[after.playbook];
  ++p.cases;
  p.changed += any;
  const Money &old_total = before.compensation.total, &new_total = after.compensation.total;
  const std::string old_code(old_total.currency.code()), new_code(new_total.currency.code());
  add_money(playbooks[before.playbook].compensation[old_code].before, old_total.amount, money_overflow);
  add_money(p.compensation[new_code].after, new_total.amount, money_overflow);
  add_money(currencies[old_code].before, old_total.amount, money_overflow);
  add_money(currencies[new_code].after, new_total.amount, money_overflow);

  ++approval_levels[before.compensation.approval.value_or("none")].before;
  ++approval_levels[after.compensation.approval.value_or("none")].after;
  ++escalation_levels[before.escalation.level].before;
  ++escalation_levels[after.escalation.level].after;

  for (const RuleRef& r : fired) {
    RuleImpact& impact = rules[rule_key(r)];
    if (impact.cases == 0 || r.at < impact.rule.at) impact.rule = r;  // the first place, whoever saw it first
    ++impact.cases;
  }

  if (!any) return;
  Decimal weight = new_total.amount, delta;
  if (old_total.currency == new_total.currency && Decimal::sub(new_total.amount, old_total.amount, delta)) weight = delta;
  weight = magnitude(weight);
  ChangedCase candidate{line, after.playbook, weight, {}, {}};
  if (top_cases.size() >= kKeptCases && !before_in_report(candidate, top_cases.back())) return;
  candidate.before = before;
  candidate.after = after;
  top_cases.push_back(std::move(candidate));
  keep_cases(top_cases);
}

void ReplaySummary::add_error(std::uint64_t line, std::string message) {
  ++cases;
  ++errors;
  if (first_errors.size() >= kKeptErrors && line > first_errors.back().line) return;
  first_errors.push_back({line, std::move(message)});
  keep_errors(first_errors);
}

void ReplaySummary::merge(const ReplaySummary& o) {
  cases += o.cases;
  evaluated += o.evaluated;
  errors += o.errors;
  changed += o.changed;
  playbook_changed += o.playbook_changed;
  state_changed += o.state_changed;
  actions_changed += o.actions_changed;
  level_changed += o.level_changed;
  compensation_changed += o.compensation_changed;
  approval_changed += o.approval_changed;
  auto merge_money = [&](std::map<std::string, MoneyTotals>& into, const std::map<std::string, MoneyTotals>& from) {
    for (const auto& [code, t] : from) {
      add_money(into[code].before, t.before, money_overflow);
      add_money(into[code].after, t.after, money_overflow);
    }
  };
  for (const auto& [id, p] : o.playbooks) {
    PlaybookImpact& q = playbooks[id];
    q.cases += p.cases;
    q.changed += p.changed;
    merge_money(q.compensation, p.compensation);
  }
  merge_money(currencies, o.currencies);
  for (const auto& [level, n] : o.approval_levels) {
    approval_levels[level].before += n.before;
    approval_levels[level].after += n.after;
  }
  for (const auto& [level, n] : o.escalation_levels) {
    escalation_levels[level].before += n.before;
    escalation_levels[level].after += n.after;
  }
  for (const auto& [key, r] : o.rules) {
    RuleImpact& impact = rules[key];
    if (impact.cases == 0 || r.rule.at < impact.rule.at) impact.rule = r.rule;
    impact.cases += r.cases;
  }
  first_errors.insert(first_errors.end(), o.first_errors.begin(), o.first_errors.end());
  keep_errors(first_errors);
  top_cases.insert(top_cases.end(), o.top_cases.begin(), o.top_cases.end());
  keep_cases(top_cases);
  money_overflow = money_overflow || o.money_overflow;
}

void ReplaySummary::shift_lines(std::uint64_t offset) {
  for (ReplayError& e : first_errors) e.line += offset;
  for (ChangedCase& c : top_cases) c.line += offset;
}

bool ReplaySummary::operator==(const ReplaySummary& o) const {
  return std::tie(cases, evaluated, errors, changed, playbook_changed, state_changed, actions_changed, level_changed,
                  compensation_changed, approval_changed, money_overflow) ==
             std::tie(o.cases, o.evaluated, o.errors, o.changed, o.playbook_changed, o.state_changed,
                      o.actions_changed, o.level_changed, o.compensation_changed, o.approval_changed,
                      o.money_overflow) &&
         same_map(playbooks, o.playbooks) && same_map(currencies, o.currencies) &&
         same_map(approval_levels, o.approval_levels) && same_map(escalation_levels, o.escalation_levels) &&
         same_map(rules, o.rules) && same_list(first_errors, o.first_errors) && same_list(top_cases, o.top_cases);
}

}  // namespace redress
