// A case on its way in: JSON and YAML text read into a Case (parse_case), then its facts bound to
// a playbook's declarations (spec §4 step 1) — what a CRM integration sees first.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>

#include "test_support.hpp"
#include "redress/redress.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

using test_support::TempDir;

// The error parse_case gives, "origin:line:col: message", or "" when it reads.
std::string read_error(const std::string& text, const std::string& origin = "c.json") {
  try {
    parse_case(text, origin);
  } catch (const EvaluationError& e) {
    return e.what();
  }
  return "";
}

const Value* fact(const Case& c, const std::string& name) {
  for (const auto& [n, v] : c.facts)
    if (n == name) return &v;
  return nullptr;
}

const char* kTiered = R"(redress: 1
playbook: tiered
currency: EUR
facts:
  order_id:  string
  days_late: {type: int, min: 0}
  tier:      {type: enum, values: [standard, gold], default: standard}
  note:      {type: string, optional: true}
states:
  open:
    initial: true
    on: {close: done}
  done: {terminal: true}
escalation:
  rules: [{when: "tier == 'gold'", at_least: manager, why: "key customer"}]
)";

Case tiered_case() {
  Case c;
  c.now = Timestamp::parse("2026-11-23T10:00:00Z");
  c.fact("order_id", Value::string("A-1")).fact("days_late", Value::integer(2));
  return c;
}

}  // namespace

TEST_CASE("JSON cases: every part of the case shape, numbers exact") {
  Case c = parse_case(R"({
    "playbook": "delivery_delay", "state": "investigating", "event": "accepted",
    "entered_at": "2026-11-23T08:00:00Z", "now": "2026-11-23T10:00:00+01:00",
    "facts": {"s": "text \u00e9\n", "i": 3, "neg": -2.5, "exp": 1.5e2, "big": 12345678901234567890123,
              "t": true, "f": false, "z": null, "tags": ["a", 2, true], "money": "12.50 EUR"},
    "sign_offs": [{"level": "manager", "by": "a.berg", "at": "2026-11-23T09:00:00Z", "amount": "25.00 EUR"}],
    "paid": {"refund": "4.99 EUR"}
  })", "c.json");
  CHECK(c.playbook == "delivery_delay");
  CHECK(c.state == "investigating");
  CHECK(c.event == "accepted");
  CHECK(c.entered_at->to_string() == "2026-11-23T08:00:00Z");
  CHECK(c.now->to_string() == "2026-11-23T09:00:00Z");
  REQUIRE(c.facts.size() == 10);
  CHECK(fact(c, "s")->as_string() == "text \xC3\xA9\n");
  CHECK(fact(c, "i")->kind() == Value::Kind::Number);
  CHECK(fact(c, "i")->as_decimal() == Decimal::from_int(3));
  CHECK(fact(c, "neg")->as_decimal().to_string() == "-2.5");
  CHECK(fact(c, "exp")->as_decimal().to_string() == "150");
  CHECK(fact(c, "big")->as_decimal().to_string() == "12345678901234567890123");  // beyond a double's 53 bits
  CHECK(fact(c, "t")->as_bool());
  CHECK_FALSE(fact(c, "f")->as_bool());
  CHECK(fact(c, "z")->is_null());
  CHECK(fact(c, "tags")->as_list() == std::vector<std::string>{"a", "2", "true"});
  CHECK(fact(c, "money")->as_string() == "12.50 EUR");
  REQUIRE(c.sign_offs.size() == 1);
  CHECK(c.sign_offs[0].amount->to_string() == "25.00 EUR");
  REQUIRE(c.paid.size() == 1);
  CHECK(c.paid[0].item == "refund");

  // The time keys, as the YAML reader takes them.
  Case timed = parse_case(R"({"pauses": [{"from": "2026-11-23T08:00:00Z", "to": "2026-11-23T09:00:00Z"}, {"from": "2026-11-23T11:00:00Z", "to": null}],
                              "done": {"acknowledge": "2026-11-23T08:05:00Z"}, "timezone": "Europe/Berlin"})", "c.json");
  REQUIRE(timed.pauses.size() == 2);
  CHECK(timed.pauses[0].to->to_string() == "2026-11-23T09:00:00Z");
  CHECK_FALSE(timed.pauses[1].to.has_value());
  REQUIRE(timed.done.size() == 1);
  CHECK(timed.done[0].first == "acknowledge");
  CHECK(timed.timezone == "Europe/Berlin");
  CHECK(read_error(R"({"pauses": [{"from": "2026-11-23T09:00:00Z", "to": "2026-11-23T08:00:00Z"}]})") ==
        "c.json:1:52: this pause ends before it starts");
  CHECK(read_error(R"({"pauses": [{"to": "2026-11-23T08:00:00Z"}]})") == "c.json:1:13: this pause has no 'from'");
  CHECK(read_error(R"({"done": {"call": "later"}})").find("c.json:1:19: 'done' of 'call' must be an ISO 8601 date-time") == 0);
  // An unknown zone is a reading error at the value, with a "did you mean", in JSON and YAML.
  CHECK(read_error(R"({"timezone": "Europe/Moskow"})") ==
        "c.json:1:14: 'timezone': unknown time zone 'Europe/Moskow' (did you mean 'Europe/Moscow'?)");
  CHECK(read_error("now: 2026-11-23T10:00:00Z\ntimezone: Europe/Moskow\n", "c.yaml") ==
        "c.yaml:2:11: unknown time zone 'Europe/Moskow' (did you mean 'Europe/Moscow'?)");

  // 0.1 stays 0.1: no double on the way.
  Case tenth = parse_case(R"({"facts": {"x": 0.1, "y": 0.30000000000}})");
  CHECK(fact(tenth, "x")->as_decimal() == *Decimal::parse("0.1"));
  CHECK(fact(tenth, "y")->as_decimal() == *Decimal::parse("0.3"));
  // Nulls for the optional keys, an empty object, a byte order mark.
  CHECK_NOTHROW(parse_case(R"({"playbook": null, "facts": null, "now": null})", "c.json"));
  CHECK(parse_case("{}", "c.json").facts.empty());
  CHECK(parse_case("\xEF\xBB\xBF{\"facts\": {\"a\": \"b\"}}", "c.json").facts.size() == 1);
}

