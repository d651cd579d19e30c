// Python <-> redress value conversions (see convert.hpp).
#include "convert.hpp"

#include <cmath>

#include <datetime.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "time/calendar.hpp"

namespace redress_py {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kMicrosPerDay = 86400LL * kMicrosPerSecond;

// Objects imported once and deliberately never released: the interpreter may be finalised
// before static destructors run, and decref-ing then would crash.
py::object cached(py::object*& slot, const char* module, const char* name) {
  if (!slot) slot = new py::object(py::module_::import(module).attr(name));
  return *slot;
}

py::object* g_money = nullptr;
py::object* g_diagnostic = nullptr;
py::object* g_load_error = nullptr;
py::object* g_evaluation_error = nullptr;
py::object* g_pack_changed = nullptr;
py::object* g_decimal = nullptr;
py::object* g_json_loads = nullptr;

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, 1970-01-01 = 0).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yy + (m <= 2));
}

std::string repr_of(py::handle obj) { return py::repr(obj).cast<std::string>(); }
std::string type_name(py::handle obj) {
  return py::str(py::type::handle_of(obj).attr("__name__")).cast<std::string>();
}

[[noreturn]] void type_error(const std::string& msg) { throw ConversionError(true, msg); }
[[noreturn]] void value_error(const std::string& msg) { throw ConversionError(false, msg); }
// A str's UTF-8 bytes; a str holding a lone surrogate ('\ud800') has none: a ValueError naming
// `what`, not pybind11's "Unable to cast".
std::string utf8(py::handle str, const std::string& what) {
  Py_ssize_t size = 0;
  const char* bytes = PyUnicode_AsUTF8AndSize(str.ptr(), &size);
  if (!bytes) {
    PyErr_Clear();
    value_error(what + " is not valid text (a lone surrogate): " + repr_of(str));
  }
  return std::string(bytes, static_cast<std::size_t>(size));
}

// Exact microseconds of a timedelta; checked against int64.
redress::int128_t delta_micros(py::handle td) {
  auto* p = td.ptr();
  return static_cast<redress::int128_t>(PyDateTime_DELTA_GET_DAYS(p)) * kMicrosPerDay +
         static_cast<redress::int128_t>(PyDateTime_DELTA_GET_SECONDS(p)) * kMicrosPerSecond +
         PyDateTime_DELTA_GET_MICROSECONDS(p);
}

bool is_instance(py::handle obj, const py::object& cls) {
  int r = PyObject_IsInstance(obj.ptr(), cls.ptr());
  if (r < 0) throw py::error_already_set();
  return r == 1;
}

}  // namespace

void ConversionError::raise_python(const std::string& prefix) const {
  if (type_error) throw py::type_error(prefix + what());
  throw py::value_error(prefix + what());
}

void init_conversions() {
  PyDateTime_IMPORT;
  if (!PyDateTimeAPI) throw py::error_already_set();
}

py::object money_class() { return cached(g_money, "redress._types", "Money"); }
py::object diagnostic_class() { return cached(g_diagnostic, "redress._types", "Diagnostic"); }
py::object load_error_class() { return cached(g_load_error, "redress._types", "LoadError"); }
py::object evaluation_error_class() { return cached(g_evaluation_error, "redress._types", "EvaluationError"); }
py::object pack_changed_error_class() { return cached(g_pack_changed, "redress._types", "PackChangedError"); }
py::object decimal_class() { return cached(g_decimal, "decimal", "Decimal"); }
py::object json_loads() { return cached(g_json_loads, "json", "loads"); }

// ---------------------------------------------------------------------------------------------
// Python -> redress

redress::Decimal to_decimal(py::handle obj, const std::string& what) {
  // str() is exact; it uses an exponent only for very large or small magnitudes, when
  // format(d, 'f') gives the plain digits (also exact: no context rounding).
  std::string s = py::str(obj).cast<std::string>();
  if (s.find_first_of("NnIi") != std::string::npos)  // NaN, sNaN, Infinity
    value_error(what + " is " + repr_of(obj) + "; redress numbers are finite");
  if (s.find_first_of("Ee") != std::string::npos) {
    static py::object* format = nullptr;
    s = py::str(cached(format, "builtins", "format")(obj, "f")).cast<std::string>();
  }
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  auto d = redress::Decimal::parse(s);
  if (!d)
    value_error(what + " is " + repr_of(obj) +
                ", which redress cannot hold exactly (numbers have at most 12 fractional digits "
                "and stay below 10^26 in magnitude)");
  return *d;
}

