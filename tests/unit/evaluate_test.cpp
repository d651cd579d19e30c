// Evaluation, spec §4 step by step, on small playbooks written for each test.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

#include "redress/redress.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

// A playbook file in a fresh temporary directory (no pack.yaml unless given).
struct TempPack {
  fs::path dir;
  explicit TempPack(const std::string& playbook, const std::string& pack_yaml = "") {
    static int counter = 0;
    dir = fs::temp_directory_path() / ("redress_eval_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "p.yaml") << playbook;
    if (!pack_yaml.empty()) std::ofstream(dir / "pack.yaml") << pack_yaml;
  }
  ~TempPack() { fs::remove_all(dir); }
  Pack load() const { return Pack::load(dir.string()); }
};

Timestamp T(const char* s) { return *Timestamp::parse(s); }

const char* kPlaybook = R"(redress: 1
playbook: flow
version: "7"
currency: EUR
facts:
  n:      {type: int, min: 0, max: 100}
  amount: {type: money, default: 0 EUR}
  mood:   {type: enum, values: [calm, upset, aggressive], default: calm}
  gold:   {type: bool, default: false}
  done_at: {type: datetime, optional: true}
  name:   {type: string, default: "friend"}
let:
  double_n: "n * 2"
states:
  start:
    initial: true
    do:
      - {action: greet, within: 15m, say: "Hello {name}, level {level}"}
      - {action: only_when_big, when: "n > 50"}
    on:
      go: middle
      choose:
        - {to: big, when: "n >= 10"}
        - {to: small, when: "n >= 1"}
  middle:
    always:
      - {to: small, when: "n < 5"}
      - {to: big, when: "n >= 5"}
  small:
    do: [{action: small_talk, within: 1h}]
    on: {close: closed}
  big:
    do:
      - {action: offer, options: [a, b], to: supervisor}
      - {action: report, within: 2h, say: "Due {due_at}, total {compensation.total}"}
    on: {close: closed}
  closed:
    terminal: true
    do: [postmortem]
escalation:
  ladder: [agent, supervisor, manager, director]
  start: agent
  rules:
    - {when: "mood == 'aggressive'", at_least: supervisor, why: "aggressive"}
    - {when: "n >= 90", raise: 2, why: "huge"}
    - {when: "gold", at_least: manager, why: "gold"}
    - {when: "n == 42", set: agent, why: "the answer"}
compensation:
  combine: sum
  rules:
    - {id: first, kind: refund, when: "n >= 1", amount: "amount"}
    - {id: second, kind: credit, when: "n >= 2", amount: "amount * 10%"}
    - {id: third, kind: voucher, when: "n >= 3", amount: "1.005 EUR"}
  cap: "50 EUR"
  approve:
    - {above: 10 EUR, level: supervisor}
    - {above: 40 EUR, level: manager}
  hold: {when: "n == 77", level: director, why: "suspicious"}
)";

Case base(int n) {
  Case c;
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("n", Value::integer(n));
  return c;
}

}  // namespace

