// The shape matrix (issue #9, criterion 1): every optional section of pack.yaml and of a
// playbook, and every key inside the sections, absent, empty and present (and each alternative
// form the contract gives: an event's target as a state name or a list, `do` items as names or
// mappings, …). Each row writes a pack folder, loads it and either evaluates a case (the
// contract allows the shape) or expects exactly one located error (the contract forbids it).
//
// The verdicts come from docs/playbook-format.md (§1 "Field rules", "Empty and absent"; §2) and
// docs/playbook.schema.json, not from what the loader happens to do. In short: a key with
// nothing after it is left out when it holds a mapping or a list, and an error when it holds a
// single value; `{}` and `[]` are judged by what the section needs (`ladder: []` has no rung).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "redress/redress.hpp"
#include "redress/testing.hpp"

namespace fs = std::filesystem;

namespace {

using test_support::TempDir;

// A pack folder under construction: a pack.yaml (or none) and one playbook `p`, assembled from
// slots so that a row changes one of them.
struct Shape {
  std::optional<std::string> pack;      // pack.yaml's text; nullopt: no pack.yaml
  std::vector<std::string> top;         // top-level keys of the playbook, each a YAML block
  std::vector<std::string> open;        // keys of the initial state 'open' (besides initial/do/on)
  std::optional<std::string> open_do;   // 'do' of 'open'; nullopt: one action 'greet' + `action`
  std::vector<std::string> action;      // keys of the action 'greet' (besides 'action')
  std::optional<std::string> open_on = std::string("on:\n  close: closed\n");
  std::vector<std::string> closed;      // keys of the terminal state 'closed' (besides terminal)
  std::optional<std::vector<std::string>> escalation;    // keys under 'escalation:'
  std::optional<std::vector<std::string>> compensation;  // keys under 'compensation:'
  std::optional<std::string> test_file;  // p.test.yaml's text; nullopt: none
  std::string facts_json;               // the case's facts, inside {}
  std::string event;                    // the case's event
};

std::string indent(const std::string& text, int n) {
  std::string pad(static_cast<std::size_t>(n), ' '), out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out += (line.empty() ? "" : pad + line) + "\n";
  return out;
}

std::string join_blocks(const std::vector<std::string>& blocks, int n) {
  std::string out;
  for (const auto& b : blocks) out += indent(b, n);
  return out;
}

std::string playbook_text(const Shape& s) {
  std::string t = "redress: 1\nplaybook: p\n" + join_blocks(s.top, 0);
  t += "states:\n  open:\n    initial: true\n" + join_blocks(s.open, 4);
  if (s.open_do) t += indent(*s.open_do, 4);
  else t += "    do:\n      - action: greet\n" + join_blocks(s.action, 8);
  if (s.open_on) t += indent(*s.open_on, 4);
  t += "  closed:\n    terminal: true\n" + join_blocks(s.closed, 4);
  if (s.escalation) t += "escalation:" + (s.escalation->empty() ? std::string(" {}\n") : "\n" + join_blocks(*s.escalation, 2));
  if (s.compensation) t += "compensation:" + (s.compensation->empty() ? std::string(" {}\n") : "\n" + join_blocks(*s.compensation, 2));
  return t;
}

enum class Verdict { Loads, OneError };

struct Row {
  std::string name;
  Shape shape;
  Verdict verdict = Verdict::Loads;
  // Loads: text the Decision's JSON must contain. OneError: the error's file ("p.yaml" or
  // "pack.yaml") and a text its source line must contain (the error points at the culprit).
  std::vector<std::string> expect;
  std::string file = "p.yaml";
  std::string needle;
};

struct Tally {
  int rows = 0, loads = 0, errors = 0;
};

// Loads (and evaluates) one row; "" when the contract's verdict holds, else what went wrong.
std::string run_row(const Row& row, Tally& tally) {
  TempDir dir("matrix");
  std::string pb = playbook_text(row.shape);
  if (row.shape.pack) dir.write("pack.yaml", *row.shape.pack);
  dir.write("p.yaml", pb);
  if (row.shape.test_file) dir.write("p.test.yaml", *row.shape.test_file);
  ++tally.rows;
  std::optional<redress::Pack> pack;
  std::vector<redress::Diagnostic> errors;
  try {
    pack.emplace(redress::Pack::load(dir.path.string()));
  } catch (const redress::LoadError& e) {
    for (const auto& d : e.diagnostics())
      if (d.severity == redress::Severity::Error) errors.push_back(d);
  }
  std::string shown;
  for (const auto& d : errors) shown += "    " + fs::path(d.file()).filename().string() + ":" + std::to_string(d.line()) + ":" +
                                        std::to_string(d.column()) + ": " + d.message + "\n";
  const std::string files = "  --- pack.yaml ---\n" + indent(row.shape.pack.value_or("(none)"), 2) + "  --- p.yaml ---\n" +
                            indent(pb, 2) + (row.shape.test_file ? "  --- p.test.yaml ---\n" + indent(*row.shape.test_file, 2) : "");
  if (row.verdict == Verdict::OneError) {
    ++tally.errors;
    if (errors.size() != 1)
      return "expected one error, got " + std::to_string(errors.size()) + ":\n" + shown + files;
    const redress::Diagnostic& d = errors.front();
    if (fs::path(d.file()).filename().string() != row.file || d.line() == 0 || d.column() == 0 ||
        d.source_line.find(row.needle) == std::string::npos)
      return "expected the error in " + row.file + " on a line with '" + row.needle + "':\n" + shown + files;
    return "";
  }
  ++tally.loads;
  if (!errors.empty() || !pack) return "expected it to load:\n" + shown + files;
  std::string case_text = "{\"playbook\": \"p\", \"now\": \"2026-11-23T10:00:00Z\", \"entered_at\": "
                          "\"2026-11-23T09:00:00Z\", \"facts\": {" + row.shape.facts_json + "}" +
                          (row.shape.event.empty() ? "" : ", \"event\": \"" + row.shape.event + "\"") + "}";
  std::string json;
  try {
    json = redress::to_json(pack->evaluate(redress::parse_case(case_text)));
  } catch (const redress::EvaluationError& e) {
    return std::string("evaluation failed: ") + e.what() + "\n" + files;
  }
  for (const auto& e : row.expect)
    if (json.find(e) == std::string::npos) return "the decision lacks " + e + ":\n" + json + "\n" + files;
  // The tests a row's playbook carries pass.
  for (const auto& t : redress::run_tests(*pack))
    if (!t.passed) {
      std::string why;
      for (const auto& f : t.failures) why += f + "; ";
      return "test '" + t.name + "' failed: " + why + "\n" + files;
    }
  return "";
}

// A row builder: a name, what it changes, and the contract's verdict.
struct Variant {
  std::string label;
  std::function<void(Shape&)> apply;
  Verdict verdict;
  std::string needle;               // OneError: text of the culprit's line
  std::vector<std::string> expect;  // Loads: text of the Decision
  std::string file = "p.yaml";
};

Variant ok(std::string label, std::function<void(Shape&)> f, std::vector<std::string> expect = {}) {
  return {std::move(label), std::move(f), Verdict::Loads, "", std::move(expect)};
}
Variant bad(std::string label, std::function<void(Shape&)> f, std::string needle, std::string file = "p.yaml") {
  return {std::move(label), std::move(f), Verdict::OneError, std::move(needle), {}, std::move(file)};
}

// Slot writers.
std::function<void(Shape&)> top(std::string block) {
  return [block](Shape& s) { s.top.push_back(block); };
}
std::function<void(Shape&)> pack(std::string text) {
  return [text](Shape& s) { s.pack = text; };
}
std::function<void(Shape&)> in_open(std::string block) {
  return [block](Shape& s) { s.open.push_back(block); };
}
std::function<void(Shape&)> in_action(std::string block) {
  return [block](Shape& s) { s.action.push_back(block); };
}
std::function<void(Shape&)> both(std::function<void(Shape&)> a, std::function<void(Shape&)> b) {
  return [a, b](Shape& s) { a(s); b(s); };
}
std::function<void(Shape&)> test_file(std::string text) {
  return [text](Shape& s) { s.test_file = text; };
}
std::function<void(Shape&)> nothing() {
  return [](Shape&) {};
}
std::function<void(Shape&)> facts(std::string json) {
  return [json](Shape& s) { s.facts_json = json; };
}

const char* kCalendar =
    "calendars:\n"
    "  office:\n"
    "    timezone: Europe/Berlin\n"
    "    hours: {mon-fri: \"09:00-18:00\"}\n"
    "    holidays: [\"2026-12-25\"]\n";

// The escalation every escalation row starts from: each key present; a row changes one.
const std::vector<std::string> kEscalation = {
    "ladder: [agent, supervisor, manager]\n", "start: agent\n",
    "rules:\n  - {when: \"true\", at_least: supervisor, why: always}\n"};

// The compensation every compensation row starts from (with currency EUR): each key present.
const std::vector<std::string> kCompensation = {
    "combine: sum\n", "limits: goodwill\n",
    "rules:\n  - {id: fee, kind: refund, basis: owed, when: \"true\", amount: \"5 EUR\", doc: the fee}\n"
    "  - {id: gift, amount: \"10 EUR\"}\n",
    "cap: \"100 EUR\"\n", "approve:\n  - {above: 1 EUR, level: supervisor}\n",
    "hold: {when: \"false\", level: manager, why: review}\n"};

// `defaults` with the key that starts with `key` replaced by `block`, or removed.
std::vector<std::string> with_key(const std::vector<std::string>& defaults, const std::string& key,
                                  const std::optional<std::string>& block) {
  std::vector<std::string> keys;
  for (const auto& k : defaults)
    if (k.rfind(key + ":", 0) != 0) keys.push_back(k);
    else if (block) keys.push_back(*block);
  return keys;
}
std::function<void(Shape&)> escalation_key(std::string key, std::optional<std::string> block) {
  return [key, block](Shape& s) { s.escalation = with_key(kEscalation, key, block); };
}
std::function<void(Shape&)> compensation_key(std::string key, std::optional<std::string> block) {
  return [key, block](Shape& s) {
    s.top.push_back("currency: EUR\n");
    s.compensation = with_key(kCompensation, key, block);
  };
}
// One escalation rule in place of the default rules.
std::function<void(Shape&)> escalation_rule(std::string rule) {
  return escalation_key("rules", "rules:\n  - " + rule + "\n");
}
std::function<void(Shape&)> compensation_rule(std::string rule) {
  return compensation_key("rules", "rules:\n  - " + rule + "\n");
}
// One fact `f` declared as `spec` (with the case giving `f` as `value`, or not at all).
std::function<void(Shape&)> fact(std::string spec, std::string value = "") {
  return [spec, value](Shape& s) {
    s.top.push_back("facts:\n  f: " + spec + "\n");
    if (!value.empty()) s.facts_json = "\"f\": " + value;
  };
}
// `open` with `on` replaced by `block` (and a guarded way out, so that 'closed' stays
// reachable whatever `on` says: the analysis refuses a state that cannot close).
std::function<void(Shape&)> on(std::optional<std::string> block, std::string event = "") {
  return [block, event](Shape& s) {
    s.open_on = block;
    s.open.push_back("after:\n  - {within: 30d, to: closed}\n");
    s.event = event;
  };
}

struct Section {
  std::string name;
  std::vector<Variant> variants;
};

std::vector<Section> playbook_sections() {
  return {
      {"version", {ok("absent", nothing()), bad("empty", top("version:\n"), "version"),
                   ok("text", top("version: \"2026.1\"\n"), {"\"version\": \"2026.1\""}),
                   ok("number", top("version: 3\n"), {"\"version\": \"3\""})}},
      {"title", {ok("absent", nothing()), bad("empty", top("title:\n"), "title"), ok("present", top("title: Late\n"))}},
      {"doc", {ok("absent", nothing()), bad("empty", top("doc:\n"), "doc"), ok("present", top("doc: Why.\n")),
               ok("block", top("doc: |\n  Two\n  lines.\n"))}},
      {"currency", {ok("absent", nothing(), {"\"total\": \"0 XXX\""}), bad("empty", top("currency:\n"), "currency"),
                    ok("present", top("currency: EUR\n"), {"\"total\": \"0.00 EUR\""}),
                    bad("unknown", top("currency: EURO\n"), "EURO")}},
      {"priority", {ok("absent", nothing()), bad("empty", top("priority:\n"), "priority"),
                    ok("present", top("priority: 5\n")), bad("not a number", top("priority: high\n"), "high")}},
      {"match", {ok("absent", nothing()), bad("empty", top("match:\n"), "match"), ok("present", top("match: \"true\"\n")),
                 bad("not a condition", top("match: \"1 + 1\"\n"), "1 + 1")}},
      {"rank", {ok("absent", nothing()), bad("empty", top("rank:\n"), "rank"), ok("a number", top("rank: \"5\"\n")),
                ok("money", top("currency: EUR\nrank: \"5 EUR\"\n")), bad("a condition", top("rank: \"true\"\n"), "rank")}},
      {"facts", {ok("absent", nothing()), ok("empty", top("facts:\n")), ok("{}", top("facts: {}\n")),
                 ok("present", both(top("facts:\n  calls: int\n  tier: {type: enum, values: [a, b], default: a}\n"),
                                    facts("\"calls\": 2"))),
                 bad("a list", top("facts: [calls]\n"), "facts")}},
      {"let", {ok("absent", nothing()), ok("empty", top("let:\n")), ok("{}", top("let: {}\n")),
               ok("present", top("let:\n  six: \"2 * 3\"\n  seven: \"six + 1\"\n")),
               bad("a list", top("let: [six]\n"), "let"), bad("empty expression", top("let:\n  six:\n"), "six")}},
      {"calendars", {ok("absent", nothing()), ok("empty", top("calendars:\n")), ok("{}", top("calendars: {}\n")),
                     ok("present", top(kCalendar)), bad("a list", top("calendars: [office]\n"), "calendars")}},
      {"a calendar's keys",
       {ok("hours as a list", top("calendars:\n  c: {timezone: UTC, hours: {mon-sun: [\"00:00-12:00\", \"12:00-24:00\"]}}\n")),
        ok("empty holidays", top("calendars:\n  c: {timezone: UTC, hours: {mon-fri: \"09:00-18:00\"}, holidays: }\n")),
        ok("holidays []", top("calendars:\n  c: {timezone: UTC, hours: {mon-fri: \"09:00-18:00\"}, holidays: []}\n")),
        ok("doc", top("calendars:\n  c: {timezone: UTC, hours: {mon-fri: \"09:00-18:00\"}, doc: Office}\n")),
        bad("empty doc", top("calendars:\n  c: {timezone: UTC, hours: {mon-fri: \"09:00-18:00\"}, doc: }\n"), "doc"),
        bad("empty timezone", top("calendars:\n  c: {timezone: , hours: {mon-fri: \"09:00-18:00\"}}\n"), "timezone"),
        bad("unknown timezone", top("calendars:\n  c: {timezone: Europe/Berln, hours: {mon-fri: \"09:00-18:00\"}}\n"), "Berln"),
        bad("no hours", top("calendars:\n  c: {timezone: UTC}\n"), "c:"),
        bad("empty hours", top("calendars:\n  c: {timezone: UTC, hours: }\n"), "hours"),
        bad("hours {}", top("calendars:\n  c: {timezone: UTC, hours: {}}\n"), "hours"),
        bad("empty day", top("calendars:\n  c: {timezone: UTC, hours: {mon: }}\n"), "mon")}},
      {"NAME.test.yaml",
       {ok("tests", test_file("tests:\n  - name: t\n    now: \"2026-11-23T10:00:00Z\"\n    expect: {state: open}\n")),
        ok("playbook and tests", test_file("playbook: p\ntests:\n  - {name: t, now: \"2026-11-23T10:00:00Z\", expect: {state: open}}\n")),
        ok("tests []", test_file("tests: []\n")), bad("tests left empty", test_file("tests:\n"), "tests", "p.test.yaml"),
        bad("no tests", test_file("playbook: p\n"), "playbook", "p.test.yaml"),
        bad("unknown key", test_file("tests: []\ntest: []\n"), "test:", "p.test.yaml"),
        bad("unknown playbook", test_file("playbook: q\ntests: []\n"), "playbook: q", "p.test.yaml"),
        bad("empty playbook", test_file("playbook:\ntests: []\n"), "playbook", "p.test.yaml")}},
      {"calendar", {ok("absent", nothing()), bad("empty", top("calendar:\n"), "calendar"),
                    ok("present", top(std::string(kCalendar) + "calendar: office\n")),
                    bad("unknown", top("calendar: nowhere\n"), "nowhere")}},
      {"escalation", {ok("absent", nothing(), {"\"level\": \"agent\""}),
                      ok("empty", top("escalation:\n"), {"\"level\": \"agent\""}),
                      ok("{}", [](Shape& s) { s.escalation = std::vector<std::string>{}; }, {"\"level\": \"agent\""}),
                      ok("present", [](Shape& s) { s.escalation = kEscalation; }, {"\"level\": \"supervisor\""}),
                      bad("a list", top("escalation: []\n"), "escalation")}},
      {"escalation.ladder", {ok("absent", escalation_key("ladder", std::nullopt), {"\"level\": \"supervisor\""}),
                             ok("empty", escalation_key("ladder", "ladder:\n"), {"\"level\": \"supervisor\""}),
                             bad("[]", escalation_key("ladder", "ladder: []\n"), "ladder"),
                             bad("a single rung", escalation_key("ladder", "ladder: agent\n"), "ladder"),
                             bad("a rung twice", escalation_key("ladder", "ladder: [agent, supervisor, agent]\n"), "ladder")}},
      {"escalation.start", {ok("absent", escalation_key("start", std::nullopt)),
                            bad("empty", escalation_key("start", "start:\n"), "start"),
                            ok("present", escalation_key("start", "start: manager\n"), {"\"level\": \"manager\""}),
                            bad("unknown", escalation_key("start", "start: boss\n"), "boss")}},
      {"escalation.rules", {ok("absent", escalation_key("rules", std::nullopt), {"\"level\": \"agent\""}),
                            ok("empty", escalation_key("rules", "rules:\n"), {"\"level\": \"agent\""}),
                            ok("[]", escalation_key("rules", "rules: []\n"), {"\"level\": \"agent\""}),
                            bad("a mapping", escalation_key("rules", "rules: {when: \"true\", raise: 1}\n"), "rules")}},
      {"escalation rule",
       {ok("raise", escalation_rule("{when: \"true\", raise: 2, why: w}"), {"\"level\": \"manager\""}),
        ok("set", escalation_rule("{when: \"true\", set: manager}"), {"\"level\": \"manager\""}),
        ok("no when", escalation_rule("{at_least: supervisor}"), {"\"level\": \"supervisor\""}),
        ok("no why", escalation_rule("{when: \"true\", at_least: supervisor}"), {"\"reasons\": []"}),
        bad("empty why", escalation_rule("{when: \"true\", at_least: supervisor, why: }"), "why"),
        bad("empty when", escalation_rule("{when: , at_least: supervisor}"), "when"),
        bad("no change", escalation_rule("{when: \"true\", why: w}"), "why: w"),
        bad("two changes", escalation_rule("{when: \"true\", raise: 1, set: manager}"), "set: manager")}},
      {"compensation",
       {ok("absent", nothing()), ok("empty", top("compensation:\n"), {"\"total\": \"0 XXX\""}),
        ok("{}", [](Shape& s) { s.compensation = std::vector<std::string>{}; }),
        ok("present", [](Shape& s) { s.top.push_back("currency: EUR\n"); s.compensation = kCompensation; },
           {"\"total\": \"15.00 EUR\"", "\"owed\": \"5.00 EUR\"", "\"approval\": \"supervisor\""}),
        bad("present, no currency", [](Shape& s) { s.compensation = kCompensation; }, "compensation"),
        bad("a list", top("currency: EUR\ncompensation: []\n"), "compensation")}},
      {"compensation.combine", {ok("absent", compensation_key("combine", std::nullopt), {"\"total\": \"15.00 EUR\""}),
                                bad("empty", compensation_key("combine", "combine:\n"), "combine"),
                                ok("max", compensation_key("combine", "combine: max\n"), {"\"total\": \"15.00 EUR\""}),
                                ok("first", compensation_key("combine", "combine: first\n")),
                                bad("unknown", compensation_key("combine", "combine: all\n"), "combine")}},
      {"compensation.limits", {ok("absent", compensation_key("limits", std::nullopt), {"\"owed\": \"5.00 EUR\""}),
                               bad("empty", compensation_key("limits", "limits:\n"), "limits"),
                               ok("all", compensation_key("limits", "limits: all\n"), {"\"approval\": \"supervisor\""}),
                               bad("unknown", compensation_key("limits", "limits: some\n"), "some")}},
      {"compensation.rules", {ok("absent", compensation_key("rules", std::nullopt), {"\"total\": \"0.00 EUR\""}),
                              ok("empty", compensation_key("rules", "rules:\n"), {"\"total\": \"0.00 EUR\""}),
                              ok("[]", compensation_key("rules", "rules: []\n"), {"\"total\": \"0.00 EUR\""}),
                              bad("a mapping", compensation_key("rules", "rules: {id: a, amount: \"1 EUR\"}\n"), "rules")}},
      {"compensation rule",
       {ok("id and amount", compensation_rule("{id: a, amount: \"2 EUR\"}"), {"\"kind\": \"a\"", "\"basis\": \"goodwill\""}),
        ok("owed", compensation_rule("{id: a, basis: owed, amount: \"2 EUR\"}"), {"\"basis\": \"owed\""}),
        bad("unknown basis", compensation_rule("{id: a, basis: law, amount: \"2 EUR\"}"), "law"),
        bad("no id", compensation_rule("{amount: \"2 EUR\"}"), "amount"),
        bad("no amount", compensation_rule("{id: a}"), "id: a"),
        bad("empty amount", compensation_rule("{id: a, amount: }"), "amount"),
        bad("empty kind", compensation_rule("{id: a, kind: , amount: \"2 EUR\"}"), "kind"),
        bad("empty when", compensation_rule("{id: a, when: , amount: \"2 EUR\"}"), "when"),
        bad("amount without currency", compensation_rule("{id: a, amount: \"2\"}"), "amount")}},
      {"compensation.cap", {ok("absent", compensation_key("cap", std::nullopt)),
                            bad("empty", compensation_key("cap", "cap:\n"), "cap"),
                            ok("low", compensation_key("cap", "cap: \"3 EUR\"\n"), {"\"total\": \"8.00 EUR\"", "\"capped\": true"})}},
      {"compensation.approve", {ok("absent", compensation_key("approve", std::nullopt), {"\"approval\": null"}),
                                ok("empty", compensation_key("approve", "approve:\n"), {"\"approval\": null"}),
                                ok("[]", compensation_key("approve", "approve: []\n"), {"\"approval\": null"}),
                                bad("no level", compensation_key("approve", "approve:\n  - {above: 1 EUR}\n"), "above"),
                                bad("a mapping", compensation_key("approve", "approve: {above: 1 EUR, level: manager}\n"), "approve")}},
      {"compensation.hold", {ok("absent", compensation_key("hold", std::nullopt), {"\"held\": false"}),
                             ok("empty", compensation_key("hold", "hold:\n"), {"\"held\": false"}),
                             bad("{}", compensation_key("hold", "hold: {}\n"), "hold"),
                             ok("holding", compensation_key("hold", "hold: {when: \"true\", level: manager}\n"), {"\"held\": true"}),
                             bad("no level", compensation_key("hold", "hold: {when: \"true\"}\n"), "hold")}},
      {"tests", {ok("absent", nothing()), ok("empty", top("tests:\n")), ok("[]", top("tests: []\n")),
                 ok("present", top("tests:\n  - name: starts open\n    now: \"2026-11-23T10:00:00Z\"\n    expect: {state: open}\n")),
                 ok("every case key",
                    top("currency: EUR\n"
                        "tests:\n  - name: all of it\n    state: open\n    event: close\n    now: \"2026-11-23T10:00:00Z\"\n"
                        "    entered_at: \"2026-11-23T09:00:00Z\"\n    facts: {}\n    timezone: Europe/Berlin\n"
                        "    pauses: [{from: \"2026-11-23T09:10:00Z\", to: \"2026-11-23T09:20:00Z\"}]\n"
                        "    done: {greet: \"2026-11-23T09:30:00Z\"}\n"
                        "    sign_offs: []\n    paid: {}\n"
                        "    expect: {state: closed, path: [open, closed]}\n")),
                 ok("test keys left empty",
                    top("tests:\n  - name: empty keys\n    now: \"2026-11-23T10:00:00Z\"\n    facts:\n    pauses:\n    done:\n"
                        "    expect: {state: open}\n")),
                 ok("money: sign_offs, paid and their expect keys",
                    both(compensation_key("hold", std::nullopt),
                         top("tests:\n  - name: signed and half paid\n    now: \"2026-11-23T10:00:00Z\"\n"
                             "    sign_offs: [{level: supervisor, by: a.berg, at: \"2026-11-23T09:00:00Z\", amount: \"10.00 EUR\"}]\n"
                             "    paid: {fee: \"5.00 EUR\"}\n"
                             "    expect: {compensation: \"15.00 EUR\", owed: \"5.00 EUR\", goodwill: \"10.00 EUR\", paid: \"5.00 EUR\",\n"
                             "             remaining: \"10.00 EUR\", payable: \"10.00 EUR\", signed_off: true, approval: supervisor,\n"
                             "             approved: false, held: false, capped: false, items: [fee, gift]}\n"))),
                 ok("time: pauses, done, timezone and their expect keys",
                    both(in_action("within: 2h\nsay: \"By {due_at}.\"\n"),
                         top("tests:\n  - name: paused and done\n    entered_at: \"2026-11-23T09:00:00Z\"\n    now: \"2026-11-23T10:00:00Z\"\n"
                             "    timezone: Europe/Berlin\n    pauses: [{from: \"2026-11-23T09:10:00Z\", to: \"2026-11-23T09:20:00Z\"}]\n"
                             "    done: {greet: \"2026-11-23T09:30:00Z\"}\n"
                             "    expect:\n      next_change_at: null\n"
                             "      do: {greet: {due_at: \"2026-11-23T11:10:00Z\", overdue: false, done: true}}\n"
                             "      say_contains: {greet: \"12:10 (Berlin)\"}\n      say_lacks: {greet: [UTC]}\n"))),
                 ok("expect error", top("tests:\n  - {name: no now, event: nope, now: \"2026-11-23T10:00:00Z\", expect: {error: nope}}\n")),
                 bad("a sign-off without a level",
                     both(compensation_key("hold", std::nullopt),
                          top("tests:\n  - {name: t, now: \"2026-11-23T10:00:00Z\", sign_offs: [{by: a, at: \"2026-11-23T09:00:00Z\"}], expect: {}}\n")),
                     "sign_offs"),
                 bad("a payment without a currency",
                     both(compensation_key("hold", std::nullopt),
                          top("tests:\n  - {name: t, now: \"2026-11-23T10:00:00Z\", paid: {fee: \"5\"}, expect: {}}\n")),
                     "paid"),
                 bad("a mapping", top("tests: {name: x}\n"), "tests"),
                 bad("a broken test beside a broken playbook",
                     both(top("titel: x\n"), test_file("tests:\n  - {name: t, expect: {state: nowhere_known}}\n")), "titel"),
                 bad("no expect", top("tests:\n  - name: x\n"), "name: x")}},
  };
}

std::vector<Section> fact_sections() {
  return {{"fact declaration",
           {ok("bare type", fact("int", "2")), ok("type only", fact("{type: int}", "2")),
            ok("default", fact("{type: int, default: 1}")), ok("optional", fact("{type: int, optional: true}")),
            ok("min and max", fact("{type: int, min: 0, max: 9}", "2")),
            ok("enum", fact("{type: enum, values: [a, b], default: a}")),
            ok("list default []", fact("{type: list, default: []}")),
            ok("doc", fact("{type: string, doc: what it is}", "\"x\"")),
            ok("money with currency", both(top("currency: EUR\n"), fact("{type: money, default: 0 EUR}"))),
            bad("money, no currency", fact("{type: money, default: 0}"), "money"),
            bad("empty", fact(""), "f:"), bad("no type", fact("{default: 1}"), "f:"),
            bad("unknown type", fact("{type: integer}"), "integer"),
            bad("enum without values", fact("{type: enum}"), "enum"),
            bad("enum values []", fact("{type: enum, values: []}"), "values"),
            bad("min on a string", fact("{type: string, min: 1}"), "min"),
            bad("empty default", fact("{type: int, default: }"), "default"),
            bad("empty optional", fact("{type: int, optional: }"), "optional"),
            bad("empty doc", fact("{type: int, doc: }", "2"), "doc")}}};
}

std::vector<Section> state_sections() {
  return {
      {"state doc", {bad("empty", in_open("doc:\n"), "doc"), ok("present", in_open("doc: Waiting.\n"))}},
      {"state initial/terminal", {bad("empty terminal", in_open("terminal:\n"), "terminal"),
                                  ok("terminal: false", in_open("terminal: false\n")),
                                  bad("not a boolean", in_open("terminal: maybe\n"), "maybe")}},
      {"state calendar", {bad("empty", in_open("calendar:\n"), "calendar"),
                          ok("present", both(top(kCalendar), in_open("calendar: office\n")))}},
      {"do", {ok("absent", [](Shape& s) { s.open_do = ""; }, {"\"actions\": []"}),
              ok("empty", [](Shape& s) { s.open_do = "do:\n"; }, {"\"actions\": []"}),
              ok("[]", [](Shape& s) { s.open_do = "do: []\n"; }, {"\"actions\": []"}),
              ok("names", [](Shape& s) { s.open_do = "do: [greet, wave]\n"; }, {"\"action\": \"wave\""}),
              ok("mappings and names", [](Shape& s) { s.open_do = "do:\n  - {action: greet, within: 1h}\n  - wave\n"; },
                 {"\"action\": \"wave\"", "\"due_at\": \"2026-11-23T10:00:00Z\""}),
              bad("a single mapping", [](Shape& s) { s.open_do = "do: {action: greet}\n"; }, "do"),
              bad("a single name", [](Shape& s) { s.open_do = "do: greet\n"; }, "do"),
              bad("an empty item", [](Shape& s) { s.open_do = "do:\n  -\n  - greet\n"; }, "-")}},
      {"action",
       {bad("empty when", in_action("when:\n"), "when"), ok("when", in_action("when: \"false\"\n"), {"\"actions\": []"}),
        bad("when not a condition", in_action("when: \"1\"\n"), "when"),
        bad("empty within", in_action("within:\n"), "within"),
        ok("within", in_action("within: 2h\n"), {"\"due_at\": \"2026-11-23T11:00:00Z\""}),
        bad("within not a span", in_action("within: soon\n"), "soon"),
        ok("every", in_action("every: 4h\n"), {"\"due_at\": \"2026-11-23T13:00:00Z\""}),
        bad("empty every", in_action("every:\n"), "every"),
        ok("calendar", both(top(kCalendar), in_action("calendar: office\nwithin: 1bh\n")),
           {"\"due_at\": \"2026-11-23T10:00:00Z\""}),
        bad("empty calendar", in_action("calendar:\n"), "calendar"),
        ok("say", in_action("say: \"We are in {state}.\"\n"), {"\"say\": \"We are in open.\""}),
        bad("empty say", in_action("say:\n"), "say"), bad("say unknown name", in_action("say: \"{nobody}\"\n"), "nobody"),
        ok("empty options", in_action("options:\n"), {"\"options\": null"}),
        ok("options []", in_action("options: []\n")), ok("options", in_action("options: [a, b]\n"), {"\"options\": [\"a\", \"b\"]"}),
        bad("options a single value", in_action("options: a\n"), "options"),
        ok("to", in_action("to: warehouse\n"), {"\"to\": \"warehouse\""}), bad("empty to", in_action("to:\n"), "to"),
        ok("to the level", in_action("to: \"{level}\"\n"), {"\"to\": \"agent\""}),
        ok("doc", in_action("doc: Say hello.\n")), bad("empty doc", in_action("doc:\n"), "doc"),
        bad("unknown key", in_action("whithin: 1h\n"), "whithin")}},
      {"on",
       {ok("absent", on(std::nullopt)), ok("empty", on(std::string("on:\n"))), ok("{}", on(std::string("on: {}\n"))),
        ok("a state name", on(std::string("on:\n  close: closed\n"), "close"), {"\"state\": \"closed\""}),
        ok("a list", on(std::string("on:\n  close:\n    - {to: open, when: \"false\"}\n    - {to: closed}\n"), "close"),
           {"\"state\": \"closed\""}),
        bad("a list of names", on(std::string("on:\n  close: [closed]\n")), "close"),
        bad("a single mapping", on(std::string("on:\n  close: {to: closed}\n")), "close"),
        bad("[]", on(std::string("on:\n  close: []\n")), "close"), bad("empty target", on(std::string("on:\n  close:\n")), "close"),
        bad("unknown target", on(std::string("on:\n  close: shut\n")), "shut"),
        bad("a list", on(std::string("on: [close]\n")), "on")}},
      {"always",
       {ok("empty", in_open("always:\n")), ok("[]", in_open("always: []\n")),
        ok("present", in_open("always:\n  - {to: closed, when: \"true\"}\n"), {"\"state\": \"closed\""}),
        ok("without when", in_open("always:\n  - {to: closed}\n"), {"\"state\": \"closed\""}),
        bad("a single mapping", in_open("always: {to: closed}\n"), "always"),
        bad("empty to", in_open("always:\n  - {to: }\n"), "to")}},
      {"after",
       {ok("empty", in_open("after:\n")), ok("[]", in_open("after: []\n")),
        ok("present", in_open("after:\n  - {within: 30m, to: closed}\n"), {"\"state\": \"closed\""}),
        ok("with when", in_open("after:\n  - {within: 30m, to: closed, when: \"false\"}\n"), {"\"state\": \"open\""}),
        bad("a single mapping", in_open("after: {within: 30m, to: closed}\n"), "after"),
        bad("no within", in_open("after:\n  - {to: closed}\n"), "to: closed")}},
      {"terminal state",
       {ok("empty do", [](Shape& s) { s.closed.push_back("do:\n"); }),
        ok("do", [](Shape& s) { s.closed.push_back("do: [bye]\n"); }),
        ok("empty on", [](Shape& s) { s.closed.push_back("on:\n"); }),
        bad("on", [](Shape& s) { s.closed.push_back("on: {reopen: open}\n"); }, "reopen"),
        ok("outcome", [](Shape& s) { s.closed.push_back("outcome: closed_without_agreement\n"); }),
        ok("outcome resolved", [](Shape& s) { s.closed.push_back("outcome: resolved\n"); }),
        bad("empty outcome", [](Shape& s) { s.closed.push_back("outcome:\n"); }, "outcome"),
        bad("unknown outcome", [](Shape& s) { s.closed.push_back("outcome: solved\n"); }, "solved"),
        bad("outcome on a state that is not terminal", in_open("outcome: resolved\n"), "outcome"),
        bad("after", [](Shape& s) { s.closed.push_back("after:\n  - {within: 1h, to: open}\n"); }, "within: 1h")}},
  };
}

std::vector<Section> pack_sections() {
  const std::string f = "pack.yaml";
  return {
      {"pack.yaml",
       {ok("none", nothing()), ok("empty file", pack("")), ok("a comment", pack("# shared by nothing yet\n")),
        ok("currency only", pack("currency: EUR\n"), {"\"total\": \"0.00 EUR\""}), ok("redress only", pack("redress: 1\n")),
        bad("a list", pack("- currency\n"), "currency", f), bad("a text", pack("just words\n"), "just words", f),
        bad("another version", pack("redress: 2\n"), "redress", f),
        bad("unknown key", pack("currencies: EUR\n"), "currencies", f)}},
      {"pack.yaml keys",
       {bad("empty currency", pack("currency:\n"), "currency", f), bad("unknown currency", pack("currency: EURO\n"), "EURO", f),
        ok("empty ladder", pack("ladder:\n")), bad("ladder []", pack("ladder: []\n"), "ladder", f),
        ok("ladder", both(pack("ladder: [desk, lead]\n"), [](Shape& s) { s.escalation = std::vector<std::string>{"rules:\n  - {raise: 1}\n"}; }),
           {"\"level\": \"lead\""}),
        ok("empty facts", pack("facts:\n")), ok("facts {}", pack("facts: {}\n")),
        ok("facts", both(pack("facts:\n  calls: {type: int, default: 4}\n"), top("let:\n  twice: \"calls * 2\"\n"))),
        bad("facts a list", pack("facts: [calls]\n"), "facts", f),
        ok("empty let", pack("let:\n")), ok("let {}", pack("let: {}\n")),
        ok("let", both(pack("let:\n  six: \"2 * 3\"\n"), top("match: \"six == 6\"\n"))),
        bad("let a list", pack("let: [six]\n"), "let", f),
        ok("empty calendars", pack("calendars:\n")), ok("calendars {}", pack("calendars: {}\n")),
        ok("calendars", both(pack(kCalendar), top("calendar: office\n"))),
        bad("empty doc", pack("doc:\n"), "doc", f), ok("doc", pack("doc: Shared.\n")),
        bad("empty strict_facts", pack("strict_facts:\n"), "strict_facts", f),
        ok("strict_facts", both(pack("strict_facts: true\n"), both(top("facts:\n  calls: int\n"), facts("\"calls\": 1"))),
           {"\"warnings\": []"}),
        bad("empty compensation_limits", pack("compensation_limits:\n"), "compensation_limits", f),
        ok("compensation_limits", both(pack("compensation_limits: all\n"), [](Shape& s) {
             s.top.push_back("currency: EUR\n");
             s.compensation = kCompensation;
           })),
        bad("unknown compensation_limits", pack("compensation_limits: most\n"), "most", f),
        bad("empty rank", pack("rank:\n"), "rank", f), ok("rank", pack("rank: \"1\"\n")),
        ok("rank the playbook replaces", both(pack("rank: \"1\"\n"), top("rank: \"2\"\n")))}},
  };
}

// pack.yaml × playbook for the sections both may give (spec §2: the playbook inherits and may
// override). `pack_bad`/`pb_bad` mark a forbidden variant: a row is a OneError row when exactly
// one side is bad (both bad would be two root causes, which is not what this matrix checks).
struct Cross {
  std::string label, text;
  bool bad = false;
};

std::vector<Row> cross_rows() {
  std::vector<Row> rows;
  auto add = [&](const std::string& section, const std::vector<Cross>& packs, const std::vector<Cross>& pbs,
                 const std::function<void(Shape&, const Cross&, const Cross&)>& shape,
                 const std::function<std::vector<std::string>(const Cross&, const Cross&)>& expect,
                 const std::function<std::optional<std::pair<std::string, std::string>>(const Cross&, const Cross&)>& error) {
    for (const auto& pk : packs)
      for (const auto& pb : pbs) {
        if (pk.bad && pb.bad) continue;
        Row row;
        row.name = section + ": pack.yaml " + pk.label + " x playbook " + pb.label;
        if (pk.text != "(none)") row.shape.pack = pk.text;
        shape(row.shape, pk, pb);
        auto err = error(pk, pb);
        if (err) {
          row.verdict = Verdict::OneError;
          row.file = err->first;
          row.needle = err->second;
        } else {
          row.expect = expect(pk, pb);
        }
        rows.push_back(std::move(row));
      }
  };

  // Currency, with a money fact and a compensation that need one.
  std::vector<Cross> pack_currency = {{"none", "(none)"}, {"without currency", "doc: x\n"}, {"EUR", "currency: EUR\n"},
                                      {"empty", "currency:\n", true}, {"unknown", "currency: EURO\n", true}};
  std::vector<Cross> pb_currency = {{"absent", ""}, {"USD", "currency: USD\n"}, {"empty", "currency:\n", true},
                                    {"unknown", "currency: USDD\n", true}};
  add("currency", pack_currency, pb_currency,
      [](Shape& s, const Cross&, const Cross& pb) {
        if (!pb.text.empty()) s.top.push_back(pb.text);
        s.top.push_back("facts:\n  price: {type: money, default: 7}\n");
        s.compensation = std::vector<std::string>{"rules:\n  - {id: back, amount: \"price\"}\n"};
      },
      [](const Cross& pk, const Cross& pb) {
        std::string code = pb.label == "USD" ? "USD" : pk.label == "EUR" ? "EUR" : "?";
        return std::vector<std::string>{"\"total\": \"7.00 " + code + "\""};
      },
      [](const Cross& pk, const Cross& pb) -> std::optional<std::pair<std::string, std::string>> {
        if (pk.bad) return std::make_pair(std::string("pack.yaml"), std::string("currency"));
        if (pb.bad) return std::make_pair(std::string("p.yaml"), std::string("currency"));
        if (pb.label == "absent" && pk.label != "EUR")  // spec §2: money needs a currency somewhere
          return std::make_pair(std::string("p.yaml"), std::string("price"));
        return std::nullopt;
      });

  // The ladder, read by a rule that raises one rung.
  std::vector<Cross> pack_ladder = {{"none", "(none)"}, {"absent", "doc: x\n"}, {"empty", "ladder:\n"},
                                    {"[]", "ladder: []\n", true}, {"present", "ladder: [desk, lead, boss]\n"}};
  std::vector<Cross> pb_ladder = {{"absent", ""}, {"empty", "ladder:\n"}, {"[]", "ladder: []\n", true},
                                  {"present", "ladder: [one, two]\n"}};
  add("ladder", pack_ladder, pb_ladder,
      [](Shape& s, const Cross&, const Cross& pb) {
        std::vector<std::string> keys;
        if (!pb.text.empty()) keys.push_back(pb.text);
        keys.push_back("rules:\n  - {raise: 1}\n");
        s.escalation = keys;
      },
      [](const Cross& pk, const Cross& pb) {
        std::string level = pb.label == "present" ? "two" : pk.label == "present" ? "lead" : "supervisor";
        return std::vector<std::string>{"\"level\": \"" + level + "\""};
      },
      [](const Cross& pk, const Cross& pb) -> std::optional<std::pair<std::string, std::string>> {
        if (pk.bad) return std::make_pair(std::string("pack.yaml"), std::string("ladder"));
        if (pb.bad) return std::make_pair(std::string("p.yaml"), std::string("ladder"));
        return std::nullopt;
      });

  // Facts: the pack declares `calls`, the playbook `level_x` or redeclares `calls`.
  std::vector<Cross> pack_facts = {{"none", "(none)"}, {"absent", "doc: x\n"}, {"empty", "facts:\n"}, {"{}", "facts: {}\n"},
                                   {"present", "facts:\n  calls: {type: int, default: 2}\n"},
                                   {"a list", "facts: [calls]\n", true}};
  std::vector<Cross> pb_facts = {{"absent", ""}, {"empty", "facts:\n"}, {"{}", "facts: {}\n"},
                                 {"own", "facts:\n  mood: {type: enum, values: [calm, upset], default: calm}\n"},
                                 {"redeclared", "facts:\n  calls: {type: int, default: 5}\n"},
                                 {"a list", "facts: [mood]\n", true}};
  add("facts", pack_facts, pb_facts,
      [](Shape& s, const Cross& pk, const Cross& pb) {
        if (!pb.text.empty()) s.top.push_back(pb.text);
        // A let that reads what is declared, so that inheritance is observed.
        bool calls = pk.label == "present" || pb.label == "redeclared";
        if (calls) s.action.push_back("say: \"{calls} calls\"\n");
      },
      [](const Cross& pk, const Cross& pb) {
        if (pb.label == "redeclared") return std::vector<std::string>{"\"say\": \"5 calls\""};
        if (pk.label == "present") return std::vector<std::string>{"\"say\": \"2 calls\""};
        return std::vector<std::string>{"\"say\": null"};
      },
      [](const Cross& pk, const Cross& pb) -> std::optional<std::pair<std::string, std::string>> {
        if (pk.bad) return std::make_pair(std::string("pack.yaml"), std::string("facts"));
        if (pb.bad) return std::make_pair(std::string("p.yaml"), std::string("facts"));
        return std::nullopt;
      });

  // Lets: the pack's `six`, the playbook's own or a redeclared one.
  std::vector<Cross> pack_lets = {{"none", "(none)"}, {"empty", "let:\n"}, {"{}", "let: {}\n"},
                                  {"present", "let:\n  six: \"2 * 3\"\n"}, {"broken", "let:\n  six: \"2 *\"\n", true}};
  std::vector<Cross> pb_lets = {{"absent", ""}, {"empty", "let:\n"}, {"{}", "let: {}\n"}, {"own", "let:\n  seven: \"7\"\n"},
                                {"redeclared", "let:\n  six: \"60\"\n"}, {"broken", "let:\n  seven: \"7 +\"\n", true}};
  add("let", pack_lets, pb_lets,
      [](Shape& s, const Cross& pk, const Cross& pb) {
        if (!pb.text.empty()) s.top.push_back(pb.text);
        if (pk.label == "present" || pk.label == "broken" || pb.label == "redeclared") s.action.push_back("say: \"{six}\"\n");
      },
      [](const Cross& pk, const Cross& pb) {
        if (pb.label == "redeclared") return std::vector<std::string>{"\"say\": \"60\""};
        if (pk.label == "present") return std::vector<std::string>{"\"say\": \"6\""};
        return std::vector<std::string>{"\"say\": null"};
      },
      [](const Cross& pk, const Cross& pb) -> std::optional<std::pair<std::string, std::string>> {
        if (pk.bad) return std::make_pair(std::string("pack.yaml"), std::string("six"));
        if (pb.bad) return std::make_pair(std::string("p.yaml"), std::string("seven"));
        return std::nullopt;
      });

  // Calendars: the pack's `office`, the playbook's own `office` (replacing it) or `shop`.
  std::vector<Cross> pack_cals = {{"none", "(none)"}, {"empty", "calendars:\n"}, {"{}", "calendars: {}\n"},
                                  {"present", kCalendar},
                                  {"no hours", "calendars:\n  office: {timezone: Europe/Berlin}\n", true}};
  std::vector<Cross> pb_cals = {{"absent", ""}, {"empty", "calendars:\n"}, {"{}", "calendars: {}\n"},
                                {"replaced", "calendars:\n  office: {timezone: UTC, hours: {mon-sun: \"00:00-24:00\"}}\n"},
                                {"no hours", "calendars:\n  shop: {timezone: UTC}\n", true}};
  add("calendars", pack_cals, pb_cals,
      [](Shape& s, const Cross& pk, const Cross& pb) {
        if (!pb.text.empty()) s.top.push_back(pb.text);
        if (pk.label == "present" || pk.label == "no hours" || pb.label == "replaced") s.top.push_back("calendar: office\n");
        s.action.push_back("within: 1bh\n");
      },
      [](const Cross& pk, const Cross& pb) {
        // Monday 09:00 UTC entry: 1 business hour on Berlin's 09:00-18:00 (10:00 local = 09:00Z
        // entry, so 11:00 local = 10:00Z), or around the clock (10:00Z).
        (void)pk;
        (void)pb;
        return std::vector<std::string>{"\"due_at\": \"2026-11-23T10:00:00Z\""};
      },
      [](const Cross& pk, const Cross& pb) -> std::optional<std::pair<std::string, std::string>> {
        if (pk.bad) return std::make_pair(std::string("pack.yaml"), std::string("office"));
        if (pb.bad) return std::make_pair(std::string("p.yaml"), std::string("shop"));
        return std::nullopt;
      });
  return rows;
}

std::vector<Row> rows_of(const std::vector<Section>& sections) {
  std::vector<Row> rows;
  for (const auto& sec : sections)
    for (const auto& v : sec.variants) {
      Row row;
      row.name = sec.name + ": " + v.label;
      v.apply(row.shape);
      row.verdict = v.verdict;
      row.expect = v.expect;
      row.file = v.file;
      row.needle = v.needle;
      rows.push_back(std::move(row));
    }
  return rows;
}

void run_rows(const std::vector<Row>& rows, const std::string& what) {
  Tally tally;
  std::string problems;
  int failed = 0;
  for (const auto& row : rows)
    if (std::string p = run_row(row, tally); !p.empty()) {
      ++failed;
      problems += "[" + row.name + "] " + p + "\n";
    }
  MESSAGE(what, ": ", tally.rows, " shapes, ", tally.loads, " load, ", tally.errors, " give one located error");
  INFO(problems);
  CHECK(failed == 0);
}

}  // namespace

