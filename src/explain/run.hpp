// What the parts of `explain` share: one evaluation of a case kept with its frame (the values of
// facts, lets and compensation values by slot), and conditions evaluated part by part over it.
// Reads the compiled model through eval/pack_internal.hpp and expressions through GuardView;
// evaluation itself is the normal one (eval/evaluator.hpp), untouched.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compile/compiled.hpp"
#include "eval/evaluator.hpp"
#include "expr/guard_view.hpp"
#include "redress/explain.hpp"

namespace redress::explaining {

using detail::CompiledPack;
using detail::Playbook;
using expr::GuardView;
using expr::Val;

// One case evaluated, with its frame. Owns its Case and Evaluator, whose memory the frame's
// views point into, so a Run may be moved.
struct Run {
  std::unique_ptr<Case> input;
  std::unique_ptr<Decision> output;  // what the evaluator fills
  std::unique_ptr<detail::Evaluator> evaluator;
  const Playbook* playbook = nullptr;
  Timestamp now;

  const Decision& decision() const { return *output; }
  const std::vector<Val>& frame() const { return evaluator->frame(); }
};

// Evaluates `c` (playbook picked as Pack::evaluate picks it). Throws EvaluationError.
Run evaluate(const CompiledPack& pack, Case c, const EvaluateOptions& options);

// The name of a slot (a fact, a `let` or a compensation value) and where its value came from.
std::string slot_name(const Playbook& pb, std::uint32_t slot);
FactValue fact_value(const Run& run, std::uint32_t slot);
// The fact declared at `slot`, if the slot is a fact's.
const detail::FactDecl* fact_at(const Playbook& pb, std::uint32_t slot);

// A part of a condition evaluated over the run's frame: its value, or nullopt with `error`.
std::optional<Val> value_of(const Run& run, const GuardView& g, std::string* error = nullptr);

// A condition (or a part of one: `part`, else the whole program) checked: its text, value and
// the facts it read (lets followed to the facts they read).
ConditionCheck check(const Run& run, const expr::Program& p, std::optional<GuardView> part = std::nullopt);

// The parts of an `and` chain, left to right (a condition that is no `and` is one part).
std::vector<GuardView> conjuncts(const GuardView& g);
// The first part of `p` that is false (or fails) in this run; nullopt when `p` holds.
std::optional<ConditionCheck> first_failed(const Run& run, const expr::Program& p);
// Whether an optional `when` holds in this run (no condition: true; an error: false).
bool holds(const Run& run, const std::optional<expr::Program>& when);

// "days_late is 3", "tier is gold (default)", "delivered_at is absent".
std::string facts_text(const std::vector<FactValue>& facts);

// The why-not part: the targets, their blockers and (counterfactual.cpp) the changes.
WhyNot why_not(const CompiledPack& pack, const Run& run, const std::string& target, const ExplainOptions& options);

// A parsed target.
struct Target {
  enum class Kind { Level, Item, State, Action } kind = Kind::Level;
  std::string value;
  int rung = 0;            // Level
  std::string spec;        // as written: "level=director"
};
Target parse_target(const Playbook& pb, const std::string& spec);
// Whether a Decision has reached the target, and what it has instead ("level manager").
bool reached(const Target& t, const Decision& d);
std::string outcome(const Target& t, const Decision& d);

// The smallest changes of facts found from the blockers' conditions (`goals`) that reach `t`,
// each one confirmed by evaluating the changed case. `helpers` are conditions that cannot
// reach `t` alone but may together with a goal (a lower escalation rung before a `raise`).
std::vector<Counterfactual> counterfactuals(const CompiledPack& pack, const Run& run, const Target& t,
                                            const std::vector<const expr::Program*>& goals,
                                            const std::vector<const expr::Program*>& helpers,
                                            const ExplainOptions& options);

// The case with facts replaced (or added).
Case with_facts(const Case& c, const std::vector<std::pair<std::string, Value>>& facts);

}  // namespace redress::explaining
