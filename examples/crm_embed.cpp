// A CRM links redress, loads the pack once at start-up, and asks "what now?" for each case.
//
//   crm_embed [PACK_DIR]     (default: playbooks)
#include <iostream>

#include <redress/redress.hpp>

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "playbooks";
  try {
    // Load once: the pack is immutable and may be shared by every worker thread.
    const redress::Pack pack = redress::Pack::load(dir);

    const auto now = *redress::Timestamp::parse("2026-11-23T10:00:00Z");

    // A case as the CRM knows it: three days late, a gold customer.
    redress::Case late;
    late.playbook = "delivery_delay";
    late.state = "investigating";
    late.now = now;
    late.fact("category", redress::Value::string("delivery"))
        .fact("order_id", redress::Value::string("A-1001"))
        .fact("order_value", redress::Value::money(*redress::Money::parse("200.00 EUR")))
        .fact("shipping_fee", redress::Value::money(*redress::Money::parse("4.99 EUR")))
        .fact("days_late", redress::Value::integer(3))
        .fact("tier", redress::Value::string("gold"));

    // A new case with no playbook named: triage picks it from the facts.
    redress::Case fresh;
    fresh.now = now;
    fresh.fact("category", redress::Value::string("delivery"))
        .fact("order_id", redress::Value::string("A-2002"))
        .fact("order_value", redress::Value::money(*redress::Money::parse("40.00 EUR")))
        .fact("days_late", redress::Value::integer(1))
        .fact("emotion", redress::Value::string("aggressive"));

    for (const redress::Case* c : {&late, &fresh}) {
      const redress::Decision d = pack.evaluate(*c);
      std::cout << d.playbook << ": " << d.state << ", level " << d.escalation.level
                << ", compensation " << d.compensation.total.to_string() << "\n";
      for (const auto& a : d.actions) {
        std::cout << "  - " << a.action;
        if (a.due_at) std::cout << " (by " << a.due_at->to_string() << ")";
        if (a.say) std::cout << ": \"" << *a.say << "\"";
        std::cout << "\n";
      }
    }
    // The same decision as the CLI's `eval --json`.
    std::cout << redress::to_json(pack.evaluate(late)) << "\n";
  } catch (const redress::LoadError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string_with_caret() << "\n";
    return 2;
  } catch (const redress::EvaluationError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
