// The expression language (spec §3): parsed and type-checked at load time into an immutable
// Program; evaluated against a frame of slot values with no parsing and no name lookup.
//
//   text + SourceMap + Scope --compile()--> Program (+ diagnostics)
//   Program + slots + now     --evaluate()--> Val   (or EvalError)
#pragma once

#include <cstdint>
#include <forward_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redress/decimal.hpp"
#include "redress/diagnostic.hpp"
#include "redress/location.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"

namespace redress::expr {

enum class VType : std::uint8_t { Null, Bool, Int, Number, Money, String, Enum, Datetime, Duration, List };

const char* to_string(VType t);

// A static type. Money always knows its currency; enums know which declaration they follow.
struct Type {
  VType kind = VType::Null;
  std::int16_t enum_id = -1;     // index into Scope::enums for VType::Enum
  std::uint16_t currency = 0;    // Currency::index() for VType::Money
  friend bool operator==(const Type& a, const Type& b) {
    return a.kind == b.kind && a.enum_id == b.enum_id && a.currency == b.currency;
  }
};

// A runtime value. Views point into the case's data, the compiled pack, or Scratch; they are
// valid for the duration of one evaluation.
struct Val {
  VType type = VType::Null;
  bool b = false;
  std::uint16_t currency = 0;            // Money
  Decimal d;                             // Int, Number, Money amount
  std::int64_t i = 0;                    // Datetime/Duration micros; Enum value index
  std::string_view s;                    // String; Enum value name
  const std::vector<std::string>* list = nullptr;  // List (of strings)

  static Val null() { return Val{}; }
  static Val boolean(bool v) { Val x; x.type = VType::Bool; x.b = v; return x; }
  static Val integer(Decimal v) { Val x; x.type = VType::Int; x.d = v; return x; }
  static Val number(Decimal v) { Val x; x.type = VType::Number; x.d = v; return x; }
  static Val money(Decimal v, std::uint16_t cur) { Val x; x.type = VType::Money; x.d = v; x.currency = cur; return x; }
  static Val string(std::string_view v) { Val x; x.type = VType::String; x.s = v; return x; }
  static Val enumeration(std::int64_t index, std::string_view name) { Val x; x.type = VType::Enum; x.i = index; x.s = name; return x; }
  static Val datetime(std::int64_t micros) { Val x; x.type = VType::Datetime; x.i = micros; return x; }
  static Val duration(std::int64_t micros) { Val x; x.type = VType::Duration; x.i = micros; return x; }
  static Val list_of(const std::vector<std::string>* l) { Val x; x.type = VType::List; x.list = l; return x; }
};

// A name an expression may use: a fact or a `let`, bound to a slot of the frame.
struct Symbol {
  std::string name;
  Type type;
  std::uint32_t slot = 0;
  bool nullable = false;   // an optional fact (or a let that may give null)
};

struct EnumDef {
  std::string name;                  // the fact that declares it
  std::vector<std::string> values;   // in declaration order (ordering compares by this order)
};

struct Scope {
  std::vector<Symbol> symbols;
  std::vector<EnumDef> enums;        // Type::enum_id indexes this
  // Time (spec §3, issue #10): whether the expressions compiled here run where the case is in a
  // state, so that `entered_at`, `age`, `since()` and `overdue()` have a meaning (guards,
  // escalation, compensation, actions; not `let` or `match`), and the action ids `overdue()`
  // may name (it compiles to an index into this list).
  bool state_clock = false;
  std::vector<std::string> actions;
  const Symbol* find(std::string_view name) const {
    for (const auto& s : symbols) if (s.name == name) return &s;
    return nullptr;
  }
};

// Where each character of an expression's text sits in its YAML file, so that errors point at
// the token inside the file. pos[i] is the 1-based (line, column) of text[i]; pos has one more
// entry than text (the position just past the end).
struct SourceMap {
  FileId file = 0;
  struct Pos { std::uint32_t line = 0, column = 0; };
  std::vector<Pos> pos;
  // The location of text[offset] (of the end when past it), in `file`.
  SourceLocation at(std::size_t offset) const {
    if (pos.empty()) return {file, 0, 0, 0};
    const Pos& p = offset < pos.size() ? pos[offset] : pos.back();
    return {file, p.line, p.column, 0};
  }
  // A map for text that starts at (line, column) and lies on one line.
  static SourceMap single_line(FileId file, std::uint32_t line, std::uint32_t column, std::size_t length);
};

struct Node;  // private to the expression module

// A compiled expression. Immutable; evaluate() may run on any number of threads at once.
class Program {
 public:
  Program();
  ~Program();
  Program(Program&&) noexcept;
  Program& operator=(Program&&) noexcept;