TEST_CASE("JSON cases: invalid JSON is reported as such, at its line and column") {
  CHECK(read_error(R"({"facts": {"a": 1,}})") == "c.json:1:18: invalid JSON: a trailing comma before '}'");
  CHECK(read_error("{\n  \"facts\": {\n    \"tags\": [\"a\",]\n  }\n}") == "c.json:3:17: invalid JSON: a trailing comma before ']'");
  CHECK(read_error("this is not json {") ==
        "c.json:1:1: invalid JSON: unexpected 'this' (a case is one JSON object: {\"facts\": {…}, \"now\": …})");
  CHECK(read_error(R"({"facts": {"a": 1 "b": 2}})") == "c.json:1:19: invalid JSON: a missing ',' before '\"b\"'");
  CHECK(read_error(R"({"facts": {"a" 1}})") == "c.json:1:16: invalid JSON: expected ':' after the name, found '1'");
  CHECK(read_error(R"({"facts": {a: 1}})") == "c.json:1:12: invalid JSON: expected a name in double quotes, found 'a'");
  CHECK(read_error(R"({"facts": {"a": "x}})") == "c.json:1:17: invalid JSON: a string opened here is never closed");
  CHECK(read_error(R"({"facts": {"a": 1})") == "c.json:1:19: invalid JSON: the input ends inside an object or a list (a missing '}' or ']')");
  CHECK(read_error(R"({"facts": {"a": [1}})") == "c.json:1:19: invalid JSON: '}' where the '[' before it is still open");
  CHECK(read_error(R"({"facts": {}}})") == "c.json:1:14: invalid JSON: unexpected '}' after the end of the case");
  for (const char* bad_number : {"01", "-", "1.", ".5", "1e", "+1", "12abc", "0x10", "NaN", "Infinity"})
    CHECK_MESSAGE(read_error(std::string(R"({"facts": {"a": )") + bad_number + "}}").find("c.json:1:17: invalid JSON: unexpected") == 0,
                  bad_number);
  for (const char* bad_atom : {"tru", "nul", "falsey", "True"})
    CHECK_MESSAGE(read_error(std::string(R"({"facts": {"a": )") + bad_atom + "}}").find("c.json:1:17: invalid JSON") == 0, bad_atom);
  CHECK(read_error("{\"facts\": {\"a\": \"\xFF\"}}") == "c.json:1:18: invalid JSON: not UTF-8 text (save the case as UTF-8)");
  CHECK(read_error(R"({"facts": {"a": "\uZZZZ"}})").find("c.json:1:17: invalid JSON") == 0);
  CHECK(read_error("") == "c.json:1:1: the case is empty: a case is one JSON object: {\"facts\": {…}, \"now\": …}");
  // Valid JSON of the wrong shape says what it is.
  CHECK(read_error("[1, 2]") == "c.json:1:1: a case is one JSON object: {\"facts\": {…}, \"now\": …}, not a list");
  CHECK(read_error("\"hello\"").find("not a string") != std::string::npos);
  CHECK(read_error(R"({"facts": []})") == "c.json:1:11: 'facts' must be a mapping of fact names to values");
  CHECK(read_error(R"({"facts": {"a": {"b": 1}}})") == "c.json:1:17: a fact must be a single value or a list, not a mapping");
  CHECK(read_error(R"({"facts": {"a": [null]}})") == "c.json:1:18: fact 'a': a list fact holds text only, not null");
  CHECK(read_error(R"({"fcts": {}})") == "c.json:1:2: unknown key 'fcts' in the case (did you mean 'facts'?)");
  CHECK(read_error(R"({"facts": {}, "facts": {}})") == "c.json:1:15: 'facts' is given twice in the case");
  CHECK(read_error(R"({"now": 5})") == "c.json:1:9: 'now' must be text (in double quotes)");
  // A compound case's parts (spec §4.1).
  CHECK(read_error(R"({"playbooks": "a"})") ==
        "c.json:1:15: 'playbooks' must be a list of playbook ids, like [\"delivery_delay\", \"wrong_invoice\"]");
  CHECK(read_error(R"({"playbooks": ["a", 1]})") == "c.json:1:21: a playbook id must be text (in double quotes)");
  CHECK(read_error(R"({"states": {"a": 2}})") == "c.json:1:18: the state of 'a' must be text (in double quotes)");
  CHECK(read_error(R"({"states": ["a"]})").find("c.json:1:12: 'states' must map playbook ids to states") == 0);
  CHECK(read_error(R"({"now": "yesterday"})").find("c.json:1:9: 'now' must be an ISO 8601 date-time") == 0);
  CHECK(read_error(R"({"paid": {"x": 5}})") == "c.json:1:16: paid 'x' must be money with its currency, like \"50.00 EUR\"");
  CHECK(read_error(R"({"sign_offs": [{"level": "m", "by": "b", "at": "2026-11-23T09:00:00Z", "amont": "1 EUR"}]})")
            .find("unknown key 'amont' in a sign-off (did you mean 'amount'?)") != std::string::npos);
  // A number no Decimal holds is refused, naming the fact; never rounded through a double.
  CHECK(read_error(R"({"facts": {"score": 0.30000000000000004}})") ==
        "c.json:1:21: fact 'score': the number 0.30000000000000004 cannot be held exactly (redress numbers have at "
        "most 12 fractional digits and stay below 10^26); give it as a string if the playbook does not read it");
  CHECK(read_error(R"({"facts": {"x": 1e400}})").find("c.json:1:17: fact 'x': the number 1e400 cannot be held exactly") == 0);
}

