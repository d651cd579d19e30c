// redress::explain (issue #17): why, why not, counterfactuals (every one re-evaluated here) and
// what-if, on the purpose-built tests/explain/thresholds playbook and on a frozen copy of the
// bundled delivery_delay playbook (tests/explain/delivery_delay).
#include <doctest/doctest.h>

#include <algorithm>

#include "redress/redress.hpp"

using namespace redress;

namespace {

Timestamp T(const char* s) { return *Timestamp::parse(s); }

const Pack& thresholds() {
  static const Pack pack = Pack::load(std::string(REDRESS_SOURCE_DIR) + "/tests/explain/thresholds");
  return pack;
}

const Pack& delivery() {
  static const Pack pack = Pack::load(std::string(REDRESS_SOURCE_DIR) + "/tests/explain/delivery_delay");
  return pack;
}

Case silver_case() {
  Case c;
  c.playbook = "thresholds";
  c.state = "open";
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("order_value", Value::string("20.00 EUR"))
      .fact("days_late", Value::integer(1))
      .fact("rating", Value::integer(3))
      .fact("tier", Value::string("silver"))
      .fact("channel", Value::string("email"))
      .fact("waited", Value::string("1h"))
      .fact("reported_at", Value::string("2026-11-20T09:00:00Z"));
  return c;
}

// The README's gold customer (examples/cases/late_gold.json).
Case gold_case() {
  Case c;
  c.playbook = "delivery_delay";
  c.state = "investigating";
  c.entered_at = T("2026-11-23T08:00:00Z");
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("category", Value::string("delivery"))
      .fact("order_id", Value::string("A-1001"))
      .fact("order_value", Value::string("200.00 EUR"))
      .fact("shipping_fee", Value::string("4.99 EUR"))
      .fact("days_late", Value::integer(3))
      .fact("tier", Value::string("gold"));
  return c;
}

// The case with a counterfactual's changes applied, as a CRM would send them (text values).
Case changed(const Case& c, const Counterfactual& cf) {
  Case out = c;
  for (const auto& ch : cf.changes) {
    auto it = std::find_if(out.facts.begin(), out.facts.end(), [&](const auto& kv) { return kv.first == ch.fact; });
    if (it != out.facts.end()) it->second = Value::string(ch.to);
    else out.fact(ch.fact, Value::string(ch.to));
  }
  return out;
}

bool has_target(const Decision& d, const std::string& target) {
  const std::string kind = target.substr(0, target.find('='));
  const std::string value = target.substr(target.find('=') + 1);
  if (kind == "level") return d.escalation.level == value;
  if (kind == "state") return d.state == value;
  if (kind == "item")
    return std::any_of(d.compensation.items.begin(), d.compensation.items.end(),
                       [&](const CompensationItem& i) { return i.id == value && !i.amount.amount.is_zero(); });
  return std::any_of(d.actions.begin(), d.actions.end(), [&](const ActionOut& a) { return a.action == value; });
}

// Every counterfactual of every target, evaluated again here: it must reach its target, and its
// outcome must be what the engine computes for the changed case.
void check_every_answer(const Pack& pack, const Case& c, const Explanation& e) {
  for (const auto& w : e.why_not) {
    for (const auto& cf : w.changes) {
      CAPTURE(w.target);
      CAPTURE(cf.text);
      Decision d = pack.evaluate(changed(c, cf));
      CHECK(has_target(d, w.target));
      if (w.target.rfind("item=", 0) == 0) {
        const std::string id = w.target.substr(5);
        auto item = std::find_if(d.compensation.items.begin(), d.compensation.items.end(),
                                 [&](const CompensationItem& i) { return i.id == id; });
        REQUIRE(item != d.compensation.items.end());
        CHECK(cf.outcome == id + " " + item->amount.to_string());
      }
    }
  }
}

const WhyNot& target(const Explanation& e, const std::string& spec) {
  auto it = std::find_if(e.why_not.begin(), e.why_not.end(), [&](const WhyNot& w) { return w.target == spec; });
  REQUIRE(it != e.why_not.end());
  return *it;
}

// "days_late>=3", "tier=gold" for each change of a counterfactual, joined by " and ".
std::string changes(const Counterfactual& cf) {
  std::string s;
  for (const auto& c : cf.changes) s += (s.empty() ? "" : " and ") + c.fact + c.relation + c.to;
  return s;
}

std::vector<std::string> all_changes(const WhyNot& w) {
  std::vector<std::string> out;
  for (const auto& cf : w.changes) out.push_back(changes(cf));
  return out;
}

}  // namespace