TEST_CASE("step 1: facts are validated, defaults filled, lets computed, unknown facts warned") {
  TempPack tp(kPlaybook);
  Pack pack = tp.load();

  SUBCASE("defaults and a let") {
    Case c = base(3);
    c.fact("colour", Value::string("red"));
    EvaluateOptions o;
    o.trace = true;
    Decision d = pack.evaluate(c, o);
    CHECK(d.playbook == "flow");
    CHECK(d.version == "7");
    REQUIRE(d.warnings.size() == 1);
    CHECK(d.warnings[0] == "unknown fact 'colour' ignored");
    bool let_traced = false;
    for (const auto& t : d.trace)
      if (t.what == "let" && t.expr == "n * 2") let_traced = t.value.as_decimal() == Decimal::from_int(6);
    CHECK(let_traced);
  }
  SUBCASE("a missing required fact names it") {
    Case c;
    c.now = T("2026-11-23T10:00:00Z");
    CHECK_THROWS_WITH_AS(pack.evaluate(c), "missing required fact 'n' (int)", EvaluationError);
  }
  SUBCASE("wrong types, undeclared enum values, broken bounds, other currencies") {
    Case c = base(3);
    c.facts[0].second = Value::string("three");
    CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("fact 'n' must be a whole number"), EvaluationError);
    c = base(101);
    CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("above its maximum 100"), EvaluationError);
    c = base(3);
    c.fact("mood", Value::string("furious"));
    CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("'furious' is not one of calm, upset, aggressive"), EvaluationError);
    c = base(3);
    c.fact("amount", Value::string("5 USD"));
    CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("is in USD but playbook 'flow' works in EUR"), EvaluationError);
    c = base(3);
    c.fact("done_at", Value::string("2026-11-23T10:00:00"));  // no zone
    CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("fact 'done_at' must be an ISO 8601 date-time with a zone"), EvaluationError);
  }
  SUBCASE("bare numbers and strings are money in the playbook currency") {
    Case c = base(1);
    c.fact("amount", Value::string("12.5"));
    CHECK(pack.evaluate(c).compensation.total.to_string() == "12.50 EUR");
  }
  SUBCASE("the case must say when it is evaluated, unless the caller asks for the clock") {
    Case c = base(1);
    c.now.reset();
    CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("no 'now'"), EvaluationError);
    EvaluateOptions o;
    o.clock = true;
    CHECK_NOTHROW(pack.evaluate(c, o));
  }
}

TEST_CASE("step 2: events take the first option whose `when` holds; an event not accepted changes nothing") {
  TempPack tp(kPlaybook);
  Pack pack = tp.load();
  Case c = base(12);
  c.event = "choose";
  Decision d = pack.evaluate(c);
  CHECK(d.state == "big");
  CHECK(d.path == std::vector<std::string>{"start", "big"});
  c = base(2);
  c.event = "choose";
  CHECK(pack.evaluate(c).state == "small");
  c = base(0);
  c.event = "choose";
  CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("no option's 'when' holds"), EvaluationError);
  c = base(3);
  c.event = "close";
  CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("state 'start' does not accept event 'close' (it accepts: go, choose)"), EvaluationError);
  c = base(3);
  c.event = "chose";
  CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("did you mean 'choose'?"), EvaluationError);
  c = base(3);
  c.state = "smal";
  CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("has no state 'smal' (did you mean 'small'?)"), EvaluationError);
}

TEST_CASE("step 3: `always` transitions are followed while one holds; a loop is an error naming it") {
  TempPack tp(kPlaybook);
  Pack pack = tp.load();
  Case c = base(3);
  c.event = "go";
  Decision d = pack.evaluate(c);
  CHECK(d.path == std::vector<std::string>{"start", "middle", "small"});
  c = base(7);
  c.state = "middle";
  CHECK(pack.evaluate(c).path == std::vector<std::string>{"middle", "big"});

  TempPack loop(R"(redress: 1
playbook: loop
facts: {x: int}
states:
  a: {initial: true, always: [{to: b, when: "x > 0"}], on: {close: c}}
  b: {always: [{to: a}]}
  c: {terminal: true}
)");
  Pack lp = loop.load();
  Case l;
  l.now = T("2026-11-23T10:00:00Z");
  l.fact("x", Value::integer(1));
  CHECK_THROWS_WITH_AS(lp.evaluate(l), doctest::Contains("'always' transitions loop: a -> b -> a"), EvaluationError);
  l.facts[0].second = Value::integer(0);
  CHECK(lp.evaluate(l).state == "a");
}