TEST_CASE("one case per input: JSON Lines and YAML documents are counted, never cut to the first") {
  const std::string line = R"({"facts": {"a": "b"}})";
  CHECK(read_error(line + "\n" + line + "\n" + line + "\n", "<stdin>") ==
        "<stdin>:2:1: 3 cases in one input, where one case is expected (the second starts here); give one JSON object per input");
  CHECK(read_error(line + " " + line, "cases.jsonl").find("cases.jsonl:1:23: 2 cases in one input") == 0);
  CHECK(read_error(line + "\n[1]\n", "c.json") == "c.json:2:1: invalid JSON: unexpected '[' after the end of the case");
  CHECK(read_error(line + "\n{\"facts\": \n", "c.json") == "c.json:2:1: invalid JSON: unexpected '{' after the end of the case");
  CHECK(read_error("facts: {a: b}\n---\nfacts: {a: c}\n", "c.yaml").find("c.yaml:3:1: 2 cases in one input") == 0);
  CHECK(read_error("---\nfacts: {a: b}\n---\nfacts: {}\n---\nfacts: {}\n", "c.yaml").find("c.yaml:4:1: 3 cases in one input") == 0);
  // A lone '---' before or after one case is not a second case; whitespace after JSON is nothing.
  CHECK(read_error("---\nfacts: {a: b}\n---\n", "c.yaml").empty());
  CHECK(read_error(line + "\n\n  \n", "c.json").empty());
}

