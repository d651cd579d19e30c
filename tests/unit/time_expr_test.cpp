// Time in expressions (spec §3 "Time", issue #10): entered_at, age, since(), overdue(),
// business_time_between() and business spans, checked at load and evaluated over calendars,
// DST changes and pauses; next_change_at names the instants their conditions flip.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "redress/redress.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

struct TempPlaybook {
  fs::path dir;
  explicit TempPlaybook(const std::string& playbook) {
    static int counter = 0;
    dir = fs::temp_directory_path() / ("redress_time_expr_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "p.yaml") << playbook;
  }
  ~TempPlaybook() { fs::remove_all(dir); }
  Pack load() const { return Pack::load(dir.string()); }
  // Every diagnostic of a load that must fail, one a line ("p.yaml:12:20: message").
  std::string errors() const {
    try {
      Pack::load(dir.string());
    } catch (const LoadError& e) {
      std::string out;
      for (const auto& d : e.diagnostics())
        out += fs::path(d.file()).filename().string() + ":" + std::to_string(d.line()) + ":" + std::to_string(d.column()) +
               ": " + d.message + "\n";
      return out;
    }
    return "(loaded)";
  }
};

Timestamp T(const char* s) { return *Timestamp::parse(s); }

std::string iso(const std::optional<Timestamp>& t) { return t ? t->to_string() : "null"; }

// Mon–Fri 09:00–18:00 in Moscow; a case reported and entered Friday 27 Nov 2026, 17:30 Moscow.
const char* kSla = R"Y(redress: 1
playbook: sla
calendars:
  msk: {timezone: Europe/Moscow, hours: {mon-fri: "09:00-18:00"}}
calendar: msk
facts:
  reported_at: datetime
  limit: {type: duration, default: 3h}
states:
  new:
    initial: true
    do:
      - {action: acknowledge, within: 4bh}
      - {action: status_update, every: 2bh}
    on: {acked: waiting}
    always:
      - {to: stale, when: "age > 2bd"}
  waiting:
    on: {replied: done}
  stale:
    on: {closed: done}
  done:
    terminal: true
escalation:
  rules:
    - {when: "overdue('acknowledge')", raise: 1, why: "acknowledge is late"}
    - {when: "since(reported_at) >= 1bd", at_least: manager, why: "a business day old"}
)Y";

Case sla_case(const char* now) {
  Case c;
  c.state = "new";
  c.entered_at = T("2026-11-27T17:30:00+03:00");
  c.now = T(now);
  c.fact("reported_at", Value::datetime(T("2026-11-27T17:30:00+03:00")));
  return c;
}

}  // namespace