TEST_CASE("step 4: actions with `when`, deadlines from the entry time, overdue, rendered `say`") {
  TempPack tp(kPlaybook);
  Pack pack = tp.load();
  SUBCASE("no entry time: due_at null, overdue false") {
    Decision d = pack.evaluate(base(3));
    REQUIRE(d.actions.size() == 1);
    CHECK(d.actions[0].action == "greet");
    CHECK_FALSE(d.actions[0].due_at.has_value());
    CHECK_FALSE(d.actions[0].overdue);
    CHECK(d.actions[0].say == std::optional<std::string>("Hello friend, level agent"));
  }
  SUBCASE("entered_at gives the deadline; past it the action is overdue; `when` filters") {
    Case c = base(60);
    c.entered_at = T("2026-11-23T09:00:00Z");
    Decision d = pack.evaluate(c);
    REQUIRE(d.actions.size() == 2);
    CHECK(d.actions[0].due_at->to_string() == "2026-11-23T09:15:00Z");
    CHECK(d.actions[0].overdue);
    CHECK(d.actions[1].action == "only_when_big");
  }
  SUBCASE("a transition in this evaluation means the case entered the new state now") {
    Case c = base(12);
    c.event = "choose";
    c.entered_at = T("2026-11-01T00:00:00Z");
    Decision d = pack.evaluate(c);
    REQUIRE(d.actions.size() == 2);
    CHECK(d.actions[0].options == std::optional<std::vector<std::string>>({"a", "b"}));
    CHECK(d.actions[0].to == std::optional<std::string>("supervisor"));
    CHECK(d.actions[1].due_at->to_string() == "2026-11-23T12:00:00Z");
    CHECK_FALSE(d.actions[1].overdue);
    // No calendar: the deadline reads in UTC, as people write times (spec §1.5).
    CHECK(*d.actions[1].say == "Due Mon 23 Nov, 12:00 (UTC), total 1.01 EUR");
  }
}

TEST_CASE("step 5: escalation applies every rule that holds, in order, never beyond the top") {
  TempPack tp(kPlaybook);
  Pack pack = tp.load();
  Case c = base(3);
  c.fact("mood", Value::string("aggressive"));
  Decision d = pack.evaluate(c);
  CHECK(d.escalation.level == "supervisor");
  CHECK(d.escalation.rank == 1);
  CHECK(d.escalation.reasons == std::vector<std::string>{"aggressive"});

  c = base(95);
  c.fact("mood", Value::string("aggressive")).fact("gold", Value::boolean(true));
  d = pack.evaluate(c);
  CHECK(d.escalation.level == "director");  // supervisor, +2 capped at the top, gold no change
  CHECK(d.escalation.reasons == std::vector<std::string>{"aggressive", "huge", "gold"});

  c = base(42);
  c.fact("gold", Value::boolean(true));
  d = pack.evaluate(c);
  CHECK(d.escalation.level == "agent");  // `set` lowers too
  CHECK(d.escalation.reasons == std::vector<std::string>{"gold", "the answer"});
}

TEST_CASE("step 6: compensation items, rounding, cap cutting from the end, approvals, hold") {
  TempPack tp(kPlaybook);
  Pack pack = tp.load();
  auto with_amount = [](int n, const char* amount) {
    Case c = base(n);
    c.fact("amount", Value::string(amount));
    return c;
  };
  SUBCASE("no item: zero in the playbook currency") {
    Decision d = pack.evaluate(base(0));
    CHECK(d.compensation.total.to_string() == "0.00 EUR");
    CHECK(d.compensation.items.empty());
    CHECK(d.compensation.approved);
    CHECK_FALSE(d.compensation.approval.has_value());
  }
  SUBCASE("each item is rounded half away from zero before summing") {
    Decision d = pack.evaluate(with_amount(3, "0.05 EUR"));
    REQUIRE(d.compensation.items.size() == 3);
    CHECK(d.compensation.items[1].amount.to_string() == "0.01 EUR");  // 0.005 -> 0.01
    CHECK(d.compensation.items[2].amount.to_string() == "1.01 EUR");  // 1.005 -> 1.01
    CHECK(d.compensation.total.to_string() == "1.07 EUR");
  }
  SUBCASE("approval thresholds are strict; approved compares with the escalation level") {
    Decision d = pack.evaluate(with_amount(1, "10.00 EUR"));
    CHECK_FALSE(d.compensation.approval.has_value());
    d = pack.evaluate(with_amount(1, "10.01 EUR"));
    CHECK(d.compensation.approval == std::optional<std::string>("supervisor"));
    CHECK_FALSE(d.compensation.approved);
    Case c = with_amount(1, "40.01 EUR");
    c.fact("gold", Value::boolean(true));
    d = pack.evaluate(c);
    CHECK(d.compensation.approval == std::optional<std::string>("manager"));
    CHECK(d.compensation.approved);
  }
  SUBCASE("the cap cuts items from the last backwards; a cut item stays listed") {
    Decision d = pack.evaluate(with_amount(3, "49.50 EUR"));
    // 49.50 + 4.95 + 1.01 = 55.46 -> cap 50: third cut to 0, second cut to 0.50
    CHECK(d.compensation.capped);
    CHECK(d.compensation.total.to_string() == "50.00 EUR");
    REQUIRE(d.compensation.items.size() == 3);
    CHECK(d.compensation.items[0].amount.to_string() == "49.50 EUR");
    CHECK(d.compensation.items[1].amount.to_string() == "0.50 EUR");
    CHECK(d.compensation.items[2].amount.to_string() == "0.00 EUR");
  }
  SUBCASE("hold: held, approval is the hold level, items still computed") {
    Decision d = pack.evaluate(with_amount(77, "5 EUR"));
    CHECK(d.compensation.held);
    CHECK(d.compensation.approval == std::optional<std::string>("director"));
    CHECK(d.compensation.hold_reason == std::optional<std::string>("suspicious"));
    CHECK_FALSE(d.compensation.approved);
    CHECK(d.compensation.total.to_string() == "6.51 EUR");
  }
}

