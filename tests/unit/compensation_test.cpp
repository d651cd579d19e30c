// Money controls (issue #11): owed vs goodwill, sign-offs, payouts already made, compensation
// values in `when` and `say`, and the cycles they must not make.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "redress/redress.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

Timestamp T(const char* s) { return *Timestamp::parse(s); }
Money M(const char* s) { return *Money::parse(s); }

const Pack& scenario_pack() {
  static const Pack pack = Pack::load(std::string(REDRESS_SOURCE_DIR) + "/tests/money/refund_voucher.yaml");
  return pack;
}

// The case of the issue's "Done when": 120.00 EUR overcharged, a customer with frequent claims.
Case scenario() {
  Case c;
  c.playbook = "refund_voucher";
  c.state = "offer";
  c.now = T("2026-11-23T10:00:00Z");
  c.entered_at = T("2026-11-23T09:00:00Z");
  c.fact("order_id", Value::string("A-1")).fact("overcharge", Value::string("120.00 EUR")).fact("claims_90d", Value::integer(3));
  return c;
}

std::vector<std::string> ids(const Decision& d) {
  std::vector<std::string> out;
  for (const auto& a : d.actions) out.push_back(a.action);
  return out;
}

// One playbook in a fresh directory.
struct TempPlaybook {
  fs::path dir;
  explicit TempPlaybook(const std::string& text) {
    static int counter = 0;
    dir = fs::temp_directory_path() / ("redress_money_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "p.yaml") << text;
  }
  ~TempPlaybook() { fs::remove_all(dir); }
  Pack load() const { return Pack::load(dir.string()); }
  // The load errors, one "line:column: message" each.
  std::vector<std::string> errors() const {
    try {
      load();
    } catch (const LoadError& e) {
      std::vector<std::string> out;
      for (const auto& d : e.diagnostics())
        if (d.severity == Severity::Error)
          out.push_back(std::to_string(d.line()) + ":" + std::to_string(d.column()) + ": " + d.message);
      return out;
    }
    return {};
  }
};

std::string playbook(const std::string& compensation, const std::string& extra_state = "",
                     const std::string& escalation = "") {
  return R"(redress: 1
playbook: p
currency: EUR
facts:
  owed_amount: {type: money, default: 0 EUR}
  gift: {type: money, default: 0 EUR}
states:
  open:
    initial: true
)" + extra_state + R"(
    on: {close: done}
  done:
    terminal: true
)" + escalation + "compensation:\n" + compensation;
}

const char* kTwoItems = R"(  rules:
    - {id: refund, kind: refund, basis: owed, amount: "owed_amount"}
    - {id: gift, kind: voucher, amount: "gift"}
)";

}  // namespace

