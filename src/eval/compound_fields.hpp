// The CompoundDecision's fields (spec §5.1), described once in the style of decision_fields.hpp:
// its JSON (json.cpp, and through JsonSink Python's to_dict) walks this description. A part is
// a Decision and is written by its own description.
#pragma once

#include "eval/decision_fields.hpp"
#include "redress/compound.hpp"

namespace redress::detail {

template <>
struct Fields<Tagged> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... t) {
    v("playbook", t.playbook...);
    v("text", t.text...);
  }
};

template <>
struct Fields<ActionSource> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... a) {
    v("playbook", a.playbook...);
    v("action", a.action...);
  }
};

// A step reads like a Decision's action, plus where it came from.
template <>
struct Fields<CompoundAction> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... a) {
    Fields<ActionOut>::apply(v, a.step...);
    v("from", a.from...);
  }
};

template <>
struct Fields<CompoundEscalation> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... e) {
    v("level", e.level...);
    v("rank", e.rank...);
    v("reasons", e.reasons...);
  }
};

template <>
struct Fields<ItemRef> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... r) {
    v("playbook", r.playbook...);
    v("item", r.item...);
  }
};

template <>
struct Fields<CompoundItem> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... i) {
    v("playbook", i.playbook...);
    v("id", i.id...);
    v("kind", i.kind...);
    v("basis", i.basis...);
    v("covers", i.covers...);
    v("claimed", i.claimed...);
    v("amount", i.amount...);
    v("covered_by", i.covered_by...);
    v("paid", i.paid...);
    v("remaining", i.remaining...);
  }
};

template <>
struct Fields<CompoundCompensation> {
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
    v("hold_reasons", c.hold_reasons...);
    v("paid", c.paid...);
    v("remaining", c.remaining...);
    v("payable", c.payable...);
    v("items", c.items...);
  }
};

template <>
struct Fields<PartToClose> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... t) {
    v("playbook", t.playbook...);
    v("to_close", t.to_close...);
  }
};

// In the JSON `states` is an object by playbook id (json.cpp writes it so); equality and the
// bytes walk it as fields.
template <>
struct Fields<PlaybookState> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... s) {
    v("playbook", s.playbook...);
    v("state", s.state...);
  }
};

template <>
struct Fields<CompoundDecision> {
  static constexpr bool described = true;
  template <class V, class... S>
  static void apply(V& v, S&... d) {
    v("states", d.states...);  // an object: {"delivery_delay": "offer", …}, the case's `states`
    v("actions", d.actions...);
    v("escalation", d.escalation...);
    v("compensation", d.compensation...);
    v("to_close", d.to_close...);
    v("next_change_at", d.next_change_at...);
    v("warnings", d.warnings...);
    v("parts", d.parts...);
  }
};

}  // namespace redress::detail
