// evaluate(): runs a compiled Program over a frame of slot values (spec §3).
// (Over 500 lines on purpose: one interpreter, one switch over the opcodes of ast.hpp; split
// across files it would hide which operations exist and how null flows through them.)
//
// No allocation on the success path except strings made by lower()/upper() (into Scratch);
// no mutable state shared between calls, so one Program may be evaluated on many threads.
// A null value carries, in Val::i, the index of the name it came from (Program::Impl::names),
// so that using it where a value is needed gives an error naming the fact.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "expr/ast.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"

namespace redress::expr {

Program::Program() : impl_(std::make_unique<Impl>()) {
  Node n;
  n.op = Op::Const;
  n.nullable = true;
  impl_->consts.push_back(Val::null());
  impl_->nodes.push_back(n);
  impl_->names.emplace_back();
}
Program::~Program() = default;
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(Program&&) noexcept = default;

bool Program::is_constant() const {
  return impl_ && impl_->root < impl_->nodes.size() && impl_->nodes[impl_->root].op == Op::Const;
}

Val Program::value() const {
  if (!is_constant()) return Val::null();
  return impl_->consts[impl_->nodes[impl_->root].a];
}

namespace {

struct Ctx {
  const Program::Impl& im;
  const Val* slots;
  std::int64_t now;
  Scratch& scratch;
  EvalError& err;
  Clock* clock;
};

// Val::i of a null `entered_at` (names index of no fact): the Case gives no entry time.
constexpr std::int64_t kUnknownEntry = -1;

bool ev(Ctx& c, std::uint32_t idx, Val& out);

bool fail(Ctx& c, const Node& n, const char* msg) {
  c.err.message = msg;
  c.err.at = {0, n.line, n.column, 0};
  return false;
}
bool fail(Ctx& c, const Node& n, std::string msg) {
  c.err.message = std::move(msg);
  c.err.at = {0, n.line, n.column, 0};
  return false;
}

// `v` (a null made by node `child`) is used by an operator that needs a value.
bool null_error(Ctx& c, std::uint32_t child, const Val& v, const char* what) {
  std::string who;
  if (v.i == kUnknownEntry)
    who = "entered_at is unknown (the case gives no entered_at)";
  else if (v.i > 0 && static_cast<std::size_t>(v.i) < c.im.names.size())
    who = "fact '" + c.im.names[static_cast<std::size_t>(v.i)] + "' is null (absent)";
  else
    who = "the value is null";
  return fail(c, c.im.nodes[child], who + " and cannot be used in '" + what + "'");
}

// Evaluates operand `child` of an operator `what` that needs a value (not null).
bool get(Ctx& c, std::uint32_t child, const char* what, Val& v) {
  if (!ev(c, child, v)) return false;
  if (v.type == VType::Null) return null_error(c, child, v, what);
  return true;
}

bool range(Ctx& c, const Node& n) { return fail(c, n, "number out of range"); }

bool make_datetime(Ctx& c, const Node& n, std::int64_t micros, Val& out) {
  if (micros < kMinDatetimeMicros || micros > kMaxDatetimeMicros)
    return fail(c, n, "datetime out of range (years 0001 to 9999)");
  out = Val::datetime(micros);
  return true;
}

bool make_duration(Ctx& c, const Node& n, std::int64_t micros, Val& out) {
  if (micros < -kMaxDurationMicros || micros > kMaxDurationMicros)
    return fail(c, n, "duration out of range (more than 100000 years)");
  out = Val::duration(micros);
  return true;
}

// Decimal of microseconds -> whole microseconds, half-even.
bool micros_of(Decimal d, std::int64_t& out) {
  Decimal r;
  if (!Decimal::round(d, 0, Rounding::HalfEven, r)) return false;
  auto v = r.to_int64();
  if (!v) return false;
  out = *v;
  return true;
}

int compare(const Val& a, const Val& b, Field f) {
  switch (f) {
    case Field::Dec: return a.d < b.d ? -1 : (b.d < a.d ? 1 : 0);
    case Field::Micros: return a.i < b.i ? -1 : (b.i < a.i ? 1 : 0);
    case Field::Str: {
      int r = a.s.compare(b.s);
      return r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
    case Field::Bool: return a.b == b.b ? 0 : (a.b ? 1 : -1);
  }
  return 0;
}

// Keeps a value's kind in line with the node's static kind (an int where a number is typed).
void settle(const Node& n, Val& v) {
  if (n.type == VType::Number && v.type == VType::Int) v.type = VType::Number;
}

bool arith(Ctx& c, const Node& n, Val& out) {
  Val a, b;
  if (!get(c, n.a, n.what, a) || !get(c, n.b, n.what, b)) return false;
  Decimal r;
  std::int64_t m = 0;
  switch (static_cast<Ar>(n.sub)) {
    case Ar::AddNum:
    case Ar::AddMoney:
      if (!Decimal::add(a.d, b.d, r)) return range(c, n);
      break;
    case Ar::SubNum:
    case Ar::SubMoney:
      if (!Decimal::sub(a.d, b.d, r)) return range(c, n);
      break;
    case Ar::MulNum:
    case Ar::MulMoneyNum:
    case Ar::MulNumMoney:
      if (!Decimal::mul(a.d, b.d, r)) return range(c, n);
      break;
    case Ar::DivNum:
    case Ar::DivMoneyNum:
    case Ar::DivMoneyMoney:
      if (b.d.is_zero()) return fail(c, n, "division by zero");
      if (!Decimal::div(a.d, b.d, r)) return range(c, n);
      break;
    case Ar::AddDtDur:
      if (__builtin_add_overflow(a.i, b.i, &m)) return fail(c, n, "datetime out of range (years 0001 to 9999)");
      return make_datetime(c, n, m, out);
    case Ar::AddDurDt:
      if (__builtin_add_overflow(a.i, b.i, &m)) return fail(c, n, "datetime out of range (years 0001 to 9999)");
      return make_datetime(c, n, m, out);
    case Ar::SubDtDur:
      if (__builtin_sub_overflow(a.i, b.i, &m)) return fail(c, n, "datetime out of range (years 0001 to 9999)");
      return make_datetime(c, n, m, out);
    case Ar::SubDtDt:
    case Ar::SubDur:
      if (__builtin_sub_overflow(a.i, b.i, &m)) return fail(c, n, "duration out of range (more than 100000 years)");
      return make_duration(c, n, m, out);
    case Ar::AddDur:
      if (__builtin_add_overflow(a.i, b.i, &m)) return fail(c, n, "duration out of range (more than 100000 years)");
      return make_duration(c, n, m, out);
    case Ar::MulDurNum:
    case Ar::MulNumDur: {
      const Val& dur = n.sub == static_cast<std::uint8_t>(Ar::MulDurNum) ? a : b;
      const Val& num = n.sub == static_cast<std::uint8_t>(Ar::MulDurNum) ? b : a;
      if (!Decimal::mul(Decimal::from_int(dur.i), num.d, r) || !micros_of(r, m))
        return fail(c, n, "duration out of range (more than 100000 years)");
      return make_duration(c, n, m, out);
    }
    case Ar::DivDurNum:
      if (b.d.is_zero()) return fail(c, n, "division by zero");
      if (!Decimal::div(Decimal::from_int(a.i), b.d, r) || !micros_of(r, m))
        return fail(c, n, "duration out of range (more than 100000 years)");
      return make_duration(c, n, m, out);
    case Ar::DivDurDur:
      if (b.i == 0) return fail(c, n, "division by zero");
      if (!Decimal::div(Decimal::from_int(a.i), Decimal::from_int(b.i), r)) return range(c, n);
      break;
  }
  out = Val{};
  out.type = n.type;
  out.d = r;
  out.currency = n.currency;
  return true;
}

bool cmp(Ctx& c, const Node& n, Val& out) {
  Val a, b;
  if (!ev(c, n.a, a) || !ev(c, n.b, b)) return false;
  auto op = static_cast<CmpOp>(n.sub);
  if (a.type == VType::Null || b.type == VType::Null) {
    bool both = a.type == b.type;
    if (op == CmpOp::Eq) { out = Val::boolean(both); return true; }
    if (op == CmpOp::Ne) { out = Val::boolean(!both); return true; }
    return a.type == VType::Null ? null_error(c, n.a, a, n.what) : null_error(c, n.b, b, n.what);
  }
  int r = compare(a, b, n.field);
  bool v = false;
  switch (op) {
    case CmpOp::Eq: v = r == 0; break;
    case CmpOp::Ne: v = r != 0; break;
    case CmpOp::Lt: v = r < 0; break;
    case CmpOp::Le: v = r <= 0; break;
    case CmpOp::Gt: v = r > 0; break;
    case CmpOp::Ge: v = r >= 0; break;
  }
  out = Val::boolean(v);
  return true;
}

// Cyrillic and ASCII case mapping in place; every mapped character keeps its byte length.
void map_case(std::string& s, bool to_lower) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (to_lower && b >= 'A' && b <= 'Z') s[i] = static_cast<char>(b + 32);
      if (!to_lower && b >= 'a' && b <= 'z') s[i] = static_cast<char>(b - 32);
      continue;
    }
    if (i + 1 >= s.size()) break;
    auto n = static_cast<unsigned char>(s[i + 1]);
    if (to_lower) {
      if (b == 0xD0 && n >= 0x90 && n <= 0x9F) s[i + 1] = static_cast<char>(n + 0x20);  // А-П
      else if (b == 0xD0 && n >= 0xA0 && n <= 0xAF) {                                     // Р-Я
        s[i] = static_cast<char>(0xD1);
        s[i + 1] = static_cast<char>(n - 0x20);
      } else if (b == 0xD0 && n == 0x81) {  // Ё
        s[i] = static_cast<char>(0xD1);
        s[i + 1] = static_cast<char>(0x91);
      }
    } else {
      if (b == 0xD0 && n >= 0xB0 && n <= 0xBF) s[i + 1] = static_cast<char>(n - 0x20);  // а-п
      else if (b == 0xD1 && n >= 0x80 && n <= 0x8F) {                                  // р-я
        s[i] = static_cast<char>(0xD0);
        s[i + 1] = static_cast<char>(n + 0x20);
      } else if (b == 0xD1 && n == 0x91) {  // ё
        s[i] = static_cast<char>(0xD0);
        s[i + 1] = static_cast<char>(0x81);
      }
    }
    ++i;  // skip the second byte of a two-byte sequence (others are left as they are)
    while (i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) ++i;
  }
}