TEST_CASE("step 6: combine max keeps the largest item (earlier on a tie), first keeps the first") {
  const std::string head = R"(redress: 1
playbook: comb
currency: JPY
facts: {a: money, b: money}
states:
  s: {initial: true, on: {x: t}}
  t: {terminal: true}
compensation:
)";
  const std::string rules = R"(  rules:
    - {id: one, amount: "a"}
    - {id: two, amount: "b"}
    - {id: three, amount: "a"}
  cap: "100 JPY"
)";
  Case c;
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("a", Value::string("40.5")).fact("b", Value::string("70"));
  {
    TempPack tp(head + "  combine: max\n" + rules);
    Decision d = tp.load().evaluate(c);
    REQUIRE(d.compensation.items.size() == 1);
    CHECK(d.compensation.items[0].id == "two");
    CHECK(d.compensation.total.to_string() == "70 JPY");
  }
  {
    Case tie = c;
    tie.facts[1].second = Value::string("41");  // a rounds to 41 JPY: a tie, the earlier wins
    TempPack tp(head + "  combine: max\n" + rules);
    CHECK(tp.load().evaluate(tie).compensation.items[0].id == "one");
  }
  {
    TempPack tp(head + "  combine: first\n" + rules);
    Decision d = tp.load().evaluate(c);
    REQUIRE(d.compensation.items.size() == 1);
    CHECK(d.compensation.items[0].id == "one");
    CHECK(d.compensation.total.to_string() == "41 JPY");
  }
  {
    Case big = c;
    big.facts[1].second = Value::string("500");
    TempPack tp(head + "  combine: max\n" + rules);
    Decision d = tp.load().evaluate(big);
    CHECK(d.compensation.capped);
    CHECK(d.compensation.items[0].amount.to_string() == "100 JPY");
  }
}

TEST_CASE("triage: by priority then id, among playbooks whose facts validate and whose match holds") {
  TempPack tp(R"(redress: 1
playbook: late
priority: 10
match: "days > 0"
facts: {days: int}
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)");
  std::ofstream(tp.dir / "q.yaml") << R"(redress: 1
playbook: any_issue
priority: 1
match: "true"
facts: {days: {type: int, default: 0}}
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)";
  std::ofstream(tp.dir / "r.yaml") << R"(redress: 1
playbook: never
facts: {days: int}
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)";
  Pack pack = tp.load();
  Case c;
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("days", Value::integer(2));
  CHECK(pack.triage(c) == "late");
  CHECK(pack.evaluate(c).playbook == "late");
  c.facts[0].second = Value::integer(0);
  CHECK(pack.triage(c) == "any_issue");
  c.facts[0].second = Value::string("lots");  // fails validation for both; `never` has no match
  CHECK_THROWS_WITH_AS(pack.triage(c), doctest::Contains("no playbook matches"), EvaluationError);
  c.playbook = "nevr";
  CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("did you mean 'never'?"), EvaluationError);
}

