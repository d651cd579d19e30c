// A Case: what the caller knows about one customer conflict (spec §4).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "redress/time.hpp"
#include "redress/value.hpp"

namespace redress {

struct Case {
  std::string playbook;                  // "" = the pack's only playbook, or triage
  std::string state;                     // "" = the initial state
  std::optional<Timestamp> entered_at;   // when the case entered `state`
  std::string event;                     // "" = no event
  std::optional<Timestamp> now;          // the evaluation time (required unless
                                         // EvaluateOptions::clock is set)
  std::vector<std::pair<std::string, Value>> facts;  // by name, in the caller's order

  Case& fact(std::string name, Value v) {
    facts.emplace_back(std::move(name), std::move(v));
    return *this;
  }
};

// Reads a Case from JSON or YAML text (spec §6):
// {"playbook":…, "state":…, "entered_at":…, "event":…, "now":…, "facts":{…}}.
// Fact values stay as text where the JSON/YAML gives text or numbers (a number is kept as its
// exact decimal text, never as a double); they are converted against the declarations when the
// case is evaluated. Throws EvaluationError with "line:column" for malformed input.
Case parse_case(const std::string& text, const std::string& origin = "<case>");

}  // namespace redress