bool needs_case_map(std::string_view s, bool to_lower) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if (to_lower ? (b >= 'A' && b <= 'Z') : (b >= 'a' && b <= 'z')) return true;
    if (i + 1 >= s.size()) break;
    auto n = static_cast<unsigned char>(s[i + 1]);
    if (to_lower ? (b == 0xD0 && (n == 0x81 || (n >= 0x90 && n <= 0xAF)))
                 : ((b == 0xD0 && n >= 0xB0 && n <= 0xBF) ||
                    (b == 0xD1 && ((n >= 0x80 && n <= 0x8F) || n == 0x91))))
      return true;
  }
  return false;
}

// `(time since start) OP span`, as a `within:` of that span from the start would be overdue
// (spec §3 "Time"): `>` once now is past the instant, `>=` from it on. Reports the instant,
// at which the comparison changes by time alone, to next_change_at.
bool clock_compare(Ctx& c, const Node& n, Val& out) {
  std::optional<Timestamp> start;
  if (n.a == kNoNode) {
    start = c.clock->entered_at();
    if (!start) {
      return fail(c, n, "'age' needs the time the case entered its state, but entered_at is unknown (the case gives no "
                        "entered_at); check 'entered_at != null' first");
    }
  } else {
    Val v;
    if (!get(c, n.a, "since()", v)) return false;
    if (v.i < kMinDatetimeMicros || v.i > kMaxDatetimeMicros) return fail(c, n, "datetime out of range (years 0001 to 9999)");
    start = Timestamp{v.i};
  }
  auto unit = static_cast<Clock::Unit>(n.digits);
  std::int64_t amount = n.c;
  if (n.b != kNoNode) {
    Val d;
    if (!get(c, n.b, n.what, d)) return false;
    amount = d.i;
  }
  const Timestamp due = c.clock->after(*start, unit, amount);
  c.clock->changes_at(due);
  bool v = false;
  switch (static_cast<CmpOp>(n.sub)) {
    case CmpOp::Gt: v = due.micros < c.now; break;
    case CmpOp::Ge: v = due.micros <= c.now; break;
    case CmpOp::Lt: v = !(due.micros <= c.now); break;
    case CmpOp::Le: v = !(due.micros < c.now); break;
    default: break;
  }
  out = Val::boolean(v);
  return true;
}

