// Compiling the case's time (spec §3 "Time", issue #10): `entered_at`, `age`, `since(x)`,
// `overdue('action')`, `business_time_between(a, b)` and business spans (`4bh`, `2bd`).
//
// `age` and `since(x)` are clocks, not values: they appear only compared with a span, and the
// comparison counts that span exactly as a `within:` does (on the state's calendar, skipping
// pauses): `age > D` holds once `now` is past the instant D after the case entered its state,
// `age >= D` from that instant on. So `age > 4bh` turns true together with `overdue()` of a
// `within: 4bh` action, and `age > 4h` counts wall-clock hours (minus pauses) like `within: 4h`.
// Each comparison compiles to one ClockCmp node that the evaluation's Clock answers.
#include <string>

#include "expr/compiler.hpp"
#include "util/text.hpp"

namespace redress::expr {

bool Compiler::is_clock(std::uint32_t a) const {
  const Ast& x = tree_.nodes[a];
  if (x.kind == AK::Name) return x.text == "age" && !scope_.find(x.text);
  return x.kind == AK::Call && x.text == "since";
}

bool Compiler::needs_state(const Ast& x, const char* what) {
  if (scope_.state_clock) return true;
  error(x.pos, std::string(what) +
                   " reads the state the case is in, which a 'let' or 'match' comes before: use it in a "
                   "transition, timeout, escalation, compensation or action 'when'");
  return false;
}

std::uint32_t Compiler::time_name(const Ast& x) {
  if (x.text == "age") {
    if (!needs_state(x, "'age'")) return kBad;
    return bad(x.pos, "'age' is compared with a span, as in 'age > 4bh' or 'age >= 2bd'; for the time as a "
                      "duration write business_time_between(entered_at, now), or now - entered_at for wall-clock time");
  }
  if (!needs_state(x, "'entered_at'")) return kBad;
  // Null when the Case gives no entry time (spec §4): usable with == and != null like an
  // optional fact, an evaluation error anywhere else.
  return emit(mk(Op::EnteredAt, x.pos, "entered_at"), {VType::Datetime}, true);
}

std::uint32_t Compiler::span_literal(const Ast& x) {
  return bad(x.pos, "a business span (4bh, 2bd) counts from a start on a calendar, so it is compared with 'age' "
                    "or 'since(...)' only, as in 'age > 2bd'; elsewhere write a duration (4h, 2d)");
}

std::uint32_t Compiler::clock_compare(const Ast& x) {
  const bool left = is_clock(x.kids[0]);
  const std::uint32_t ca = left ? x.kids[0] : x.kids[1];
  const std::uint32_t sa = left ? x.kids[1] : x.kids[0];
  const Ast& c = tree_.nodes[ca];
  const Ast& s = tree_.nodes[sa];
  const char* who = c.kind == AK::Name ? "'age'" : "since()";
  if (is_clock(sa)) {
    return bad(x.pos, std::string("compare ") + who + " with a span (4bh, 2bd, 4h), not with another clock");
  }
  if (x.op == BinOp::Eq || x.op == BinOp::Ne) {
    return bad(x.pos, std::string(who) + " is compared with < <= > >=, not '" + cmp_what(x.op) +
                          "': time passes through any instant, so 'age == 2bd' would hold for no case");
  }
  if (!needs_state(c, who)) return kBad;
  std::uint32_t start = kNoNode;
  if (c.kind == AK::Call) {
    static const FnInfo kSince{"since", "since()", Fn::Since};
    if (arity(c, kSince, 1, 1, "a datetime") == kBad) return kBad;
    start = gen(c.kids[0]);
    if (start == kBad) return kBad;
    if (types_[start].kind != VType::Datetime) return arg_error(c, 0, kSince, "a datetime", start);
  }
  Node n = mk(Op::ClockCmp, c.pos, cmp_what(x.op));
  n.a = start;
  n.b = kNoNode;
  if (s.kind == AK::Span) {
    n.digits = static_cast<std::uint8_t>(s.unit);
    n.c = s.micros;
  } else {
    const std::uint32_t d = gen(sa);
    if (d == kBad) return kBad;
    if (types_[d].kind != VType::Duration)
      return bad(s.start, std::string(who) + " is compared with a span: business hours or days (4bh, 2bd) or a "
                                             "duration (4h, a duration fact), got " + describe(d));
    n.b = d;
    n.digits = static_cast<std::uint8_t>(Clock::Unit::Wall);
  }
  // Stored as (clock) OP (span): `2bd < age` is `age > 2bd`.
  CmpOp op = CmpOp::Gt;
  switch (x.op) {
    case BinOp::Lt: op = left ? CmpOp::Lt : CmpOp::Gt; break;
    case BinOp::Le: op = left ? CmpOp::Le : CmpOp::Ge; break;
    case BinOp::Gt: op = left ? CmpOp::Gt : CmpOp::Lt; break;
    case BinOp::Ge: op = left ? CmpOp::Ge : CmpOp::Le; break;
    default: break;
  }
  n.sub = static_cast<std::uint8_t>(op);
  return emit(n, {VType::Bool}, false);
}

std::uint32_t Compiler::since(const Ast& x, const FnInfo& f) {
  for (auto k : x.kids) gen(k);  // report problems inside the argument too
  if (!needs_state(x, "since()")) return kBad;
  return bad(x.pos, std::string(f.what) + " is compared with a span, as in 'since(reported_at) > 2bd'; for the "
                                         "time as a duration write business_time_between(reported_at, now)");
}

std::uint32_t Compiler::overdue(const Ast& x, const FnInfo& f) {
  if (arity(x, f, 1, 1, "an action id in quotes, as in overdue('acknowledge')") == kBad) return kBad;
  const Ast& arg = tree_.nodes[x.kids[0]];
  if (arg.kind != AK::String) {
    gen(x.kids[0]);
    return bad(arg.start, std::string(f.what) + " takes an action id in quotes, as in overdue('acknowledge')");
  }
  if (!needs_state(x, "overdue()")) return kBad;
  for (std::size_t i = 0; i < scope_.actions.size(); ++i) {
    if (scope_.actions[i] != arg.text) continue;
    Node n = mk(Op::Overdue, x.pos, f.what);
    n.a = static_cast<std::uint32_t>(i);
    return emit(n, {VType::Bool}, false);
  }
  std::string msg = "overdue(): no state of the playbook has an action " + quoted(arg.text);
  if (scope_.actions.empty()) msg += " (the playbook has no actions)";
  else msg += util::did_you_mean_or_list(arg.text, scope_.actions, "actions:");
  return bad(arg.pos, msg);
}

std::uint32_t Compiler::business_time(const Ast& x, const FnInfo& f) {
  if (arity(x, f, 2, 2, "two datetimes") == kBad) return kBad;
  const std::uint32_t a = gen(x.kids[0]);
  const std::uint32_t b = gen(x.kids[1]);
  bool ok = a != kBad && b != kBad;
  if (a != kBad && types_[a].kind != VType::Datetime) { arg_error(x, 0, f, "two datetimes", a); ok = false; }
  if (b != kBad && types_[b].kind != VType::Datetime) { arg_error(x, 1, f, "two datetimes", b); ok = false; }
  if (!ok) return kBad;
  Node n = mk(Op::BusinessTime, x.pos, f.what);
  n.a = a;
  n.b = b;
  return emit(n, {VType::Duration}, false);
}

std::vector<TimeUse> time_used(const Program& p) {
  std::vector<TimeUse> out;
  const Program::Impl* im = ProgramBuilder::impl(p);
  if (!im) return out;
  for (const auto& n : im->nodes) {
    TimeUse use;
    use.at = SourceLocation{p.location().file, n.line, n.column, 0};
    switch (n.op) {
      case Op::EnteredAt: use.kind = TimeUse::Kind::EnteredAt; break;
      case Op::ClockCmp: use.kind = n.a == kNoNode ? TimeUse::Kind::Age : TimeUse::Kind::Since; break;
      case Op::Overdue:
        use.kind = TimeUse::Kind::Overdue;
        use.action = n.a;
        break;
      default: continue;
    }
    out.push_back(use);
  }
  return out;
}

}  // namespace redress::expr
