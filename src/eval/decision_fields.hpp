// The Decision's fields, described once, in spec §5's order and with its names. Every form of a
// Decision is a walk over this description: its JSON (json.cpp; through JsonSink also Python's
// to_dict), its lossless bytes (decision_bytes.cpp; Python's pickling) and equality
// (decision_equal.cpp). A new Decision field is one line here, and every form carries it.
//
// Fields<T>::apply(v, x...) calls v(name, x.member...) for each member in order, with one object
// (writing, reading) or two (comparing). A visitor walks a member that is itself described (a
// nested struct) through Fields again; Fields<T>::described tells which types are.
#pragma once

#include "redress/decision.hpp"

namespace redress::detail {

template <class T>
struct Fields {
  static constexpr bool described = false;
};

template <>
struct Fields<ActionOut> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... a) {
    v("action", a.action...);
    v("due_at", a.due_at...);
    v("overdue", a.overdue...);
    v("done", a.done...);
    v("say", a.say...);
    v("options", a.options...);
    v("to", a.to...);
  }
};

template <>
struct Fields<Escalation> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... e) {
    v("level", e.level...);
    v("rank", e.rank...);
    v("reasons", e.reasons...);
  }
};

template <>
struct Fields<SignOff> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... s) {
    v("level", s.level...);
    v("by", s.by...);
    v("at", s.at...);
    v("amount", s.amount...);
  }
};

template <>
struct Fields<CompensationItem> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... i) {
    v("id", i.id...);
    v("kind", i.kind...);
    v("basis", i.basis...);
    v("amount", i.amount...);
    v("paid", i.paid...);
    v("remaining", i.remaining...);
  }
};

template <>
struct Fields<Compensation> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... c) {
    v("total", c.total...);
    v("owed", c.owed...);
    v("goodwill", c.goodwill...);
    v("capped", c.capped...);
    v("approval", c.approval...);
    v("approved", c.approved...);
    v("signed_off", c.signed_off...);
    v("sign_off", c.sign_off...);
    v("held", c.held...);
    v("hold_reason", c.hold_reason...);
    v("paid", c.paid...);
    v("remaining", c.remaining...);
    v("payable", c.payable...);
    v("items", c.items...);
  }
};

template <>
struct Fields<ToClose> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... t) {
    v("steps", t.steps...);
    v("events", t.events...);
    v("states", t.states...);
  }
};

template <>
struct Fields<TraceStep> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... t) {
    v("at", t.at...);
    v("what", t.what...);
    v("expr", t.expr...);
    v("value", t.value...);
  }
};

template <>
struct Fields<Decision> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... d) {
    v("playbook", d.playbook...);
    v("version", d.version...);
    v("fingerprint", d.fingerprint...);
    v("state", d.state...);
    v("terminal", d.terminal...);
    v("path", d.path...);
    v("actions", d.actions...);
    v("escalation", d.escalation...);
    v("compensation", d.compensation...);
    v("to_close", d.to_close...);
    v("next_change_at", d.next_change_at...);
    v("warnings", d.warnings...);
    // Only when the evaluation asked for a trace: the key is absent otherwise (spec §5).
    v.present_if("trace", d.has_trace..., d.trace...);
  }
};

template <class T>
constexpr bool kDescribed = Fields<T>::described;

}  // namespace redress::detail