bool ev(Ctx& c, std::uint32_t idx, Val& out) {
  const Node& n = c.im.nodes[idx];
  const bool timed = n.op == Op::EnteredAt || n.op == Op::ClockCmp || n.op == Op::Overdue || n.op == Op::BusinessTime;
  if (timed && !c.clock) return fail(c, n, std::string("internal error: no clock for '") + n.what + "'");
  switch (n.op) {
    case Op::Const:
      out = c.im.consts[n.a];
      return true;

    case Op::Load: {
      const std::string& name = c.im.names[n.b];
      if (!c.slots) return fail(c, n, "internal error: no values given for fact '" + name + "'");
      const Val& v = c.slots[n.a];
      if (v.type == VType::Null) {
        if (!n.nullable) return fail(c, n, "fact '" + name + "' is null (absent) but has no default and is not optional");
        out = Val::null();
        out.i = n.b;
        return true;
      }
      bool ok = v.type == n.type || (n.type == VType::Number && v.type == VType::Int) ||
                (n.type == VType::Int && v.type == VType::Number && v.d.is_integer());
      if (ok && n.type == VType::Money && v.currency != n.currency) ok = false;
      if (ok && n.type == VType::Enum && (v.i < 0 || v.i >= n.c)) ok = false;
      if (!ok)
        return fail(c, n, "internal error: fact '" + name + "' holds a " + to_string(v.type) +
                              " value where " + to_string(n.type) + " is declared");
      out = v;
      out.type = n.type;
      return true;
    }

    case Op::Now:
      out = Val::datetime(c.now);
      return true;

    case Op::Neg: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      if (a.type == VType::Duration) {
        if (a.i < -kMaxDurationMicros || a.i > kMaxDurationMicros)
          return fail(c, n, "duration out of range (more than 100000 years)");
        return make_duration(c, n, -a.i, out);
      }
      Decimal r;
      if (!Decimal::neg(a.d, r)) return range(c, n);
      out = a;
      out.d = r;
      settle(n, out);
      return true;
    }

    case Op::Not: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      out = Val::boolean(!a.b);
      return true;
    }

    case Op::And:
    case Op::Or: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      bool is_and = n.op == Op::And;
      if (a.b != is_and) {  // false and …, true or …
        out = Val::boolean(a.b);
        return true;
      }
      Val b;
      if (!get(c, n.b, n.what, b)) return false;
      out = Val::boolean(b.b);
      return true;
    }

    case Op::Cond: {
      Val k;
      if (!get(c, n.a, n.what, k)) return false;
      if (!ev(c, k.b ? n.b : static_cast<std::uint32_t>(n.c), out)) return false;
      settle(n, out);
      return true;
    }

    case Op::Arith: return arith(c, n, out);
    case Op::Cmp: return cmp(c, n, out);

    case Op::IsNull: {
      Val a;
      if (!ev(c, n.a, a)) return false;
      bool is_null = a.type == VType::Null;
      out = Val::boolean(n.sub == 0 ? is_null : !is_null);
      return true;
    }

    case Op::InList: {
      Val a, l;
      if (!get(c, n.a, n.what, a) || !get(c, n.b, n.what, l)) return false;
      bool found = false;
      if (l.list)
        for (const auto& s : *l.list)
          if (s == a.s) { found = true; break; }
      out = Val::boolean(found != (n.sub != 0));
      return true;
    }
    case Op::InStrs: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      bool found = false;
      for (const auto& s : c.im.str_lists[n.b])
        if (s == a.s) { found = true; break; }
      out = Val::boolean(found != (n.sub != 0));
      return true;
    }
    case Op::InEnums: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      bool found = false;
      for (auto v : c.im.enum_sets[n.b])
        if (v == a.i) { found = true; break; }
      out = Val::boolean(found != (n.sub != 0));
      return true;
    }
    case Op::InNums: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      bool found = false;
      for (auto v : c.im.num_sets[n.b])
        if (v == a.d) { found = true; break; }
      out = Val::boolean(found != (n.sub != 0));
      return true;
    }

    case Op::Min:
    case Op::Max: {
      bool is_min = n.op == Op::Min;
      for (std::uint32_t k = 0; k < n.b; ++k) {
        Val v;
        if (!get(c, c.im.args[n.a + k], n.what, v)) return false;
        if (k == 0) { out = v; continue; }
        int r = compare(v, out, n.field);
        if (is_min ? r < 0 : r > 0) out = v;
      }
      settle(n, out);
      return true;
    }

    case Op::Clamp: {
      Val x, lo, hi;
      if (!get(c, c.im.args[n.a], n.what, x) || !get(c, c.im.args[n.a + 1], n.what, lo) ||
          !get(c, c.im.args[n.a + 2], n.what, hi))
        return false;
      if (compare(lo, hi, n.field) > 0)
        return fail(c, n, "clamp(x, lo, hi): the lower bound " + display(lo) +
                              " is above the upper bound " + display(hi));
      out = compare(x, lo, n.field) < 0 ? lo : compare(x, hi, n.field) > 0 ? hi : x;
      settle(n, out);
      return true;
    }

    case Op::Abs: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      out = a;
      if (a.type == VType::Duration) {
        if (a.i < -kMaxDurationMicros) return fail(c, n, "duration out of range (more than 100000 years)");
        if (a.i < 0) out.i = -a.i;
        return true;
      }
      if (a.d.sign() < 0 && !Decimal::neg(a.d, out.d)) return range(c, n);
      return true;
    }

    case Op::Round: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      Decimal r;
      if (!Decimal::round(a.d, n.digits, static_cast<Rounding>(n.sub), r)) return range(c, n);
      out = a;
      out.d = r;
      out.type = n.type;
      return true;
    }

    case Op::Coalesce: {
      for (std::uint32_t k = 0; k < n.b; ++k) {
        if (!ev(c, c.im.args[n.a + k], out)) return false;
        if (out.type != VType::Null) break;
      }
      settle(n, out);
      return true;
    }

    case Op::LenList:
    case Op::LenStr: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      std::int64_t len = 0;
      if (n.op == Op::LenList) {
        len = a.list ? static_cast<std::int64_t>(a.list->size()) : 0;
      } else {
        for (char ch : a.s)
          if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++len;
      }
      out = Val::integer(Decimal::from_int(len));
      return true;
    }

    case Op::ContainsList: {
      Val l, x;
      if (!get(c, n.a, n.what, l) || !get(c, n.b, n.what, x)) return false;
      bool found = false;
      if (l.list)
        for (const auto& s : *l.list)
          if (s == x.s) { found = true; break; }
      out = Val::boolean(found);
      return true;
    }

    case Op::ContainsStr: {
      Val s, x;
      if (!get(c, n.a, n.what, s) || !get(c, n.b, n.what, x)) return false;
      out = Val::boolean(s.s.find(x.s) != std::string_view::npos);
      return true;
    }

    case Op::Lower:
    case Op::Upper: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      bool to_lower = n.op == Op::Lower;
      if (!needs_case_map(a.s, to_lower)) {
        out = a;
        return true;
      }
      c.scratch.strings.emplace_front(a.s);
      std::string& s = c.scratch.strings.front();
      map_case(s, to_lower);
      out = Val::string(s);
      return true;
    }

    case Op::Between: {
      Val a, b;
      if (!get(c, n.a, n.what, a) || !get(c, n.b, n.what, b)) return false;
      std::int64_t diff = 0;
      Decimal r;
      if (__builtin_sub_overflow(b.i, a.i, &diff) ||
          !Decimal::div(Decimal::from_int(diff), Decimal::from_int(n.c), r))
        return range(c, n);
      out = Val::number(r);
      return true;
    }

    case Op::ParseDate:
    case Op::ParseDatetime: {
      Val a;
      if (!get(c, n.a, n.what, a)) return false;
      bool is_date = n.op == Op::ParseDate;
      auto t = is_date ? Timestamp::parse_date(a.s) : Timestamp::parse(a.s);
      if (!t) {
        std::string shown(a.s.substr(0, 64));
        for (char& ch : shown)
          if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
        return fail(c, n, std::string(n.what) + ": '" + shown + (a.s.size() > 64 ? "...'" : "'") +
                              (is_date ? " is not a date (YYYY-MM-DD)"
                                       : " is not an ISO 8601 date-time with Z or an offset"));
      }
      out = Val::datetime(t->micros);
      return true;
    }

    case Op::EnteredAt: {
      if (auto t = c.clock->entered_at()) {
        out = Val::datetime(t->micros);
      } else {
        out = Val::null();
        out.i = kUnknownEntry;
      }
      return true;
    }

    case Op::ClockCmp: return clock_compare(c, n, out);

    case Op::Overdue:
      out = Val::boolean(c.clock->overdue(n.a));
      return true;

    case Op::BusinessTime: {
      Val a, b;
      if (!get(c, n.a, n.what, a) || !get(c, n.b, n.what, b)) return false;
      for (const Val* v : {&a, &b})
        if (v->i < kMinDatetimeMicros || v->i > kMaxDatetimeMicros)
          return fail(c, n, "datetime out of range (years 0001 to 9999)");
      return make_duration(c, n, c.clock->business_time(Timestamp{a.i}, Timestamp{b.i}).micros, out);
    }
  }
  return fail(c, n, "internal error: unknown operation");
}

}  // namespace

