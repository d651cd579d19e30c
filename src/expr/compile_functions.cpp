// Compiling function calls (see compiler.hpp): the table of functions and one method each.
// A new function: a row in kFunctions, an Fn value (compiler.hpp), a case in call(), a method
// here, its opcode in ast.hpp and its evaluation in eval.cpp; spec §3 lists it.
#include <algorithm>
#include <string>

#include "expr/compiler.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"
#include "util/text.hpp"

namespace redress::expr {

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
    {"since", "since()", Fn::Since},
    {"overdue", "overdue()", Fn::Overdue},
    {"business_time_between", "business_time_between()", Fn::BusinessTimeBetween},
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

std::uint32_t Compiler::arity(const Ast& x, const FnInfo& f, std::size_t lo, std::size_t hi, const char* expect) {
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

std::uint32_t Compiler::arg_error(const Ast& x, std::size_t k, const FnInfo& f, const char* expect,
                                  std::uint32_t node) {
  return bad(tree_.nodes[x.kids[k]].start, std::string(f.what) + " takes " + expect + ", got " +
                                               describe(node));
}

std::uint32_t Compiler::call(const Ast& x) {
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
    case Fn::Since: return since(x, *f);
    case Fn::Overdue: return overdue(x, *f);
    case Fn::BusinessTimeBetween: return business_time(x, *f);
  }
  return kBad;
}

std::uint32_t Compiler::min_max(const Ast& x, const FnInfo& f) {
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

std::uint32_t Compiler::abs(const Ast& x, const FnInfo& f) {
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

std::uint32_t Compiler::round(const Ast& x, const FnInfo& f) {
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

std::uint32_t Compiler::coalesce(const Ast& x, const FnInfo& f) {
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

std::uint32_t Compiler::len(const Ast& x, const FnInfo& f) {
  if (arity(x, f, 1, 1, "a list or a string") == kBad) return kBad;
  std::uint32_t e = gen(x.kids[0]);
  if (e == kBad) return kBad;
  VType t = types_[e].kind;
  if (t != VType::List && t != VType::String) return arg_error(x, 0, f, "a list or a string", e);
  Node n = mk(t == VType::List ? Op::LenList : Op::LenStr, x.pos, f.what);
  n.a = e;
  return fold(emit(n, {VType::Int}, false));
}

std::uint32_t Compiler::contains(const Ast& x, const FnInfo& f) {
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

std::uint32_t Compiler::case_map(const Ast& x, const FnInfo& f) {
  if (arity(x, f, 1, 1, "a string") == kBad) return kBad;
  std::uint32_t e = gen(x.kids[0]);
  if (e == kBad) return kBad;
  if (types_[e].kind != VType::String) return arg_error(x, 0, f, "a string", e);
  Node n = mk(f.fn == Fn::Lower ? Op::Lower : Op::Upper, x.pos, f.what);
  n.a = e;
  return fold(emit(n, {VType::String}, false));
}

std::uint32_t Compiler::between(const Ast& x, const FnInfo& f) {
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

std::uint32_t Compiler::date(const Ast& x, const FnInfo& f) {
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

}  // namespace redress::expr