TEST_CASE("which reader: by the name, else by the first character") {
  // A trailing comma is fine YAML but not JSON: the reader shows which one ran.
  const std::string trailing = R"({"facts": {"a": "b",}})";
  CHECK(read_error(trailing, "c.json").find("invalid JSON") != std::string::npos);
  CHECK(read_error(trailing, "<stdin>").find("invalid JSON") != std::string::npos);
  CHECK(read_error(trailing, "c.yaml").empty());
  CHECK(read_error(trailing, "c.yml").empty());
  CHECK_THROWS_WITH_AS(parse_case(trailing, "c.txt", CaseFormat::Json), doctest::Contains("invalid JSON"), EvaluationError);
  CHECK_NOTHROW(parse_case(trailing, "c.json", CaseFormat::Yaml));
  CHECK(parse_case("facts: {a: b}\n", "<stdin>").facts.size() == 1);  // YAML on stdin
  CHECK(read_error("this is not json {", "<stdin>").find("neither a JSON object nor a YAML mapping") != std::string::npos);
}

TEST_CASE("YAML cases: plain numbers are exact numbers, quoted ones text") {
  Case c = parse_case("facts: {n: 3, x: -2.50, e: 1e3, q: '3', id: A-1, hex: 0x10, t: true, z: ~}\n", "c.yaml");
  CHECK(fact(c, "n")->kind() == Value::Kind::Number);
  CHECK(fact(c, "x")->as_decimal().to_string() == "-2.5");
  CHECK(fact(c, "e")->as_decimal().to_string() == "1000");
  CHECK(fact(c, "q")->kind() == Value::Kind::String);
  CHECK(fact(c, "id")->kind() == Value::Kind::String);
  CHECK(fact(c, "hex")->kind() == Value::Kind::String);
  CHECK(fact(c, "t")->as_bool());
  CHECK(fact(c, "z")->is_null());
  CHECK(read_error("facts:\n  x: 0.1234567890123\n", "c.yaml").find("c.yaml:2:6: fact 'x': the number 0.1234567890123 cannot be held exactly") == 0);
  CHECK(read_error("now: 2026-11-23T10:00:00Z\nnow: 2026-11-23T10:00:00Z\n", "c.yaml") == "c.yaml:2:1: 'now' is given twice in the case");
}

TEST_CASE("binding: a number for a text fact is an error naming the fact, as the contract says") {
  TempDir tmp("case");
  tmp.write("p.yaml", kTiered);
  Pack pack = Pack::load(tmp.path.string());
  Case c = parse_case(R"({"now": "2026-11-23T10:00:00Z", "facts": {"order_id": 1001, "days_late": 2}})");
  CHECK_THROWS_WITH_AS(pack.evaluate(c),
                       "fact 'order_id' must be text, got the number 1001 (write it in quotes, \"1001\", if it is meant as text)",
                       EvaluationError);
  c = parse_case(R"({"now": "2026-11-23T10:00:00Z", "facts": {"order_id": "A", "days_late": 2, "tier": 2.5}})");
  CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("fact 'tier' must be one of standard, gold, got the number 2.5"),
                       EvaluationError);
  // From C++ and YAML alike; the number for an int fact is fine, quoted or not.
  Case typed = tiered_case();
  typed.facts[0].second = Value::integer(7);
  CHECK_THROWS_WITH_AS(pack.evaluate(typed), doctest::Contains("fact 'order_id' must be text, got the number 7"), EvaluationError);
  CHECK_THROWS_WITH_AS(pack.evaluate(parse_case("now: 2026-11-23T10:00:00Z\nfacts: {order_id: 1001, days_late: 2}\n", "c.yaml")),
                       doctest::Contains("fact 'order_id' must be text"), EvaluationError);
  CHECK(pack.evaluate(parse_case(R"({"now": "2026-11-23T10:00:00Z", "facts": {"order_id": "1001", "days_late": "2"}})")).state == "open");
}