redress::Timestamp to_timestamp(py::handle obj, const std::string& what) {
  PyObject* p = obj.ptr();
  if (PyDateTime_Check(p)) {
    redress::int128_t offset_micros = 0;
    PyObject* tz = PyDateTime_DATE_GET_TZINFO(p);
    if (tz != PyDateTime_TimeZone_UTC) {  // UTC, the common case, needs no call
      py::object offset = obj.attr("utcoffset")();
      if (offset.is_none())
        value_error(what + " is a naive datetime (no tzinfo): " + repr_of(obj) +
                    "; redress needs to know the zone, e.g. datetime(2026, 11, 23, 10, 0, "
                    "tzinfo=timezone.utc) or dt.astimezone() for local time");
      offset_micros = delta_micros(offset);
    }
    redress::int128_t micros =
        static_cast<redress::int128_t>(days_from_civil(PyDateTime_GET_YEAR(p), PyDateTime_GET_MONTH(p),
                                                       PyDateTime_GET_DAY(p))) * kMicrosPerDay +
        static_cast<redress::int128_t>(PyDateTime_DATE_GET_HOUR(p)) * 3600 * kMicrosPerSecond +
        static_cast<redress::int128_t>(PyDateTime_DATE_GET_MINUTE(p)) * 60 * kMicrosPerSecond +
        static_cast<redress::int128_t>(PyDateTime_DATE_GET_SECOND(p)) * kMicrosPerSecond +
        PyDateTime_DATE_GET_MICROSECOND(p) - offset_micros;
    return redress::Timestamp{static_cast<std::int64_t>(micros)};
  }
  if (PyDate_Check(p)) {  // a date alone: midnight UTC, like date('2026-11-23') in expressions
    return redress::Timestamp{days_from_civil(PyDateTime_GET_YEAR(p), PyDateTime_GET_MONTH(p),
                                              PyDateTime_GET_DAY(p)) * kMicrosPerDay};
  }
  if (PyUnicode_Check(p)) {
    std::string s = obj.cast<std::string>();
    if (auto t = redress::Timestamp::parse(s)) return *t;
    if (auto t = redress::Timestamp::parse_date(s)) return *t;
    value_error(what + " must be an ISO 8601 date-time with a zone, e.g. '2026-11-23T10:00:00Z', not " + repr_of(obj));
  }
  type_error(what + " must be a datetime with tzinfo (or an ISO 8601 string), not " + type_name(obj) + " " + repr_of(obj));
}

std::optional<redress::Timestamp> to_optional_timestamp(py::handle obj, const std::string& what) {
  if (obj.is_none()) return std::nullopt;
  return to_timestamp(obj, what);
}

std::string to_optional_string(py::handle obj, const std::string& what) {
  if (obj.is_none()) return "";
  if (!PyUnicode_Check(obj.ptr())) type_error(what + " must be a str or None, not " + type_name(obj) + " " + repr_of(obj));
  return utf8(obj, what);
}

