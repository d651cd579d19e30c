// Case input from YAML/JSON nodes (the CLI's case files and playbook tests share this).
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "redress/case.hpp"
#include "redress/value.hpp"

namespace redress::load {

// What is wrong with a case, and the node where it is.
struct CaseProblem {
  YAML::Node where;
  std::string message;
};

// A fact value from a node: plain true/false -> bool, null/~/empty -> null, other scalars ->
// their text (converted against the declaration at evaluation, so numbers stay exact), a list
// of scalars -> list. nullopt (and `error`) for a mapping or a nested list.
std::optional<Value> value_from_yaml(const YAML::Node& n, CaseProblem& error);

// Fills `c` from a mapping with keys playbook, state, entered_at, event, now, facts.
// Returns the first problem, if any.
std::optional<CaseProblem> case_from_yaml(const YAML::Node& root, Case& c);
// The time keys of a case (case_time.cpp): pauses, done, timezone.
std::optional<CaseProblem> case_time_from_yaml(const std::string& key, const YAML::Node& v, Case& c);

}  // namespace redress::load