TEST_CASE("binding: unknown facts get a 'did you mean', many are grouped, strict mode refuses them") {
  TempDir tmp("case");
  tmp.write("p.yaml", kTiered);
  Pack pack = Pack::load(tmp.path.string());

  Case c = tiered_case();
  c.fact("teir", Value::string("gold"));
  Decision d = pack.evaluate(c);
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0] == "unknown fact 'teir' (did you mean 'tier'?) ignored");
  CHECK(d.escalation.level == "agent");  // the typo did decide: which is why strict mode exists

  EvaluateOptions strict;
  strict.strict_facts = true;
  CHECK_THROWS_WITH_AS(pack.evaluate(c, strict),
                       "unknown fact 'teir' (did you mean 'tier'?): playbook 'tiered' does not declare it (strict_facts is on)",
                       EvaluationError);
  // Strict and a missing fact: both said at once.
  Case both;
  both.now = c.now;
  both.fact("order_id", Value::string("A")).fact("days_lat", Value::integer(2));
  CHECK_THROWS_WITH_AS(pack.evaluate(both, strict),
                       "unknown fact 'days_lat' (did you mean 'days_late'?): playbook 'tiered' does not declare it (strict_facts is on)\n"
                       "missing required fact 'days_late' (int); the case gives 'days_lat' (did you mean 'days_late'?)",
                       EvaluationError);
  // Without strict, the missing fact still points at its likely typo.
  CHECK_THROWS_WITH_AS(pack.evaluate(both),
                       "missing required fact 'days_late' (int); the case gives 'days_lat' (did you mean 'days_late'?)",
                       EvaluationError);

  // 85 000 stray fields: a hint for the typo, one line for the rest, quickly.
  Case many = tiered_case();
  many.fact("teir", Value::string("gold"));
  for (int i = 0; i < 85000; ++i) many.fact("field_" + std::to_string(i), Value::integer(i));
  d = pack.evaluate(many);
  REQUIRE(d.warnings.size() == 2);
  CHECK(d.warnings[0] == "unknown fact 'teir' (did you mean 'tier'?) ignored");
  CHECK(d.warnings[1] == "85000 other unknown facts ignored: 'field_0', 'field_1', 'field_2', 'field_3', 'field_4' and 84995 more");
  CHECK_THROWS_WITH_AS(pack.evaluate(many, strict), doctest::Contains("85000 other unknown facts (strict_facts is on): 'field_0'"),
                       EvaluationError);
  // Up to ten unknown facts: one line each.
  Case few = tiered_case();
  for (int i = 0; i < 10; ++i) few.fact("x" + std::to_string(i), Value::integer(i));
  CHECK(pack.evaluate(few).warnings.size() == 10);

  // strict_facts = false overrides a strict default; triage ignores unknown facts either way.
  EvaluateOptions lenient;
  lenient.strict_facts = false;
  CHECK(pack.evaluate(c, lenient).warnings.size() == 1);
}

