// Private to the expression module: tokens, the parse tree, and the compiled form
// (Program::Impl). See expr.hpp for the pipeline.
//
//   lexer.cpp    text -> tokens
//   parser.cpp   tokens -> Ast (a vector of nodes with child indices)
//   compile.cpp  Ast + Scope -> type check -> flat vector of Node (+ constant folding)
//   eval.cpp     Node vector + slots -> Val
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expr.hpp"

namespace redress::expr {

// ---- limits -------------------------------------------------------------------------------

constexpr std::size_t kMaxTextBytes = 64 * 1024;  // longer expressions are refused
constexpr int kMaxDepth = 256;                    // nesting of the parse tree
constexpr int kMaxRoundDigits = 12;

// Durations are limited to ±100000 Gregorian years (as Duration::parse); datetimes to the years
// 0001..9999 (as Timestamp::parse).
constexpr std::int64_t kMaxDurationMicros = 3155695200000000000LL;  // 100000 * 365.2425 d
constexpr std::int64_t kMinDatetimeMicros = -62135596800000000LL;   // 0001-01-01T00:00:00Z
constexpr std::int64_t kMaxDatetimeMicros = 253402300799999999LL;   // 9999-12-31T23:59:59.999999Z

// ---- tokens -------------------------------------------------------------------------------

enum class Tok : std::uint8_t {
  End, Int, Number, Percent, String, Duration, Span, Ident,
  LParen, RParen, LBracket, RBracket, Comma, Question, Colon,
  Plus, Minus, Star, Slash, Eq, Ne, Lt, Le, Gt, Ge,
  And, Or, Not, In, True, False, Null,
};

struct Token {
  Tok kind = Tok::End;
  std::uint32_t pos = 0;   // byte offset of the first character in the text
  std::uint32_t len = 0;   // bytes
  Decimal num;             // Int, Number, Percent (already divided by 100)
  std::int64_t micros = 0; // Duration; Span: micros (business hours) or days (business days)
  Clock::Unit unit = Clock::Unit::Wall;  // Span
  std::string text;        // String (unescaped), Ident
};

struct SyntaxError {
  std::uint32_t pos = 0;
  std::string message;
};

// Splits `text` into tokens (the last is End). On the first lexical error returns false and
// fills `err`. `text` must be valid UTF-8 of at most kMaxTextBytes (compile() checks).
bool lex(std::string_view text, std::vector<Token>& out, SyntaxError& err);

// Human form of a token for messages: "'+'", "'and'", "end of expression", "number 42".
std::string describe(const Token& t, std::string_view text);

// ---- parse tree ---------------------------------------------------------------------------

enum class AK : std::uint8_t {
  Int, Number, String, Bool, Null, Money, Duration,  // literals
  Span,      // a business span literal (4bh, 2bd): unit, micros (hours) or days
  Name,      // text = the name
  Call,      // text = function name, kids = arguments
  Neg, Not,  // kids[0]
  Bin,       // op, kids[0..1]
  Cond,      // kids = cond, then, else
  List,      // kids = elements
};

enum class BinOp : std::uint8_t { Or, And, Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, Add, Sub, Mul, Div };

const char* bin_text(BinOp op);

struct Ast {
  AK kind = AK::Null;
  BinOp op = BinOp::Or;
  std::uint32_t pos = 0;    // the token that names the node: operator, function name, literal
  std::uint32_t start = 0;  // the first token of the whole sub-expression
  bool b = false;           // Bool
  Decimal num;              // Int, Number, Money
  std::int64_t micros = 0;  // Duration; Span (days for business days)
  Clock::Unit unit = Clock::Unit::Wall;  // Span
  std::uint16_t currency = 0;  // Money
  std::string text;         // String, Name, Call
  std::vector<std::uint32_t> kids;
};

struct ParseTree {
  std::vector<Ast> nodes;
  std::uint32_t root = 0;
};

// Parses tokens into a tree. Stops at the first syntax error (returns false, fills `err`).
// The tree is at most `max_depth` (<= kMaxDepth) levels deep.
bool parse(const std::vector<Token>& tokens, std::string_view text, ParseTree& out,
           SyntaxError& err, int max_depth = kMaxDepth);

// ---- compiled form ------------------------------------------------------------------------

enum class Op : std::uint8_t {
  Const,     // a = index into consts
  Load,      // a = slot, b = index into names, c = enum value count (Enum)
  Now,
  Neg,       // a
  Not,       // a
  And, Or,   // a, b (short-circuit)
  Cond,      // a ? b : c
  Arith,     // sub = Ar; a, b
  Cmp,       // sub = CmpOp, field = Field; a, b
  IsNull,    // sub = 0: a == null, 1: a != null
  InList,    // a in b (b a List value); sub = 1 for `not in`
  InStrs,    // a in str_lists[b]
  InEnums,   // a in enum_sets[b]
  InNums,    // a in num_sets[b]
  Min, Max,  // args[a .. a+b)
  Clamp,     // args[a .. a+3)
  Abs,       // a
  Round,     // a; sub = Rounding; digits
  Coalesce,  // args[a .. a+b)
  LenList, LenStr, ContainsList, ContainsStr,  // a (, b)
  Lower, Upper,  // a
  Between,   // a, b; c = micros per unit
  ParseDate, ParseDatetime,  // a (a string evaluated at run time)
  // Time (issue #10), answered by the evaluation's Clock:
  EnteredAt,     // the state's entry instant (null when unknown)
  ClockCmp,      // sub = CmpOp: (time since start) sub span; a = start node, or kNoNode: the
                 // entry; b = a duration node (a wall span), or kNoNode: the literal span
                 // digits = Clock::Unit, c = micros or days; field = 1 when it came from since()
  Overdue,       // a = index into Scope::actions
  BusinessTime,  // a, b: datetimes
};

constexpr std::uint32_t kNoNode = 0xFFFFFFFFu;

enum class Ar : std::uint8_t {
  AddNum, SubNum, MulNum, DivNum,
  AddMoney, SubMoney, MulMoneyNum, MulNumMoney, DivMoneyNum, DivMoneyMoney,
  AddDtDur, AddDurDt, SubDtDur, SubDtDt, AddDur, SubDur,
  MulDurNum, MulNumDur, DivDurNum, DivDurDur,
};

enum class CmpOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
enum class Field : std::uint8_t { Dec, Micros, Str, Bool };  // which part of Val compares

struct Node {
  Op op = Op::Const;
  std::uint8_t sub = 0;
  Field field = Field::Dec;
  VType type = VType::Null;  // static result kind (Int results are integral decimals)
  bool nullable = false;
  std::uint8_t digits = 0;   // Round
  std::uint16_t currency = 0;
  std::uint32_t a = 0, b = 0;
  std::int64_t c = 0;
  std::uint32_t line = 0, column = 0;  // of the node's token, for evaluation errors
  const char* what = "";     // operator or function for messages: "+", "min()"
};

}  // namespace redress::expr

