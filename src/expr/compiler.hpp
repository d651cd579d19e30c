// The expression compiler's internals, private to src/expr. Type checking and code generation
// happen together, one parse-tree node at a time (a node's operand types decide the opcode it
// compiles to), so the Compiler is split by language area rather than by pass:
//   compile.cpp            compile(), the type rules, shared helpers (emit, constant folding,
//                          joining the types of a group) and names
//   compile_operators.cpp  not/and/or, comparisons, `in`, arithmetic, ?: and list literals
//   compile_functions.cpp  the function table and each function (a new function goes here)
//   compile_time.cpp       the case's time: entered_at, age, since(), overdue(),
//                          business_time_between() and business spans (4bh, 2bd)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/ast.hpp"

namespace redress::expr {

constexpr std::uint32_t kBad = 0xFFFFFFFFu;  // a node that failed to compile

// One located error; control characters in the message become spaces (one line each).
void add_error(std::vector<Diagnostic>& diags, const SourceMap& map, std::size_t pos, std::string msg);

// User text for a message: control characters escaped, cut after `max` bytes.
std::string quoted(std::string_view s, std::size_t max = 48);

enum class Fn : std::uint8_t {
  Min, Max, Clamp, Abs, Round, Floor, Ceil, Coalesce, Len, Contains, Lower, Upper,
  DaysBetween, HoursBetween, MinutesBetween, Date, Datetime,
  Since, Overdue, BusinessTimeBetween,
};
struct FnInfo {
  const char* name;
  const char* what;  // for messages
  Fn fn;
};

const FnInfo* find_function(std::string_view name);
const std::vector<std::string>& function_names();  // for "did you mean"

inline const char* cmp_what(BinOp op) { return bin_text(op); }
inline bool is_num(VType k) { return k == VType::Int || k == VType::Number; }

// Compiles one parse tree into `im`, node by node, checking types as it goes.
class Compiler {
 public:
  Compiler(const SourceMap& map, const Scope& scope, std::vector<Diagnostic>& diags,
           const ParseTree& tree, Program::Impl& im)
      : map_(map), scope_(scope), diags_(diags), tree_(tree), im_(im) {
    im_.names.emplace_back();  // index 0: no name
  }

  bool failed() const { return failed_; }
  const Type& type(std::uint32_t n) const { return types_[n]; }

  std::uint32_t gen(std::uint32_t a);

 private:
  // ---- helpers ------------------------------------------------------------------------------

  void error(std::uint32_t pos, std::string msg);
  std::uint32_t bad(std::uint32_t pos, std::string msg);

  std::string_view own(std::string s);

  std::string describe(const Type& t) const;
  std::string describe(std::uint32_t n) const { return describe(types_[n]); }

  Node mk(Op op, std::uint32_t pos, const char* what);

  std::uint32_t emit(Node n, Type t, bool nullable);

  std::uint32_t konst(Val v, Type t, std::uint32_t pos);

  bool is_const(std::uint32_t n) const { return im_.nodes[n].op == Op::Const; }
  const Val& const_val(std::uint32_t n) const { return im_.consts[im_.nodes[n].a]; }
  bool nullable(std::uint32_t n) const { return im_.nodes[n].nullable; }

  void children(const Node& n, std::vector<std::uint32_t>& out) const;

  // Replaces node `n` by a constant when all its operands are constants and it evaluates
  // without error (an error is left for evaluation time, where the spec puts it).
  std::uint32_t fold(std::uint32_t n);

  std::uint32_t add_args(const std::vector<std::uint32_t>& nodes);

  bool is_string_literal(std::uint32_t a) const { return tree_.nodes[a].kind == AK::String; }

  // An enum value literal: 'gold' for the enum `enum_id`.
  std::uint32_t enum_literal(std::uint32_t a, std::int16_t enum_id);

  // Generates a group of operands that must share a type (?: branches, coalesce, min, max,
  // clamp): string literals beside an enum become its values.
  bool gen_group(const std::vector<std::uint32_t>& asts, std::vector<std::uint32_t>& out);

  // Joins the types of a group. `allow_null`: a null literal joins anything (making it
  // nullable). Reports the first operand that does not fit.
  bool join(const std::vector<std::uint32_t>& nodes, const std::vector<std::uint32_t>& asts,
            const char* what, bool allow_null, Type& out);

  // ---- names --------------------------------------------------------------------------------

  std::uint32_t name(const Ast& x);

  // ---- operators ----------------------------------------------------------------------------

  std::uint32_t neg(const Ast& x);

  std::uint32_t not_(const Ast& x);

  std::uint32_t binary(const Ast& x);

  std::uint32_t logic(const Ast& x);

  std::uint32_t compare(const Ast& x);

  // A number literal of an `in` list, possibly negated.
  std::optional<Decimal> number_literal(std::uint32_t a) const;

  std::uint32_t in(const Ast& x);

  std::uint32_t arith(const Ast& x);

  std::uint32_t cond(const Ast& x);

  std::uint32_t list(const Ast& x);

  // ---- functions ----------------------------------------------------------------------------

  std::uint32_t arity(const Ast& x, const FnInfo& f, std::size_t lo, std::size_t hi, const char* expect);

  std::uint32_t arg_error(const Ast& x, std::size_t k, const FnInfo& f, const char* expect,
                          std::uint32_t node);

  std::uint32_t call(const Ast& x);

  std::uint32_t min_max(const Ast& x, const FnInfo& f);

  std::uint32_t abs(const Ast& x, const FnInfo& f);

  std::uint32_t round(const Ast& x, const FnInfo& f);

  std::uint32_t coalesce(const Ast& x, const FnInfo& f);

  std::uint32_t len(const Ast& x, const FnInfo& f);

  std::uint32_t contains(const Ast& x, const FnInfo& f);

  std::uint32_t case_map(const Ast& x, const FnInfo& f);

  std::uint32_t between(const Ast& x, const FnInfo& f);

  std::uint32_t date(const Ast& x, const FnInfo& f);

  // ---- time (compile_time.cpp) --------------------------------------------------------------

  // `age` (not hidden by a fact or let of that name) or a call of since().
  bool is_clock(std::uint32_t a) const;
  // `age`/`since(x)` compared with a span: `age > 2bd`, `4h <= since(reported_at)`.
  std::uint32_t clock_compare(const Ast& x);
  // A time name used as a value: `entered_at`; `age` alone is an error.
  std::uint32_t time_name(const Ast& x);
  // A business span literal anywhere but beside age or since(): an error.
  std::uint32_t span_literal(const Ast& x);
  // A time name or function where the case has no state (a let, match): an error.
  bool needs_state(const Ast& x, const char* what);
  std::uint32_t since(const Ast& x, const FnInfo& f);
  std::uint32_t overdue(const Ast& x, const FnInfo& f);
  std::uint32_t business_time(const Ast& x, const FnInfo& f);

  const SourceMap& map_;
  const Scope& scope_;
  std::vector<Diagnostic>& diags_;
  const ParseTree& tree_;
  Program::Impl& im_;
  std::vector<Type> types_;  // static type of each node (parallel to im_.nodes)
  bool failed_ = false;
};

}  // namespace redress::expr