TEST_CASE("issue #11 scenario: the owed refund is paid, the capped goodwill held, the script promises what is signed off") {
  const Pack& pack = scenario_pack();
  Decision d = pack.evaluate(scenario());
  const Compensation& c = d.compensation;
  CHECK(c.owed == M("120.00 EUR"));
  CHECK(c.goodwill == M("25.00 EUR"));    // 30.00 under the 25.00 cap
  CHECK(c.total == M("145.00 EUR"));
  CHECK(c.capped);
  CHECK(c.held);
  CHECK(c.approval == std::optional<std::string>("manager"));
  CHECK_FALSE(c.signed_off);
  CHECK(c.payable == M("120.00 EUR"));    // the owed refund is never held
  CHECK(c.remaining == M("145.00 EUR"));
  REQUIRE(c.items.size() == 2);
  CHECK(c.items[0].basis == Basis::Owed);
  CHECK(c.items[0].amount == M("120.00 EUR"));
  CHECK(c.items[1].basis == Basis::Goodwill);
  CHECK(c.items[1].amount == M("25.00 EUR"));
  CHECK(ids(d) == std::vector<std::string>{"confirm_refund", "voucher_pending"});
  CHECK(d.actions[0].say == std::optional<std::string>("We will pay back the 120.00 EUR order A-1 was overcharged."));
  CHECK(d.actions[1].say == std::optional<std::string>("A manager will confirm our apology gesture by Mon 23 Nov, 13:00 (UTC)."));
  for (const auto& a : d.actions) CHECK(a.say->find("25.00") == std::string::npos);

  SUBCASE("after a partial payment of 50.00 EUR, 70.00 EUR owed remains") {
    Case again = scenario();
    again.paid.push_back(Payment{"refund_overcharge", M("50.00 EUR")});
    Decision d2 = pack.evaluate(again);
    CHECK(d2.compensation.items[0].paid == M("50.00 EUR"));
    CHECK(d2.compensation.items[0].remaining == M("70.00 EUR"));
    CHECK(d2.compensation.paid == M("50.00 EUR"));
    CHECK(d2.compensation.remaining == M("95.00 EUR"));
    CHECK(d2.compensation.payable == M("70.00 EUR"));
    CHECK(d2.compensation.owed == M("120.00 EUR"));  // what is owed does not change; what remains does
  }
  SUBCASE("a manager's sign-off releases the goodwill, and the script promises it") {
    Case signed_case = scenario();
    signed_case.sign_offs.push_back(SignOff{"manager", "a.berg", T("2026-11-23T09:30:00Z"), M("25.00 EUR")});
    Decision d2 = pack.evaluate(signed_case);
    CHECK(d2.compensation.signed_off);
    REQUIRE(d2.compensation.sign_off);
    CHECK(d2.compensation.sign_off->by == "a.berg");
    CHECK(d2.compensation.held);                 // the hold still names why it was reviewed
    CHECK_FALSE(d2.compensation.approved);       // the agent's level alone has no authority
    CHECK(d2.compensation.payable == M("145.00 EUR"));
    CHECK(ids(d2) == std::vector<std::string>{"confirm_refund", "promise_voucher"});
    CHECK(d2.actions[1].say == std::optional<std::string>("As an apology we add a voucher of 25.00 EUR."));
  }
  SUBCASE("the same from a JSON case") {
    Case c2 = parse_case(R"({"playbook": "refund_voucher", "state": "offer", "now": "2026-11-23T10:00:00Z",
      "entered_at": "2026-11-23T09:00:00Z",
      "facts": {"order_id": "A-1", "overcharge": "120.00 EUR", "claims_90d": 3},
      "paid": {"refund_overcharge": "50.00 EUR"},
      "sign_offs": [{"level": "supervisor", "by": "s.kim", "at": "2026-11-23T09:00:00Z"}]})");
    Decision d2 = pack.evaluate(c2);
    CHECK(d2.compensation.items[0].remaining == M("70.00 EUR"));
    CHECK_FALSE(d2.compensation.signed_off);    // a supervisor is below the hold's manager
    std::string json = to_json(d2);
    CHECK(json.find("\"owed\": \"120.00 EUR\", \"goodwill\": \"25.00 EUR\"") != std::string::npos);
    CHECK(json.find("\"paid\": \"50.00 EUR\", \"remaining\": \"95.00 EUR\", \"payable\": \"70.00 EUR\"") != std::string::npos);
    CHECK(json.find("{\"id\": \"refund_overcharge\", \"kind\": \"refund\", \"basis\": \"owed\", \"amount\": \"120.00 EUR\", "
                    "\"paid\": \"50.00 EUR\", \"remaining\": \"70.00 EUR\"}") != std::string::npos);
  }
}