struct redress::expr::Program::Impl {
  std::vector<Node> nodes;
  std::uint32_t root = 0;
  std::vector<std::uint32_t> args;      // operands of variadic nodes
  std::vector<Val> consts;
  // Owned storage that constants and literal sets point into. Deques: elements never move.
  std::deque<std::string> strings;
  std::deque<std::vector<std::string>> str_lists;
  std::vector<std::vector<std::int64_t>> enum_sets;
  std::vector<std::vector<Decimal>> num_sets;
  std::vector<std::string> names;       // names[0] = "" (no name); Load::b indexes this
};

namespace redress::expr {

// The operands of node `n` of `im`, in order (constant folding, GuardView).
void node_children(const Program::Impl& im, const Node& n, std::vector<std::uint32_t>& out);

// Evaluates node `n` of `im` (used by evaluate() and by constant folding).
bool eval_node(const Program::Impl& im, std::uint32_t n, const Val* slots, std::int64_t now,
               Scratch& scratch, Val& out, EvalError& err, Clock* clock = nullptr);

// Access to Program's private members for compile().
struct ProgramBuilder {
  static Program make(std::unique_ptr<Program::Impl> impl, Type type, bool nullable,
                      std::string text, SourceLocation location) {
    Program p;
    p.impl_ = std::move(impl);
    p.type_ = type;
    p.nullable_ = nullable;
    p.text_ = std::move(text);
    p.location_ = location;
    return p;
  }
  static const Program::Impl* impl(const Program& p) { return p.impl_.get(); }
};

}  // namespace redress::expr
