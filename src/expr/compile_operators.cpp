// Compiling operators (see compiler.hpp): not/and/or, comparisons, `in`, arithmetic, ?: and
// list literals. The type rules they apply are listed at the top of compile.cpp.
#include <algorithm>
#include <optional>
#include <string>

#include "expr/compiler.hpp"
#include "redress/money.hpp"
#include "util/text.hpp"

namespace redress::expr {

std::uint32_t Compiler::neg(const Ast& x) {
  std::uint32_t e = gen(x.kids[0]);
  if (e == kBad) return kBad;
  VType k = types_[e].kind;
  if (!is_num(k) && k != VType::Money && k != VType::Duration)
    return bad(x.pos, "'-' needs a number, money or a duration, got " + describe(e));
  Node n = mk(Op::Neg, x.pos, "-");
  n.a = e;
  return fold(emit(n, types_[e], false));
}

std::uint32_t Compiler::not_(const Ast& x) {
  std::uint32_t e = gen(x.kids[0]);
  if (e == kBad) return kBad;
  if (types_[e].kind != VType::Bool)
    return bad(x.pos, "'not' needs a bool, got " + describe(e));
  Node n = mk(Op::Not, x.pos, "not");
  n.a = e;
  return fold(emit(n, {VType::Bool}, false));
}

std::uint32_t Compiler::binary(const Ast& x) {
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

std::uint32_t Compiler::logic(const Ast& x) {
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

std::uint32_t Compiler::compare(const Ast& x) {
  if (is_clock(x.kids[0]) || is_clock(x.kids[1])) return clock_compare(x);
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

std::optional<Decimal> Compiler::number_literal(std::uint32_t a) const {
  const Ast& x = tree_.nodes[a];
  if (x.kind == AK::Int || x.kind == AK::Number) return x.num;
  if (x.kind == AK::Neg) {
    auto v = number_literal(x.kids[0]);
    Decimal out;
    if (v && Decimal::neg(*v, out)) return out;
  }
  return std::nullopt;
}

std::uint32_t Compiler::in(const Ast& x) {
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

std::uint32_t Compiler::arith(const Ast& x) {
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

std::uint32_t Compiler::cond(const Ast& x) {
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

std::uint32_t Compiler::list(const Ast& x) {
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

}  // namespace redress::expr