TEST_CASE("triage: the rank (what the case is about) orders the matches; priority breaks ties (issue #13)") {
  TempPack tp(R"(redress: 1
playbook: fee
currency: EUR
priority: 30
rank: "fee"
match: "fee > 0 EUR"
facts: {fee: money, overcharge: {type: money, default: 0 EUR}}
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)");
  std::ofstream(tp.dir / "q.yaml") << R"(redress: 1
playbook: invoice
currency: EUR
priority: 20
rank: "overcharge"
match: "overcharge > 0 EUR"
facts: {overcharge: money, fee: {type: money, default: 0 EUR}}
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)";
  std::ofstream(tp.dir / "r.yaml") << R"(redress: 1
playbook: unranked
priority: 40
match: "flag"
facts: {flag: {type: bool, default: false}}
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)";
  Pack pack = tp.load();
  Case c;
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("fee", Value::string("5.00 EUR")).fact("overcharge", Value::string("500.00 EUR"));
  CHECK(pack.triage(c) == "invoice");            // 500 EUR outranks 5 EUR despite priority 30 > 20
  c.facts[0].second = Value::string("500.00 EUR");
  CHECK(pack.triage(c) == "fee");                // a tie: the higher priority
  c.facts[0].second = Value::string("501.00 EUR");
  CHECK(pack.triage(c) == "fee");
  c.fact("flag", Value::boolean(true));          // no rank counts as zero, whatever its priority
  CHECK(pack.triage(c) == "fee");
  c.facts = {{"flag", Value::boolean(true)}};
  CHECK(pack.triage(c) == "unranked");           // the only match
}

TEST_CASE("triage: pack.yaml's rank counts for every playbook that gives none") {
  TempPack tp(R"(redress: 1
playbook: big
priority: 1
match: "amount > 100 EUR"
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)", R"(redress: 1
currency: EUR
rank: "amount"
facts: {amount: {type: money, default: 0 EUR}}
)");
  std::ofstream(tp.dir / "q.yaml") << R"(redress: 1
playbook: flat
priority: 9
rank: "1 EUR"
match: "true"
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)";
  Pack pack = tp.load();
  Case c;
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("amount", Value::string("150.00 EUR"));
  CHECK(pack.triage(c) == "big");   // the pack's rank: 150 EUR > 1 EUR
  c.facts[0].second = Value::string("50.00 EUR");
  CHECK(pack.triage(c) == "flat");  // big does not match
}

TEST_CASE("triage: ranks in different currencies are refused, not ordered by their digits") {
  TempPack tp(R"(redress: 1
playbook: euro
currency: EUR
rank: "amount"
match: "true"
facts: {amount: money}
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)");
  std::ofstream(tp.dir / "q.yaml") << R"(redress: 1
playbook: yen
currency: JPY
rank: "amount_jpy"
match: "true"
facts: {amount_jpy: {type: money, default: 100 JPY}}
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)";
  Pack pack = tp.load();
  Case c;
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("amount", Value::string("5.00 EUR"));
  CHECK_THROWS_WITH_AS(pack.triage(c), doctest::Contains("give every 'rank' of a pack in one currency"), EvaluationError);
}

TEST_CASE("step 7: evaluation is pure — same input, same bytes, from many threads at once") {
  TempPack tp(kPlaybook);
  const Pack pack = tp.load();
  Case c = base(12);
  c.event = "choose";
  c.entered_at = T("2026-11-22T10:00:00Z");
  c.fact("amount", Value::string("33.33 EUR")).fact("mood", Value::string("upset"));
  EvaluateOptions o;
  o.trace = true;
  const std::string expected = to_json(pack.evaluate(c, o));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i)
        if (to_json(pack.evaluate(c, o)) != expected) ++mismatches[static_cast<std::size_t>(t)];
    });
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}