redress::Value to_value(py::handle obj, const std::string& what) {
  PyObject* p = obj.ptr();
  if (obj.is_none()) return redress::Value::null();
  if (PyBool_Check(p)) return redress::Value::boolean(p == Py_True);
  if (PyFloat_Check(p)) {
    // The hint follows the value, whatever the fact's type: a whole float wants an int, any other
    // a Decimal (which a money fact also takes, in the playbook's currency).
    const double x = PyFloat_AsDouble(p);
    std::string fix;
    if (!std::isfinite(x)) fix = "a finite number: redress numbers are never NaN or infinite";
    else if (std::floor(x) == x && std::fabs(x) < 1e15) fix = "an int (" + std::to_string(static_cast<long long>(x)) + ")";
    else fix = "a decimal.Decimal (Decimal('" + repr_of(obj) + "'))";
    type_error(what + " is a float (" + repr_of(obj) + "); redress never uses binary floating point. Pass " + fix);
  }
  if (PyLong_Check(p) || (!PyUnicode_Check(p) && PyIndex_Check(p))) {  // int, numpy integers
    py::int_ i = py::reinterpret_steal<py::int_>(PyNumber_Index(p));
    if (!i) throw py::error_already_set();
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
    if (!overflow) return redress::Value::integer(v);
    auto d = redress::Decimal::parse(py::str(i).cast<std::string>());
    if (!d) value_error(what + " is " + py::str(i).cast<std::string>() + ", beyond redress's range (|x| < 10^26)");
    return redress::Value::number(*d);
  }
  if (PyUnicode_Check(p)) return redress::Value::string(utf8(obj, what));
  if (is_instance(obj, decimal_class())) return redress::Value::number(to_decimal(obj, what));
  if (is_instance(obj, money_class())) {
    std::string code = obj.attr("currency").cast<std::string>();
    auto currency = redress::Currency::find(code);
    if (!currency) value_error(what + ": unknown currency '" + code + "'");
    return redress::Value::money(redress::Money{to_decimal(obj.attr("amount"), what), *currency});
  }
  if (PyDateTime_Check(p) || PyDate_Check(p)) return redress::Value::datetime(to_timestamp(obj, what));
  if (PyDelta_Check(p)) {
    redress::int128_t micros = delta_micros(obj);
    // Duration::parse's own limit: ±100000 years.
    const redress::int128_t limit = static_cast<redress::int128_t>(100000) * 366 * kMicrosPerDay;
    if (micros > limit || micros < -limit) value_error(what + " is " + repr_of(obj) + ", beyond ±100000 years");
    return redress::Value::duration(redress::Duration{static_cast<std::int64_t>(micros)});
  }
  if (PyList_Check(p) || PyTuple_Check(p)) {
    std::vector<std::string> items;
    std::size_t i = 0;
    for (py::handle item : obj) {
      if (!PyUnicode_Check(item.ptr()))
        type_error(what + "[" + std::to_string(i) + "] is " + type_name(item) + " " + repr_of(item) +
                   "; list facts hold strings only");
      items.push_back(utf8(item, what + "[" + std::to_string(i) + "]"));
      ++i;
    }
    return redress::Value::list(std::move(items));
  }
  type_error(what + " cannot be a " + type_name(obj) + " (" + repr_of(obj) +
             "); use None, bool, int, decimal.Decimal, str, redress.Money, datetime (with tzinfo), "
             "date, timedelta or a list of str");
}

namespace {
[[noreturn]] void bad_fact_name(py::handle key) {
  type_error("fact names must be str, not " + type_name(key) + " " + repr_of(key));
}

redress::Value fact_value(py::handle value, const std::string& name) {
  // Plain text and ints, the bulk of facts, need no label unless they fail.
  PyObject* v = value.ptr();
  if (PyUnicode_CheckExact(v)) {
    Py_ssize_t size = 0;
    if (const char* bytes = PyUnicode_AsUTF8AndSize(v, &size))
      return redress::Value::string(std::string(bytes, static_cast<std::size_t>(size)));
    PyErr_Clear();  // a lone surrogate: to_value says so, naming the fact
  }
  return to_value(value, "fact '" + name + "'");
}

void add_facts(redress::Case& c, py::handle facts) {
  if (facts.is_none()) return;
  if (PyDict_Check(facts.ptr())) {
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    c.facts.reserve(static_cast<std::size_t>(PyDict_Size(facts.ptr())));
    while (PyDict_Next(facts.ptr(), &pos, &key, &value)) {
      if (!PyUnicode_Check(key)) bad_fact_name(key);
      std::string name = utf8(key, "a fact name");
      redress::Value v = fact_value(value, name);
      c.facts.emplace_back(std::move(name), std::move(v));
    }
    return;
  }
  if (!py::hasattr(facts, "items"))
    type_error("facts must be a mapping (a dict of fact name to value), not " + type_name(facts));
  for (py::handle kv : facts.attr("items")()) {
    py::tuple pair = py::reinterpret_borrow<py::tuple>(kv);
    py::handle key = pair[0];
    if (!PyUnicode_Check(key.ptr())) bad_fact_name(key);
    std::string name = utf8(key, "a fact name");
    redress::Value v = fact_value(pair[1], name);
    c.facts.emplace_back(std::move(name), std::move(v));
  }
}
}  // namespace

