// Decision -> JSON, exactly spec §5: fixed key order, money as "17.99 EUR", datetimes in UTC.
#include "redress/decision.hpp"
#include "util/json_writer.hpp"

namespace redress {

namespace {

void write_value(util::JsonWriter& w, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Null: w.null(); break;
    case Value::Kind::Bool: w.boolean(v.as_bool()); break;
    case Value::Kind::Int:
    case Value::Kind::Number: w.raw(v.as_decimal().to_string()); break;
    case Value::Kind::Money: {
      // Traces show the exact amount: 1.005 EUR stays 1.005 EUR (the Decision's items are
      // rounded already, so this only matters for intermediate values).
      Money m = v.as_money();
      Decimal r;
      bool exact = Decimal::round(m.amount, m.currency.minor_digits(), Rounding::TowardZero, r) && r == m.amount;
      w.string(exact ? m.to_string() : m.amount.to_string() + " " + std::string(m.currency.code()));
      break;
    }
    case Value::Kind::String: w.string(v.as_string()); break;
    case Value::Kind::Datetime: w.string(v.as_datetime().to_string()); break;
    case Value::Kind::Duration: w.string(v.as_duration().to_string()); break;
    case Value::Kind::List:
      w.begin_array();
      for (const auto& s : v.as_list()) w.string(s);
      w.end_array();
      break;
  }
}

void optional_string(util::JsonWriter& w, const std::optional<std::string>& s) {
  if (s) w.string(*s);
  else w.null();
}

void strings(util::JsonWriter& w, const std::vector<std::string>& list) {
  w.begin_array();
  for (const auto& s : list) w.string(s);
  w.end_array();
}

void money(util::JsonWriter& w, const char* key, const Money& m) { w.key(key).string(m.to_string()); }

}  // namespace

const char* to_string(Basis b) { return b == Basis::Owed ? "owed" : "goodwill"; }

std::string to_json(const Decision& d, const JsonOptions& options) {
  util::JsonWriter w(options.pretty);
  w.begin_object();
  w.key("playbook").string(d.playbook);
  w.key("version").string(d.version);
  w.key("fingerprint").string(d.fingerprint);
  w.key("state").string(d.state);
  w.key("terminal").boolean(d.terminal);
  w.key("path");
  strings(w, d.path);
  w.key("actions").begin_array();
  for (const auto& a : d.actions) {
    w.begin_object();
    w.key("action").string(a.action);
    w.key("due_at");
    if (a.due_at) w.string(a.due_at->to_string()); else w.null();
    w.key("overdue").boolean(a.overdue);
    w.key("say");
    optional_string(w, a.say);
    w.key("options");
    if (a.options) strings(w, *a.options); else w.null();
    w.key("to");
    optional_string(w, a.to);
    w.end_object();
  }
  w.end_array();
  w.key("escalation").begin_object();
  w.key("level").string(d.escalation.level);
  w.key("rank").raw(std::to_string(d.escalation.rank));
  w.key("reasons");
  strings(w, d.escalation.reasons);
  w.end_object();
  const Compensation& c = d.compensation;
  w.key("compensation").begin_object();
  money(w, "total", c.total);
  money(w, "owed", c.owed);
  money(w, "goodwill", c.goodwill);
  w.key("capped").boolean(c.capped);
  w.key("approval");
  optional_string(w, c.approval);
  w.key("approved").boolean(c.approved);
  w.key("signed_off").boolean(c.signed_off);
  w.key("sign_off");
  if (c.sign_off) {
    w.begin_object();
    w.key("level").string(c.sign_off->level);
    w.key("by").string(c.sign_off->by);
    w.key("at").string(c.sign_off->at.to_string());
    w.key("amount");
    if (c.sign_off->amount) w.string(c.sign_off->amount->to_string()); else w.null();
    w.end_object();
  } else {
    w.null();
  }
  w.key("held").boolean(c.held);
  w.key("hold_reason");
  optional_string(w, c.hold_reason);
  money(w, "paid", c.paid);
  money(w, "remaining", c.remaining);
  money(w, "payable", c.payable);
  w.key("items").begin_array();
  for (const auto& item : c.items) {
    w.begin_object();
    w.key("id").string(item.id);
    w.key("kind").string(item.kind);
    w.key("basis").string(to_string(item.basis));
    money(w, "amount", item.amount);
    money(w, "paid", item.paid);
    money(w, "remaining", item.remaining);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.key("to_close");
  if (d.to_close) {
    w.begin_object();
    w.key("steps").raw(std::to_string(d.to_close->steps));
    w.key("events");
    strings(w, d.to_close->events);
    w.key("states");
    strings(w, d.to_close->states);
    w.end_object();
  } else {
    w.null();
  }
  w.key("warnings");
  strings(w, d.warnings);
  if (d.has_trace) {
    w.key("trace").begin_array();
    for (const auto& t : d.trace) {
      w.begin_object();
      w.key("at").string(to_string(t.at));
      w.key("what").string(t.what);
      w.key("expr").string(t.expr);
      w.key("value");
      write_value(w, t.value);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  return w.str();
}

}  // namespace redress