TEST_CASE("a sign-off counts when its level, time and amount suffice") {
  const Pack& pack = scenario_pack();
  auto with = [&](SignOff s) {
    Case c = scenario();
    c.sign_offs.push_back(std::move(s));
    return pack.evaluate(c).compensation;
  };
  CHECK(with({"director", "d", T("2026-11-23T09:00:00Z"), std::nullopt}).signed_off);      // above, any amount
  CHECK_FALSE(with({"supervisor", "s", T("2026-11-23T09:00:00Z"), std::nullopt}).signed_off);
  CHECK_FALSE(with({"manager", "m", T("2026-11-23T09:00:00Z"), M("24.99 EUR")}).signed_off);  // less than 25.00
  CHECK_FALSE(with({"manager", "m", T("2026-11-23T10:00:01Z"), std::nullopt}).signed_off);    // after now
  CHECK(with({"manager", "m", T("2026-11-23T10:00:00Z"), M("25.00 EUR")}).signed_off);

  Case bad = scenario();
  bad.sign_offs.push_back(SignOff{"manger", "m", T("2026-11-23T09:00:00Z"), std::nullopt});
  CHECK_THROWS_WITH_AS(pack.evaluate(bad), doctest::Contains("unknown level 'manger' (did you mean 'manager'?)"), EvaluationError);
  Case usd = scenario();
  usd.sign_offs.push_back(SignOff{"manager", "m", T("2026-11-23T09:00:00Z"), M("25.00 USD")});
  CHECK_THROWS_WITH_AS(pack.evaluate(usd), doctest::Contains("currencies are never converted"), EvaluationError);
}

TEST_CASE("payouts: never negative, never for an unknown item") {
  const Pack& pack = scenario_pack();
  Case over = scenario();
  over.paid.push_back(Payment{"refund_overcharge", M("100.00 EUR")});
  over.paid.push_back(Payment{"refund_overcharge", M("30.00 EUR")});  // two payouts add up
  Decision d = pack.evaluate(over);
  CHECK(d.compensation.items[0].paid == M("130.00 EUR"));
  CHECK(d.compensation.items[0].remaining == M("0.00 EUR"));
  CHECK(d.compensation.remaining == M("25.00 EUR"));  // the overpayment does not pay the voucher
  CHECK(d.compensation.payable == M("0.00 EUR"));
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0].find("'refund_overcharge' was paid 130.00 EUR, more than its 120.00 EUR") != std::string::npos);

  Case typo = scenario();
  typo.paid.push_back(Payment{"refund_overcharged", M("1.00 EUR")});
  CHECK_THROWS_WITH_AS(pack.evaluate(typo), doctest::Contains("did you mean 'refund_overcharge'?"), EvaluationError);
  Case fraction = scenario();
  fraction.paid.push_back(Payment{"refund_overcharge", M("3.335 EUR")});
  CHECK_THROWS_WITH_AS(pack.evaluate(fraction), doctest::Contains("finer than EUR's minor unit (2 digits)"), EvaluationError);
  Case negative = scenario();
  negative.paid.push_back(Payment{"refund_overcharge", M("-1.00 EUR")});
  CHECK_THROWS_WITH_AS(pack.evaluate(negative), doctest::Contains("negative"), EvaluationError);
  CHECK_THROWS_WITH_AS(parse_case(R"({"paid": {"refund_overcharge": 50}})"), doctest::Contains("money with its currency"), EvaluationError);
}

TEST_CASE("owed items are outside the cap, the approval and combine; `limits: all` puts them back") {
  auto evaluate = [](const std::string& text, const char* owed, const char* gift) {
    TempPlaybook tp(text);
    Case c;
    c.now = T("2026-11-23T10:00:00Z");
    c.fact("owed_amount", Value::string(owed)).fact("gift", Value::string(gift));
    return tp.load().evaluate(c).compensation;
  };
  std::string limited = std::string(kTwoItems) + "  cap: \"10 EUR\"\n  approve: [{above: 50 EUR, level: manager}]\n";
  Compensation c = evaluate(playbook(limited), "200.00 EUR", "30.00 EUR");
  CHECK(c.owed == M("200.00 EUR"));
  CHECK(c.goodwill == M("10.00 EUR"));
  CHECK(c.capped);
  CHECK_FALSE(c.approval);  // the 210.00 total is above 50, but only goodwill needs approval
  CHECK(c.payable == M("210.00 EUR"));

  Compensation all = evaluate(playbook("  limits: all\n" + limited), "200.00 EUR", "30.00 EUR");
  CHECK(all.total == M("10.00 EUR"));
  CHECK(all.items[0].amount == M("10.00 EUR"));  // cut from the last backwards, the owed item too
  CHECK(all.items[1].amount == M("0.00 EUR"));

  Compensation max = evaluate(playbook("  combine: max\n" + std::string(kTwoItems)), "5.00 EUR", "30.00 EUR");
  REQUIRE(max.items.size() == 2);  // `max` picks among goodwill items; the owed one stays
  CHECK(max.total == M("35.00 EUR"));
}