namespace {

// A redress.Money or text like "25.00 EUR": the amount always names its currency.
redress::Money to_money(py::handle obj, const std::string& what) {
  redress::Value v = to_value(obj, what);
  if (v.kind() == redress::Value::Kind::Money) return v.as_money();
  if (v.kind() == redress::Value::Kind::String)
    if (auto m = redress::Money::parse(v.as_string())) return *m;
  type_error(what + " must be a redress.Money or text like '50.00 EUR' (with its currency), not " + repr_of(obj));
}

std::string to_text(py::handle obj, const std::string& what) {
  if (!PyUnicode_Check(obj.ptr()) || PyUnicode_GET_LENGTH(obj.ptr()) == 0)
    type_error(what + " must be a non-empty str, not " + repr_of(obj));
  return utf8(obj, what);
}

// sign_offs: an iterable of {'level', 'by', 'at', 'amount'?}.
void add_sign_offs(redress::Case& c, py::handle sign_offs) {
  if (sign_offs.is_none()) return;
  if (PyUnicode_Check(sign_offs.ptr()) || PyDict_Check(sign_offs.ptr()) || !py::isinstance<py::iterable>(sign_offs))
    type_error("sign_offs must be a list of dicts {'level', 'by', 'at', 'amount'?}, not " + type_name(sign_offs));
  std::size_t i = 0;
  for (py::handle item : sign_offs) {
    std::string what = "sign_offs[" + std::to_string(i++) + "]";
    if (!PyDict_Check(item.ptr())) type_error(what + " must be a dict {'level', 'by', 'at', 'amount'?}, not " + type_name(item));
    py::dict d = py::reinterpret_borrow<py::dict>(item);
    for (auto kv : d) {
      std::string key = PyUnicode_Check(kv.first.ptr()) ? kv.first.cast<std::string>() : repr_of(kv.first);
      if (key != "level" && key != "by" && key != "at" && key != "amount")
        value_error(what + ": unknown key '" + key + "' (the keys are level, by, at, amount)");
    }
    for (const char* key : {"level", "by", "at"})
      if (!d.contains(key)) value_error(what + " needs '" + key + "'");
    redress::SignOff so;
    so.level = to_text(d["level"], what + "['level']");
    so.by = to_text(d["by"], what + "['by']");
    so.at = to_timestamp(d["at"], what + "['at']");
    if (d.contains("amount") && !d["amount"].is_none()) so.amount = to_money(d["amount"], what + "['amount']");
    c.sign_offs.push_back(std::move(so));
  }
}

// paid: {item id: amount}.
void add_paid(redress::Case& c, py::handle paid) {
  if (paid.is_none()) return;
  if (!PyDict_Check(paid.ptr())) type_error("paid must be a dict {item id: redress.Money or '50.00 EUR'}, not " + type_name(paid));
  for (auto kv : py::reinterpret_borrow<py::dict>(paid)) {
    std::string item = to_text(kv.first, "an item id in paid");
    c.paid.push_back(redress::Payment{item, to_money(kv.second, "paid['" + item + "']")});
  }
}

}  // namespace

redress::Case to_case(py::handle facts, py::handle playbook, py::handle state, py::handle event,
                      py::handle now, py::handle entered_at, py::handle sign_offs, py::handle paid) {
  redress::Case c;
  c.playbook = to_optional_string(playbook, "playbook");
  c.state = to_optional_string(state, "state");
  c.event = to_optional_string(event, "event");
  c.now = to_optional_timestamp(now, "now");
  c.entered_at = to_optional_timestamp(entered_at, "entered_at");
  add_facts(c, facts);
  add_sign_offs(c, sign_offs);
  add_paid(c, paid);
  return c;
}

