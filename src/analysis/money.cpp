#include "analysis/money.hpp"

#include <initializer_list>
#include <string>

#include "expr/guard_view.hpp"

namespace redress::analysis {

namespace {

using detail::MoneyName;
using expr::Compare;
using expr::GuardView;

class MoneyLint {
 public:
  MoneyLint(const detail::Playbook& pb, std::vector<Diagnostic>& found) : pb_(pb), found_(found) {}

  void run() {
    for (const auto& st : pb_.states)
      for (const auto& a : st.actions) check_action(st, a);
    if (pb_.limits_cover_owed && pb_.cap)
      for (const auto& rule : pb_.compensation)
        if (rule.basis == Basis::Owed)
          warn(rule.pos, "owed item '" + rule.id + "' is under the cap (the compensation says 'limits: all'): the cap can cut what "
                         "the customer is owed by law or contract; remove 'limits: all' so that the cap, the hold and the approval "
                         "cover goodwill only, or mark the item 'basis: goodwill' if it is a gesture");
  }

 private:
  std::uint32_t slot(MoneyName n) const { return pb_.money_slot + static_cast<std::uint32_t>(n); }
  std::optional<MoneyName> money_name(std::uint32_t s) const {
    if (s < pb_.money_slot || s >= pb_.money_slot + static_cast<std::uint32_t>(MoneyName::Count)) return std::nullopt;
    return static_cast<MoneyName>(s - pb_.money_slot);
  }

  // The amount shown may hold money that needs a sign-off: goodwill (and owed, under
  // `limits: all`). `payable` never does; `paid` is history.
  bool needs_sign_off(MoneyName n) const {
    switch (n) {
      case MoneyName::Total:
      case MoneyName::Goodwill:
      case MoneyName::Remaining: return true;
      case MoneyName::Owed: return pb_.limits_cover_owed;
      default: return false;
    }
  }
  bool may_be_unsigned() const { return !pb_.approvals.empty() || pb_.hold; }

  void check_action(const detail::State& st, const detail::Action& a) {
    for (const auto& part : a.say) {
      if (part.kind != detail::TemplatePart::Kind::Slot) continue;
      auto n = money_name(part.slot);
      if (!n || detail::kMoneyNames[static_cast<std::size_t>(*n)].type != expr::VType::Money) continue;
      const std::string shown = "{" + part.text + "}";
      const std::string who = "action '" + a.id + "' in state '" + st.name + "'";
      if (needs_sign_off(*n) && may_be_unsigned() && !proves(a.when, [&](const GuardView& g) { return is_true(g, MoneyName::SignedOff); }))
        warn(part.pos, who + " promises " + shown + " although nobody may have signed it off (" + controls() +
                           "): add 'compensation.signed_off and' to its 'when' and give the case before the sign-off an action "
                           "that does not name the amount (\"a supervisor will confirm it by {due_at}\"), or show "
                           "{compensation.payable}, which holds only what may be paid now");
      if (!proves(a.when, [&](const GuardView& g) { return is_positive(g, *n); }))
        warn(part.pos, who + " can say " + shown + " when it is " + Money{Decimal(), pb_.currency}.to_string() + ": add '" +
                           part.text + " > 0 " + std::string(pb_.currency.code()) + " and' to its 'when'");
    }
  }

  std::string controls() const {
    std::string s;
    if (!pb_.approvals.empty()) s = "the playbook's 'approve' thresholds";
    if (pb_.hold) s += std::string(s.empty() ? "" : " and ") + "its hold";
    return s;
  }

  // Whether `when` (an `and` of conditions; no `when` proves nothing) has a part that `test`
  // accepts: every case the action is recommended in then satisfies it.
  template <typename Test>
  static bool proves(const std::optional<expr::Program>& when, const Test& test) {
    return when && conjunct(GuardView(*when), test, 0);
  }
  template <typename Test>
  static bool conjunct(const GuardView& g, const Test& test, int depth) {
    if (depth > 64) return false;
    if (g.kind() == GuardView::Kind::And) return conjunct(g.operand(0), test, depth + 1) || conjunct(g.operand(1), test, depth + 1);
    return test(g);
  }

  // `compensation.signed_off`, or it compared `== true` / `!= false`.
  bool is_true(const GuardView& g, MoneyName n) const {
    if (g.kind() == GuardView::Kind::Name) return g.slot() == slot(n);
    if (g.kind() != GuardView::Kind::Compare) return false;
    GuardView name = g.operand(0), value = g.operand(1);
    if (name.kind() != GuardView::Kind::Name) std::swap(name, value);
    if (name.kind() != GuardView::Kind::Name || name.slot() != slot(n) || value.kind() != GuardView::Kind::Constant) return false;
    const expr::Val& v = value.value();
    return v.type == expr::VType::Bool && ((g.compare() == Compare::Eq && v.b) || (g.compare() == Compare::Ne && !v.b));
  }

  // `X > c` with c >= 0, `X >= c` with c > 0, `X != 0` (either way round), where X is the
  // amount shown or one that can only be positive when it is.
  bool is_positive(const GuardView& g, MoneyName shown) const {
    if (g.kind() != GuardView::Kind::Compare) return false;
    GuardView name = g.operand(0), value = g.operand(1);
    Compare op = g.compare();
    if (name.kind() != GuardView::Kind::Name) {
      std::swap(name, value);
      op = op == Compare::Lt ? Compare::Gt : op == Compare::Le ? Compare::Ge : op == Compare::Gt ? Compare::Lt : op == Compare::Ge ? Compare::Le : op;
    }
    if (name.kind() != GuardView::Kind::Name || value.kind() != GuardView::Kind::Constant) return false;
    auto n = money_name(name.slot());
    if (!n || !implies(*n, shown)) return false;
    const expr::Val& v = value.value();
    if (v.type != expr::VType::Money) return false;
    int sign = v.d.sign();
    return (op == Compare::Gt && sign >= 0) || (op == Compare::Ge && sign > 0) || (op == Compare::Ne && sign == 0);
  }

  // Whether `guard` > 0 means `shown` > 0.
  static bool implies(MoneyName guard, MoneyName shown) {
    if (guard == shown) return true;
    auto any = [&](std::initializer_list<MoneyName> names) {
      for (auto n : names)
        if (guard == n) return true;
      return false;
    };
    switch (shown) {
      case MoneyName::Total: return any({MoneyName::Owed, MoneyName::Goodwill, MoneyName::Remaining, MoneyName::Payable, MoneyName::Paid});
      case MoneyName::Remaining: return any({MoneyName::Payable});
      default: return false;
    }
  }

  void warn(const SourceLocation& at, std::string message) {
    found_.push_back(finding(pb_, Severity::Warning, at, std::move(message)));
  }

  const detail::Playbook& pb_;
  std::vector<Diagnostic>& found_;
};

}  // namespace

void check_money(const detail::Playbook& pb, std::vector<Diagnostic>& found) { MoneyLint(pb, found).run(); }

}  // namespace redress::analysis
