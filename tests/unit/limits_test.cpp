// Limits (issue #9, docs/reliability.md "Limits"): each is settable through LoadOptions, and a
// file past one is refused with one error located where the limit was passed, naming the limit.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.hpp"
#include "redress/redress.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

using test_support::TempDir;

// A small valid playbook: line numbers below refer to it.
const char* kPlaybook =
    "redress: 1\n"                                              // 1
    "playbook: lim\n"                                           // 2
    "currency: EUR\n"                                           // 3
    "facts:\n"                                                  // 4
    "  n: int\n"                                                // 5
    "  m: {type: int, default: 0}\n"                            // 6
    "let:\n"                                                    // 7
    "  twice: \"(n + m) * 2\"\n"                                // 8
    "states:\n"                                                 // 9
    "  open: {initial: true, on: {close: closed}}\n"            // 10
    "  closed: {terminal: true}\n"                              // 11
    "escalation:\n"                                             // 12
    "  rules:\n"                                                // 13
    "    - {when: \"twice > 10\", at_least: supervisor, why: big}\n"  // 14
    "compensation:\n"                                           // 15
    "  rules:\n"                                                // 16
    "    - {id: r1, kind: refund, amount: \"1 EUR * n\"}\n"     // 17
    "    - {id: r2, kind: credit, amount: \"2 EUR\"}\n";        // 18

// The load's errors; fails the test when the load succeeds.
std::vector<Diagnostic> load_errors(const std::string& path, const LoadOptions& options) {
  try {
    (void)Pack::load(path, options);
  } catch (const LoadError& e) {
    std::vector<Diagnostic> errors;
    for (const auto& d : e.diagnostics())
      if (d.severity == Severity::Error) errors.push_back(d);
    return errors;
  }
  FAIL("the load succeeded");
  return {};
}

// Exactly one error, naming the limit's LoadLimits field.
Diagnostic limit_error(const std::string& path, const LoadOptions& options, const char* field) {
  auto errors = load_errors(path, options);
  REQUIRE(errors.size() == 1);
  INFO(errors[0].to_string());
  CHECK(errors[0].message.find(std::string("limits.") + field) != std::string::npos);
  return errors[0];
}

}  // namespace

TEST_CASE("limits: the defaults load the sample; each limit refuses it with a located error") {
  TempDir dir("limits");
  const std::string file = dir.write("lim.yaml", kPlaybook);
  CHECK_NOTHROW(Pack::load(file));

  LoadOptions o;
  SUBCASE("file size") {
    o.limits.max_file_bytes = 100;
    Diagnostic d = limit_error(file, o, "max_file_bytes");
    CHECK(d.file() == file);
  }
  SUBCASE("YAML nodes") {
    o.limits.max_yaml_nodes = 20;
    CHECK(limit_error(file, o, "max_yaml_nodes").line() > 1);
  }
  SUBCASE("YAML nesting") {
    o.limits.max_yaml_depth = 3;
    // states > open > on > the event close
    CHECK(limit_error(file, o, "max_yaml_depth").line() == 10);
  }
  SUBCASE("string length") {
    o.limits.max_string_bytes = 10;
    Diagnostic d = limit_error(file, o, "max_string_bytes");
    CHECK(d.line() == 8);  // "(n + m) * 2", the first scalar past 10 bytes
    CHECK(d.column() == 10);
  }
  SUBCASE("expression nesting") {
    o.limits.max_expression_depth = 2;
    // The let that is too deep, then the uses of the let that could not be compiled.
    auto errors = load_errors(file, o);
    REQUIRE_FALSE(errors.empty());
    CHECK(errors[0].line() == 8);
    CHECK(errors[0].message.find("limits.max_expression_depth") != std::string::npos);
  }
  SUBCASE("states") {
    o.limits.max_states = 1;
    Diagnostic d = limit_error(file, o, "max_states");
    CHECK(d.line() == 10);
    CHECK(d.message.find("2 states") != std::string::npos);
  }
  SUBCASE("facts") {
    o.limits.max_facts = 1;
    CHECK(limit_error(file, o, "max_facts").line() == 5);
  }
  SUBCASE("rules") {
    o.limits.max_rules = 1;
    CHECK(limit_error(file, o, "max_rules").line() == 17);
  }
  SUBCASE("playbooks") {
    std::string text = kPlaybook;
    dir.write("lim2.yaml", text.replace(text.find("lim"), 3, "lim2"));
    o.limits.max_playbooks = 1;
    CHECK_NOTHROW(Pack::load(dir.path.string()));
    limit_error(dir.path.string(), o, "max_playbooks");
  }
}

