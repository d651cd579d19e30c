// Compound tests (pack.test.yaml, spec §1 "Compound tests"): run by run_tests after the single
// tests, each failure as expected vs got, every name checked when the pack loads.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "redress/redress.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

const fs::path kPack = fs::path(REDRESS_SOURCE_DIR) / "tests" / "compound" / "pack";

// The compound pack's playbooks and pack.yaml in a temporary directory, with this pack.test.yaml.
struct PackWithTests {
  test_support::TempDir dir{"compound_tests"};
  explicit PackWithTests(const std::string& tests) {
    for (const char* f : {"pack.yaml", "delivery_delay.yaml", "wrong_invoice.yaml"})
      fs::copy(kPack / f, dir.path / f);
    dir.write("pack.test.yaml", tests);
  }
  std::string path() const { return dir.path.string(); }
};

// Every diagnostic of a load that must fail, one per line, as `redress lint` prints them.
std::string load_errors(const std::string& path) {
  try {
    Pack::load(path);
  } catch (const LoadError& e) {
    std::string out;
    for (const auto& d : e.diagnostics())
      out += fs::path(d.file()).filename().string() + ":" + std::to_string(d.location.line) + ":" +
             std::to_string(d.location.column) + ": " + d.message + "\n";
    return out;
  }
  FAIL("the pack loaded");
  return "";
}

const char* kCase = R"(    playbooks: [delivery_delay, wrong_invoice]
    now: "2026-11-23T10:00:00Z"
    entered_at: "2026-11-23T09:00:00Z"
    facts: {days_late: 3, order_value: "200.00 EUR", shipping_fee: "4.99 EUR", overcharge: "500.00 EUR", tier: gold}
)";

}  // namespace

TEST_CASE("the compound pack's tests pass, after its playbooks' own, each naming its playbooks") {
  Pack pack = Pack::load(kPack.string());
  auto results = run_tests(pack);
  const auto compound =
      std::count_if(results.begin(), results.end(), [](const TestResult& r) { return r.compound; });
  CHECK(compound >= 10);
  for (const auto& r : results) {
    CAPTURE(r.name);
    CHECK(r.passed);
    CHECK(r.failures.empty());
  }
  auto done_when = std::find_if(results.begin(), results.end(), [](const TestResult& r) {
    return r.name == "late and overcharged, gold customer";
  });
  REQUIRE(done_when != results.end());
  CHECK(done_when->playbook == "delivery_delay+wrong_invoice");
  CHECK(fs::path(done_when->file).filename() == "pack.test.yaml");
  CHECK(done_when->line == 8);
  // The filter picks compound tests by name, or by a playbook they name.
  CHECK(run_tests(pack, "gold customer").size() == 1);
  CHECK(run_tests(pack, "no-such-thing").empty());
}

