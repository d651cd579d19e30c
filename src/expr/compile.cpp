// compile(): parse tree -> type check -> flat node vector (spec §3).
//
// Type rules (where spec §3 leaves a choice, the choice is stated here):
//  - int op int -> int for + - *; int / int -> number; int with number -> number.
//  - Money carries its currency statically; two currencies meeting anywhere (+ -, /, comparison,
//    min/max/clamp, coalesce, the branches of ?:) is a load error. money * number,
//    number * money, money / number -> money; money / money -> number; money ± number and
//    money compared with a number are errors.
//  - datetime ± duration and duration + datetime -> datetime; datetime - datetime -> duration;
//    duration ± duration -> duration; duration * number, number * duration, duration / number
//    -> duration (rounded to the microsecond, half-even); duration / duration -> number.
//  - Comparisons: numbers (int and number mix), money of one currency, datetimes, durations,
//    strings (byte order), bools (== and != only), enums. An enum compares with a string
//    literal that must be one of its declared values, or with an enum of the same fact;
//    ordering (< <= > >=) follows the declaration order of the values, so with
//    `values: [calm, upset, aggressive]`, `emotion >= 'upset'` holds for upset and aggressive.
//    An enum is not compared with a computed string. Lists are not compared.
//  - `x == null`, `x != null` for any x; null == null holds.
//  - `in`: a string or enum in a list fact or a list literal of string literals (for an enum,
//    declared values); an int or number in a list literal of number literals.
//  - ?: branches join like coalesce(): same type, int+number -> number, a `null` branch makes
//    the result nullable, a string literal beside an enum becomes that enum's value.
//  - round/floor/ceil(x[, n]): n is an int literal 0..12 (floor and ceil take it too); of an
//    int -> int; of a number -> int when n is 0 (or absent), number otherwise; of money -> money
//    at the currency's minor unit (n not allowed). round is half away from zero.
//  - min/max need at least 2 arguments; clamp(x, lo, hi) with lo > hi is an evaluation error.
//  - contains(list, x) takes a string or an enum (its value name) as x.
//  - Literal-only sub-expressions are folded at load; a folded one that would fail (1 / 0) is
//    left to fail at evaluation, as the spec makes it an evaluation error.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/compiler.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"
#include "util/text.hpp"