TEST_CASE("compensation values in guards and escalation rules; cycles are located load errors") {
  TempPlaybook guard(playbook(kTwoItems, "    always: [{to: done, when: \"compensation.owed >= 100 EUR\"}]\n",
                              "escalation:\n  rules:\n    - {when: \"compensation.goodwill > 20 EUR\", at_least: manager, why: big gift}\n"));
  Case c;
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("owed_amount", Value::string("100.00 EUR")).fact("gift", Value::string("25.00 EUR"));
  Decision d = guard.load().evaluate(c);
  CHECK(d.state == "done");
  CHECK(d.escalation.level == "manager");

  TempPlaybook amount(playbook("  rules:\n    - {id: a, amount: \"gift\"}\n    - {id: b, amount: \"compensation.total * 10%\"}\n"));
  auto errors = amount.errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("a cycle: compensation rule 'b' reads compensation.total") != std::string::npos);
  INFO(errors[0]);
  CHECK(errors[0].rfind("17:24:", 0) == 0);  // rule b's line, the column of the name

  TempPlaybook approved(playbook(kTwoItems, "", "escalation:\n  rules:\n    - {when: \"not compensation.approved\", raise: 1}\n"));
  errors = approved.errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("a cycle: this escalation rule reads compensation.approved") != std::string::npos);

  TempPlaybook typo(playbook(kTwoItems, "    do: [{action: a, when: \"compensation.signed_of\"}]\n"));
  errors = typo.errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("did you mean 'compensation.signed_off'?") != std::string::npos);
}

TEST_CASE("playbook tests assert owed, goodwill, payouts, sign-off and the words of a script") {
  TempPlaybook tp(playbook(kTwoItems, "    do: [{action: tell, say: \"We refund {compensation.owed} now.\"}]\n") + R"(
tests:
  - name: all wrong
    now: "2026-11-23T10:00:00Z"
    facts: {owed_amount: "20.00 EUR", gift: "5.00 EUR"}
    paid: {refund: "5.00 EUR"}
    expect:
      owed: "21.00 EUR"
      goodwill: "5.00 EUR"
      remaining: "20.00 EUR"
      payable: "20.00 EUR"
      paid: "5 EUR"
      signed_off: false
      say: {tell: "We refund 20.00 EUR."}
      say_contains: {tell: ["20.00 EUR", "later"], missing: "x"}
      say_lacks: {tell: "refund"}
)");
  auto results = run_tests(tp.load());
  REQUIRE(results.size() == 1);
  CHECK_FALSE(results[0].passed);
  const std::vector<std::string> expected = {
      "signed_off: expected false, got true",
      "owed: expected 21.00 EUR, got 20.00 EUR",
      "say of 'tell': expected \"We refund 20.00 EUR.\", got \"We refund 20.00 EUR now.\"",
      "say of 'tell': expected it to contain \"later\", got \"We refund 20.00 EUR now.\"",
      "say of 'missing': the action is not recommended",
      "say of 'tell': expected it not to contain \"refund\", got \"We refund 20.00 EUR now.\"",
  };
  CHECK(results[0].failures == expected);  // goodwill, remaining, payable and paid hold (5 EUR == 5.00 EUR)
}