TEST_CASE("a wrong compound expectation fails, each difference as expected vs got") {
  PackWithTests p(std::string("tests:\n  - name: wrong on purpose\n") + kCase + R"(    expect:
      states: {wrong_invoice: resolved}
      level: supervisor
      actions: [apologise, call_back]
      reasons: [{wrong_invoice: three or more days late}, overcharge of 100 EUR or more]
      goodwill: "60.00 EUR"
      capped: false
      approval: null
      items: [wrong_invoice.refund_overcharge]
      amounts: {delivery_delay.delay_credit: "10.00 EUR"}
      covered_by: {delivery_delay.delay_credit: null, wrong_invoice.goodwill_credit: delivery_delay.delay_credit}
      say: {call_back: "We will call."}
      do: {apologise: {due_at: "2026-11-23T12:00:00Z"}}
      parts:
        wrong_invoice: {state: resolved, level: agent, items: [refund_overcharge]}
  - name: expects an error, gets a decision
)" + kCase + R"(    expect: {error: "no playbook"}
)");
  auto results = run_tests(Pack::load(p.path()));
  REQUIRE(results.size() == 2);
  CHECK_FALSE(results[0].passed);
  const std::vector<std::string> want = {
      "states: expected {wrong_invoice: resolved}, got {wrong_invoice: open}",
      "level: expected supervisor, got manager",
      "actions: expected [apologise, call_back], got [apologise, check_carrier, call_back, correct_invoice]",
      "approval: expected null, got supervisor",
      "capped: expected false, got true",
      "goodwill: expected 60.00 EUR, got 50.00 EUR",
      "say of 'call_back': expected \"We will call.\", got \"Call back about the corrected invoice.\"",
      "do.apologise.due_at: expected 2026-11-23T12:00:00Z, got 2026-11-23T10:00:00Z",
      "reasons: expected [wrong_invoice: three or more days late, overcharge of 100 EUR or more], got "
      "[delivery_delay: three or more days late, overcharge of 100 EUR or more]",
      "items: expected [wrong_invoice.refund_overcharge], got [delivery_delay.refund_shipping, "
      "delivery_delay.delay_credit, "
      "delivery_delay.loyalty_voucher, wrong_invoice.refund_overcharge, wrong_invoice.goodwill_credit, "
      "wrong_invoice.billing_voucher]",
      "amounts.delivery_delay.delay_credit: expected 10.00 EUR, got 0.00 EUR (claimed 10.00 EUR)",
      "covered_by.delivery_delay.delay_credit: expected null, got wrong_invoice.goodwill_credit",
      "covered_by.wrong_invoice.goodwill_credit: expected delivery_delay.delay_credit, got null",
      "parts.wrong_invoice.state: expected resolved, got open",
      "parts.wrong_invoice.level: expected agent, got manager",
      "parts.wrong_invoice.items: expected [refund_overcharge], got [refund_overcharge, goodwill_credit, "
      "billing_voucher]",
  };
  CHECK(results[0].failures == want);
  CHECK(results[1].failures ==
        std::vector<std::string>{"error: expected an error containing 'no playbook', got a decision of "
                                 "delivery_delay and wrong_invoice"});
}

TEST_CASE("an evaluation error fails a compound test that expects a decision, naming the playbook") {
  PackWithTests p(R"(tests:
  - name: a fact missing
    playbooks: [delivery_delay, wrong_invoice]
    now: "2026-11-23T10:00:00Z"
    facts: {days_late: 3, order_value: "200.00 EUR"}
    expect: {level: manager}
)");
  auto results = run_tests(Pack::load(p.path()));
  REQUIRE(results.size() == 1);
  CHECK(results[0].playbook == "delivery_delay+wrong_invoice");
  REQUIRE(results[0].failures.size() == 1);
  CHECK(results[0].failures[0] ==
        "error: expected a decision, got error: playbook 'wrong_invoice': missing required fact 'overcharge' "
        "(money)");
}

TEST_CASE("a compound test's names are checked at load: located errors with a did-you-mean") {
  PackWithTests p(R"(tests:
  - name: misspelt
    playbooks: [delivery_delay, wrong_invoce]
    now: "2026-11-23T10:00:00Z"
    expect: {level: manager}
  - name: misspelt expectations
    triage: all
    now: "2026-11-23T10:00:00Z"
    facts: {days_lat: 3}
    expect:
      actions: [apologise_invoice]
      amounts: {wrong_invoice.goodwil_credit: "1.00 EUR"}
      covered_by: {delay_credit: null}
      parts: [delivery_delay]
      stats: {}
)");
  CHECK(load_errors(p.path()) ==
        "pack.test.yaml:3:33: no playbook 'wrong_invoce' in the pack (did you mean 'wrong_invoice'?)\n"
        "pack.test.yaml:9:13: no playbook of this test (delivery_delay, wrong_invoice) declares a fact "
        "'days_lat' (did you mean 'days_late'?)\n"
        "pack.test.yaml:11:17: 'apologise_invoice' is one step with 'apologise' (pack.yaml compound "
        "'same_step'), and the step goes by "
        "'apologise': write 'apologise'\n"
        "pack.test.yaml:12:17: playbook 'wrong_invoice' has no compensation item 'goodwil_credit' (did you "
        "mean 'goodwill_credit'?)\n"
        "pack.test.yaml:13:20: 'delay_credit' must name an item as PLAYBOOK.ITEM, like "
        "delivery_delay.delay_credit\n"
        "pack.test.yaml:14:14: 'parts' (PLAYBOOK: what its own Decision must be) must be a mapping of keys "
        "to values\n"
        "pack.test.yaml:15:7: unknown key 'stats' in a compound test's 'expect' (did you mean 'states'?)\n");
}