TEST_CASE("time: overdue() and since() escalate, age moves the case, next_change_at names each flip") {
  TempPlaybook tp(kSla);
  Pack pack = tp.load();

  // Friday 18:00 Moscow: nothing late; the earliest pending instant is the next status update
  // (Monday 10:30 Moscow, 2bh after the entry), before the acknowledgement (Monday 12:30).
  Decision d = pack.evaluate(sla_case("2026-11-27T18:00:00+03:00"));
  CHECK(d.state == "new");
  CHECK(d.escalation.level == "agent");
  CHECK(iso(d.actions[0].due_at) == "2026-11-30T09:30:00Z");
  CHECK(iso(d.next_change_at) == "2026-11-30T07:30:00Z");

  // Monday 12:30:01 Moscow: the acknowledgement is late: raise 1.
  d = pack.evaluate(sla_case("2026-11-30T12:30:01+03:00"));
  CHECK(d.actions[0].overdue);
  CHECK(d.escalation.level == "supervisor");
  CHECK(d.escalation.reasons == std::vector<std::string>{"acknowledge is late"});
  // Next: since(reported_at) >= 1bd at Monday 17:30 Moscow.
  CHECK(iso(d.next_change_at) == "2026-11-30T14:30:00Z");

  // Acknowledged: overdue() is false once the action is done.
  Case c = sla_case("2026-11-30T12:30:01+03:00");
  c.done.emplace_back("acknowledge", T("2026-11-30T12:00:00+03:00"));
  d = pack.evaluate(c);
  CHECK(d.escalation.level == "agent");

  // `>=` holds from the instant on; a business day after Friday 17:30 is Monday 17:30.
  d = pack.evaluate(sla_case("2026-11-30T17:30:00+03:00"));
  CHECK(d.escalation.level == "manager");  // raise 1 from agent, then at least manager
  CHECK(d.escalation.reasons.size() == 2);
  d = pack.evaluate(sla_case("2026-11-30T17:29:59+03:00"));
  CHECK(d.escalation.level == "supervisor");

  // age > 2bd: still `new` at Tuesday 17:30 Moscow exactly, `stale` just after; before it,
  // next_change_at named that instant.
  d = pack.evaluate(sla_case("2026-12-01T17:00:00+03:00"));
  CHECK(d.state == "new");
  c = sla_case("2026-12-01T17:00:00+03:00");
  c.done.emplace_back("acknowledge", T("2026-11-30T10:00:00+03:00"));
  c.done.emplace_back("status_update", T("2026-12-01T16:00:00+03:00"));
  d = pack.evaluate(c);
  CHECK(iso(d.next_change_at) == "2026-12-01T14:30:00Z");
  d = pack.evaluate(sla_case("2026-12-01T17:30:00+03:00"));
  CHECK(d.state == "new");
  d = pack.evaluate(sla_case("2026-12-01T17:30:01+03:00"));
  CHECK(d.state == "stale");
  CHECK(d.path == std::vector<std::string>{"new", "stale"});
}

TEST_CASE("time: a pause of two business hours moves age and overdue() by two business hours") {
  TempPlaybook tp(kSla);
  Pack pack = tp.load();
  Case c = sla_case("2026-11-30T13:00:00+03:00");
  c.pauses.push_back(Pause{T("2026-11-30T09:00:00+03:00"), T("2026-11-30T11:00:00+03:00")});
  Decision d = pack.evaluate(c);
  CHECK(iso(d.actions[0].due_at) == "2026-11-30T11:30:00Z");  // Monday 14:30 Moscow
  CHECK_FALSE(d.actions[0].overdue);
  CHECK(d.escalation.level == "agent");
  c.now = T("2026-11-30T14:30:01+03:00");
  d = pack.evaluate(c);
  CHECK(d.escalation.level == "supervisor");

  // An open pause stops the clock: age never passes 2bd, nothing is overdue.
  c.pauses = {Pause{T("2026-11-30T09:00:00+03:00"), std::nullopt}};
  c.now = T("2026-12-10T12:00:00+03:00");
  d = pack.evaluate(c);
  CHECK(d.state == "new");
  CHECK(d.escalation.reasons == std::vector<std::string>{});
}