void add_time_input(redress::Case& c, py::handle pauses, py::handle done, py::handle timezone) {
  c.timezone = to_optional_string(timezone, "timezone");
  if (!c.timezone.empty() && !redress::detail::TimeZone::locate(c.timezone))
    value_error("timezone: " + redress::detail::TimeZone::unknown(c.timezone));
  if (!pauses.is_none()) {
    if (PyUnicode_Check(pauses.ptr()) || !py::isinstance<py::sequence>(pauses))
      type_error("pauses must be a list of (from, to) pairs, not " + type_name(pauses));
    for (py::handle p : py::reinterpret_borrow<py::sequence>(pauses)) {
      py::object from = py::none(), to = py::none();
      if (PyDict_Check(p.ptr())) {
        py::dict d = py::reinterpret_borrow<py::dict>(p);
        for (auto item : d) {
          const std::string k = PyUnicode_Check(item.first.ptr()) ? item.first.cast<std::string>() : repr_of(item.first);
          if (k != "from" && k != "to") value_error("a pause has only 'from' and 'to', not '" + k + "'");
        }
        if (d.contains("from")) from = d["from"];
        if (d.contains("to")) to = d["to"];
      } else if (py::isinstance<py::sequence>(p) && !PyUnicode_Check(p.ptr()) && py::len(p) == 2) {
        from = p[py::int_(0)];
        to = p[py::int_(1)];
      } else {
        type_error("a pause is a (from, to) pair or {'from': …, 'to': …}, not " + type_name(p));
      }
      if (from.is_none()) value_error("a pause needs 'from'");
      redress::Pause pause{to_timestamp(from, "a pause's 'from'"), to_optional_timestamp(to, "a pause's 'to'")};
      if (pause.to && *pause.to < pause.from) value_error("a pause ends before it starts");
      c.pauses.push_back(pause);
    }
  }
  if (!done.is_none()) {
    if (!PyDict_Check(done.ptr())) type_error("done must be a dict {action: when}, not " + type_name(done));
    for (auto item : py::reinterpret_borrow<py::dict>(done)) {
      if (!PyUnicode_Check(item.first.ptr())) type_error("done: action names must be str");
      const std::string name = utf8(item.first, "an action name in done");
      c.done.emplace_back(name, to_timestamp(item.second, "done['" + name + "']"));
    }
  }
}

void add_compound_input(redress::Case& c, py::handle triage, py::handle playbooks, py::handle states) {
  if (!triage.is_none()) {
    if (!PyUnicode_Check(triage.ptr()))
      type_error("triage must be 'first' or 'all' (a str), not " + type_name(triage) + " " + repr_of(triage));
    const std::string t = utf8(triage, "triage");
    if (t == "all") c.triage = redress::Triage::All;
    else if (t == "first") c.triage = redress::Triage::First;
    else value_error("triage must be 'first' (the first playbook that matches) or 'all' (every one: a compound case), not " + repr_of(triage));
  }
  if (!playbooks.is_none()) {
    // A str is a sequence too: "delivery_delay" would read as 17 one-letter ids.
    if (!PyList_Check(playbooks.ptr()) && !PyTuple_Check(playbooks.ptr()))
      type_error("playbooks must be a list of playbook ids, like ['delivery_delay', 'wrong_invoice'], not " +
                 type_name(playbooks) + " " + repr_of(playbooks));
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(playbooks.ptr());
    if (n == 0) value_error("playbooks is empty: name the case's playbooks, or leave it out (triage='all' finds them)");
    c.playbooks.reserve(static_cast<std::size_t>(n));
    for (Py_ssize_t i = 0; i < n; ++i) {
      py::handle id = PySequence_Fast_GET_ITEM(playbooks.ptr(), i);
      if (!PyUnicode_Check(id.ptr()))
        type_error("playbooks[" + std::to_string(i) + "] must be a playbook id (a str), not " + type_name(id) + " " + repr_of(id));
      c.playbooks.push_back(utf8(id, "playbooks[" + std::to_string(i) + "]"));
    }
  }
  if (!states.is_none()) {
    if (!PyDict_Check(states.ptr()))
      type_error("states must be a dict {playbook id: state}, like {'delivery_delay': 'offer'}, not " + type_name(states) +
                 " " + repr_of(states));
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(states.ptr(), &pos, &key, &value)) {
      if (!PyUnicode_Check(key))
        type_error("states: playbook ids must be str, not " + type_name(key) + " " + repr_of(key));
      std::string playbook = utf8(key, "a playbook id in states");
      if (!PyUnicode_Check(value))
        type_error("states['" + playbook + "'] must be a state name (a str), not " + type_name(value) + " " + repr_of(value));
      std::string state = utf8(value, "states['" + playbook + "']");
      c.states.emplace_back(std::move(playbook), std::move(state));
    }
  }
}

