// What differs between two Decisions, field by field over decision_fields.hpp (the walk that
// equality uses), for `redress explain --what-if`. List elements that carry an id (compensation
// items) or an action name are matched by it, so one item more does not shift every other one.
#include <algorithm>
#include <map>
#include <type_traits>

#include "eval/decision_fields.hpp"
#include "eval/value_equal.hpp"

namespace redress {

namespace {

// A leaf as people read it.
std::string text(const std::string& s) { return s; }
std::string text(bool b) { return b ? "true" : "false"; }
std::string text(int i) { return std::to_string(i); }
std::string text(const Money& m) { return m.to_string(); }
std::string text(const Timestamp& t) { return t.to_string(); }
std::string text(const Basis& b) { return to_string(b); }
std::string text(const Value& v) { return v.to_display(); }
std::string text(const std::vector<std::string>& list) {
  std::string s = "[";
  for (std::size_t i = 0; i < list.size(); ++i) s += (i ? ", " : "") + list[i];
  return s + "]";
}

// A described object in one line: its leaf values, "delay_credit credit goodwill 3.00 EUR …".
struct Summary {
  std::string out;
  template <class T>
  void operator()(const char*, const T& x) { add(x); }
  template <class T>
  void present_if(const char*, bool, const T&) {}
  template <class T, std::enable_if_t<!detail::kDescribed<T>, int> = 0>
  void add(const T& x) {
    std::string t = text(x);
    if (!t.empty()) out += (out.empty() ? "" : " ") + t;
  }
  template <class T>
  void add(const std::optional<T>& x) { if (x) add(*x); }
  template <class T, std::enable_if_t<detail::kDescribed<T>, int> = 0>
  void add(const T& x) { detail::Fields<T>::apply(*this, x); }
  template <class T>
  void add(const std::vector<T>& xs) { for (const auto& x : xs) add(x); }
};

template <class T>
std::string summary(const T& x) {
  Summary s;
  s.add(x);
  return s.out;
}

// The identity of a list element: the first field when it is text (an item's id, an action).
struct FirstText {
  std::string key;
  bool done = false;
  template <class T>
  void operator()(const char*, const T& x) {
    if (done) return;
    done = true;
    if constexpr (std::is_same_v<T, std::string>) key = x;
  }
  template <class T>
  void present_if(const char*, bool, const T&) {}
};

struct Diff {
  std::vector<DecisionChange>& out;
  std::string path;

  template <class T>
  void operator()(const char* name, const T& a, const T& b) {
    Diff inner{out, path.empty() ? std::string(name) : path + "." + name};
    inner.compare(a, b);
  }
  template <class T>
  void present_if(const char*, bool, bool, const T&, const T&) {}  // the trace is not compared

  void change(std::string before, std::string after) { out.push_back(DecisionChange{path, std::move(before), std::move(after)}); }

  template <class T, std::enable_if_t<!detail::kDescribed<T>, int> = 0>
  void compare(const T& a, const T& b) {
    if (!(a == b)) change(text(a), text(b));
  }
  void compare(const Value& a, const Value& b) {
    if (!detail::same_value(a, b)) change(text(a), text(b));
  }
  template <class T>
  void compare(const std::optional<T>& a, const std::optional<T>& b) {
    if (a && b) return compare(*a, *b);
    if (a || b) change(a ? summary(*a) : "null", b ? summary(*b) : "null");
  }
  void compare(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a != b) change(text(a), text(b));
  }
  template <class T, std::enable_if_t<detail::kDescribed<T>, int> = 0>
  void compare(const T& a, const T& b) {
    detail::Fields<T>::apply(*this, a, b);
  }
  template <class T>
  void compare(const std::vector<T>& a, const std::vector<T>& b) {
    // Elements keyed by their first text field, the n-th of a key matched with the n-th.
    auto keys = [](const std::vector<T>& xs) {
      std::vector<std::string> k;
      std::map<std::string, int> seen;
      for (const auto& x : xs) {
        FirstText f;
        detail::Fields<T>::apply(f, x);
        int n = seen[f.key]++;
        k.push_back(n ? f.key + "#" + std::to_string(n + 1) : f.key);
      }
      return k;
    };
    const std::vector<std::string> ka = keys(a), kb = keys(b);
    for (std::size_t i = 0; i < a.size(); ++i) {
      Diff inner{out, path + "[" + ka[i] + "]"};
      auto j = std::find(kb.begin(), kb.end(), ka[i]);
      if (j == kb.end()) inner.change(summary(a[i]), "absent");
      else inner.compare(a[i], b[static_cast<std::size_t>(j - kb.begin())]);
    }
    for (std::size_t i = 0; i < b.size(); ++i)
      if (std::find(ka.begin(), ka.end(), kb[i]) == ka.end()) Diff{out, path + "[" + kb[i] + "]"}.change("absent", summary(b[i]));
  }
};

}  // namespace

std::vector<DecisionChange> diff(const Decision& before, const Decision& after) {
  std::vector<DecisionChange> out;
  Diff d{out, ""};
  d.compare(before, after);
  return out;
}

}  // namespace redress
