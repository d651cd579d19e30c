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

#include "expr/ast.hpp"
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

namespace {

// One located error; control characters in the message become spaces (one line each).
void add_error(std::vector<Diagnostic>& diags, const SourceMap& map, std::size_t pos, std::string msg) {
  for (char& c : msg)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  Diagnostic d;
  d.severity = Severity::Error;
  d.location = map.at(pos);
  d.message = std::move(msg);
  diags.push_back(std::move(d));
}

constexpr std::uint32_t kBad = 0xFFFFFFFFu;

// User text for a message: control characters escaped, cut after `max` bytes.
std::string quoted(std::string_view s, std::size_t max = 48) {
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

enum class Fn : std::uint8_t {
  Min, Max, Clamp, Abs, Round, Floor, Ceil, Coalesce, Len, Contains, Lower, Upper,
  DaysBetween, HoursBetween, MinutesBetween, Date, Datetime,
};
struct FnInfo {
  const char* name;
  const char* what;  // for messages
  Fn fn;
};
constexpr FnInfo kFunctions[] = {
    {"min", "min()", Fn::Min},
    {"max", "max()", Fn::Max},
    {"clamp", "clamp()", Fn::Clamp},
    {"abs", "abs()", Fn::Abs},
    {"round", "round()", Fn::Round},
    {"floor", "floor()", Fn::Floor},
    {"ceil", "ceil()", Fn::Ceil},
    {"coalesce", "coalesce()", Fn::Coalesce},
    {"len", "len()", Fn::Len},
    {"contains", "contains()", Fn::Contains},
    {"lower", "lower()", Fn::Lower},
    {"upper", "upper()", Fn::Upper},
    {"days_between", "days_between()", Fn::DaysBetween},
    {"hours_between", "hours_between()", Fn::HoursBetween},
    {"minutes_between", "minutes_between()", Fn::MinutesBetween},
    {"date", "date()", Fn::Date},
    {"datetime", "datetime()", Fn::Datetime},
};

const FnInfo* find_function(std::string_view name) {
  for (const auto& f : kFunctions)
    if (name == f.name) return &f;
  return nullptr;
}

const std::vector<std::string>& function_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& f : kFunctions) v.emplace_back(f.name);
    return v;
  }();
  return names;
}

const char* cmp_what(BinOp op) { return bin_text(op); }

bool is_num(VType k) { return k == VType::Int || k == VType::Number; }

class Compiler {
 public:
  Compiler(const SourceMap& map, const Scope& scope, std::vector<Diagnostic>& diags,
           const ParseTree& tree, Program::Impl& im)
      : map_(map), scope_(scope), diags_(diags), tree_(tree), im_(im) {
    im_.names.emplace_back();  // index 0: no name
  }

  bool failed() const { return failed_; }
  const Type& type(std::uint32_t n) const { return types_[n]; }