bool eval_node(const Program::Impl& im, std::uint32_t n, const Val* slots, std::int64_t now,
               Scratch& scratch, Val& out, EvalError& err, Clock* clock) {
  Ctx c{im, slots, now, scratch, err, clock};
  return ev(c, n, out);
}

bool evaluate(const Program& p, const Val* slots, Timestamp now, Scratch& scratch, Val& out,
              EvalError& err, Clock* clock) {
  try {
    const Program::Impl* im = ProgramBuilder::impl(p);
    if (!im || im->root >= im->nodes.size()) {
      err.message = "internal error: evaluating an empty program";
      err.at = p.location();
      return false;
    }
    if (!eval_node(*im, im->root, slots, now.micros, scratch, out, err, clock)) {
      // Nodes know their line and column; the file is the program's.
      err.at.file = p.location().file;
      if (!err.at.line) err.at = p.location();
      return false;
    }
    if (out.type == VType::Null) out = Val::null();
    return true;
  } catch (...) {
    try {
      err.message = "out of memory while evaluating an expression";
    } catch (...) {
    }
    err.at = p.location();
    return false;
  }
}

std::string display(const Val& v) {
  switch (v.type) {
    case VType::Null: return "null";
    case VType::Bool: return v.b ? "true" : "false";
    case VType::Int:
    case VType::Number: return v.d.to_string();
    case VType::Money: return Money{v.d, Currency::from_index(v.currency)}.to_string();
    case VType::String:
    case VType::Enum: return std::string(v.s);
    case VType::Datetime: return Timestamp{v.i}.to_string();
    case VType::Duration: return Duration{v.i}.to_string();
    case VType::List: {
      std::string s = "[";
      if (v.list)
        for (std::size_t k = 0; k < v.list->size(); ++k) s += (k ? ", " : "") + (*v.list)[k];
      return s + "]";
    }
  }
  return "?";
}

}  // namespace redress::expr
