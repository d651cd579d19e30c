// What a `when` condition allows, for the analysis only (issue #5): interval reasoning over
// comparisons of one fact with constants (`< <= > >= == != in`), combined with `and`, and with
// `or`/`not` while they stay on one fact.
//
// A condition that fits this shape becomes a Box: for each fact (or let) it constrains, the set
// of values it allows; a case satisfies the Box when every constrained value is in its set.
// Anything else (arithmetic, functions, two facts compared, null checks, strings) is "not
// analysable" and the analysis stays silent about it: a finding must never be a guess.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compile/compiled.hpp"
#include "expr/guard_view.hpp"

namespace redress::analysis {

// One end of an interval; `infinite` means unbounded on that side.
struct Bound {
  bool infinite = true;
  Decimal value;
  bool closed = false;
};

struct Interval {
  Bound lo, hi;
};

// A set of values of one variable: a union of intervals (int, number, money) or a subset of a
// finite list of values (enum values in declaration order; bools as [false, true]).
class ValueSet {
 public:
  static ValueSet all_numbers(bool integral);
  static ValueSet all_of(std::size_t count);
  static ValueSet interval(bool integral, Interval i);
  static ValueSet members(std::size_t count, const std::vector<std::size_t>& which);

  bool is_finite() const { return finite_; }
  bool integral() const { return integral_; }
  const std::vector<Interval>& intervals() const { return intervals_; }
  const std::vector<bool>& member_flags() const { return members_; }

  bool empty() const;
  bool covers(const ValueSet& other) const;  // other ⊆ this
  ValueSet intersect(const ValueSet& other) const;
  ValueSet unite(const ValueSet& other) const;
  ValueSet complement() const;

 private:
  void normalize();
  bool finite_ = false;
  bool integral_ = false;
  std::vector<Interval> intervals_;  // sorted, disjoint, non-empty, not touching
  std::vector<bool> members_;
};

// What the analysis knows of each slot (fact or let) of a playbook.
struct Var {
  enum class Kind : std::uint8_t { Unknown, Number, Money, Finite };
  Kind kind = Kind::Unknown;
  std::string name;
  bool is_fact = false;
  bool integral = false;
  std::uint16_t currency = 0;       // Money
  std::vector<std::string> values;  // Finite: enum values, or {"false", "true"}
  bool is_bool = false;
  ValueSet domain = ValueSet::all_numbers(false);  // the declared min/max, or everything
  bool bounded = false;                            // the fact declares min or max
};

struct Vars {
  std::vector<Var> by_slot;
  const Var* find(std::uint32_t slot) const {
    return slot < by_slot.size() && by_slot[slot].kind != Var::Kind::Unknown ? &by_slot[slot] : nullptr;
  }
};

Vars make_vars(const detail::Playbook& pb);

// The cases a condition admits, as one value set per constrained slot.
struct Box {
  bool never = false;                      // no case satisfies it
  std::map<std::uint32_t, ValueSet> sets;  // slot -> allowed values (absent: any)
  bool always() const { return !never && sets.empty(); }
};

// The Box of a condition, limited to each fact's declared bounds; nullopt when the condition
// is not of an analysable shape. An absent condition (no `when`) is the always-Box.
std::optional<Box> guard_box(const std::optional<expr::Program>& when, const Vars& vars);
std::optional<Box> guard_box(const expr::Program& when, const Vars& vars);
// The same for one part of a condition (a conjunct of an `and`, say).
std::optional<Box> guard_box(const expr::GuardView& part, const Vars& vars);

// Whether the condition is empty only because of declared bounds (for the message), and the
// slot whose bounds rule it out.
std::optional<std::uint32_t> ruled_out_by_bounds(const expr::Program& when, const Vars& vars);

Box intersect(const Box& a, const Box& b);

// `a` minus `b`, as disjoint boxes; nullopt when the result would have too many pieces.
std::optional<std::vector<Box>> subtract(const Box& a, const Box& b, const Vars& vars);

// Boxes left of `start` once every box of `minus` is taken away (nullopt: too complex to tell).
std::optional<std::vector<Box>> remainder(const Box& start, const std::vector<Box>& minus, const Vars& vars);

// Plain English for the values of a set: "is 0", "is 3 or more", "is 'silver' or 'gold'".
std::string describe(const ValueSet& set, const Var& var);
// "days_late is 0 and tier is 'gold'"
std::string describe(const Box& box, const Vars& vars);
// "days_late is at least 0" from a fact's declared bounds.
std::string describe_bounds(const Var& var);

}  // namespace redress::analysis