redress::Case case_from_mapping(py::handle mapping) {
  static const char* const keys[] = {"facts", "playbook", "state", "event", "now", "entered_at", "sign_offs", "paid",
                                     "pauses", "done", "timezone", "triage", "playbooks", "states"};
  constexpr int kKeys = 14;
  py::handle parts[kKeys];
  for (auto& p : parts) p = py::none();
  py::object items_keepalive;
  auto take = [&](py::handle key, py::handle value) {
    if (PyUnicode_Check(key.ptr()))
      for (int i = 0; i < kKeys; ++i)
        if (PyUnicode_CompareWithASCIIString(key.ptr(), keys[i]) == 0) { parts[i] = value; return; }
    std::string shown = PyUnicode_Check(key.ptr()) ? key.cast<std::string>() : repr_of(key);
    value_error("unknown key '" + shown + "' in a case (the keys are facts, playbook, state, event, now, entered_at, "
                "sign_offs, paid, pauses, done, timezone, triage, playbooks, states)");
  };
  if (PyDict_Check(mapping.ptr())) {
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(mapping.ptr(), &pos, &key, &value)) take(key, value);
  } else {
    if (!py::hasattr(mapping, "items"))
      type_error("a case must be a dict {'facts': {...}, 'playbook'? or 'playbooks'?, 'triage'?, 'state'? or "
                 "'states'?, 'event'?, 'now'?, 'entered_at'?, ...}, not " + type_name(mapping));
    py::list items(mapping.attr("items")());  // keeps the values alive while we convert
    items_keepalive = items;
    for (py::handle kv : items) {
      py::tuple pair = py::reinterpret_borrow<py::tuple>(kv);
      take(pair[0], pair[1]);
    }
  }
  redress::Case c = to_case(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7]);
  add_time_input(c, parts[8], parts[9], parts[10]);
  add_compound_input(c, parts[11], parts[12], parts[13]);
  return c;
}

// ---------------------------------------------------------------------------------------------
// redress -> Python

py::object from_decimal(redress::Decimal d) {
  if (auto i = d.to_int64()) return py::int_(*i);
  if (d.is_integer()) {  // beyond int64: Python ints are unbounded
    PyObject* i = PyLong_FromString(d.to_string().c_str(), nullptr, 10);
    if (!i) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(i);
  }
  return decimal_class()(d.to_string());
}

std::string money_amount_text(const redress::Money& m) {
  int digits = m.currency.minor_digits();
  redress::Decimal rounded;
  if (redress::Decimal::round(m.amount, digits, redress::Rounding::HalfAwayFromZero, rounded) &&
      rounded == m.amount)
    return m.amount.to_string_fixed(digits);
  return m.amount.to_string();
}

py::object from_money(const redress::Money& m) {
  return money_class()(decimal_class()(money_amount_text(m)), std::string(m.currency.code()));
}

py::object from_timestamp(redress::Timestamp t) {
  std::int64_t days = t.micros / kMicrosPerDay;
  std::int64_t rem = t.micros % kMicrosPerDay;
  if (rem < 0) { rem += kMicrosPerDay; --days; }
  int y, m, d;
  civil_from_days(days, y, m, d);
  int us = static_cast<int>(rem % kMicrosPerSecond);
  std::int64_t secs = rem / kMicrosPerSecond;
  PyObject* dt = PyDateTimeAPI->DateTime_FromDateAndTime(
      y, m, d, static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60), us,
      PyDateTime_TimeZone_UTC, PyDateTimeAPI->DateTimeType);
  if (!dt) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(dt);
}