TEST_CASE("trace: every guard and rule evaluated, with its YAML location") {
  TempPack tp(kPlaybook);
  Pack pack = tp.load();
  Case c = base(12);
  c.event = "choose";
  EvaluateOptions o;
  o.trace = true;
  Decision d = pack.evaluate(c, o);
  REQUIRE(d.has_trace);
  bool on_seen = false;
  for (const auto& t : d.trace)
    if (t.what == "on") {
      on_seen = true;
      CHECK(to_string(t.at) == "p.yaml:23:28");
      CHECK(t.expr == "n >= 10");
      CHECK(t.value.as_bool());
    }
  CHECK(on_seen);
  std::string json = to_json(d);
  CHECK(json.find("{\"at\": \"p.yaml:23:28\", \"what\": \"on\", \"expr\": \"n >= 10\", \"value\": true}") != std::string::npos);
  CHECK(to_json(pack.evaluate(c)).find("\"trace\"") == std::string::npos);
}

TEST_CASE("trace locations are values: structured, and equal for the same pack loaded again") {
  TempPack tp(kPlaybook);
  Case c = base(12);
  c.event = "choose";
  EvaluateOptions o;
  o.trace = true;
  Decision a = tp.load().evaluate(c, o);
  Decision b = tp.load().evaluate(c, o);
  REQUIRE(a.trace.size() == b.trace.size());
  for (std::size_t i = 0; i < a.trace.size(); ++i) CHECK(a.trace[i].at == b.trace[i].at);
  for (const auto& t : a.trace)
    if (t.what == "on") {
      CHECK(t.at.name() == "p.yaml");
      CHECK(t.at.path() == (tp.dir / "p.yaml").string());
      CHECK(t.at.line == 23);
      CHECK(t.at.column == 28);
      CHECK(t.at.length == std::string("n >= 10").size());
    }
  CHECK(to_string(SourceLocation{}).empty());
  SourceLocation whole{detail::intern_source_file("some/dir/x.yaml", "x.yaml")};
  CHECK(to_string(whole) == "x.yaml");
  CHECK(whole.path() == "some/dir/x.yaml");
  CHECK(detail::intern_source_file("some/dir/x.yaml", "x.yaml") == whole.file);
}

TEST_CASE("evaluation errors name the expression and its location") {
  TempPack tp(R"(redress: 1
playbook: nulls
facts:
  at: {type: datetime, optional: true}
  n: int
states:
  s:
    initial: true
    always: [{to: t, when: "at < now"}]
  t: {terminal: true, do: [{action: a, say: "at {at}"}]}
)");
  Pack pack = tp.load();
  Case c;
  c.now = T("2026-11-23T10:00:00Z");
  c.fact("n", Value::integer(1));
  try {
    pack.evaluate(c);
    FAIL("expected an evaluation error");
  } catch (const EvaluationError& e) {
    CHECK(std::string(e.what()).find("'at'") != std::string::npos);
    CHECK(e.location().name() == "p.yaml");
    CHECK(e.location().line == 9);
  }
  c.state = "t";
  CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("uses {at}, which is null"), EvaluationError);
}

TEST_CASE("the Decision JSON has the shape of spec §5") {
  TempPack tp(kPlaybook);
  Pack pack = tp.load();
  Case c = base(3);
  c.fact("amount", Value::string("2 EUR"));
  std::string json = to_json(pack.evaluate(c));
  CHECK(json.rfind("{\"playbook\": \"flow\", \"version\": \"7\", \"fingerprint\": \"sha256:", 0) == 0);
  CHECK(json.find("\"actions\": [{\"action\": \"greet\", \"due_at\": null, \"overdue\": false, \"done\": false, \"say\": \"Hello friend, level agent\", \"options\": null, \"to\": null}]") != std::string::npos);
  CHECK(json.find("\"escalation\": {\"level\": \"agent\", \"rank\": 0, \"reasons\": []}") != std::string::npos);
  CHECK(json.find("\"compensation\": {\"total\": \"3.21 EUR\", \"owed\": \"0.00 EUR\", \"goodwill\": \"3.21 EUR\", \"capped\": false, "
                  "\"approval\": null, \"approved\": true, \"signed_off\": true, \"sign_off\": null, \"held\": false, \"hold_reason\": null, "
                  "\"paid\": \"0.00 EUR\", \"remaining\": \"3.21 EUR\", \"payable\": \"3.21 EUR\", "
                  "\"items\": [{\"id\": \"first\", \"kind\": \"refund\", \"basis\": \"goodwill\", \"amount\": \"2.00 EUR\", \"paid\": \"0.00 EUR\", \"remaining\": \"2.00 EUR\"}") != std::string::npos);
  CHECK(json.find("\"next_change_at\": null, \"warnings\": []") != std::string::npos);
}

