// Decision -> JSON, exactly spec §5: the order and names of decision_fields.hpp, money as
// "17.99 EUR", datetimes in UTC, locations as "file.yaml:41:28".
#include "eval/compound_fields.hpp"
#include "eval/decision_fields.hpp"
#include "eval/json_sink.hpp"
#include "util/json_writer.hpp"

namespace redress {

const char* to_string(Basis b) { return b == Basis::Owed ? "owed" : "goodwill"; }

namespace {

// Walks the described fields, giving each leaf its JSON form.
struct JsonFields {
  JsonSink& out;

  template <class T>
  void operator()(const char* name, const T& x) {
    out.key(name);
    value(x);
  }
  template <class T>
  void present_if(const char* name, bool present, const T& x) {
    if (present) (*this)(name, x);
  }

  void value(const std::string& s) { out.string(s); }
  void value(bool b) { out.boolean(b); }
  void value(int i) { out.number(std::to_string(i)); }
  void value(const Money& m) { out.string(m.to_string()); }
  void value(Timestamp t) { out.string(t.to_string()); }
  void value(const SourceLocation& at) { out.string(to_string(at)); }
  void value(Basis b) { out.string(to_string(b)); }
  // A compound case's states: an object by playbook id, the shape of the case's `states`.
  void value(const std::vector<PlaybookState>& states) {
    out.begin_object();
    for (const auto& s : states) {
      out.key(s.playbook);
      out.string(s.state);
    }
    out.end_object();
  }
  void value(const Value& v) {
    switch (v.kind()) {
      case Value::Kind::Null: out.null(); break;
      case Value::Kind::Bool: out.boolean(v.as_bool()); break;
      case Value::Kind::Int:
      case Value::Kind::Number: out.number(v.as_decimal().to_string()); break;
      case Value::Kind::Money: {
        // Traces show the exact amount: 1.005 EUR stays 1.005 EUR (the Decision's items are
        // rounded already, so this only matters for intermediate values).
        Money m = v.as_money();
        Decimal r;
        bool exact = Decimal::round(m.amount, m.currency.minor_digits(), Rounding::TowardZero, r) && r == m.amount;
        out.string(exact ? m.to_string() : m.amount.to_string() + " " + std::string(m.currency.code()));
        break;
      }
      case Value::Kind::String: out.string(v.as_string()); break;
      case Value::Kind::Datetime: out.string(v.as_datetime().to_string()); break;
      case Value::Kind::Duration: out.string(v.as_duration().to_string()); break;
      case Value::Kind::List: value(v.as_list()); break;
    }
  }
  template <class T>
  void value(const std::optional<T>& o) {
    if (o) value(*o);
    else out.null();
  }
  template <class T>
  void value(const std::vector<T>& list) {
    out.begin_array();
    for (const auto& x : list) value(x);
    out.end_array();
  }
  template <class T, std::enable_if_t<detail::kDescribed<T>, int> = 0>
  void value(const T& x) {
    out.begin_object();
    detail::Fields<T>::apply(*this, x);
    out.end_object();
  }
};

// A Decision or a CompoundDecision: both are walks of their field descriptions.
template <class D>
std::string json_text(const D& d, const JsonOptions& options) {
  util::JsonWriter w(options.pretty);
  detail::WriterSink sink(w);
  JsonFields fields{sink};
  fields.value(d);
  return w.str();
}

}  // namespace

void write_json(const Decision& d, JsonSink& sink) {
  JsonFields fields{sink};
  fields.value(d);
}

void write_json(const CompoundDecision& d, JsonSink& sink) {
  JsonFields fields{sink};
  fields.value(d);
}

std::string to_json(const Decision& d, const JsonOptions& options) { return json_text(d, options); }
std::string to_json(const CompoundDecision& d, const JsonOptions& options) { return json_text(d, options); }

}  // namespace redress