namespace redress::expr {

const char* to_string(VType t) {
  switch (t) {
    case VType::Null: return "null";
    case VType::Bool: return "bool";
    case VType::Int: return "int";
    case VType::Number: return "number";
    case VType::Money: return "money";
    case VType::String: return "string";
    case VType::Enum: return "enum";
    case VType::Datetime: return "datetime";
    case VType::Duration: return "duration";
    case VType::List: return "list";
  }
  return "?";
}

SourceMap SourceMap::single_line(FileId file, std::uint32_t line, std::uint32_t column,
                                 std::size_t length) {
  SourceMap m;
  m.file = file;
  m.pos.resize(length + 1);
  for (std::size_t i = 0; i <= length; ++i)
    m.pos[i] = Pos{line, static_cast<std::uint32_t>(column + i)};
  return m;
}

void add_error(std::vector<Diagnostic>& diags, const SourceMap& map, std::size_t pos, std::string msg) {
  for (char& c : msg)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  Diagnostic d;
  d.severity = Severity::Error;
  d.location = map.at(pos);
  d.message = std::move(msg);
  diags.push_back(std::move(d));
}

std::string quoted(std::string_view s, std::size_t max) {
  std::string out = "'";
  std::size_t i = 0;
  for (; i < s.size() && i < max; ++i) {
    char c = s[i];
    if (c == '\n') out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += '?';
    else out += c;
  }
  if (i < s.size()) {
    util::trim_utf8_tail(out);  // never cut a UTF-8 sequence in the middle
    out += "...";
  }
  return out + "'";
}

std::uint32_t Compiler::gen(std::uint32_t a) {
  const Ast& x = tree_.nodes[a];
  switch (x.kind) {
    case AK::Int: return konst(Val::integer(x.num), {VType::Int}, x.pos);
    case AK::Number: return konst(Val::number(x.num), {VType::Number}, x.pos);
    case AK::Money: {
      Type t{VType::Money};
      t.currency = x.currency;
      return konst(Val::money(x.num, x.currency), t, x.pos);
    }
    case AK::Duration: return konst(Val::duration(x.micros), {VType::Duration}, x.pos);
    case AK::Span: return span_literal(x);
    case AK::Bool: return konst(Val::boolean(x.b), {VType::Bool}, x.pos);
    case AK::Null: return konst(Val::null(), {VType::Null}, x.pos);
    case AK::String: return konst(Val::string(own(x.text)), {VType::String}, x.pos);
    case AK::Name: return name(x);
    case AK::Neg: return neg(x);
    case AK::Not: return not_(x);
    case AK::Bin: return binary(x);
    case AK::Cond: return cond(x);
    case AK::Call: return call(x);
    case AK::List: return list(x);
  }
  return bad(x.pos, "internal error: unknown expression node");
}

void Compiler::error(std::uint32_t pos, std::string msg) {
  failed_ = true;
  add_error(diags_, map_, pos, std::move(msg));
}

std::uint32_t Compiler::bad(std::uint32_t pos, std::string msg) {
  error(pos, std::move(msg));
  return kBad;
}

std::string_view Compiler::own(std::string s) {
  im_.strings.push_back(std::move(s));
  return im_.strings.back();
}

std::string Compiler::describe(const Type& t) const {
  switch (t.kind) {
    case VType::Money: return "money in " + std::string(Currency::from_index(t.currency).code());
    case VType::Enum:
      if (t.enum_id >= 0 && static_cast<std::size_t>(t.enum_id) < scope_.enums.size())
        return "enum '" + scope_.enums[static_cast<std::size_t>(t.enum_id)].name + "'";
      return "enum";
    default: return to_string(t.kind);
  }
}

Node Compiler::mk(Op op, std::uint32_t pos, const char* what) {
  Node n;
  n.op = op;
  auto p = map_.at(pos);
  n.line = p.line;
  n.column = p.column;
  n.what = what;
  return n;
}

std::uint32_t Compiler::emit(Node n, Type t, bool nullable) {
  n.type = t.kind;
  n.currency = t.currency;
  n.nullable = nullable;
  im_.nodes.push_back(n);
  types_.push_back(t);
  return static_cast<std::uint32_t>(im_.nodes.size() - 1);
}

std::uint32_t Compiler::konst(Val v, Type t, std::uint32_t pos) {
  Node n = mk(Op::Const, pos, "");
  n.a = static_cast<std::uint32_t>(im_.consts.size());
  im_.consts.push_back(v);
  return emit(n, t, v.type == VType::Null);
}

void node_children(const Program::Impl& im, const Node& n, std::vector<std::uint32_t>& out) {
  switch (n.op) {
    case Op::Const: case Op::Load: case Op::Now: case Op::EnteredAt: case Op::Overdue: break;
    case Op::ClockCmp:  // never folded: the clock is known at evaluation only
      if (n.a != kNoNode) out.push_back(n.a);
      if (n.b != kNoNode) out.push_back(n.b);
      break;
    case Op::Neg: case Op::Not: case Op::Abs: case Op::Round: case Op::LenList:
    case Op::LenStr: case Op::Lower: case Op::Upper: case Op::ParseDate:
    case Op::ParseDatetime: case Op::IsNull: case Op::InStrs: case Op::InEnums:
    case Op::InNums:
      out.push_back(n.a);
      break;
    case Op::And: case Op::Or: case Op::Arith: case Op::Cmp: case Op::InList:
    case Op::ContainsList: case Op::ContainsStr: case Op::Between: case Op::BusinessTime:
      out.push_back(n.a);
      out.push_back(n.b);
      break;
    case Op::Cond:
      out.push_back(n.a);
      out.push_back(n.b);
      out.push_back(static_cast<std::uint32_t>(n.c));
      break;
    case Op::Min: case Op::Max: case Op::Clamp: case Op::Coalesce:
      for (std::uint32_t k = 0; k < n.b; ++k) out.push_back(im.args[n.a + k]);
      break;
  }
}

void Compiler::children(const Node& n, std::vector<std::uint32_t>& out) const { node_children(im_, n, out); }

std::uint32_t Compiler::fold(std::uint32_t n) {
  if (n == kBad || failed_) return n;
  std::vector<std::uint32_t> kids;
  children(im_.nodes[n], kids);
  if (kids.empty()) return n;
  for (auto k : kids)
    if (!is_const(k)) return n;
  Scratch scratch;
  Val v;
  EvalError err;
  if (!eval_node(im_, n, nullptr, 0, scratch, v, err)) return n;
  if (v.type == VType::String || v.type == VType::Enum) v.s = own(std::string(v.s));
  if (v.type == VType::Null) v = Val::null();
  Node& node = im_.nodes[n];
  node.op = Op::Const;
  node.a = static_cast<std::uint32_t>(im_.consts.size());
  node.nullable = v.type == VType::Null;
  im_.consts.push_back(v);
  return n;
}

std::uint32_t Compiler::add_args(const std::vector<std::uint32_t>& nodes) {
  auto first = static_cast<std::uint32_t>(im_.args.size());
  im_.args.insert(im_.args.end(), nodes.begin(), nodes.end());
  return first;
}

std::uint32_t Compiler::enum_literal(std::uint32_t a, std::int16_t enum_id) {
  const Ast& x = tree_.nodes[a];
  const EnumDef& e = scope_.enums[static_cast<std::size_t>(enum_id)];
  for (std::size_t k = 0; k < e.values.size(); ++k) {
    if (e.values[k] == x.text) {
      Type t{VType::Enum};
      t.enum_id = enum_id;
      return konst(Val::enumeration(static_cast<std::int64_t>(k), own(x.text)), t, x.pos);
    }
  }
  std::string msg = quoted(x.text) + " is not a value of enum fact '" + e.name + "'";
  std::string h = util::did_you_mean(x.text, e.values);
  if (h.empty()) {
    msg += " (values: ";
    for (std::size_t k = 0; k < e.values.size() && k < 12; ++k)
      msg += (k ? ", " : "") + e.values[k];
    if (e.values.size() > 12) msg += ", ...";
    msg += ")";
  }
  return bad(x.pos, msg + h);
}

bool Compiler::gen_group(const std::vector<std::uint32_t>& asts, std::vector<std::uint32_t>& out) {
  out.assign(asts.size(), kBad);
  std::int16_t enum_id = -1;
  bool ok = true;
  for (std::size_t k = 0; k < asts.size(); ++k) {
    if (is_string_literal(asts[k])) continue;
    out[k] = gen(asts[k]);
    if (out[k] == kBad) ok = false;
    else if (types_[out[k]].kind == VType::Enum && enum_id < 0) enum_id = types_[out[k]].enum_id;
  }
  for (std::size_t k = 0; k < asts.size(); ++k) {
    if (!is_string_literal(asts[k])) continue;
    out[k] = enum_id >= 0 ? enum_literal(asts[k], enum_id) : gen(asts[k]);
    if (out[k] == kBad) ok = false;
  }
  return ok;
}

bool Compiler::join(const std::vector<std::uint32_t>& nodes, const std::vector<std::uint32_t>& asts,
                    const char* what, bool allow_null, Type& out) {
  bool have = false;
  Type acc{VType::Null};
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    Type t = types_[nodes[k]];
    std::uint32_t pos = tree_.nodes[asts[k]].start;
    if (t.kind == VType::Null) {
      if (!allow_null) {
        error(pos, std::string("null cannot be used in '") + what +
                       "' (only ==, != and coalesce() accept null)");
        return false;
      }
      continue;
    }
    if (!have) {
      acc = t;
      have = true;
      continue;
    }
    if (is_num(acc.kind) && is_num(t.kind)) {
      if (t.kind == VType::Number) acc.kind = VType::Number;
      continue;
    }
    bool branches = std::string_view(what) == "?";
    if (acc.kind == VType::Money && t.kind == VType::Money && acc.currency != t.currency) {
      error(pos, (branches ? std::string("the branches of '?' mix currencies: ")
                           : std::string(what) + " mixes currencies: ") +
                     describe(acc) + " and " + describe(t));
      return false;
    }
    if (!(acc == t)) {
      std::string msg = (branches ? std::string("the branches of '?' have different types: ")
                                  : std::string(what) + " needs arguments of one type, got ") +
                        describe(acc) + " and " + describe(t);
      if ((acc.kind == VType::Money && is_num(t.kind)) ||
          (t.kind == VType::Money && is_num(acc.kind)))
        msg += std::string(" (add a currency, e.g. 10 ") +
               std::string(Currency::from_index(acc.kind == VType::Money ? acc.currency
                                                                          : t.currency)
                               .code()) +
               ")";
      error(pos, msg);
      return false;
    }
  }
  out = acc;
  return true;
}