TEST_CASE("bound cases: names resolved once give the same decision with no lookup") {
  TempPack tp(kPlaybook);
  const Pack pack = tp.load();
  auto pb = pack.playbook_ref("flow");
  REQUIRE(pb);
  CHECK_FALSE(pack.playbook_ref("flwo"));
  auto n = pack.fact_ref(*pb, "n");
  auto amount = pack.fact_ref(*pb, "amount");
  auto mood = pack.fact_ref(*pb, "mood");
  REQUIRE((n && amount && mood));
  CHECK_FALSE(pack.fact_ref(*pb, "colour"));
  auto start = pack.state_ref(*pb, "start");
  auto choose = pack.event_ref(*pb, "choose");
  REQUIRE((start && choose));

  BoundCase bound;
  bound.playbook = *pb;
  bound.state = start;
  bound.event = choose;
  bound.now = T("2026-11-23T10:00:00Z");
  bound.entered_at = T("2026-11-22T10:00:00Z");
  bound.fact(*n, Value::integer(12)).fact(*amount, Value::money(*Money::parse("33.33 EUR"))).fact(*mood, Value::string("upset"));

  Case named = base(12);
  named.state = "start";
  named.event = "choose";
  named.entered_at = T("2026-11-22T10:00:00Z");
  named.fact("amount", Value::string("33.33 EUR")).fact("mood", Value::string("upset"));

  EvaluateOptions o;
  o.trace = true;
  CHECK(to_json(pack.evaluate(bound, o)) == to_json(pack.evaluate(named, o)));

  SUBCASE("refs of another playbook are refused, not misread") {
    TempPack other(R"(redress: 1
playbook: other
facts: {n: int, m: int}
states: {s: {initial: true, on: {x: t}}, t: {terminal: true}}
)");
    const Pack o2 = other.load();
    auto foreign = o2.fact_ref(*o2.playbook_ref("other"), "m");
    REQUIRE(foreign);
    BoundCase wrong = bound;
    wrong.playbook = PlaybookRef{5};
    CHECK_THROWS_WITH_AS(pack.evaluate(wrong), doctest::Contains("does not belong to this pack"), EvaluationError);
    wrong = bound;
    wrong.fact(FactRef{0, 99}, Value::integer(1));
    CHECK_THROWS_WITH_AS(pack.evaluate(wrong), doctest::Contains("belongs to another playbook"), EvaluationError);
  }
  SUBCASE("an event the state does not accept is refused by name") {
    BoundCase wrong = bound;
    wrong.state = pack.state_ref(*pb, "small");
    CHECK_THROWS_WITH_AS(pack.evaluate(wrong), doctest::Contains("state 'small' does not accept event 'choose'"), EvaluationError);
  }
}

TEST_CASE("LoadOptions::analyse: the analysis' warnings can be switched off, its errors cannot") {
  TempPack loop(R"(redress: 1
playbook: loopy
facts: {x: int}
states:
  a: {initial: true, always: [{to: b, when: "x > 0"}], on: {close: c}}
  b: {always: [{to: a}]}
  c: {terminal: true}
)");
  CHECK_FALSE(Pack::load(loop.dir.string()).warnings().empty());  // the always-loop a -> b -> a
  LoadOptions quiet;
  quiet.analyse = false;
  CHECK(Pack::load(loop.dir.string(), quiet).warnings().empty());

  TempPack stuck(R"(redress: 1
playbook: stuck
states:
  a: {initial: true}
  c: {terminal: true}
)");
  CHECK_THROWS_AS(Pack::load(stuck.dir.string(), quiet), LoadError);
}
