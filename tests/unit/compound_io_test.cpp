// Compound cases (issue #12, spec §4.1) through the entry points other than Pack::evaluate_compound:
// JSON Lines (redress batch, eval --jsonl, Python's evaluate_jsonl), the overrides, and the
// refusal of Pack::evaluate, so no path silently answers one conflict of several.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "redress/redress.hpp"
#include "test_support.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

const fs::path kCompound = fs::path(REDRESS_SOURCE_DIR) / "tests" / "compound";

// The golden answer, indented as `eval --json --pretty` writes it; a JSON line is the same
// JSON on one line (to_json without `pretty`).
std::string golden_decision() { return test_support::read(kCompound / "late_and_overcharged.decision.json"); }

// The golden case on one line.
std::string golden_line() {
  std::string text = test_support::read(kCompound / "late_and_overcharged.json");
  for (char& ch : text)
    if (ch == '\n') ch = ' ';
  return text;
}

const std::string kSingle =
    R"({"playbook":"delivery_delay","now":"2026-11-23T10:00:00Z","facts":{"days_late":3,"order_value":"200.00 EUR","shipping_fee":"4.99 EUR","tier":"gold"}})";

}  // namespace

TEST_CASE("a compound JSON line is answered with the compound decision, the golden one on one line") {
  const Pack pack = Pack::load((kCompound / "pack").string());
  std::string out;
  REQUIRE(evaluate_json_line(pack, golden_line(), 1, {}, out) == LineOutcome::Decided);
  const CompoundDecision d = pack.evaluate_compound(parse_case(golden_line()));
  CHECK(to_json(d, JsonOptions{true}) + "\n" == golden_decision());
  CHECK(out == to_json(d));
  CHECK(out.find('\n') == std::string::npos);
  const std::string line = out;

  // `playbooks` names the parts; the same answer as triage: all finds here.
  std::string named = golden_line();
  named.replace(named.find(R"("triage": "all")"), 15, R"("playbooks": ["delivery_delay", "wrong_invoice"])");
  REQUIRE(evaluate_json_line(pack, named, 1, {}, out) == LineOutcome::Decided);
  CHECK(out == line);
}

TEST_CASE("JSON Lines of single and compound cases: one answer a line, in order, errors in place") {
  const Pack pack = Pack::load((kCompound / "pack").string());
  const std::string text = kSingle + "\n" + golden_line() + "\n" +
                           R"({"playbooks":["delivery_delay","delivery_delay"],"now":"2026-11-23T10:00:00Z"})" + "\n\n" +
                           R"({"playbooks":5})" + "\n" + kSingle + "\n";
  JsonLinesOptions options;
  options.origin = "cases.jsonl";
  for (unsigned threads : {1u, 4u}) {
    options.threads = threads;
    std::string out;
    JsonLinesStats stats = evaluate_json_lines(pack, text, 1, options, out);
    CHECK(stats.decided == 3);
    CHECK(stats.failed == 2);
    CHECK(stats.blank == 1);
    const auto lines = util::split_lines(out);
    REQUIRE(lines.size() == 6);
    const std::string single = to_json(pack.evaluate(parse_case(kSingle)));
    CHECK(lines[0] == single);
    CHECK(lines[1] == to_json(pack.evaluate_compound(parse_case(golden_line()))));
    CHECK(lines[2].rfind(R"({"line":3,"error":"cases.jsonl:3: playbook 'delivery_delay' is named twice)", 0) == 0);
    CHECK(lines[3].empty());
    CHECK(lines[4].rfind(R"({"line":5,"error":"cases.jsonl:5:14: 'playbooks' must be a list)", 0) == 0);
    CHECK(lines[5] == single);
  }
}

TEST_CASE("the overrides: triage and event apply to compound cases, playbook and state are refused") {
  const Pack pack = Pack::load((kCompound / "pack").string());
  const std::string golden = to_json(pack.evaluate_compound(parse_case(golden_line())));
  std::string out;

  SUBCASE("triage: all makes a case that names no playbook compound; first makes it single") {
    JsonLinesOptions all;
    all.triage = Triage::All;
    std::string line = golden_line();
    line.replace(line.find(R"("triage": "all")"), 15, R"("triage": "first")");
    REQUIRE(evaluate_json_line(pack, line, 1, all, out) == LineOutcome::Decided);
    CHECK(out == golden);
    JsonLinesOptions first;
    first.triage = Triage::First;
    REQUIRE(evaluate_json_line(pack, golden_line(), 1, first, out) == LineOutcome::Decided);
    CHECK(out.rfind(R"({"playbook":)", 0) == 0);
  }
  SUBCASE("playbook and state are a single case's: with a compound case, an error that says so") {
    JsonLinesOptions playbook;
    playbook.playbook = "delivery_delay";
    REQUIRE(evaluate_json_line(pack, golden_line(), 7, playbook, out) == LineOutcome::Failed);
    CHECK(out.find("<jsonl>:7: the playbook override ('delivery_delay') is for single cases") != std::string::npos);
    JsonLinesOptions state;
    state.state = "open";
    REQUIRE(evaluate_json_line(pack, golden_line(), 7, state, out) == LineOutcome::Failed);
    CHECK(out.find("the state override ('open') is for single cases") != std::string::npos);
    // A single case takes them as before.
    REQUIRE(evaluate_json_line(pack, kSingle, 1, state, out) == LineOutcome::Decided);
  }
  SUBCASE("an event goes to the parts that accept it; none accepting it is an error") {
    JsonLinesOptions event;
    event.event = "no_such_event";
    REQUIRE(evaluate_json_line(pack, golden_line(), 1, event, out) == LineOutcome::Failed);
    CHECK(out.find("accepts event 'no_such_event'") != std::string::npos);
  }
}

TEST_CASE("Pack::evaluate refuses a compound case instead of answering one of its conflicts") {
  const Pack pack = Pack::load((kCompound / "pack").string());
  Case c = parse_case(golden_line());
  REQUIRE(c.compound());
  CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("this case is compound"), EvaluationError);
  std::vector<EvaluationResult> many = pack.evaluate_many({c});
  REQUIRE(many.size() == 1);
  CHECK(!many[0].ok());
  c.triage = Triage::First;
  CHECK(!c.compound());
  CHECK_NOTHROW(pack.evaluate(c));
}
