// Explaining a Decision (issue #17): why each part of it is what it is, why something else did
// not happen, which smallest changes of the facts would make it happen — each one checked by
// evaluating the changed case, never reported otherwise — and what changes when facts or `now`
// change. docs/explain.md describes it with examples.
//
// Explaining evaluates the case again (and the changed cases), reading the same immutable pack:
// it is as thread-safe as Pack::evaluate, and a normal evaluation does none of this work.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "redress/case.hpp"
#include "redress/decision.hpp"
#include "redress/location.hpp"
#include "redress/pack.hpp"
#include "redress/value.hpp"

namespace redress {

// A fact (or `let`, or compensation value) a condition read, with its value in this case.
struct FactValue {
  std::string name;
  std::string value;   // as people write it: 3, 200.00 EUR, gold, null
  std::string source;  // "case", "default", "absent" (optional, not given), "let", "compensation"
};

// A condition (or the part of one that decided) and what it gave.
struct ConditionCheck {
  std::string expr;               // the condition, or the part of it, as text
  SourceLocation at;              // of the whole expression in the YAML
  std::string value;              // "true", "false", an amount, or "error: …"
  std::vector<FactValue> facts;   // what it read (a `let` is followed by what the let read)
};

// Why one part of the Decision is what it is.
struct Because {
  // "transition", "stay", "escalation", "compensation", "cap", "approval", "hold", "action"
  std::string part;
  std::string subject;                  // "investigating -> offer", "manager", "delay_credit 3.00 EUR"
  SourceLocation at;                    // of the option, rule, threshold or action in the YAML
  std::optional<std::string> why;       // the playbook's `why:` text, when it gives one
  std::vector<ConditionCheck> conditions;
  std::string text;                     // one sentence an agent can read aloud
};

struct FactChange {
  std::string fact;
  std::string from;            // "absent" when the case did not give it
  std::string to;
  std::string relation = "=";  // ">=", ">", "<=", "<" for a boundary: days_late >= 7 reaches it too
};

// Changes of the facts that reach a target, confirmed by evaluating the changed case.
struct Counterfactual {
  std::vector<FactChange> changes;
  std::string outcome;  // what the changed case gives: "delay_credit 7.00 EUR", "level director"
  std::string text;
};

// A rule, option or action that would have produced the target, and why it did not.
struct Blocker {
  std::string rule;                        // "escalation rule 'contacts >= 3' (raise 1)"
  SourceLocation at;
  std::optional<std::string> why;
  std::optional<ConditionCheck> failed;    // the first part of its condition that failed
  std::string note;                        // what else stood in the way (or "")
  std::string text;
};

struct WhyNot {
  std::string target;                      // "level=director", "item=goodwill", "state=offer", "action=ID"
  bool reached = false;                    // the Decision already has it
  std::vector<Blocker> blockers;
  std::vector<Counterfactual> changes;     // the smallest changes found, each one checked
  std::string text;
};

struct WhatIf {
  std::vector<FactChange> changes;         // the facts changed (and `now`)
  Decision decision;                       // of the changed case
  std::vector<DecisionChange> differences;
};

struct Explanation {
  Decision decision;
  std::vector<Because> because;
  std::vector<WhyNot> why_not;
  std::optional<WhatIf> what_if;
};

struct ExplainOptions {
  EvaluateOptions evaluate;               // trace is ignored; clock as for Pack::evaluate
  // Targets: "level=manager", "item=goodwill", "state=offer", "action=offer_options".
  std::vector<std::string> why_not;
  std::vector<std::string> fixed;          // facts the counterfactuals must not change
  std::vector<std::pair<std::string, Value>> what_if;  // facts to change (text is converted as a case's)
  std::optional<Timestamp> what_if_now;    // evaluate the what-if at this time
  std::size_t max_changes = 5;             // counterfactuals kept per target
};

// One what-if as the CLI and `redress serve` take it: "FACT=VALUE" (the value as a case file
// gives it: "7", "250 EUR", "gold", "true", "null") or "now=TIME" (ISO 8601 with an offset).
// Throws EvaluationError for a malformed one.
void add_what_if(ExplainOptions& options, const std::string& spec);

// Throws EvaluationError when the case cannot be evaluated, and for a malformed or unknown
// target ("level=directr": with a "did you mean"), and for a compound case (spec §4.1), whose
// conflicts are explained one at a time, each as a single case.
Explanation explain(const Pack& pack, const Case& c, const ExplainOptions& options = {});

// The explanation as JSON (docs/explain.md) and as text for people.
std::string to_json(const Explanation& e, const JsonOptions& options = {});
std::string to_text(const Explanation& e);

}  // namespace redress