TEST_CASE("binding: a 'done' key naming no action is warned about like an unknown fact, refused under strict") {
  TempDir tmp;
  tmp.write("p.yaml", R"(redress: 1
playbook: acked
facts: {order_id: string}
states:
  open:
    initial: true
    do: [{action: acknowledge, within: 15m}]
    on: {close: closed}
  closed: {terminal: true, do: [{action: thank}]}
)");
  Pack pack = Pack::load(tmp.path.string());
  Case c;
  c.now = Timestamp::parse("2026-11-23T10:30:00Z");
  c.entered_at = Timestamp::parse("2026-11-23T10:00:00Z");
  c.fact("order_id", Value::string("A-1"));
  c.done.emplace_back("acknowlege", *Timestamp::parse("2026-11-23T10:05:00Z"));
  c.done.emplace_back("thank", *Timestamp::parse("2026-11-23T10:05:00Z"));  // another state's: known
  Decision d = pack.evaluate(c);
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0] == "unknown action 'acknowlege' in 'done' (did you mean 'acknowledge'?) ignored");
  REQUIRE(d.actions.size() == 1);
  CHECK(d.actions[0].overdue);  // the typo did not mark it done: which is why it is said
  EvaluateOptions strict;
  strict.strict_facts = true;
  CHECK_THROWS_WITH_AS(pack.evaluate(c, strict),
                       "unknown action 'acknowlege' in 'done' (did you mean 'acknowledge'?): playbook 'acked' has no such "
                       "action (strict_facts is on)",
                       EvaluationError);
  // Many: the first ten one a line, the rest in one.
  Case many = c;
  for (int i = 0; i < 20; ++i) many.done.emplace_back("x" + std::to_string(i), *c.now);
  d = pack.evaluate(many);
  REQUIRE(d.warnings.size() == 11);
  CHECK(d.warnings[10] == "11 other unknown actions in 'done' ignored: 'x9', 'x10', 'x11', 'x12', 'x13' and 6 more");
}

TEST_CASE("strict_facts: from LoadOptions, or as the pack's default in pack.yaml") {
  TempDir tmp("case");
  tmp.write("p.yaml", kTiered);
  tmp.write("pack.yaml", "redress: 1\nstrict_facts: true\n");
  Case c = tiered_case();
  c.fact("teir", Value::string("gold"));
  Pack strict_pack = Pack::load(tmp.path.string());
  CHECK_THROWS_WITH_AS(strict_pack.evaluate(c), doctest::Contains("strict_facts is on"), EvaluationError);
  EvaluateOptions lenient;
  lenient.strict_facts = false;
  CHECK(strict_pack.evaluate(c, lenient).warnings.size() == 1);
  LoadOptions load_lenient;
  load_lenient.strict_facts = false;
  CHECK(Pack::load(tmp.path.string(), load_lenient).evaluate(c).warnings.size() == 1);

  tmp.write("pack.yaml", "redress: 1\n");
  LoadOptions load_strict;
  load_strict.strict_facts = true;
  CHECK_THROWS_WITH_AS(Pack::load(tmp.path.string(), load_strict).evaluate(c), doctest::Contains("strict_facts is on"), EvaluationError);
  CHECK(Pack::load(tmp.path.string()).evaluate(c).warnings.size() == 1);

  tmp.write("pack.yaml", "redress: 1\nstrict_facts: yes please\n");
  CHECK_THROWS_WITH_AS(Pack::load(tmp.path.string()), doctest::Contains("pack.yaml:2:15"), LoadError);
}

TEST_CASE("JSON cases: mutated inputs never crash and every error is located") {
  const std::string original = R"({"playbook": "delivery_delay", "state": "investigating", "now": "2026-11-23T10:00:00Z",
 "facts": {"order_id": "A-1", "order_value": "200.00 EUR", "days_late": 3, "tier": "gold", "tags": ["a", "b"],
           "flag": true, "none": null}, "paid": {"x": "1.00 EUR"}})";
  std::mt19937 rng(2026);
  const std::string alphabet = "{}[],:\"\\ 0123456789.eE+-truefalsn\n\x80\xC3";
  for (int i = 0; i < 4000; ++i) {
    std::string text = original;
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
      std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0: text.erase(at, 1 + rng() % 3); break;
        case 1: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: text[at] = alphabet[rng() % alphabet.size()]; break;
      }
      if (text.empty()) text = "{";
    }
    try {
      parse_case(text, "m.json");
    } catch (const EvaluationError& e) {
      CAPTURE(text);
      CHECK_MESSAGE(e.location().line > 0, e.what());
    }
  }
}
