// Running the examples playbooks carry (`tests:` and NAME.test.yaml): `redress test`.
#pragma once

#include <string>
#include <vector>

#include "redress/pack.hpp"

namespace redress {

struct TestResult {
  // The playbook a single test belongs to; for a compound test (pack.test.yaml), the playbooks
  // of its decision joined by '+' ("delivery_delay+wrong_invoice"), or those it names when it
  // could not be evaluated ("triage: all" when it names none).
  std::string playbook;
  std::string name;
  std::string file;
  unsigned line = 0;
  bool passed = false;
  bool compound = false;  // a compound test (spec §1): a case of several playbooks at once
  // One line per difference: "state: expected offer, got investigating".
  std::vector<std::string> failures;
};

// Runs every test of every playbook (or those whose playbook id or name contains `filter`),
// in pack order, then the pack's compound tests (pack.test.yaml; selected by the filter when
// their name or one of their playbooks contains it). Never throws for a failing test: an
// unexpected evaluation error is a failure. A compound test's failures about one part read
// "parts.PLAYBOOK.state: expected …, got …".
std::vector<TestResult> run_tests(const Pack& pack, const std::string& filter = "");

// What a playbook's tests exercise: each state, transition (from -> to, by an event or
// `always`), escalation rule, compensation rule, approval threshold, the cap and the hold.
struct CoverageItem {
  std::string kind;      // "state", "transition", "escalation", "compensation", "approval", "cap", "hold"
  std::string what;      // "offer", "offer -(declined)-> escalated", "aggressive customer", …
  SourceLocation where;  // to_string(where) is "delivery_delay.yaml:41:7"
  bool covered = false;
};

struct PlaybookCoverage {
  std::string playbook;
  std::vector<CoverageItem> items;   // grouped by kind, each kind in the order of the file
  std::size_t covered() const;
};

// Evaluates every test (as run_tests does, with the same filter) with a trace and reports, per
// playbook, what the tests reached. A test counts for the playbook its decision came from; a
// compound test (pack.test.yaml) for each of its parts, by what that part's Decision reached.
std::vector<PlaybookCoverage> measure_coverage(const Pack& pack, const std::string& filter = "");

}  // namespace redress