std::uint32_t Compiler::name(const Ast& x) {
  if (x.text == "now") return emit(mk(Op::Now, x.pos, "now"), {VType::Datetime}, false);
  const Symbol* s = scope_.find(x.text);
  if (!s && (x.text == "entered_at" || x.text == "age")) return time_name(x);
  if (!s) {
    if (find_function(x.text))
      return bad(x.pos, "'" + x.text + "' is a function; call it as " + x.text + "(...)");
    std::vector<std::string> cands;
    for (const auto& sym : scope_.symbols) cands.push_back(sym.name);
    cands.insert(cands.end(), {"now", "true", "false", "null"});
    if (scope_.state_clock) cands.insert(cands.end(), {"entered_at", "age"});
    return bad(x.pos, "unknown name '" + x.text + "'" + util::did_you_mean(x.text, cands));
  }
  Node n = mk(Op::Load, x.pos, "");
  n.a = s->slot;
  n.b = static_cast<std::uint32_t>(im_.names.size());
  im_.names.push_back(s->name);
  if (s->type.kind == VType::Enum) {
    if (s->type.enum_id < 0 || static_cast<std::size_t>(s->type.enum_id) >= scope_.enums.size())
      return bad(x.pos, "internal error: fact '" + s->name + "' refers to an unknown enum");
    n.c = static_cast<std::int64_t>(scope_.enums[static_cast<std::size_t>(s->type.enum_id)].values.size());
  }
  return emit(n, s->type, s->nullable);
}

