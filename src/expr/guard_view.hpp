// A read-only view of a compiled expression, for the analysis (src/analysis/guards.cpp): the
// shapes of a condition it can reason about — constants, names, not/and/or, comparisons and
// `in` over literal sets — as evaluation will run them (constants folded, enum literals resolved
// to their declaration index), without exposing the bytecode (expr/ast.hpp stays private to
// this module).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "expr/expr.hpp"

namespace redress::expr {

enum class Compare : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

class GuardView {
 public:
  enum class Kind : std::uint8_t {
    Other,      // anything else (arithmetic, functions, conditionals, …)
    Constant,   // value()
    Name,       // a fact or let, read from slot()
    Not,        // not operand(0)
    And, Or,    // operand(0) and/or operand(1)
    Compare,    // operand(0) compare() operand(1), comparing the compared() part of the values
    InNumbers,  // operand(0) in numbers() (not in, when negated())
    InEnums,    // operand(0) in enum_indices() (not in, when negated())
    InStrings,  // operand(0) in strings() (not in, when negated())
  };
  // Which part of the two values a comparison compares.
  enum class Part : std::uint8_t { Decimal, Micros, Text, Bool };  // Micros: also an enum's index

  // The whole expression.
  explicit GuardView(const Program& p);

  Kind kind() const;
  // A child; a view of Kind::Other when there is none.
  GuardView operand(std::size_t i) const;

  const Val& value() const;              // Constant (null otherwise)
  std::uint32_t slot() const;            // Name
  Compare compare() const;               // Compare
  Part compared() const;                 // Compare
  bool negated() const;                  // InNumbers, InEnums, InStrings
  const std::vector<Decimal>& numbers() const;             // InNumbers
  const std::vector<std::int64_t>& enum_indices() const;   // InEnums (-1: not a value)
  const std::vector<std::string>& strings() const;          // InStrings

  // For explaining a Decision (src/explain): a part of a condition on its own.
  // The part as text, written back from the compiled form (constants folded, so `0.5% * 2`
  // reads `0.01`); `scope` (the one the program was compiled against) names enum values.
  std::string text(const Scope& scope) const;
  // Evaluates this part over the frame the whole program is evaluated with, by the same rules
  // as expr::evaluate (which stays as it is: nothing here runs during a normal evaluation);
  // `clock` answers the time names (age, since(), overdue(), …) as there.
  bool evaluate(const Val* slots, Timestamp now, Scratch& scratch, Val& out, EvalError& err,
                Clock* clock = nullptr) const;
  // The slots this part reads, each once, in the order first read.
  std::vector<std::uint32_t> slots_read() const;

 private:
  GuardView(const Program::Impl* im, std::uint32_t node) : im_(im), node_(node) {}
  bool valid() const;

  const Program::Impl* im_ = nullptr;
  std::uint32_t node_ = 0;
};

}  // namespace redress::expr
