// Decision equality, field by field over decision_fields.hpp (so a new field is compared too).
#include "eval/compound_fields.hpp"
#include "eval/decision_fields.hpp"
#include "eval/value_equal.hpp"

namespace redress {

namespace detail {

bool same_value(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::Null: return true;
    case Value::Kind::Bool: return a.as_bool() == b.as_bool();
    case Value::Kind::Int:
    case Value::Kind::Number: return a.as_decimal() == b.as_decimal();
    case Value::Kind::Money: return a.as_money() == b.as_money();
    case Value::Kind::String: return a.as_string() == b.as_string();
    case Value::Kind::Datetime: return a.as_datetime() == b.as_datetime();
    case Value::Kind::Duration: return a.as_duration() == b.as_duration();
    case Value::Kind::List: return a.as_list() == b.as_list();
  }
  return false;
}

}  // namespace detail

namespace {

struct Equal {
  bool same = true;

  template <class T>
  void operator()(const char*, const T& a, const T& b) {
    same = same && equal(a, b);
  }
  template <class T>
  void present_if(const char*, bool has_a, bool has_b, const T& a, const T& b) {
    same = same && has_a == has_b && (!has_a || equal(a, b));
  }

  // Leaves with an == of their own: text, flags, numbers, money, times, locations, bases.
  template <class T, std::enable_if_t<!detail::kDescribed<T>, int> = 0>
  static bool equal(const T& a, const T& b) {
    return a == b;
  }
  static bool equal(const Value& a, const Value& b) { return detail::same_value(a, b); }
  template <class T>
  static bool equal(const std::optional<T>& a, const std::optional<T>& b) {
    return a.has_value() == b.has_value() && (!a || equal(*a, *b));
  }
  template <class T>
  static bool equal(const std::vector<T>& a, const std::vector<T>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!equal(a[i], b[i])) return false;
    return true;
  }
  template <class T, std::enable_if_t<detail::kDescribed<T>, int> = 0>
  static bool equal(const T& a, const T& b) {
    Equal e;
    detail::Fields<T>::apply(e, a, b);
    return e.same;
  }
};

}  // namespace

bool operator==(const ActionOut& a, const ActionOut& b) { return Equal::equal(a, b); }
bool operator==(const Escalation& a, const Escalation& b) { return Equal::equal(a, b); }
bool operator==(const SignOff& a, const SignOff& b) { return Equal::equal(a, b); }
bool operator==(const CompensationItem& a, const CompensationItem& b) { return Equal::equal(a, b); }
bool operator==(const Compensation& a, const Compensation& b) { return Equal::equal(a, b); }
bool operator==(const TraceStep& a, const TraceStep& b) { return Equal::equal(a, b); }
bool operator==(const ToClose& a, const ToClose& b) { return Equal::equal(a, b); }
bool operator==(const Decision& a, const Decision& b) { return Equal::equal(a, b); }
bool operator==(const CompoundDecision& a, const CompoundDecision& b) { return Equal::equal(a, b); }

}  // namespace redress
