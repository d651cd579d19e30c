#include "cli/eval.hpp"

#include <iostream>

#include "cli/common.hpp"
#include "redress/pack.hpp"

namespace redress::cli {

namespace {

void print_human(const Decision& d) {
  std::cout << "playbook    " << d.playbook << (d.version.empty() ? "" : " (" + d.version + ")") << "\n";
  std::cout << "state       " << d.state << (d.terminal ? " (terminal)" : "") << "\n";
  if (d.path.size() > 1) {
    std::cout << "path        ";
    for (std::size_t i = 0; i < d.path.size(); ++i) std::cout << (i ? " -> " : "") << d.path[i];
    std::cout << "\n";
  }
  std::cout << "escalation  " << d.escalation.level;
  for (std::size_t i = 0; i < d.escalation.reasons.size(); ++i)
    std::cout << (i ? "; " : " — ") << d.escalation.reasons[i];
  std::cout << "\n";
  const Compensation& c = d.compensation;
  std::cout << "compensation " << c.total.to_string() << (c.capped ? " (capped)" : "");
  if (c.approval) std::cout << ", needs " << *c.approval << (c.approved ? " (approved by level)" : " approval");
  if (c.held) std::cout << ", HELD: " << c.hold_reason.value_or("");
  if (c.sign_off) std::cout << ", signed off by " << c.sign_off->by << " (" << c.sign_off->level << ")";
  std::cout << "\n";
  // Owed vs goodwill and payouts (issue #11), when there is anything to tell.
  if (c.owed.amount.sign() != 0 || c.paid.amount.sign() != 0 || !c.signed_off)
    std::cout << "  owed " << c.owed.to_string() << ", goodwill " << c.goodwill.to_string() << ", paid " << c.paid.to_string()
              << ", payable now " << c.payable.to_string() << "\n";
  for (const auto& item : c.items) {
    std::cout << "  " << item.id << " (" << item.kind << (item.basis == Basis::Owed ? ", owed" : "") << ") " << item.amount.to_string();
    if (item.paid.amount.sign() != 0) std::cout << ", paid " << item.paid.to_string() << ", remaining " << item.remaining.to_string();
    std::cout << "\n";
  }
  std::cout << "actions\n";
  for (const auto& a : d.actions) {
    std::cout << "  " << a.action;
    if (a.due_at) std::cout << " by " << a.due_at->to_string() << (a.overdue ? " OVERDUE" : "");
    if (a.to) std::cout << " [" << *a.to << "]";
    std::cout << "\n";
    if (a.options) {
      std::cout << "    options:";
      for (const auto& o : *a.options) std::cout << " " << o;
      std::cout << "\n";
    }
    if (a.say) std::cout << "    say: " << *a.say << "\n";
  }
  for (const auto& w : d.warnings) std::cout << "warning: " << w << "\n";
  for (const auto& t : d.trace) std::cout << "trace " << to_string(t.at) << " " << t.what << " " << t.expr << " = " << t.value.to_display() << "\n";
}

}  // namespace

int run_eval(const EvalOptions& options) {
  Pack pack = Pack::load(options.path);
  std::string text;
  if (!read_input(options.case_path, text)) {
    std::cerr << "error: " << options.case_path << ": cannot read the case file\n";
    return kBadInput;
  }
  Case c = parse_case(text, options.case_path == "-" ? "<stdin>" : options.case_path);
  if (!options.playbook.empty()) c.playbook = options.playbook;
  if (!options.state.empty()) c.state = options.state;
  if (!options.event.empty()) c.event = options.event;
  EvaluateOptions evaluate;
  evaluate.trace = options.trace;
  evaluate.clock = true;  // spec §6: a case without `now` is evaluated at the current time
  Decision d = pack.evaluate(c, evaluate);
  if (options.json) std::cout << to_json(d, JsonOptions{true}) << "\n";
  else print_human(d);
  return kOk;
}

}  // namespace redress::cli
