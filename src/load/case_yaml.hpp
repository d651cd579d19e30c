// Case input from YAML/JSON nodes (the CLI's case files and playbook tests share this).
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "case/case_text.hpp"
#include "redress/case.hpp"
#include "redress/limits.hpp"
#include "redress/value.hpp"

namespace redress::load {

// What is wrong with a case, and the node where it is.
struct CaseProblem {
  YAML::Node where;
  std::string message;
};

// A fact value from a node: plain true/false -> bool, null/~/empty -> null, a plain number
// (3, -2.5, 1e3) -> an exact Value::number, other scalars -> their text (converted against the
// declaration at evaluation), a list of scalars -> list of text. nullopt (and `error`) for a
// mapping, a nested list, or a number a Decimal cannot hold.
std::optional<Value> value_from_yaml(const YAML::Node& n, CaseProblem& error);

// Fills `c` from a mapping with keys playbook, state, entered_at, event, now, facts.
// Returns the first problem, if any. With `only`, just those keys are read and any other is
// left to the caller, which checks them: a test is a case with its `name` and `expect` beside the
// case's keys, read in place (a copy of its case keys into a new map would drag the whole
// document's node set along with each node, making a test file's load quadratic).
std::optional<CaseProblem> case_from_yaml(const YAML::Node& root, Case& c,
                                          std::initializer_list<const char*> only = {});
// The time keys of a case (case_time.cpp): pauses, done, timezone.
std::optional<CaseProblem> case_time_from_yaml(const std::string& key, const YAML::Node& v, Case& c);

// One case from YAML text (a hand-written case file): checked like a playbook file before the
// parser sees it, then read with case_from_yaml. More than one document is an error.
std::optional<cases::CaseTextError> case_from_yaml_text(std::string_view text, Case& c, const LoadLimits& limits);

}  // namespace redress::load