TEST_CASE("explain: why lists each part of the Decision with the facts it read and its YAML location") {
  Explanation e = explain(delivery(), gold_case());
  CHECK(e.decision.state == "offer");
  auto part = [&](const std::string& kind, const std::string& subject) -> const Because& {
    auto it = std::find_if(e.because.begin(), e.because.end(),
                           [&](const Because& b) { return b.part == kind && b.subject == subject; });
    REQUIRE_MESSAGE(it != e.because.end(), kind << " " << subject);
    return *it;
  };
  const Because& move = part("transition", "investigating -> offer");
  CHECK(to_string(move.at) == "delivery_delay.yaml:41:9");
  REQUIRE(move.conditions.size() == 1);
  CHECK(move.conditions[0].expr == "days_late >= 1");
  CHECK(move.conditions[0].facts[0].name == "days_late");
  CHECK(move.conditions[0].facts[0].value == "3");
  const Because& level = part("escalation", "manager");
  CHECK(level.why == std::optional<std::string>("key customer"));
  // The let `vip` is followed to the facts it read.
  std::vector<std::string> names;
  for (const auto& f : level.conditions[0].facts) names.push_back(f.name + "=" + f.value + "/" + f.source);
  CHECK(names == std::vector<std::string>{"vip=true/let", "tier=gold/case", "order_value=200.00 EUR/case"});
  const Because& credit = part("compensation", "delay_credit 3.00 EUR");
  REQUIRE(credit.conditions.size() == 2);  // its when, then its amount
  CHECK(credit.conditions[1].value == "3.00 EUR");
  CHECK(credit.text.find("order_value is 200.00 EUR") != std::string::npos);
  part("cap", "100.00 EUR");
  part("approval", "none");
  part("action", "offer_options");
  const Because& update = part("action", "status_update");
  CHECK(update.conditions[0].facts[0].source == "absent");
}

TEST_CASE("explain: why-not level=director names the rule and the fact that keep the gold customer at manager") {
  ExplainOptions o;
  o.why_not = {"level=director"};
  Explanation e = explain(delivery(), gold_case(), o);
  const WhyNot& w = target(e, "level=director");
  CHECK_FALSE(w.reached);
  REQUIRE(w.blockers.size() == 1);
  const Blocker& b = w.blockers[0];
  CHECK(b.rule == "escalation rule 'contacts >= 3' (raise 1)");
  REQUIRE(b.failed);
  CHECK(b.failed->expr == "contacts >= 3");
  CHECK(b.failed->facts[0].name == "contacts");
  CHECK(b.failed->facts[0].value == "1");
  CHECK(b.failed->facts[0].source == "default");
  CHECK(b.note == "even if it held, the level would be only manager");
  CHECK(w.changes.empty());  // director cannot be reached in this playbook: nothing is invented
}

