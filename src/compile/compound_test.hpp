// A compound test (spec §1, "Compound tests"): an example of a compound case (§4.1) from
// pack.test.yaml, and what its CompoundDecision (§5.1) must be. Its names were checked when the
// pack loaded; running it (src/eval/testing.cpp) compares by name, outside evaluation.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "redress/case.hpp"
#include "redress/pack.hpp"

namespace redress::detail {

struct CompoundTest {
  std::string name;
  std::string file;
  unsigned line = 0;
  Case input;                          // playbooks (or triage: all), states, facts, …
  std::vector<std::string> playbooks;  // those it may involve: named, or every one (triage: all)
  struct Reason {
    std::optional<std::string> playbook;  // checked only when given
    std::string text;
  };
  struct Expect {
    // The keys a compound test shares with a single one, read and checked alike: level,
    // actions (the steps' ids), compensation, owed, goodwill, paid, remaining, payable,
    // approval, approved, held, capped, signed_off, say*, do (by step id), next_change_at, error.
    PlaybookTest::Expect common;
    std::optional<std::vector<std::pair<std::string, std::string>>> states;  // playbook -> state
    std::optional<std::vector<Reason>> reasons;
    std::optional<std::vector<std::string>> items;             // "PLAYBOOK.ITEM", in order
    std::vector<std::pair<std::string, std::string>> amounts;  // "PLAYBOOK.ITEM" -> "0.00 EUR"
    std::vector<std::pair<std::string, std::optional<std::string>>> covered_by;  // -> item or null
    std::vector<std::pair<std::string, PlaybookTest::Expect>> parts;             // playbook -> its Decision's
  } expect;
};

}  // namespace redress::detail