TEST_CASE("time: age counts the span it is compared with; both sides, DST in Berlin, wall clock minus pauses") {
  TempPlaybook tp(R"Y(redress: 1
playbook: ages
calendars:
  ber: {timezone: Europe/Berlin, hours: {mon-fri: "09:00-18:00"}}
calendar: ber
facts:
  limit: {type: duration, default: 3h}
states:
  open:
    initial: true
    on: {x: closed}
  closed:
    terminal: true
escalation:
  rules:
    - {when: "age > 4bh", at_least: agent, why: "4bh"}
    - {when: "4h < age", at_least: agent, why: "4h wall"}
    - {when: "age >= limit", at_least: agent, why: "limit"}
    - {when: "age < 1bd", at_least: agent, why: "young"}
    - {when: "entered_at != null and business_time_between(entered_at, now) >= 2h", at_least: agent, why: "2h of business time"}
)Y");
  Pack pack = tp.load();
  auto reasons = [&](const char* now, std::vector<Pause> pauses = {}) {
    Case c;
    c.entered_at = T("2026-10-23T17:30:00+02:00");  // Friday before the last Sunday of October
    c.now = T(now);
    c.pauses = std::move(pauses);
    return pack.evaluate(c).escalation.reasons;
  };
  using V = std::vector<std::string>;
  // Friday 21:30:01 Berlin: 4 wall hours have passed, 30 business minutes.
  CHECK(reasons("2026-10-23T21:30:01+02:00") == V{"4h wall", "limit", "young"});
  // Monday 26 Oct (CET now): 4bh end at 12:30 Berlin = 11:30Z, across the clock change.
  CHECK(reasons("2026-10-26T12:30:00+01:00") == V{"4h wall", "limit", "young", "2h of business time"});
  CHECK(reasons("2026-10-26T12:30:01+01:00") == V{"4bh", "4h wall", "limit", "young", "2h of business time"});
  // A pause of the whole Friday evening: the wall-clock spans wait for it too.
  CHECK(reasons("2026-10-23T21:30:01+02:00", {Pause{T("2026-10-23T18:00:00+02:00"), T("2026-10-23T20:00:00+02:00")}}) ==
        V{"young"});
  // 1bd from Friday 17:30 is Monday 17:30 Berlin: no longer young after it.
  CHECK(reasons("2026-10-26T17:30:01+01:00") == V{"4bh", "4h wall", "limit", "2h of business time"});

  // next_change_at: at Friday 18:00, the earliest flip is 4 wall hours after entry.
  Case c;
  c.entered_at = T("2026-10-23T17:30:00+02:00");
  c.now = T("2026-10-23T18:00:00+02:00");
  CHECK(iso(pack.evaluate(c).next_change_at) == "2026-10-23T18:30:00Z");  // `age >= limit` (3h)
}

TEST_CASE("time: business_time_between() and entered_at as values; an unknown entry time") {
  TempPlaybook tp(R"Y(redress: 1
playbook: values
calendars:
  msk: {timezone: Europe/Moscow, hours: {mon-fri: "09:00-18:00"}}
calendar: msk
facts:
  a: datetime
  b: datetime
let:
  worked: "business_time_between(a, b)"
states:
  open:
    initial: true
    do:
      - {action: summary, say: "worked {worked}"}
    always:
      - {to: closed, when: "entered_at == null"}
    on: {x: closed, y: aged}
  aged:
    always:
      - {to: closed, when: "age > 1bd"}
  closed:
    terminal: true
    do:
      - {action: summary, say: "worked {worked}"}
)Y");
  Pack pack = tp.load();
  Case c;
  c.now = T("2026-11-30T12:00:00Z");
  c.fact("a", Value::datetime(T("2026-11-27T17:30:00+03:00")));
  c.fact("b", Value::datetime(T("2026-11-30T12:30:00+03:00")));
  c.entered_at = T("2026-11-30T09:00:00Z");
  Decision d = pack.evaluate(c);
  CHECK(d.state == "open");
  CHECK(d.actions[0].say == std::optional<std::string>("worked 4 hours"));
  // Reversed: negative, like days_between().
  c.facts.clear();
  c.fact("a", Value::datetime(T("2026-11-30T12:30:00+03:00")));
  c.fact("b", Value::datetime(T("2026-11-27T17:30:00+03:00")));
  d = pack.evaluate(c);
  CHECK(d.actions[0].say == std::optional<std::string>("worked minus 4 hours"));
  // No entered_at: `entered_at == null` holds (the contract's null rules) …
  c.entered_at.reset();
  d = pack.evaluate(c);
  CHECK(d.state == "closed");
  // … and `age` without it is an evaluation error that says what is missing, where.
  c.state = "aged";
  try {
    pack.evaluate(c);
    FAIL("expected an evaluation error");
  } catch (const EvaluationError& e) {
    const std::string what = e.what();
    CHECK(what.find("entered_at is unknown") != std::string::npos);
    CHECK(what.find("age > 1bd") != std::string::npos);
    CHECK(e.location().line == 21);
    CHECK(e.location().column == 29);
  }
}