TEST_CASE("explain: what-if days_late=7 shows the delay credit the engine computes for the changed case") {
  ExplainOptions o;
  o.what_if = {{"days_late", Value::string("7")}};
  Explanation e = explain(delivery(), gold_case(), o);
  REQUIRE(e.what_if);
  Case seven = gold_case();
  seven.facts[4].second = Value::integer(7);
  Decision d = delivery().evaluate(seven);
  CHECK(e.what_if->decision == d);
  auto credit = std::find_if(e.what_if->differences.begin(), e.what_if->differences.end(),
                             [](const DecisionChange& c) { return c.field == "compensation.items[delay_credit].amount"; });
  REQUIRE(credit != e.what_if->differences.end());
  CHECK(credit->before == "3.00 EUR");
  CHECK(credit->after == d.compensation.items[1].amount.to_string());
  CHECK(credit->after != credit->before);
  REQUIRE(e.what_if->changes.size() == 1);
  CHECK(e.what_if->changes[0].from == "3");
  // `now` too, and an unknown fact is refused with a hint.
  ExplainOptions later;
  later.what_if_now = T("2026-11-25T10:00:00Z");
  Explanation at = explain(delivery(), gold_case(), later);
  REQUIRE(at.what_if);
  CHECK(std::any_of(at.what_if->differences.begin(), at.what_if->differences.end(),
                    [](const DecisionChange& c) { return c.field == "actions[status_update].due_at" && c.after == "2026-11-26T10:00:00Z"; }));
  ExplainOptions typo;
  typo.what_if = {{"days_lat", Value::integer(7)}};
  CHECK_THROWS_WITH_AS(explain(delivery(), gold_case(), typo), doctest::Contains("did you mean 'days_late'"), EvaluationError);
}

TEST_CASE("explain: counterfactuals are boundary values, each confirmed by evaluating the changed case") {
  ExplainOptions o;
  o.why_not = {"item=loyalty", "item=delay_credit", "item=courtesy", "state=offer", "state=review", "level=manager",
               "level=director", "action=apologise", "action=call_back", "action=make_offer"};
  const Case c = silver_case();
  Explanation e = explain(thresholds(), c, o);
  check_every_answer(thresholds(), c, e);
  // Money `> 30 EUR` is 30.01 EUR, with the enum set's values nearest the current one first.
  CHECK(all_changes(target(e, "item=loyalty")) ==
        std::vector<std::string>{"tier=gold and order_value>=30.01 EUR", "tier=platinum and order_value>=30.01 EUR"});
  CHECK(all_changes(target(e, "item=delay_credit")) == std::vector<std::string>{"days_late>=3"});
  CHECK(target(e, "item=delay_credit").changes[0].outcome == "delay_credit 0.60 EUR");
  CHECK(all_changes(target(e, "item=courtesy")) == std::vector<std::string>{"rating<=1.99"});
  CHECK(all_changes(target(e, "state=offer")) == std::vector<std::string>{"days_late>=2 and rating<=2.5"});
  CHECK(all_changes(target(e, "state=review")) == std::vector<std::string>{"fraud=true"});
  // A let with `or` (key_customer: tier >= 'gold' or order_value >= 500 EUR), and a raise that
  // reaches manager only after another rule lifts the level first.
  CHECK(all_changes(target(e, "level=manager")) ==
        std::vector<std::string>{"tier=gold", "order_value>=500.00 EUR", "contacts>=3 and channel=social", "contacts>=3 and public=true"});
  CHECK(all_changes(target(e, "level=director")) == std::vector<std::string>{"reported_at<=2026-10-31T23:59:59Z"});
  CHECK(all_changes(target(e, "action=apologise")) == std::vector<std::string>{"waited>=2h1s"});
  CHECK(all_changes(target(e, "action=call_back")) == std::vector<std::string>{"channel=chat", "channel=phone"});
  CHECK(target(e, "action=make_offer").text.find("belongs to state offer") != std::string::npos);
}

TEST_CASE("explain: a time condition (age >= 4h) is evaluated on the case's clock, never changed as a fact") {
  Case c = silver_case();
  c.entered_at = T("2026-11-23T08:00:00Z");  // two hours before now
  ExplainOptions o;
  o.why_not = {"action=remind"};
  Explanation e = explain(thresholds(), c, o);
  const WhyNot& w = target(e, "action=remind");
  REQUIRE(w.blockers.size() == 1);
  REQUIRE(w.blockers[0].failed);
  CHECK(w.blockers[0].failed->expr == "age >= 4h");
  CHECK(w.blockers[0].failed->value == "false");
  CHECK(w.changes.empty());
  c.entered_at = T("2026-11-23T05:00:00Z");
  CHECK(target(explain(thresholds(), c, o), "action=remind").reached);
}