namespace {

std::optional<Program> compile_impl(std::string_view text, const SourceMap& map,
                                    const Scope& scope, std::vector<Diagnostic>& diags,
                                    const CompileLimits& limits) {
  if (text.size() > kMaxTextBytes) {
    add_error(diags, map, 0, "expression too long (" + std::to_string(text.size()) +
                                 " bytes; at most " + std::to_string(kMaxTextBytes) + ")");
    return std::nullopt;
  }
  std::size_t bad_byte = util::invalid_utf8_at(text);
  if (bad_byte != std::string_view::npos) {
    add_error(diags, map, bad_byte, "invalid UTF-8 in the expression");
    return std::nullopt;
  }
  std::vector<Token> tokens;
  SyntaxError err;
  if (!lex(text, tokens, err)) {
    add_error(diags, map, err.pos, err.message);
    return std::nullopt;
  }
  ParseTree tree;
  const int max_depth = static_cast<int>(std::min<std::size_t>(limits.max_depth, kMaxDepth));
  if (!parse(tokens, text, tree, err, max_depth)) {
    add_error(diags, map, err.pos, err.message);
    return std::nullopt;
  }
  auto impl = std::make_unique<Program::Impl>();
  Compiler c(map, scope, diags, tree, *impl);
  std::uint32_t root = c.gen(tree.root);
  if (c.failed() || root == kBad) {
    if (!c.failed()) add_error(diags, map, 0, "internal error: the expression did not compile");
    return std::nullopt;
  }
  impl->root = root;
  Type t = c.type(root);
  bool nullable = impl->nodes[root].nullable;
  SourceLocation start = map.at(0);
  SourceLocation end = map.at(text.size());
  // The span in code points, when the text lies on one line.
  if (end.line == start.line && end.column > start.column) start.length = end.column - start.column;
  return ProgramBuilder::make(std::move(impl), t, nullable, std::string(text), start);
}

}  // namespace

std::optional<Program> compile(std::string_view text, const SourceMap& map, const Scope& scope,
                               std::vector<Diagnostic>& diagnostics, const CompileLimits& limits) {
  try {
    return compile_impl(text, map, scope, diagnostics, limits);
  } catch (...) {
    try {
      add_error(diagnostics, map, 0, "internal error while compiling the expression");
    } catch (...) {
    }
    return std::nullopt;
  }
}

}  // namespace redress::expr

namespace redress::expr {

std::vector<NameUse> names_read(const Program& p) {
  std::vector<NameUse> out;
  const Program::Impl* im = ProgramBuilder::impl(p);
  if (!im) return out;
  for (const auto& n : im->nodes)
    if (n.op == Op::Load) out.push_back(NameUse{n.a, SourceLocation{p.location().file, n.line, n.column, 0}});
  return out;
}

}  // namespace redress::expr