TEST_CASE("time: load errors are located and suggest the fix") {
  const std::string head = R"Y(redress: 1
playbook: bad
facts:
  reported_at: datetime
)Y";
  SUBCASE("overdue() of an unknown action: did you mean") {
    TempPlaybook tp(head + R"Y(states:
  open:
    initial: true
    do: [{action: acknowledge, within: 4h}]
    on: {x: closed}
  closed:
    terminal: true
escalation:
  rules:
    - {when: "overdue('acknowlege')", raise: 1}
)Y");
    CHECK(tp.errors() == "p.yaml:14:23: overdue(): no state of the playbook has an action 'acknowlege' (did you mean 'acknowledge'?)\n");
  }
  SUBCASE("overdue() in a state's guard names an action of that state") {
    TempPlaybook tp(head + R"Y(states:
  open:
    initial: true
    do: [{action: acknowledge, within: 4h}]
    on: {x: waiting}
  waiting:
    do: [{action: chase, within: 1d}]
    always:
      - {to: closed, when: "overdue('acknowledge')"}
  closed:
    terminal: true
)Y");
    CAPTURE(tp.errors());
    CHECK(tp.errors().find("p.yaml:13:29: overdue('acknowledge'): state 'waiting' has no action 'acknowledge'") == 0);
  }
  SUBCASE("age, entered_at and since() need a state: not in a let or match") {
    TempPlaybook tp(head + R"Y(match: "age > 2bd"
let:
  old: "since(reported_at) > 1bd"
  when_in: "entered_at"
states:
  open: {initial: true, on: {x: closed}}
  closed: {terminal: true}
)Y");
    const std::string e = tp.errors();
    CHECK(e.find("p.yaml:5:9: 'age' reads the state the case is in") != std::string::npos);
    CHECK(e.find("p.yaml:7:9: since() reads the state the case is in") != std::string::npos);
    CHECK(e.find("p.yaml:8:13: 'entered_at' reads the state the case is in") != std::string::npos);
  }
  SUBCASE("clocks compare with a span; spans compare with clocks") {
    TempPlaybook tp(head + R"Y(states:
  open:
    initial: true
    always:
      - {to: closed, when: "age == 2bd"}
      - {to: closed, when: "age > 2"}
      - {to: closed, when: "now + 4bh > reported_at"}
      - {to: closed, when: "age"}
      - {to: closed, when: "since(reported_at) > age"}
      - {to: closed, when: "since(3) > 1h"}
      - {to: closed, when: "age > 0bh"}
  closed: {terminal: true}
)Y");
    const std::string e = tp.errors();
    CAPTURE(e);
    CHECK(e.find("p.yaml:9:33: 'age' is compared with < <= > >=, not '=='") != std::string::npos);
    CHECK(e.find("p.yaml:10:35: 'age' is compared with a span: business hours or days (4bh, 2bd) or a duration (4h, a duration fact), got int") != std::string::npos);
    CHECK(e.find("p.yaml:11:35: a business span (4bh, 2bd) counts from a start on a calendar") != std::string::npos);
    CHECK(e.find("p.yaml:12:29: 'age' is compared with a span, as in 'age > 4bh'") != std::string::npos);
    CHECK(e.find("p.yaml:13:48: compare since() with a span (4bh, 2bd, 4h), not with another clock") != std::string::npos);
    CHECK(e.find("p.yaml:14:35: since() takes a datetime, got int") != std::string::npos);
    CHECK(e.find("p.yaml:15:35: '0bh' is not a business span") != std::string::npos);
  }
  SUBCASE("escalation computed before the transitions cannot read the state clock") {
    TempPlaybook tp(R"Y(redress: 1
playbook: early
currency: EUR
states:
  open:
    initial: true
    always:
      - {to: closed, when: "compensation.total > 10 EUR"}
    on: {x: closed}
  closed: {terminal: true}
escalation:
  rules:
    - {when: "age > 2bd", raise: 1}
compensation:
  rules:
    - {id: r, when: "true", amount: "5 EUR"}
)Y");
    CHECK(tp.errors().find("p.yaml:13:15: this escalation rule reads the state clock") == 0);
  }
}