TEST_CASE("matrix: every playbook section absent, empty, present and malformed") {
  run_rows(rows_of(playbook_sections()), "playbook sections");
}

TEST_CASE("matrix: every key of a fact declaration") { run_rows(rows_of(fact_sections()), "fact declarations"); }

TEST_CASE("matrix: states, actions, events and transitions in each form") {
  run_rows(rows_of(state_sections()), "states");
}

TEST_CASE("matrix: pack.yaml as a whole and each of its keys") { run_rows(rows_of(pack_sections()), "pack.yaml"); }

TEST_CASE("matrix: pack.yaml x playbook for the sections both give") { run_rows(cross_rows(), "pack.yaml x playbook"); }

TEST_CASE("matrix: everything present at once, and everything left empty") {
  Row full;
  full.name = "everything present";
  for (const auto& f : {top("version: \"1.0\"\ntitle: T\ndoc: D\ncurrency: EUR\npriority: 3\nmatch: \"calls >= 0\"\n"),
                        top("facts:\n  calls: {type: int, default: 1}\n"), top("let:\n  twice: \"calls * 2\"\n"),
                        top(std::string(kCalendar) + "calendar: office\n"),
                        top("tests:\n  - name: t\n    now: \"2026-11-23T10:00:00Z\"\n    expect: {state: open, level: supervisor}\n"),
                        in_open("doc: O\n"), in_action("when: \"twice > 0\"\nwithin: 1bh\nsay: \"{twice}\"\nto: desk\n")})
    f(full.shape);
  full.shape.escalation = kEscalation;
  full.shape.compensation = kCompensation;
  full.shape.pack = std::string("currency: EUR\nladder: [agent, supervisor, manager]\nfacts:\n  other: {type: int, default: 0}\n") +
                    "let:\n  none: \"0\"\n" + kCalendar + "doc: P\nstrict_facts: false\ncompensation_limits: goodwill\n";
  full.expect = {"\"level\": \"supervisor\"", "\"total\": \"15.00 EUR\"", "\"say\": \"2\""};

  Row empty;
  empty.name = "everything empty";
  for (const auto& f : {top("facts:\nlet:\ncalendars:\nescalation:\ncompensation:\ntests:\n"), in_open("always:\nafter:\n")})
    f(empty.shape);
  empty.shape.open_do = "do:\n";
  empty.shape.open_on = "on:\n  close: closed\n";
  empty.shape.closed = {"do:\n", "on:\n"};
  empty.shape.pack = "facts:\nlet:\ncalendars:\nladder:\n";
  empty.expect = {"\"actions\": []", "\"level\": \"agent\"", "\"total\": \"0 XXX\""};
  run_rows({full, empty}, "all at once");
}