TEST_CASE("explain: --fixed facts are never changed, and nothing unconfirmed is reported") {
  ExplainOptions o;
  o.why_not = {"level=manager", "item=loyalty"};
  o.fixed = {"tier", "order_value"};
  const Case c = silver_case();
  Explanation e = explain(thresholds(), c, o);
  check_every_answer(thresholds(), c, e);
  CHECK(all_changes(target(e, "level=manager")) ==
        std::vector<std::string>{"contacts>=3 and channel=social", "contacts>=3 and public=true"});
  CHECK(target(e, "item=loyalty").changes.empty());
  CHECK(target(e, "item=loyalty").text.find("No change of the facts found") != std::string::npos);
}

TEST_CASE("explain: a case whose every fact is at a declared bound gets no out-of-bounds answer") {
  // days_late has max: 60; `days_late >= 61` style answers would break the declaration.
  Case c = silver_case();
  c.facts[1].second = Value::integer(0);
  ExplainOptions o;
  o.why_not = {"item=delay_credit"};
  Explanation e = explain(thresholds(), c, o);
  check_every_answer(thresholds(), c, e);
  CHECK(all_changes(target(e, "item=delay_credit")) == std::vector<std::string>{"days_late>=3"});
}

TEST_CASE("explain: targets that are already reached, malformed or unknown") {
  ExplainOptions o;
  o.why_not = {"item=goodwill", "level=manager"};
  Explanation e = explain(delivery(), gold_case(), o);
  CHECK(target(e, "item=goodwill").reached);
  CHECK(target(e, "level=manager").reached);
  auto fails = [&](const char* spec, const char* message) {
    ExplainOptions bad;
    bad.why_not = {spec};
    CHECK_THROWS_WITH_AS(explain(delivery(), gold_case(), bad), doctest::Contains(message), EvaluationError);
  };
  fails("level=directr", "did you mean 'director'");
  fails("levle=director", "did you mean 'level'");
  fails("director", "not KIND=VALUE");
  fails("item=", "has no item ''");
  fails("state=ofer", "did you mean 'offer'");
}

TEST_CASE("explain: the JSON carries the same answers, and text reads them out") {
  ExplainOptions o;
  o.why_not = {"level=director"};
  o.what_if = {{"days_late", Value::integer(7)}};
  Explanation e = explain(delivery(), gold_case(), o);
  const std::string json = to_json(e);
  CHECK(json.find("\"target\": \"level=director\"") != std::string::npos);
  CHECK(json.find("\"field\": \"compensation.items[delay_credit].amount\", \"before\": \"3.00 EUR\", \"after\": \"7.00 EUR\"") !=
        std::string::npos);
  const std::string text = to_text(e);
  CHECK(text.find("contacts >= 3 is false (contacts is 1 (default))") != std::string::npos);
  CHECK(text.find("compensation.items[delay_credit].amount: 3.00 EUR -> 7.00 EUR") != std::string::npos);
}

TEST_CASE("explain: why: texts on transitions, items and actions are read out") {
  Case c = silver_case();
  c.facts[1].second = Value::integer(4);  // days_late
  c.facts[2].second = Value::integer(2);  // rating
  c.facts[4].second = Value::string("phone");
  c.facts[5].second = Value::string("3h");
  Explanation e = explain(thresholds(), c);
  auto text_of = [&](const std::string& part) {
    std::string all;
    for (const auto& b : e.because)
      if (b.part == part) all += b.text + "\n";
    return all;
  };
  CHECK(text_of("transition").find("Moved from open to offer automatically: late and the customer is unhappy") != std::string::npos);
  CHECK(text_of("compensation").find("one percent of the order per day late") != std::string::npos);
}