  const Type& type() const { return type_; }
  bool nullable() const { return nullable_; }
  const std::string& text() const { return text_; }
  // Where the expression starts; `length` spans it when it lies on one line.
  const SourceLocation& location() const { return location_; }
  // True when the program is a single constant (e.g. "10 EUR"); value() then gives it.
  bool is_constant() const;
  Val value() const;  // the constant (views point into the Program); null if not constant

  // The compiled form, private to the expression module (expr/ast.hpp). Other stages read a
  // program through GuardView (expr/guard_view.hpp).
  struct Impl;

 private:
  friend struct ProgramBuilder;
  Type type_;
  bool nullable_ = false;
  std::string text_;
  SourceLocation location_;
  std::unique_ptr<Impl> impl_;
};

// Compiles `text`. On success returns the program; on failure appends every problem found to
// `diagnostics` (severity Error, file/line/column from `map`, message with a "did you mean"
// hint where a near name exists; source_line left empty for the caller to fill) and returns
// nullopt. Never throws for bad input.
// `max_depth` (LoadLimits::max_expression_depth) bounds the nesting of the parse tree; values
// above 256 count as 256, since evaluation recurses along the tree.
struct CompileLimits {
  std::size_t max_depth = 256;
};
std::optional<Program> compile(std::string_view text, const SourceMap& map, const Scope& scope,
                               std::vector<Diagnostic>& diagnostics, const CompileLimits& limits = {});

// A name an expression reads, at the position of its token (for located dependency errors).
struct NameUse {
  std::uint32_t slot = 0;
  SourceLocation at;       // of the name's token
};
// Every name `p` reads, in the order of its nodes (a name read twice is listed twice).
std::vector<NameUse> names_read(const Program& p);

// Storage for strings made during one evaluation (lower(), upper()). Elements never move, so
// views into them stay valid; an empty Scratch allocates nothing (std::deque would).
struct Scratch {
  std::forward_list<std::string> strings;
  void clear() { strings.clear(); }
};

struct EvalError {
  std::string message;     // e.g. "fact 'delivered_at' is null here" / "division by zero"
  SourceLocation at;       // of the offending token (in the program's file)
};

// The case's time as the time names and functions read it (spec §3, issue #10): `entered_at`,
// `age`, `since()`, `overdue()`, `business_time_between()`. The evaluator implements it over the
// compiled playbook, the state the case is in, its pauses and done actions; a Program calls it
// with indices only (no name is looked up at evaluation).
class Clock {
 public:
  // How a span counts (time/calendar.hpp's Span::Unit): wall-clock time, business hours or
  // business days on a calendar.
  enum class Unit : std::uint8_t { Wall, BusinessHours, BusinessDays };

  // When the case entered the state it is in; nullopt when unknown.
  virtual std::optional<Timestamp> entered_at() = 0;
  // The instant `amount` (microseconds; days for BusinessDays) of `unit` after `from` on the
  // current state's calendar, skipping the case's pauses — as a `within:` of that span counts.
  // The end of time (9999-12-31T23:59:59Z) when an open pause has stopped the clock.
  virtual Timestamp after(Timestamp from, Unit unit, std::int64_t amount) = 0;
  // Business time in [from, to) on the playbook's calendar, pauses excluded; negative when
  // `to` is before `from`.
  virtual Duration business_time(Timestamp from, Timestamp to) = 0;
  // Whether action `action` (an index into Scope::actions) of the current state is overdue.
  virtual bool overdue(std::uint32_t action) = 0;
  // A condition just read changes its value by time alone at `t` (for next_change_at).
  virtual void changes_at(Timestamp t) = 0;

 protected:
  ~Clock() = default;
};

// Evaluates `p` with fact/let values in `slots` (indexed by Symbol::slot) at time `now`.
// Returns false and fills `err` on an evaluation error (spec §3: null misuse, overflow,
// division by zero, a datetime() string that does not parse). Never throws. `clock` answers
// the time names; a program that reads one without a clock fails with an internal error.
bool evaluate(const Program& p, const Val* slots, Timestamp now, Scratch& scratch, Val& out,
              EvalError& err, Clock* clock = nullptr);

// Where a program reads the case's time: the state clock (`entered_at`, `age`, `since()`,
// `overdue()`) and the actions `overdue()` names, at the position of their token.
struct TimeUse {
  enum class Kind : std::uint8_t { EnteredAt, Age, Since, Overdue };
  Kind kind = Kind::EnteredAt;
  std::uint32_t action = 0;  // Overdue: index into Scope::actions
  SourceLocation at;
};
std::vector<TimeUse> time_used(const Program& p);

// Text of a value for messages and templates: 42, 3.5, 12.50 EUR, text, 2026-11-23T10:00:00Z, 3h.
std::string display(const Val& v);

}  // namespace redress::expr