py::object from_optional_timestamp(const std::optional<redress::Timestamp>& t) {
  return t ? from_timestamp(*t) : py::object(py::none());
}

py::object from_duration(redress::Duration dur) {
  std::int64_t days = dur.micros / kMicrosPerDay;
  std::int64_t rem = dur.micros % kMicrosPerDay;
  if (rem < 0) { rem += kMicrosPerDay; --days; }
  PyObject* td = PyDelta_FromDSU(static_cast<int>(days), static_cast<int>(rem / kMicrosPerSecond),
                                 static_cast<int>(rem % kMicrosPerSecond));
  if (!td) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(td);
}

py::object from_value(const redress::Value& v) {
  using K = redress::Value::Kind;
  switch (v.kind()) {
    case K::Null: return py::none();
    case K::Bool: return py::bool_(v.as_bool());
    case K::Int:
    case K::Number: return from_decimal(v.as_decimal());
    case K::Money: return from_money(v.as_money());
    case K::String: return py::str(v.as_string());
    case K::Datetime: return from_timestamp(v.as_datetime());
    case K::Duration: return from_duration(v.as_duration());
    case K::List: {
      py::list out;
      for (const auto& s : v.as_list()) out.append(py::str(s));
      return std::move(out);
    }
  }
  return py::none();
}

py::list diagnostics_list(const std::vector<redress::Diagnostic>& diagnostics) {
  py::list out;
  py::object cls = diagnostic_class();
  for (const auto& d : diagnostics)
    out.append(cls(d.file(), d.line(), d.column(), redress::to_string(d.severity), d.message, d.source_line));
  return out;
}

py::object make_load_error(const redress::LoadError& e) {
  return load_error_class()(std::string(e.what()), diagnostics_list(e.diagnostics()));
}

py::object make_evaluation_error(const std::string& message, const std::string& location) {
  return evaluation_error_class()(message, location);
}

namespace {

// Builds dicts, lists and scalars from the library's JSON events (redress::write_json).
class DictSink final : public redress::JsonSink {
 public:
  explicit DictSink(bool exact) : exact_(exact) {}

  void begin_object() override { open(py::dict()); }
  void begin_array() override { open(py::list()); }
  void end_object() override { stack_.pop_back(); }
  void end_array() override { stack_.pop_back(); }
  void key(std::string_view name) override { key_ = text(name); }
  void string(std::string_view s) override { add(text(s)); }
  void number(std::string_view t) override {
    // json.loads' rule: a fraction or an exponent makes a float, anything else an int.
    std::string digits(t);
    if (digits.find_first_of(".eE") == std::string::npos)
      add(py::reinterpret_steal<py::object>(check(PyLong_FromString(digits.c_str(), nullptr, 10))));
    else if (exact_)
      add(decimal_class()(text(t)));
    else
      add(py::reinterpret_steal<py::object>(check(PyFloat_FromString(text(t).ptr()))));
  }
  void boolean(bool b) override { add(py::bool_(b)); }
  void null() override { add(py::none()); }

  py::object result;

 private:
  static PyObject* check(PyObject* o) {
    if (!o) throw py::error_already_set();
    return o;
  }
  static py::str text(std::string_view s) { return py::str(s.data(), s.size()); }
  void add(py::object value) {
    if (stack_.empty()) {
      result = std::move(value);
    } else if (PyDict_Check(stack_.back().ptr())) {
      if (PyDict_SetItem(stack_.back().ptr(), key_.ptr(), value.ptr()) != 0) throw py::error_already_set();
    } else if (PyList_Append(stack_.back().ptr(), value.ptr()) != 0) {
      throw py::error_already_set();
    }
  }
  void open(py::object container) {
    add(container);
    stack_.push_back(std::move(container));
  }

  bool exact_;
  std::vector<py::object> stack_;
  py::object key_;
};

}  // namespace

py::object decision_to_dict(const redress::Decision& d, bool exact) {
  DictSink sink(exact);
  redress::write_json(d, sink);
  return sink.result;
}

py::object compound_to_dict(const redress::CompoundDecision& d, bool exact) {
  DictSink sink(exact);
  redress::write_json(d, sink);
  return sink.result;
}

}  // namespace redress_py