TEST_CASE("time: `age > 3bd` in `always` and `after: 3bd` move the case at the same instant") {
  TempPlaybook tp(R"Y(redress: 1
playbook: wait
calendars:
  msk: {timezone: Europe/Moscow, hours: {mon-fri: "09:00-18:00"}}
calendar: msk
states:
  by_timeout:
    initial: true
    after: [{within: 3bd, to: closed}]
    on: {x: closed, y: by_age}
  by_age:
    always: [{to: closed, when: "age > 3bd"}]
    on: {x: closed}
  closed: {terminal: true}
)Y");
  Pack pack = tp.load();
  for (const char* state : {"by_timeout", "by_age"}) {
    CAPTURE(state);
    Case c;
    c.state = state;
    c.entered_at = T("2026-11-27T17:30:00+03:00");  // Friday: 3bd is Wednesday 17:30 Moscow
    c.now = T("2026-12-02T17:30:00+03:00");
    Decision d = pack.evaluate(c);
    CHECK(d.state == state);
    CHECK(iso(d.next_change_at) == "2026-12-02T14:30:00Z");
    c.now = T("2026-12-02T17:30:01+03:00");
    CHECK(pack.evaluate(c).state == "closed");
  }
}

TEST_CASE("time: business_time_between() across a DST change, and without a calendar") {
  const char* kBerlin = R"Y(redress: 1
playbook: dst
calendars:
  ber: {timezone: Europe/Berlin, hours: {mon-fri: "09:00-18:00", sun: "00:00-24:00"}}
calendar: ber
facts:
  a: datetime
  b: datetime
let:
  worked: "business_time_between(a, b)"
states:
  open:
    initial: true
    do: [{action: report, say: "{worked}"}]
    on: {x: closed}
  closed: {terminal: true}
)Y";
  TempPlaybook tp(kBerlin);
  Pack pack = tp.load();
  auto worked = [&](const char* a, const char* b, std::vector<Pause> pauses = {}) {
    Case c;
    c.now = T("2026-10-30T12:00:00Z");
    c.fact("a", Value::datetime(T(a))).fact("b", Value::datetime(T(b)));
    c.pauses = std::move(pauses);
    return *pack.evaluate(c).actions[0].say;
  };
  // Friday 17:00 CEST to Monday 10:00 CET: 1h Friday, Sunday 25 October has 25 hours (the
  // clocks go back inside its opening hours), 1h Monday.
  CHECK(worked("2026-10-23T17:00:00+02:00", "2026-10-26T10:00:00+01:00") == "1 day 3 hours");
  // The Sunday of the spring change has 23.
  CHECK(worked("2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00") == "23 hours");
  // A pause is not business time.
  CHECK(worked("2026-10-23T17:00:00+02:00", "2026-10-26T10:00:00+01:00",
               {Pause{T("2026-10-25T00:00:00+02:00"), T("2026-10-26T00:00:00+01:00")}}) == "2 hours");

  TempPlaybook plain(R"Y(redress: 1
playbook: plain
facts:
  a: datetime
let:
  worked: "business_time_between(a, now)"
states:
  open:
    initial: true
    do: [{action: report, say: "{worked}"}]
    on: {x: closed}
  closed: {terminal: true}
)Y");
  Pack p2 = plain.load();
  Case c;
  c.now = T("2026-10-26T10:00:00+01:00");
  c.fact("a", Value::datetime(T("2026-10-23T17:00:00+02:00")));
  CHECK(*p2.evaluate(c).actions[0].say == "2 days 18 hours");  // wall-clock: 66 hours
  c.pauses = {Pause{T("2026-10-24T00:00:00Z"), T("2026-10-25T00:00:00Z")}};
  CHECK(*p2.evaluate(c).actions[0].say == "1 day 18 hours");
}
