#include "cli/eval_compound.hpp"

#include <algorithm>
#include <iostream>
#include <string_view>

namespace redress::cli {

namespace {

std::string bold(bool on, std::string_view t) { return on ? "\033[1m" + std::string(t) + "\033[0m" : std::string(t); }

std::string tag(const std::optional<std::string>& playbook) { return playbook ? "[" + *playbook + "] " : ""; }

}  // namespace

void print_compound(const CompoundDecision& d, bool colour) {
  std::cout << bold(colour, "conflicts") << "\n";
  for (std::size_t i = 0; i < d.states.size(); ++i) {
    const Decision& part = d.parts[i];
    std::cout << "  " << part.playbook << ": " << part.state << (part.terminal ? " (terminal)" : "");
    if (const auto& t = d.to_close[i].to_close; t && t->steps > 0)
      std::cout << ", " << t->steps << (t->steps == 1 ? " step" : " steps") << " to close";
    std::cout << "\n";
  }
  std::cout << bold(colour, "escalation") << "  " << d.escalation.level << "\n";
  for (const auto& r : d.escalation.reasons) std::cout << "  " << tag(r.playbook) << r.text << "\n";

  const CompoundCompensation& comp = d.compensation;
  std::cout << bold(colour, "compensation") << " " << comp.total.to_string() << " (owed " << comp.owed.to_string()
            << ", goodwill " << comp.goodwill.to_string() << (comp.capped ? ", capped" : "") << ")";
  if (comp.approval) {
    if (comp.signed_off && comp.sign_off) std::cout << ", signed off by " << comp.sign_off->by;
    else std::cout << ", needs " << *comp.approval << " sign-off";
  }
  std::cout << "\n";
  for (const auto& r : comp.hold_reasons) std::cout << "  HELD " << tag(r.playbook) << r.text << "\n";
  for (const auto& item : comp.items) {
    std::cout << "  [" << item.playbook << "] " << item.id << " " << item.amount.to_string()
              << (item.basis == Basis::Owed ? " owed" : "");
    if (item.amount != item.claimed) std::cout << " (claimed " << item.claimed.to_string() << ")";
    if (item.covered_by) std::cout << ", covered by " << item.covered_by->playbook << "." << item.covered_by->item;
    std::cout << "\n";
  }
  std::cout << bold(colour, "actions") << (d.actions.empty() ? "     none" : "") << "\n";
  for (const auto& a : d.actions) {
    std::cout << "  " << a.step.action;
    if (a.step.due_at) std::cout << " by " << a.step.due_at->to_string() << (a.step.overdue ? " OVERDUE" : "");
    if (a.step.done) std::cout << " (done)";
    std::cout << "  <-";
    for (const auto& from : a.from) std::cout << " " << from.playbook << "." << from.action;
    std::cout << "\n";
    if (a.step.say) std::cout << "    say: " << *a.step.say << "\n";
  }
  for (const auto& w : d.warnings) std::cout << "warning: " << tag(w.playbook) << w.text << "\n";
}

}  // namespace redress::cli
