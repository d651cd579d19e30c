// Compensation (spec §1): how rules combine, the rules, the cap, approval thresholds, the hold.
#include "load/playbook_reader.hpp"

#include <algorithm>
#include <set>

#include "util/text.hpp"

namespace redress::load {

using detail::Playbook;
using expr::VType;
using redress::Basis;

// The compensation values (kMoneyNames) as names in frame slots after the facts and lets.
void PlaybookReader::declare_money_names(Playbook& pb) {
  pb.money_scope = pb.scope;
  pb.money_slot = pb.slot_count;
  auto ladder_enum = static_cast<std::int16_t>(pb.money_scope.enums.size());
  pb.money_scope.enums.push_back(expr::EnumDef{"compensation.approval", pb.ladder});
  for (std::size_t i = 0; i < static_cast<std::size_t>(detail::MoneyName::Count); ++i) {
    const auto& info = detail::kMoneyNames[i];
    expr::Type t;
    t.kind = info.type;
    if (info.type == VType::Money) t.currency = pb.currency.index();
    if (info.type == VType::Enum) t.enum_id = ladder_enum;
    bool nullable = static_cast<detail::MoneyName>(i) == detail::MoneyName::Approval;
    pb.money_scope.symbols.push_back(expr::Symbol{info.name, t, pb.money_slot + static_cast<std::uint32_t>(i), nullable});
  }
  pb.slot_count = pb.money_slot + static_cast<std::uint32_t>(detail::MoneyName::Count);
}

std::optional<expr::NameUse> PlaybookReader::reads_money(const expr::Program& p, const Playbook& pb,
                                                         std::optional<detail::MoneyName> which) {
  for (const auto& use : expr::names_read(p)) {
    if (use.slot < pb.money_slot) continue;
    if (!which || use.slot == pb.money_slot + static_cast<std::uint32_t>(*which)) return use;
  }
  return std::nullopt;
}

bool PlaybookReader::refuse_money_cycle(const std::optional<expr::Program>& p, const Playbook& pb, const std::string& what) {
  if (!p) return false;
  auto use = reads_money(*p, pb);
  if (!use) return false;
  const char* name = detail::kMoneyNames[use->slot - pb.money_slot].name;
  r_.error_at(use->at, std::string("a cycle: ") + what + " reads " + name + ", which the compensation computes (" +
                                            name + " -> " + what + " -> " + name +
                                            "); the compensation can depend on facts and lets only");
  return true;
}

void PlaybookReader::read_compensation(const YAML::Node& n, Playbook& pb) {
  if (!r_.expect_map(n, "'compensation'")) return;
  r_.check_keys(n, {"combine", "limits", "rules", "cap", "approve", "hold"}, "'compensation'");
  if (!pb.has_currency) return;  // reported already
  pb.has_compensation = true;
  pb.limits_cover_owed = pack_ && pack_->limits_cover_owed;
  if (n["limits"]) {
    if (auto l = r_.scalar(n["limits"], "'limits'")) {
      if (*l == "goodwill") pb.limits_cover_owed = false;
      else if (*l == "all") pb.limits_cover_owed = true;
      else r_.error(n["limits"], "'limits' says which items the cap, hold and approval cover: 'goodwill' (the default) or 'all', not '" + *l + "'");
    }
  }
  if (n["combine"]) {
    if (auto c = r_.scalar(n["combine"], "'combine'")) {
      if (*c == "sum") pb.combine = detail::Combine::Sum;
      else if (*c == "max") pb.combine = detail::Combine::Max;
      else if (*c == "first") pb.combine = detail::Combine::First;
      else {
        std::string hint = util::did_you_mean(*c, {"sum", "max", "first"});
        r_.error(n["combine"], "unknown combine '" + *c + "'" + (hint.empty() ? " (use sum, max or first)" : hint));
      }
    }
  }
  if (present(n["rules"]) && r_.expect_seq(n["rules"], "compensation 'rules'")) {
    std::set<std::string> ids;
    for (const auto& rule : n["rules"]) {
      if (!rule.IsMap()) { r_.error(rule, "a compensation rule is {id: name, kind: refund, when: condition, amount: expression}"); continue; }
      r_.check_keys(rule, {"id", "kind", "basis", "when", "amount", "doc", "why", "covers"}, "a compensation rule");
      detail::CompensationRule cr;
      cr.pos = pos_of(rule);
      if (!rule["id"]) { r_.error(rule, "this compensation rule has no 'id'"); continue; }
      if (auto id = r_.scalar(rule["id"], "'id'")) cr.id = *id; else continue;
      if (!ids.insert(cr.id).second) r_.error(rule["id"], "compensation rule id '" + cr.id + "' is used twice");
      if (rule["kind"]) if (auto k = r_.scalar(rule["kind"], "'kind'")) cr.kind = *k;
      if (cr.kind.empty()) cr.kind = cr.id;
      cr.why = read_why(rule);
      if (rule["basis"]) {
        if (auto b = r_.scalar(rule["basis"], "'basis'")) {
          if (*b == "owed") cr.basis = Basis::Owed;
          else if (*b == "goodwill") cr.basis = Basis::Goodwill;
          else {
            std::string hint = util::did_you_mean(*b, {"owed", "goodwill"});
            if (hint.empty()) hint = ": 'owed' (the customer's by law or contract) or 'goodwill' (a gesture)";
            r_.error(rule["basis"], "unknown basis '" + *b + "'" + hint);
          }
        }
      }
      // `covers`: the loss the item pays for; the pack's compound rules (load/compound.cpp) check
      // the name against the others and never pay one loss twice (spec §4.1).
      if (rule["covers"]) if (auto c = r_.scalar(rule["covers"], "'covers'")) {
        if (r_.identifier(rule["covers"], *c, "a loss name")) {
          cr.covers = *c;
          cr.covers_pos = pos_of(rule["covers"]);
        }
      }
      const std::string what = "compensation rule '" + cr.id + "'";
      if (rule["when"]) {
        cr.when = r_.expression(rule["when"], pb.money_scope, VType::Bool, "a 'when' condition");
        if (!cr.when || refuse_money_cycle(cr.when, pb, what)) continue;
      }
      if (!rule["amount"]) { r_.error(rule, "compensation rule '" + cr.id + "' has no 'amount'"); continue; }
      auto amount = r_.expression(rule["amount"], pb.money_scope, VType::Money, "'amount'");
      if (!amount || refuse_money_cycle(amount, pb, what)) continue;
      if (amount->type().currency != pb.currency.index()) {
        r_.error(rule["amount"], currency_mismatch("'amount'", Currency::from_index(amount->type().currency), pb.currency));
        continue;
      }
      cr.amount = std::move(*amount);
      pb.compensation.push_back(std::move(cr));
    }
  }
  if (n["cap"]) {
    pb.cap = r_.expression(n["cap"], pb.money_scope, VType::Money, "'cap'");
    if (refuse_money_cycle(pb.cap, pb, "the cap")) pb.cap.reset();
    if (pb.cap && pb.cap->type().currency != pb.currency.index()) {
      r_.error(n["cap"], currency_mismatch("'cap'", Currency::from_index(pb.cap->type().currency), pb.currency));
      pb.cap.reset();
    }
  }
  if (present(n["approve"]) && r_.expect_seq(n["approve"], "'approve'")) {
    for (const auto& a : n["approve"]) {
      if (!a.IsMap()) { r_.error(a, "an approval threshold is {above: 30 EUR, level: supervisor}"); continue; }
      r_.check_keys(a, {"above", "level"}, "an approval threshold");
      if (!a["above"] || !a["level"]) { r_.error(a, "an approval threshold needs both 'above' and 'level'"); continue; }
      auto above = money_literal(r_, a["above"], pb, "'above'");
      auto rung = rung_ref(a["level"], pb);
      if (above && rung) pb.approvals.push_back(detail::Approval{above->amount, *rung, pos_of(a)});
    }
    std::stable_sort(pb.approvals.begin(), pb.approvals.end(),
                     [](const detail::Approval& x, const detail::Approval& y) { return x.above < y.above; });
  }
  if (present(n["hold"])) {
    const YAML::Node& h = n["hold"];
    if (r_.expect_map(h, "'hold'")) {
      r_.check_keys(h, {"when", "level", "why"}, "'hold'");
      if (!h["when"] || !h["level"]) {
        r_.error(h, "'hold' needs 'when' (the condition) and 'level' (who must review)");
      } else {
        auto when = r_.expression(h["when"], pb.money_scope, VType::Bool, "a 'when' condition");
        if (refuse_money_cycle(when, pb, "the hold")) when.reset();
        auto rung = rung_ref(h["level"], pb);
        std::string why;
        if (h["why"]) if (auto w = r_.scalar(h["why"], "'why'")) why = *w;
        if (when && rung) pb.hold = detail::Hold{std::move(*when), *rung, why};
      }
    }
  }
}

}  // namespace redress::load