  std::uint32_t gen(std::uint32_t a) {
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

 private:
  // ---- helpers ------------------------------------------------------------------------------

  void error(std::uint32_t pos, std::string msg) {
    failed_ = true;
    add_error(diags_, map_, pos, std::move(msg));
  }
  std::uint32_t bad(std::uint32_t pos, std::string msg) {
    error(pos, std::move(msg));
    return kBad;
  }

  std::string_view own(std::string s) {
    im_.strings.push_back(std::move(s));
    return im_.strings.back();
  }

  std::string describe(const Type& t) const {
    switch (t.kind) {
      case VType::Money: return "money in " + std::string(Currency::from_index(t.currency).code());
      case VType::Enum:
        if (t.enum_id >= 0 && static_cast<std::size_t>(t.enum_id) < scope_.enums.size())
          return "enum '" + scope_.enums[static_cast<std::size_t>(t.enum_id)].name + "'";
        return "enum";
      default: return to_string(t.kind);
    }
  }
  std::string describe(std::uint32_t n) const { return describe(types_[n]); }

  Node mk(Op op, std::uint32_t pos, const char* what) {
    Node n;
    n.op = op;
    auto p = map_.at(pos);
    n.line = p.line;
    n.column = p.column;
    n.what = what;
    return n;
  }

  std::uint32_t emit(Node n, Type t, bool nullable) {
    n.type = t.kind;
    n.currency = t.currency;
    n.nullable = nullable;
    im_.nodes.push_back(n);
    types_.push_back(t);
    return static_cast<std::uint32_t>(im_.nodes.size() - 1);
  }

  std::uint32_t konst(Val v, Type t, std::uint32_t pos) {
    Node n = mk(Op::Const, pos, "");
    n.a = static_cast<std::uint32_t>(im_.consts.size());
    im_.consts.push_back(v);
    return emit(n, t, v.type == VType::Null);
  }

  bool is_const(std::uint32_t n) const { return im_.nodes[n].op == Op::Const; }
  const Val& const_val(std::uint32_t n) const { return im_.consts[im_.nodes[n].a]; }
  bool nullable(std::uint32_t n) const { return im_.nodes[n].nullable; }

  void children(const Node& n, std::vector<std::uint32_t>& out) const {
    switch (n.op) {
      case Op::Const: case Op::Load: case Op::Now: break;
      case Op::Neg: case Op::Not: case Op::Abs: case Op::Round: case Op::LenList:
      case Op::LenStr: case Op::Lower: case Op::Upper: case Op::ParseDate:
      case Op::ParseDatetime: case Op::IsNull: case Op::InStrs: case Op::InEnums:
      case Op::InNums:
        out.push_back(n.a);
        break;
      case Op::And: case Op::Or: case Op::Arith: case Op::Cmp: case Op::InList:
      case Op::ContainsList: case Op::ContainsStr: case Op::Between:
        out.push_back(n.a);
        out.push_back(n.b);
        break;
      case Op::Cond:
        out.push_back(n.a);
        out.push_back(n.b);
        out.push_back(static_cast<std::uint32_t>(n.c));
        break;
      case Op::Min: case Op::Max: case Op::Clamp: case Op::Coalesce:
        for (std::uint32_t k = 0; k < n.b; ++k) out.push_back(im_.args[n.a + k]);
        break;
    }
  }

  // Replaces node `n` by a constant when all its operands are constants and it evaluates
  // without error (an error is left for evaluation time, where the spec puts it).
  std::uint32_t fold(std::uint32_t n) {
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

  std::uint32_t add_args(const std::vector<std::uint32_t>& nodes) {
    auto first = static_cast<std::uint32_t>(im_.args.size());
    im_.args.insert(im_.args.end(), nodes.begin(), nodes.end());
    return first;
  }

  bool is_string_literal(std::uint32_t a) const { return tree_.nodes[a].kind == AK::String; }

  // An enum value literal: 'gold' for the enum `enum_id`.
  std::uint32_t enum_literal(std::uint32_t a, std::int16_t enum_id) {
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

  // Generates a group of operands that must share a type (?: branches, coalesce, min, max,
  // clamp): string literals beside an enum become its values.
  bool gen_group(const std::vector<std::uint32_t>& asts, std::vector<std::uint32_t>& out) {
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

  // Joins the types of a group. `allow_null`: a null literal joins anything (making it
  // nullable). Reports the first operand that does not fit.
  bool join(const std::vector<std::uint32_t>& nodes, const std::vector<std::uint32_t>& asts,
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

  // ---- names --------------------------------------------------------------------------------

  std::uint32_t name(const Ast& x) {
    if (x.text == "now") return emit(mk(Op::Now, x.pos, "now"), {VType::Datetime}, false);
    const Symbol* s = scope_.find(x.text);
    if (!s) {
      if (find_function(x.text))
        return bad(x.pos, "'" + x.text + "' is a function; call it as " + x.text + "(...)");
      std::vector<std::string> cands;
      for (const auto& sym : scope_.symbols) cands.push_back(sym.name);
      cands.insert(cands.end(), {"now", "true", "false", "null"});
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

  // ---- operators ----------------------------------------------------------------------------

  std::uint32_t neg(const Ast& x) {
    std::uint32_t e = gen(x.kids[0]);
    if (e == kBad) return kBad;
    VType k = types_[e].kind;
    if (!is_num(k) && k != VType::Money && k != VType::Duration)
      return bad(x.pos, "'-' needs a number, money or a duration, got " + describe(e));
    Node n = mk(Op::Neg, x.pos, "-");
    n.a = e;
    return fold(emit(n, types_[e], false));
  }

  std::uint32_t not_(const Ast& x) {
    std::uint32_t e = gen(x.kids[0]);
    if (e == kBad) return kBad;
    if (types_[e].kind != VType::Bool)
      return bad(x.pos, "'not' needs a bool, got " + describe(e));
    Node n = mk(Op::Not, x.pos, "not");
    n.a = e;
    return fold(emit(n, {VType::Bool}, false));
  }

  std::uint32_t binary(const Ast& x) {
    switch (x.op) {
      case BinOp::And:
      case BinOp::Or: return logic(x);
      case BinOp::Eq: case BinOp::Ne: case BinOp::Lt: case BinOp::Le: case BinOp::Gt:
      case BinOp::Ge: return compare(x);
      case BinOp::In:
      case BinOp::NotIn: return in(x);
      default: return arith(x);
    }
  }

  std::uint32_t logic(const Ast& x) {
    std::uint32_t l = gen(x.kids[0]);
    std::uint32_t r = gen(x.kids[1]);
    const char* what = bin_text(x.op);
    bool ok = l != kBad && r != kBad;
    if (l != kBad && types_[l].kind != VType::Bool) {
      error(tree_.nodes[x.kids[0]].start,
            std::string("'") + what + "' needs a bool on the left, got " + describe(l));
      ok = false;
    }
    if (r != kBad && types_[r].kind != VType::Bool) {
      error(tree_.nodes[x.kids[1]].start,
            std::string("'") + what + "' needs a bool on the right, got " + describe(r));
      ok = false;
    }
    if (!ok) return kBad;
    bool is_and = x.op == BinOp::And;
    // Short-circuit folding: `false and x` is false and `true or x` is true whatever x is.
    if (is_const(l) && const_val(l).type == VType::Bool) {
      bool v = const_val(l).b;
      if (v != is_and) return l;
      if (!nullable(r)) return r;
    }
    Node n = mk(is_and ? Op::And : Op::Or, x.pos, what);
    n.a = l;
    n.b = r;
    return fold(emit(n, {VType::Bool}, false));
  }

  std::uint32_t compare(const Ast& x) {
    const char* what = cmp_what(x.op);
    bool eq = x.op == BinOp::Eq || x.op == BinOp::Ne;
    std::uint32_t la = x.kids[0], ra = x.kids[1];
    std::uint32_t l = kBad, r = kBad;
    bool lstr = is_string_literal(la), rstr = is_string_literal(ra);
    if (!lstr) l = gen(la);
    if (!rstr) r = gen(ra);
    if (lstr) {
      if (!rstr && r != kBad && types_[r].kind == VType::Enum) l = enum_literal(la, types_[r].enum_id);
      else l = gen(la);
    }
    if (rstr) {
      if (l != kBad && types_[l].kind == VType::Enum) r = enum_literal(ra, types_[l].enum_id);
      else r = gen(ra);
    }
    if (l == kBad || r == kBad) return kBad;
    Type lt = types_[l], rt = types_[r];

    if (lt.kind == VType::Null || rt.kind == VType::Null) {
      if (!eq)
        return bad(x.pos, std::string("null can only be compared with == or !=, not '") + what + "'");
      if (lt.kind == VType::Null && rt.kind == VType::Null)
        return konst(Val::boolean(x.op == BinOp::Eq), {VType::Bool}, x.pos);
      Node n = mk(Op::IsNull, x.pos, what);
      n.a = lt.kind == VType::Null ? r : l;
      n.sub = x.op == BinOp::Eq ? 0 : 1;
      return fold(emit(n, {VType::Bool}, false));
    }

    Field field = Field::Dec;
    std::string problem;
    if (is_num(lt.kind) && is_num(rt.kind)) {
      field = Field::Dec;
    } else if (lt.kind == VType::Money && rt.kind == VType::Money) {
      if (lt.currency != rt.currency)
        return bad(tree_.nodes[ra].start, "cannot compare " + describe(lt) + " with " + describe(rt) +
                                              ": write the amount in " +
                                              std::string(Currency::from_index(lt.currency).code()) +
                                              " (currencies are never converted)");
      field = Field::Dec;
    } else if (lt.kind != rt.kind) {
      std::string msg = "cannot compare " + describe(lt) + " with " + describe(rt) + " using '" +
                        what + "'";
      if ((lt.kind == VType::Money && is_num(rt.kind)) || (rt.kind == VType::Money && is_num(lt.kind)))
        msg += std::string(" (add a currency, e.g. 10 ") +
               std::string(Currency::from_index(lt.kind == VType::Money ? lt.currency : rt.currency).code()) +
               ")";
      else if ((lt.kind == VType::Datetime && rt.kind == VType::String) ||
               (rt.kind == VType::Datetime && lt.kind == VType::String))
        msg += " (write a date as date('2026-11-23') or datetime('2026-11-23T10:00:00Z'))";
      else if ((lt.kind == VType::Duration && is_num(rt.kind)) ||
               (rt.kind == VType::Duration && is_num(lt.kind)))
        msg += " (write a duration with its unit, e.g. 2h or 3d)";
      else if (lt.kind == VType::Enum || rt.kind == VType::Enum)
        msg += " (compare an enum with one of its values in quotes, e.g. 'gold')";
      else if ((is_num(lt.kind) && rt.kind == VType::String) || (is_num(rt.kind) && lt.kind == VType::String))
        msg += " (a number is written without quotes, e.g. 3, not '3')";
      return bad(x.pos, msg);
    } else {
      switch (lt.kind) {
        case VType::Datetime:
        case VType::Duration: field = Field::Micros; break;
        case VType::String: field = Field::Str; break;
        case VType::Bool:
          if (!eq)
            return bad(x.pos, std::string("bools can only be compared with == or !=, not '") + what + "'");
          field = Field::Bool;
          break;
        case VType::Enum:
          if (lt.enum_id != rt.enum_id)
            return bad(x.pos, "cannot compare " + describe(lt) + " with " + describe(rt) +
                                  ": they have different values");
          field = Field::Micros;  // the value's index: declaration order
          break;
        case VType::List:
          return bad(x.pos, "lists cannot be compared; use 'in' or contains()");
        default: break;
      }
    }
    Node n = mk(Op::Cmp, x.pos, what);
    n.a = l;
    n.b = r;
    n.field = field;
    switch (x.op) {
      case BinOp::Eq: n.sub = static_cast<std::uint8_t>(CmpOp::Eq); break;
      case BinOp::Ne: n.sub = static_cast<std::uint8_t>(CmpOp::Ne); break;
      case BinOp::Lt: n.sub = static_cast<std::uint8_t>(CmpOp::Lt); break;
      case BinOp::Le: n.sub = static_cast<std::uint8_t>(CmpOp::Le); break;
      case BinOp::Gt: n.sub = static_cast<std::uint8_t>(CmpOp::Gt); break;
      default: n.sub = static_cast<std::uint8_t>(CmpOp::Ge); break;
    }
    return fold(emit(n, {VType::Bool}, false));
  }

  // A number literal of an `in` list, possibly negated.
  std::optional<Decimal> number_literal(std::uint32_t a) const {
    const Ast& x = tree_.nodes[a];
    if (x.kind == AK::Int || x.kind == AK::Number) return x.num;
    if (x.kind == AK::Neg) {
      auto v = number_literal(x.kids[0]);
      Decimal out;
      if (v && Decimal::neg(*v, out)) return out;
    }
    return std::nullopt;
  }

  std::uint32_t in(const Ast& x) {
    const char* what = bin_text(x.op);
    std::uint32_t l = gen(x.kids[0]);
    const Ast& right = tree_.nodes[x.kids[1]];
    std::uint8_t negate = x.op == BinOp::NotIn ? 1 : 0;
    if (right.kind == AK::List) {
      if (l == kBad) {
        for (auto e : right.kids) gen(e);  // still report problems inside the list
        return kBad;
      }
      Type lt = types_[l];
      bool ok = true;
      Node n = mk(Op::InStrs, x.pos, what);
      n.a = l;
      n.sub = negate;
      if (lt.kind == VType::String) {
        std::vector<std::string> items;
        for (auto e : right.kids) {
          if (!is_string_literal(e)) {
            error(tree_.nodes[e].start, "the list after '" + std::string(what) +
                                            "' must hold string literals, as in ['a', 'b']");
            ok = false;
            continue;
          }
          items.push_back(tree_.nodes[e].text);
        }
        if (!ok) return kBad;
        n.b = static_cast<std::uint32_t>(im_.str_lists.size());
        im_.str_lists.push_back(std::move(items));
      } else if (lt.kind == VType::Enum) {
        std::vector<std::int64_t> items;
        for (auto e : right.kids) {
          if (!is_string_literal(e)) {
            error(tree_.nodes[e].start, "the list after '" + std::string(what) +
                                            "' must hold values of " + describe(lt) +
                                            " in quotes, as in ['gold', 'silver']");
            ok = false;
            continue;
          }
          std::uint32_t v = enum_literal(e, lt.enum_id);
          if (v == kBad) ok = false;
          else items.push_back(const_val(v).i);
        }
        if (!ok) return kBad;
        n.op = Op::InEnums;
        n.b = static_cast<std::uint32_t>(im_.enum_sets.size());
        im_.enum_sets.push_back(std::move(items));
      } else if (is_num(lt.kind)) {
        std::vector<Decimal> items;
        for (auto e : right.kids) {
          auto v = number_literal(e);
          if (!v) {
            error(tree_.nodes[e].start, "the list after '" + std::string(what) +
                                            "' must hold number literals, as in [1, 2, 3]");
            ok = false;
            continue;
          }
          items.push_back(*v);
        }
        if (!ok) return kBad;
        n.op = Op::InNums;
        n.b = static_cast<std::uint32_t>(im_.num_sets.size());
        im_.num_sets.push_back(std::move(items));
      } else {
        return bad(x.pos, "'" + std::string(what) +
                              "' looks for a string, an enum value or a number, got " + describe(lt));
      }
      return fold(emit(n, {VType::Bool}, false));
    }
    std::uint32_t r = gen(x.kids[1]);
    if (l == kBad || r == kBad) return kBad;
    Type lt = types_[l], rt = types_[r];
    if (rt.kind != VType::List) {
      std::string msg = "'" + std::string(what) + "' needs a list on the right, as in ['a', 'b'], got " +
                        describe(rt);
      if (rt.kind == VType::String) msg += " (to look inside text use contains(text, part))";
      return bad(right.start, msg);
    }
    if (lt.kind != VType::String && lt.kind != VType::Enum)
      return bad(tree_.nodes[x.kids[0]].start,
                 "a list holds strings; '" + std::string(what) + "' cannot look for " + describe(lt) + " in it");
    Node n = mk(Op::InList, x.pos, what);
    n.a = l;
    n.b = r;
    n.sub = negate;
    return fold(emit(n, {VType::Bool}, false));
  }

  std::uint32_t arith(const Ast& x) {
    std::uint32_t l = gen(x.kids[0]);
    std::uint32_t r = gen(x.kids[1]);
    if (l == kBad || r == kBad) return kBad;
    const char* what = bin_text(x.op);
    Type lt = types_[l], rt = types_[r];
    VType a = lt.kind, b = rt.kind;
    if (a == VType::Null || b == VType::Null)
      return bad(x.pos, std::string("null cannot be used in '") + what +
                            "' (only ==, != and coalesce() accept null)");
    Type out{VType::Null};
    Ar op = Ar::AddNum;
    bool found = true;
    auto money_of = [](Type t) { Type m{VType::Money}; m.currency = t.currency; return m; };
    auto num_result = [&](bool int_ok) {
      return Type{int_ok && a == VType::Int && b == VType::Int ? VType::Int : VType::Number};
    };
    bool money_mix = false;
    switch (x.op) {
      case BinOp::Add:
      case BinOp::Sub: {
        bool add = x.op == BinOp::Add;
        if (is_num(a) && is_num(b)) { op = add ? Ar::AddNum : Ar::SubNum; out = num_result(true); }
        else if (a == VType::Money && b == VType::Money) {
          op = add ? Ar::AddMoney : Ar::SubMoney;
          out = money_of(lt);
          money_mix = lt.currency != rt.currency;
        }
        else if (a == VType::Datetime && b == VType::Duration) { op = add ? Ar::AddDtDur : Ar::SubDtDur; out = {VType::Datetime}; }
        else if (add && a == VType::Duration && b == VType::Datetime) { op = Ar::AddDurDt; out = {VType::Datetime}; }
        else if (!add && a == VType::Datetime && b == VType::Datetime) { op = Ar::SubDtDt; out = {VType::Duration}; }
        else if (a == VType::Duration && b == VType::Duration) { op = add ? Ar::AddDur : Ar::SubDur; out = {VType::Duration}; }
        else found = false;
        break;
      }
      case BinOp::Mul:
        if (is_num(a) && is_num(b)) { op = Ar::MulNum; out = num_result(true); }
        else if (a == VType::Money && is_num(b)) { op = Ar::MulMoneyNum; out = money_of(lt); }
        else if (is_num(a) && b == VType::Money) { op = Ar::MulNumMoney; out = money_of(rt); }
        else if (a == VType::Duration && is_num(b)) { op = Ar::MulDurNum; out = {VType::Duration}; }
        else if (is_num(a) && b == VType::Duration) { op = Ar::MulNumDur; out = {VType::Duration}; }
        else found = false;
        break;
      default:  // Div
        if (is_num(a) && is_num(b)) { op = Ar::DivNum; out = {VType::Number}; }
        else if (a == VType::Money && is_num(b)) { op = Ar::DivMoneyNum; out = money_of(lt); }
        else if (a == VType::Money && b == VType::Money) {
          op = Ar::DivMoneyMoney;
          out = {VType::Number};
          money_mix = lt.currency != rt.currency;
        }
        else if (a == VType::Duration && is_num(b)) { op = Ar::DivDurNum; out = {VType::Duration}; }
        else if (a == VType::Duration && b == VType::Duration) { op = Ar::DivDurDur; out = {VType::Number}; }
        else found = false;
        break;
    }
    if (money_mix)
      return bad(tree_.nodes[x.kids[1]].start, std::string("'") + what + "' mixes currencies: " +
                                                   describe(lt) + " and " + describe(rt));
    if (!found) {
      std::string msg = std::string("cannot use '") + what + "' on " + describe(lt) + " and " + describe(rt);
      if ((x.op == BinOp::Add || x.op == BinOp::Sub) &&
          ((a == VType::Money && is_num(b)) || (is_num(a) && b == VType::Money)))
        msg += std::string(" (add a currency, e.g. 10 ") +
               std::string(Currency::from_index(a == VType::Money ? lt.currency : rt.currency).code()) + ")";
      else if ((x.op == BinOp::Add || x.op == BinOp::Sub) &&
               ((a == VType::Datetime && is_num(b)) || (a == VType::Duration && is_num(b)) ||
                (is_num(a) && (b == VType::Datetime || b == VType::Duration))))
        msg += " (write a duration with its unit, e.g. 2h or 3d)";
      return bad(x.pos, msg);
    }
    Node n = mk(Op::Arith, x.pos, what);
    n.sub = static_cast<std::uint8_t>(op);
    n.a = l;
    n.b = r;
    return fold(emit(n, out, false));
  }

  std::uint32_t cond(const Ast& x) {
    std::uint32_t c = gen(x.kids[0]);
    std::vector<std::uint32_t> branches;
    std::vector<std::uint32_t> asts{x.kids[1], x.kids[2]};
    bool ok = gen_group(asts, branches);
    if (c != kBad && types_[c].kind != VType::Bool) {
      error(tree_.nodes[x.kids[0]].start, "the condition before '?' must be a bool, got " + describe(c));
      ok = false;
    }
    if (!ok || c == kBad) return kBad;
    Type t;
    if (!join(branches, asts, "?", true, t)) return kBad;
    bool null_branch = nullable(branches[0]) || nullable(branches[1]);
    if (is_const(c) && const_val(c).type == VType::Bool) {
      std::uint32_t pick = const_val(c).b ? branches[0] : branches[1];
      if (types_[pick] == t) return pick;
    }
    Node n = mk(Op::Cond, x.pos, "?");
    n.a = c;
    n.b = branches[0];
    n.c = branches[1];
    return fold(emit(n, t, null_branch));
  }

  std::uint32_t list(const Ast& x) {
    std::vector<std::string> items;
    for (auto e : x.kids) {
      if (!is_string_literal(e)) {
        return bad(tree_.nodes[e].start,
                   "a list may hold only string literals here, as in ['a', 'b'] (lists of "
                   "numbers only follow 'in')");
      }
      items.push_back(tree_.nodes[e].text);
    }
    im_.str_lists.push_back(std::move(items));
    return konst(Val::list_of(&im_.str_lists.back()), {VType::List}, x.pos);
  }

  // ---- functions ----------------------------------------------------------------------------

  std::uint32_t arity(const Ast& x, const FnInfo& f, std::size_t lo, std::size_t hi, const char* expect) {
    std::size_t n = x.kids.size();
    if (n >= lo && n <= hi) return 0;
    for (auto k : x.kids) gen(k);  // report problems inside the arguments too
    std::string count;
    if (lo == hi) count = std::to_string(lo) + (lo == 1 ? " argument" : " arguments");
    else if (hi == SIZE_MAX) count = "at least " + std::to_string(lo) + " arguments";
    else count = std::to_string(lo) + " or " + std::to_string(hi) + " arguments";
    return bad(x.pos, std::string(f.what) + " takes " + count + " (" + expect + "), got " +
                          std::to_string(n));
  }

  std::uint32_t arg_error(const Ast& x, std::size_t k, const FnInfo& f, const char* expect,
                          std::uint32_t node) {
    return bad(tree_.nodes[x.kids[k]].start, std::string(f.what) + " takes " + expect + ", got " +
                                                 describe(node));
  }

  std::uint32_t call(const Ast& x) {
    const FnInfo* f = find_function(x.text);
    if (!f) {
      for (auto k : x.kids) gen(k);
      if (scope_.find(x.text) || x.text == "now")
        return bad(x.pos, "'" + x.text + "' is not a function");
      std::string h = util::did_you_mean(x.text, function_names());
      if (h.empty()) {
        h = " (functions:";
        for (const auto& name : function_names()) h += " " + name + ",";
        h.back() = ')';
      }
      return bad(x.pos, "unknown function '" + x.text + "'" + h);
    }
    switch (f->fn) {
      case Fn::Min:
      case Fn::Max:
      case Fn::Clamp: return min_max(x, *f);
      case Fn::Abs: return abs(x, *f);
      case Fn::Round:
      case Fn::Floor:
      case Fn::Ceil: return round(x, *f);
      case Fn::Coalesce: return coalesce(x, *f);
      case Fn::Len: return len(x, *f);
      case Fn::Contains: return contains(x, *f);
      case Fn::Lower:
      case Fn::Upper: return case_map(x, *f);
      case Fn::DaysBetween:
      case Fn::HoursBetween:
      case Fn::MinutesBetween: return between(x, *f);
      case Fn::Date:
      case Fn::Datetime: return date(x, *f);
    }
    return kBad;
  }

  std::uint32_t min_max(const Ast& x, const FnInfo& f) {
    bool clamp = f.fn == Fn::Clamp;
    const char* expect = clamp ? "x, lo, hi: numbers, money, durations or datetimes"
                               : "numbers, money, durations or datetimes";
    if (arity(x, f, clamp ? 3 : 2, clamp ? 3 : SIZE_MAX, expect) == kBad) return kBad;
    std::vector<std::uint32_t> nodes;
    bool ok = gen_group(x.kids, nodes);
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      if (nodes[k] == kBad) continue;
      VType t = types_[nodes[k]].kind;
      if (t == VType::Null) {
        error(tree_.nodes[x.kids[k]].start, std::string("null cannot be used in '") + f.what +
                                                "' (only ==, != and coalesce() accept null)");
        ok = false;
      } else if (!is_num(t) && t != VType::Money && t != VType::Duration && t != VType::Datetime) {
        arg_error(x, k, f, "numbers, money, durations or datetimes", nodes[k]);
        ok = false;
      }
    }
    if (!ok) return kBad;
    Type t;
    if (!join(nodes, x.kids, f.what, false, t)) return kBad;
    Node n = mk(f.fn == Fn::Min ? Op::Min : f.fn == Fn::Max ? Op::Max : Op::Clamp, x.pos, f.what);
    n.a = add_args(nodes);
    n.b = static_cast<std::uint32_t>(nodes.size());
    n.field = t.kind == VType::Duration || t.kind == VType::Datetime ? Field::Micros : Field::Dec;
    return fold(emit(n, t, false));
  }

  std::uint32_t abs(const Ast& x, const FnInfo& f) {
    if (arity(x, f, 1, 1, "a number, money or a duration") == kBad) return kBad;
    std::uint32_t e = gen(x.kids[0]);
    if (e == kBad) return kBad;
    VType t = types_[e].kind;
    if (!is_num(t) && t != VType::Money && t != VType::Duration)
      return arg_error(x, 0, f, "a number, money or a duration", e);
    Node n = mk(Op::Abs, x.pos, f.what);
    n.a = e;
    return fold(emit(n, types_[e], false));
  }

  std::uint32_t round(const Ast& x, const FnInfo& f) {
    if (arity(x, f, 1, 2, "a number or money, and optionally digits 0..12") == kBad) return kBad;
    std::uint32_t e = gen(x.kids[0]);
    int digits = 0;
    bool ok = e != kBad;
    if (x.kids.size() == 2) {
      const Ast& d = tree_.nodes[x.kids[1]];
      auto v = d.kind == AK::Int ? d.num.to_int64() : std::nullopt;
      if (!v || *v < 0 || *v > kMaxRoundDigits) {
        error(d.start, std::string(f.what) +
                           " digits must be a whole number from 0 to 12 written as a literal, as in " +
                           f.name + "(x, 2)");
        ok = false;
      } else {
        digits = static_cast<int>(*v);
      }
    }
    if (!ok) return kBad;
    Type t = types_[e];
    Node n = mk(Op::Round, x.pos, f.what);
    n.a = e;
    n.sub = static_cast<std::uint8_t>(f.fn == Fn::Round ? Rounding::HalfAwayFromZero
                                      : f.fn == Fn::Floor ? Rounding::Floor
                                                          : Rounding::Ceil);
    Type out = t;
    if (t.kind == VType::Money) {
      if (x.kids.size() == 2)
        return bad(tree_.nodes[x.kids[1]].start,
                   std::string(f.what) + " of money takes no digits: it rounds to the currency's minor unit");
      digits = Currency::from_index(t.currency).minor_digits();
    } else if (t.kind == VType::Number) {
      if (digits == 0) out.kind = VType::Int;
    } else if (t.kind != VType::Int) {
      return arg_error(x, 0, f, "a number or money", e);
    }
    n.digits = static_cast<std::uint8_t>(digits);
    return fold(emit(n, out, false));
  }

  std::uint32_t coalesce(const Ast& x, const FnInfo& f) {
    if (arity(x, f, 2, SIZE_MAX, "values of one type") == kBad) return kBad;
    std::vector<std::uint32_t> nodes;
    if (!gen_group(x.kids, nodes)) return kBad;
    Type t;
    if (!join(nodes, x.kids, f.what, true, t)) return kBad;
    // Leading constants that are not null decide the value.
    if (is_const(nodes[0]) && const_val(nodes[0]).type != VType::Null && types_[nodes[0]] == t)
      return nodes[0];
    Node n = mk(Op::Coalesce, x.pos, f.what);
    n.a = add_args(nodes);
    n.b = static_cast<std::uint32_t>(nodes.size());
    return fold(emit(n, t, nullable(nodes.back())));
  }

  std::uint32_t len(const Ast& x, const FnInfo& f) {
    if (arity(x, f, 1, 1, "a list or a string") == kBad) return kBad;
    std::uint32_t e = gen(x.kids[0]);
    if (e == kBad) return kBad;
    VType t = types_[e].kind;
    if (t != VType::List && t != VType::String) return arg_error(x, 0, f, "a list or a string", e);
    Node n = mk(t == VType::List ? Op::LenList : Op::LenStr, x.pos, f.what);
    n.a = e;
    return fold(emit(n, {VType::Int}, false));
  }

  std::uint32_t contains(const Ast& x, const FnInfo& f) {
    if (arity(x, f, 2, 2, "a list or a string, and a string") == kBad) return kBad;
    std::uint32_t a = gen(x.kids[0]);
    std::uint32_t b = gen(x.kids[1]);
    if (a == kBad || b == kBad) return kBad;
    VType at = types_[a].kind, bt = types_[b].kind;
    if (at != VType::List && at != VType::String) return arg_error(x, 0, f, "a list or a string first", a);
    if (at == VType::List && bt != VType::String && bt != VType::Enum)
      return arg_error(x, 1, f, "a string (or an enum value) to look for in a list", b);
    if (at == VType::String && bt != VType::String)
      return arg_error(x, 1, f, "a string to look for in a string", b);
    Node n = mk(at == VType::List ? Op::ContainsList : Op::ContainsStr, x.pos, f.what);
    n.a = a;
    n.b = b;
    return fold(emit(n, {VType::Bool}, false));
  }

  std::uint32_t case_map(const Ast& x, const FnInfo& f) {
    if (arity(x, f, 1, 1, "a string") == kBad) return kBad;
    std::uint32_t e = gen(x.kids[0]);
    if (e == kBad) return kBad;
    if (types_[e].kind != VType::String) return arg_error(x, 0, f, "a string", e);
    Node n = mk(f.fn == Fn::Lower ? Op::Lower : Op::Upper, x.pos, f.what);
    n.a = e;
    return fold(emit(n, {VType::String}, false));
  }

  std::uint32_t between(const Ast& x, const FnInfo& f) {
    if (arity(x, f, 2, 2, "two datetimes") == kBad) return kBad;
    std::uint32_t a = gen(x.kids[0]);
    std::uint32_t b = gen(x.kids[1]);
    bool ok = a != kBad && b != kBad;
    if (a != kBad && types_[a].kind != VType::Datetime) { arg_error(x, 0, f, "two datetimes", a); ok = false; }
    if (b != kBad && types_[b].kind != VType::Datetime) { arg_error(x, 1, f, "two datetimes", b); ok = false; }
    if (!ok) return kBad;
    Node n = mk(Op::Between, x.pos, f.what);
    n.a = a;
    n.b = b;
    n.c = f.fn == Fn::DaysBetween ? 86400000000LL : f.fn == Fn::HoursBetween ? 3600000000LL : 60000000LL;
    return fold(emit(n, {VType::Number}, false));
  }

  std::uint32_t date(const Ast& x, const FnInfo& f) {
    bool is_date = f.fn == Fn::Date;
    const char* expect = is_date ? "a date 'YYYY-MM-DD'" : "an ISO 8601 date-time with Z or an offset";
    if (arity(x, f, 1, 1, expect) == kBad) return kBad;
    const Ast& arg = tree_.nodes[x.kids[0]];
    if (arg.kind == AK::String) {
      auto t = is_date ? Timestamp::parse_date(arg.text) : Timestamp::parse(arg.text);
      if (!t)
        return bad(arg.pos, quoted(arg.text) + (is_date ? " is not a date: date() takes 'YYYY-MM-DD', as in date('2026-11-23')"
                                                        : " is not a date-time: datetime() takes ISO 8601 with Z or an offset, as in datetime('2026-11-23T10:00:00Z')"));
      return konst(Val::datetime(t->micros), {VType::Datetime}, x.pos);
    }
    std::uint32_t e = gen(x.kids[0]);
    if (e == kBad) return kBad;
    if (types_[e].kind != VType::String) return arg_error(x, 0, f, "a string", e);
    Node n = mk(is_date ? Op::ParseDate : Op::ParseDatetime, x.pos, f.what);
    n.a = e;
    return emit(n, {VType::Datetime}, false);
  }

  const SourceMap& map_;
  const Scope& scope_;
  std::vector<Diagnostic>& diags_;
  const ParseTree& tree_;
  Program::Impl& im_;
  std::vector<Type> types_;  // static type of each node (parallel to im_.nodes)
  bool failed_ = false;
};


std::optional<Program> compile_impl(std::string_view text, const SourceMap& map,
                                    const Scope& scope, std::vector<Diagnostic>& diags) {
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
  if (!parse(tokens, text, tree, err)) {
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
                               std::vector<Diagnostic>& diagnostics) {
  try {
    return compile_impl(text, map, scope, diagnostics);
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