TEST_CASE("limits: aliases count every time they are used") {
  TempDir dir("limits");
  // Each level uses the previous one ten times: 10^6 nodes from 60 lines' worth of aliases.
  std::string text = "redress: 1\nplaybook: bomb\nstates:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'f'; ++c, ++prev) {
    text += std::string("  ") + c + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", " : "") + "*" + prev;
    text += "]\n";
  }
  const std::string file = dir.write("bomb.yaml", text);
  LoadOptions o;
  Diagnostic d = limit_error(file, o, "max_alias_nodes");
  CHECK(d.line() == 7);  // the list of *c that passes the limit, not the anchor it copies
  CHECK(d.message.find("aliases expand to more than 10000 nodes") != std::string::npos);
  o.limits.max_alias_nodes = 100000000;
  limit_error(file, o, "max_yaml_nodes");
}

TEST_CASE("limits: an expression longer than the string limit is refused before it is mapped") {
  TempDir dir("limits");
  std::string text = kPlaybook;
  std::string huge = "n";
  while (huge.size() < 200000) huge += " + n";
  text.replace(text.find("(n + m) * 2"), 11, huge);
  Diagnostic d = limit_error(dir.write("long.yaml", text), LoadOptions{}, "max_string_bytes");
  CHECK(d.line() == 8);
}

TEST_CASE("limits: an expression just under the string limit is mapped, and located to the column") {
  // 60 000 characters on one line: mapped in one pass (it took a second, quadratically, before).
  TempDir dir;
  std::string text = kPlaybook;
  std::string wide = "n" + std::string(60000, ' ') + "+ nosuch";
  text.replace(text.find("(n + m) * 2"), 11, wide);
  auto errors = load_errors(dir.write("wide.yaml", text), LoadOptions{});
  REQUIRE(!errors.empty());  // the let, then its use
  INFO(errors[0].to_string());
  CHECK(errors[0].line() == 8);
  CHECK(errors[0].column() == 11 + 60001 + 2);  // after '  twice: "', then 'n', the spaces, '+ '

  // Across the lines of a folded scalar, columns in code points.
  text = kPlaybook;
  text.replace(text.find("\"(n + m) * 2\""), 13, ">-\n    ('\xC3\xA9' == '\xC3\xA8' ? 1 : 2) *\n    nosuch");
  errors = load_errors(dir.write("folded.yaml", text), LoadOptions{});
  REQUIRE(!errors.empty());  // the let, then its use
  INFO(errors[0].to_string());
  CHECK(errors[0].line() == 10);
  CHECK(errors[0].column() == 5);
}

TEST_CASE("limits: a case past its limits is refused with the place and the limit") {
  LoadLimits limits;
  limits.max_case_facts = 2;
  const std::string text = "{\"facts\": {\"a\": 1, \"b\": 2, \"c\": 3}}";
  CHECK(parse_case(text).facts.size() == 3);
  try {
    (void)parse_case(text, "case.json", limits);
    FAIL("accepted");
  } catch (const EvaluationError& e) {
    CHECK(to_string(e.location()) == "case.json:1:11");
    CHECK(e.message().find("limits.max_case_facts") != std::string::npos);
  }
  limits = LoadLimits{};
  limits.max_file_bytes = 10;
  CHECK_THROWS_WITH_AS(parse_case(text, "case.json", limits), doctest::Contains("limits.max_file_bytes"),
                       EvaluationError);
}
