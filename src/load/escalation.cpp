// Escalation (spec §1): the ladder, the starting rung and the rules that move the level.
#include "load/playbook_reader.hpp"

#include <set>

#include "util/text.hpp"

namespace redress::load {

using detail::Playbook;
using expr::VType;

std::optional<std::vector<std::string>> read_ladder(Reader& r, const YAML::Node& n) {
  auto rungs = r.string_list(n, "the ladder");
  if (!rungs) return std::nullopt;
  if (rungs->empty()) {
    r.error(n, "the ladder needs at least one rung, e.g. [agent, supervisor, manager]");
    return std::nullopt;
  }
  std::set<std::string> seen;
  for (const auto& rung : *rungs)
    if (!seen.insert(rung).second) {
      r.error(n, "the ladder names '" + rung + "' twice");
      return std::nullopt;
    }
  return rungs;
}

std::optional<int> PlaybookReader::rung_ref(const YAML::Node& n, const Playbook& pb) {
  auto name = r_.scalar(n, "a level");
  if (!name) return std::nullopt;
  for (std::size_t i = 0; i < pb.ladder.size(); ++i)
    if (pb.ladder[i] == *name) return static_cast<int>(i);
  r_.error(n, "unknown level '" + *name + "'" + util::did_you_mean_or_list(*name, pb.ladder, "the ladder is"));
  return std::nullopt;
}

void PlaybookReader::read_escalation(const YAML::Node& n, Playbook& pb) {
  if (!r_.expect_map(n, "'escalation'")) return;
  r_.check_keys(n, {"ladder", "start", "rules"}, "'escalation'");
  // `ladder` was read before the states (header.cpp).
  if (n["start"]) if (auto s = rung_ref(n["start"], pb)) pb.start_rung = *s;
  if (!present(n["rules"])) return;
  if (!r_.expect_seq(n["rules"], "escalation 'rules'")) return;
  for (const auto& rule : n["rules"]) {
    if (!rule.IsMap()) { r_.error(rule, "an escalation rule is {when: condition, at_least|raise|set: …, why: text}"); continue; }
    r_.check_keys(rule, {"when", "at_least", "raise", "set", "why"}, "an escalation rule");
    detail::EscalationRule er;
    er.pos = pos_of(rule);
    int kinds = (rule["at_least"] ? 1 : 0) + (rule["raise"] ? 1 : 0) + (rule["set"] ? 1 : 0);
    if (kinds != 1) {
      r_.error(rule, kinds ? "an escalation rule takes one of 'at_least', 'raise', 'set', not several"
                           : "this escalation rule says nothing to do: add 'at_least: LEVEL', 'raise: N' or 'set: LEVEL'");
      continue;
    }
    bool ok = true;
    if (rule["at_least"]) { er.kind = detail::EscalationRule::Kind::AtLeast; auto x = rung_ref(rule["at_least"], pb); ok = x.has_value(); er.rung = x.value_or(0); }
    if (rule["set"]) { er.kind = detail::EscalationRule::Kind::Set; auto x = rung_ref(rule["set"], pb); ok = x.has_value(); er.rung = x.value_or(0); }
    if (rule["raise"]) {
      er.kind = detail::EscalationRule::Kind::Raise;
      auto x = r_.integer(rule["raise"], "'raise'");
      ok = x.has_value();
      if (x && (*x < 1 || *x > 1000)) { r_.error(rule["raise"], "'raise' is how many rungs to go up: a whole number from 1"); ok = false; }
      er.rung = static_cast<int>(x.value_or(0));
    }
    if (rule["when"]) {
      er.when = r_.expression(rule["when"], pb.money_scope, VType::Bool, "a 'when' condition");
      ok = ok && er.when.has_value();
      // The compensation is computed before the escalation when a rule reads it; whether it is
      // approved depends on the level these rules set.
      if (er.when && reads_money(*er.when, pb)) {
        pb.money_early = true;
        if (auto use = reads_money(*er.when, pb, detail::MoneyName::Approved)) {
          r_.error_at(use->at,
                      "a cycle: this escalation rule reads compensation.approved, which depends on the escalation level "
                      "these rules set (level -> compensation.approved -> level); use compensation.approval (the level "
                      "needed) or compensation.signed_off instead");
          ok = false;
        }
      }
    }
    if (rule["why"]) if (auto w = r_.scalar(rule["why"], "'why'")) er.why = *w;
    if (ok) pb.escalation.push_back(std::move(er));
  }
}

// A state's own lift (spec §1 `escalate`): one rung above where the rules put the case, or at
// least a level, whenever a case ends in the state.
void PlaybookReader::read_state_escalation(const YAML::Node& n, detail::State& st, const Playbook& pb) {
  const std::string what = "'escalate' of state '" + st.name + "'";
  if (!n.IsMap()) { r_.error(n, what + " is {raise: N, why: text} or {at_least: LEVEL, why: text}"); return; }
  r_.check_keys(n, {"raise", "at_least", "why"}, what.c_str());
  const int kinds = (n["raise"] ? 1 : 0) + (n["at_least"] ? 1 : 0);
  if (kinds != 1) {
    r_.error(n, kinds ? what + " takes one of 'raise', 'at_least', not both"
                      : what + " says nothing to do: add 'raise: 1' or 'at_least: LEVEL'");
    return;
  }
  detail::EscalationRule er;
  er.pos = pos_of(n);
  if (n["at_least"]) {
    er.kind = detail::EscalationRule::Kind::AtLeast;
    auto x = rung_ref(n["at_least"], pb);
    if (!x) return;
    er.rung = *x;
  } else {
    er.kind = detail::EscalationRule::Kind::Raise;
    auto x = r_.integer(n["raise"], "'raise'");
    if (!x) return;
    if (*x < 1 || *x > 1000) { r_.error(n["raise"], "'raise' is how many rungs to go up: a whole number from 1"); return; }
    er.rung = static_cast<int>(*x);
  }
  if (n["why"]) if (auto w = r_.scalar(n["why"], "'why'")) er.why = *w;
  st.escalate = std::move(er);
}

}  // namespace redress::load