// A broken pack.yaml is reported once, as itself (issue #9): not again in every playbook as an
// unknown name for each fact, let, rung or calendar it would have given, nor as a missing
// currency. A playbook's own mistakes are still reported.
TEST_CASE("a broken pack.yaml gives its own error, not a cascade in the playbooks") {
  const std::string playbook =
      "redress: 1\n"
      "playbook: NAME\n"
      "match: \"calls > 1 and twice > 0\"\n"
      "calendar: office\n"
      "facts:\n  price: {type: money, default: 5}\n"
      "states:\n"
      "  open:\n    initial: true\n    do: [{action: greet, say: \"{twice} calls\", within: 1bh}]\n    on: {close: closed}\n"
      "  closed: {terminal: true}\n"
      "escalation:\n  rules:\n    - {when: \"calls > 3\", at_least: lead}\n";
  const std::string good_pack =
      "currency: EUR\nladder: [desk, lead]\nfacts:\n  calls: int\nlet:\n  twice: \"calls * 2\"\n" + std::string(kCalendar);
  struct Breakage {
    std::string what, pack_yaml, needle;
  };
  const std::vector<Breakage> breakages = {
      {"malformed YAML", "currency: EUR\nfacts: [\n", ""},  // located where yaml-cpp gives up
      {"not a mapping", "- currency\n", "currency"},
      {"a fact of an unknown type", "currency: EUR\nladder: [desk, lead]\nfacts:\n  calls: integer\nlet:\n  twice: \"calls * 2\"\n" + std::string(kCalendar), "integer"},
      {"a let that does not parse", "currency: EUR\nladder: [desk, lead]\nfacts:\n  calls: int\nlet:\n  twice: \"calls *\"\n" + std::string(kCalendar), "calls *"},
      {"a rung twice", "currency: EUR\nladder: [desk, lead, desk]\nfacts:\n  calls: int\nlet:\n  twice: \"calls * 2\"\n" + std::string(kCalendar), "ladder"},
      {"a calendar without hours", "currency: EUR\nladder: [desk, lead]\nfacts:\n  calls: int\nlet:\n  twice: \"calls * 2\"\ncalendars:\n  office: {timezone: Europe/Berlin}\n", "office"},
      {"an unknown currency", "currency: EURO\nladder: [desk, lead]\nfacts:\n  calls: int\nlet:\n  twice: \"calls * 2\"\n" + std::string(kCalendar), "EURO"},
      {"facts as a list", "currency: EUR\nladder: [desk, lead]\nfacts: [calls]\nlet:\n  twice: \"calls * 2\"\n" + std::string(kCalendar), "facts"},
  };
  auto errors_of = [](const fs::path& dir) {
    std::vector<redress::Diagnostic> errors;
    try {
      (void)redress::Pack::load(dir.string());
    } catch (const redress::LoadError& e) {
      for (const auto& d : e.diagnostics())
        if (d.severity == redress::Severity::Error) errors.push_back(d);
    }
    return errors;
  };
  auto with_id = [&](const std::string& id) {
    std::string t = playbook;
    t.replace(t.find("NAME"), 4, id);
    return t;
  };
  {
    TempDir dir("matrix");
    dir.write("pack.yaml", good_pack);
    dir.write("a.yaml", with_id("a"));
    dir.write("b.yaml", with_id("b"));
    CHECK(errors_of(dir.path).empty());  // the playbooks are right when pack.yaml is
  }
  for (const auto& b : breakages) {
    CAPTURE(b.what);
    TempDir dir("matrix");
    dir.write("pack.yaml", b.pack_yaml);
    dir.write("a.yaml", with_id("a"));
    dir.write("b.yaml", with_id("b"));
    auto errors = errors_of(dir.path);
    std::string shown;
    for (const auto& d : errors) shown += d.to_string() + "\n";
    INFO(shown);
    REQUIRE(errors.size() == 1);
    CHECK(fs::path(errors[0].file()).filename() == "pack.yaml");
    CHECK(errors[0].line() > 0);
    CHECK(errors[0].source_line.find(b.needle) != std::string::npos);

    // A playbook's own mistake beside it is still reported.
    dir.write("b.yaml", with_id("b") + "titel: B\n");
    errors = errors_of(dir.path);
    REQUIRE(errors.size() == 2);
    CHECK((errors[0].message + errors[1].message).find("'titel'") != std::string::npos);
  }
}