TEST_CASE("pack.test.yaml: empty, not a list, or tests put in pack.yaml") {
  SUBCASE("an empty file") {
    PackWithTests p("");
    CHECK(load_errors(p.path()) ==
          "pack.test.yaml:1:1: empty file: a test file holds 'tests:' (a list of tests)\n");
  }
  SUBCASE("a list of tests without 'tests:'") {
    PackWithTests p("- name: x\n");
    CHECK(load_errors(p.path()) ==
          "pack.test.yaml:1:1: a test file must be a mapping with 'tests:' (a list of tests)\n");
  }
  SUBCASE("'tests:' with nothing is no test") {
    PackWithTests p("tests:\n");
    auto results = run_tests(Pack::load(p.path()));
    CHECK(std::none_of(results.begin(), results.end(), [](const TestResult& r) { return r.compound; }));
  }
  SUBCASE("tests in pack.yaml") {
    PackWithTests p("tests:\n");
    std::string text = test_support::read(p.dir.path / "pack.yaml") + "tests: []\n";
    p.dir.write("pack.yaml", text);
    CHECK(load_errors(p.path()).find("pack.yaml:") == 0);
    CHECK(load_errors(p.path()).find(
              "tests of several playbooks at once go in pack.test.yaml beside pack.yaml") !=
          std::string::npos);
  }
}

TEST_CASE("pack.test.yaml given alone loads its directory's playbooks; a playbook given alone skips it") {
  Pack whole = Pack::load((kPack / "pack.test.yaml").string());
  CHECK(whole.playbooks().size() == 2);
  auto results = run_tests(whole);
  CHECK(std::count_if(results.begin(), results.end(), [](const TestResult& r) { return r.compound; }) >= 10);
  Pack one = Pack::load((kPack / "delivery_delay.yaml").string());
  auto only = run_tests(one);
  CHECK(std::none_of(only.begin(), only.end(), [](const TestResult& r) { return r.compound; }));
}

TEST_CASE("a compound test covers what its parts reach") {
  Pack pack = Pack::load(kPack.string());
  for (const auto& cov : measure_coverage(pack)) {
    CAPTURE(cov.playbook);
    CHECK(cov.covered() == cov.items.size());
  }
  // Only the withdrawn invoice leads wrong_invoice to 'closed', by the event its part took.
  for (const auto& cov : measure_coverage(pack, "invoice corrected"))
    if (cov.playbook == "wrong_invoice")
      for (const auto& item : cov.items) {
        CAPTURE(item.what);
        if (item.what == "open -(corrected)-> resolved") CHECK(item.covered);
        if (item.what == "open -(withdrawn)-> closed") CHECK_FALSE(item.covered);
      }
}

TEST_CASE("a misspelt key of a test is one error, in a compound test and in a single one") {
  PackWithTests p(R"(tests:
  - name: x
    playbooks: [delivery_delay]
    state: open
    now: "2026-11-23T10:00:00Z"
    expect: {level: agent}
)");
  CHECK(load_errors(p.path()) == "pack.test.yaml:4:5: unknown key 'state' in a compound test (did you mean 'states'?)\n");
  p.dir.write("pack.test.yaml", "tests:\n");
  p.dir.write("delivery_delay.test.yaml", R"(tests:
  - name: x
    stat: open
    now: "2026-11-23T10:00:00Z"
    expect: {level: agent}
)");
  CHECK(load_errors(p.path()) == "delivery_delay.test.yaml:3:5: unknown key 'stat' in a test (did you mean 'state'?)\n");
}
