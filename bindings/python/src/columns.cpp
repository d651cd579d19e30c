// Columnar and JSON Lines batches (see columns.hpp).
//
// The GIL is held only to copy values out of Python (ints, bools and str bytes into plain C++
// storage; any other value through to_value) and to build the result lists at the end, with one
// shared Python str per distinct state, level, approval and action name. Binding each row to a
// BoundCase and evaluating it runs without the GIL, on the library's shared thread pool.
#include "columns.hpp"

#include <datetime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "convert.hpp"
#include "runtime/thread_pool.hpp"

namespace redress_py {

namespace {

unsigned thread_count(std::optional<int> threads) {
  if (threads && *threads < 1) throw py::value_error("threads must be at least 1 (or None for every core)");
  return threads ? static_cast<unsigned>(*threads) : std::max(1u, std::thread::hardware_concurrency());
}

// One column's values, out of Python: a cell per row.
struct Column {
  enum Kind : std::uint8_t { Absent, Bool, Int, Text, Other };
  struct Cell {
    Kind kind = Absent;
    std::int64_t number = 0;      // Bool, Int; Text: offset into `text`; Other: index into `other`
    std::uint32_t length = 0;     // Text
  };
  std::string name;
  std::vector<Cell> cells;
  std::string text;
  std::vector<redress::Value> other;

  redress::Value value(std::size_t row) const {
    const Cell& c = cells[row];
    switch (c.kind) {
      case Bool: return redress::Value::boolean(c.number != 0);
      case Int: return redress::Value::integer(c.number);
      case Text: return redress::Value::string(text.substr(static_cast<std::size_t>(c.number), c.length));
      case Other: return other[static_cast<std::size_t>(c.number)];
      case Absent: break;
    }
    return redress::Value::null();
  }
};

bool is_ndarray(py::handle obj) {
  // numpy arrays (and their subclasses) expose __array_interface__; a pandas Series does not.
  return py::hasattr(obj, "__array_interface__") && py::hasattr(obj, "dtype") && py::hasattr(obj, "tolist");
}

// A sequence of Python objects for any column: lists and tuples as they are; numpy arrays and
// pandas Series (to_numpy) through tolist(). numpy integer and bool arrays are read directly.
py::object as_sequence(py::handle column, const std::string& what, Column* typed) {
  py::object obj = py::reinterpret_borrow<py::object>(column);
  if (!is_ndarray(obj) && py::hasattr(obj, "to_numpy")) obj = obj.attr("to_numpy")();
  if (is_ndarray(obj)) {
    if (obj.attr("ndim").cast<int>() != 1) throw py::value_error(what + " must be one-dimensional");
    std::string kind = obj.attr("dtype").attr("kind").cast<std::string>();
    if (typed && (kind == "i" || kind == "u" || kind == "b")) {
      py::object ints = obj.attr("astype")("int64");
      py::buffer_info buf = py::buffer(ints).request();
      const auto* data = static_cast<const char*>(buf.ptr);
      typed->cells.resize(static_cast<std::size_t>(buf.shape[0]));
      for (std::size_t i = 0; i < typed->cells.size(); ++i) {
        typed->cells[i].kind = kind == "b" ? Column::Bool : Column::Int;
        typed->cells[i].number = *reinterpret_cast<const std::int64_t*>(data + static_cast<py::ssize_t>(i) * buf.strides[0]);
      }
      return py::none();
    }
    if (kind == "f") {
      throw py::type_error(what + " holds floats (dtype " + py::str(obj.attr("dtype")).cast<std::string>() +
                           "); redress never uses binary floating point. Give ints, decimal.Decimal or "
                           "strings such as '12.50 EUR'");
    }
    obj = obj.attr("tolist")();
  }
  PyObject* fast = PySequence_Fast(obj.ptr(), "");
  if (!fast) {
    PyErr_Clear();
    throw py::type_error(what + " must be a sequence (list, tuple, numpy array or pandas Series), not " +
                         py::str(py::type::handle_of(obj).attr("__name__")).cast<std::string>());
  }
  return py::reinterpret_steal<py::object>(fast);
}

bool is_missing(PyObject* p) {
  if (p == Py_None) return true;
  return PyFloat_Check(p) && std::isnan(PyFloat_AS_DOUBLE(p));  // pandas' NaN for a missing value
}

// Copies a fact column out of Python (GIL held).
Column read_column(const std::string& name, py::handle values) {
  Column col;
  col.name = name;
  const std::string what = "column '" + name + "'";
  py::object seq = as_sequence(values, what, &col);
  if (seq.is_none()) return col;  // read directly from a numpy array
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
  PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
  col.cells.resize(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* p = items[i];
    Column::Cell& cell = col.cells[static_cast<std::size_t>(i)];
    if (is_missing(p)) continue;
    if (PyBool_Check(p)) {
      cell = {Column::Bool, p == Py_True, 0};
    } else if (PyLong_CheckExact(p)) {
      int overflow = 0;
      long long v = PyLong_AsLongLongAndOverflow(p, &overflow);
      if (overflow) {
        cell = {Column::Other, static_cast<std::int64_t>(col.other.size()), 0};
        col.other.push_back(to_value(p, what + "[" + std::to_string(i) + "]"));
      } else {
        cell = {Column::Int, v, 0};
      }
    } else if (PyUnicode_Check(p)) {
      Py_ssize_t len = 0;
      const char* s = PyUnicode_AsUTF8AndSize(p, &len);
      if (!s) throw py::error_already_set();
      cell = {Column::Text, static_cast<std::int64_t>(col.text.size()), static_cast<std::uint32_t>(len)};
      col.text.append(s, static_cast<std::size_t>(len));
    } else {
      try {
        redress::Value v = to_value(p, what + "[" + std::to_string(i) + "]");
        cell = {Column::Other, static_cast<std::int64_t>(col.other.size()), 0};
        col.other.push_back(std::move(v));
      } catch (const ConversionError& e) {
        e.raise_python();
      }
    }
  }
  return col;
}

// state, event: None, one str, or a column of str (None in a row: the initial state / no event).
std::vector<std::string> read_names(py::handle given, std::size_t n, const char* what) {
  if (given.is_none()) return {};
  if (PyUnicode_Check(given.ptr())) return std::vector<std::string>(n, given.cast<std::string>());
  py::object seq = as_sequence(given, what, nullptr);
  if (static_cast<std::size_t>(PySequence_Fast_GET_SIZE(seq.ptr())) != n)
    throw py::value_error(std::string(what) + " has " + std::to_string(PySequence_Fast_GET_SIZE(seq.ptr())) +
                          " rows, the facts have " + std::to_string(n));
  std::vector<std::string> out(n);
  PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
  for (std::size_t i = 0; i < n; ++i)
    if (!is_missing(items[i])) out[i] = to_optional_string(items[i], std::string(what) + "[" + std::to_string(i) + "]");
  return out;
}

// now, entered_at: None, one datetime (or ISO str), or a column of them (numpy datetime64 too).
std::vector<std::optional<redress::Timestamp>> read_times(py::handle given, std::size_t n, const char* what) {
  if (given.is_none()) return {};
  if (!PyUnicode_Check(given.ptr()) && (PyDateTime_Check(given.ptr()) || PyDate_Check(given.ptr())))
    return std::vector<std::optional<redress::Timestamp>>(n, to_timestamp(given, what));
  if (PyUnicode_Check(given.ptr())) return std::vector<std::optional<redress::Timestamp>>(n, to_timestamp(given, what));
  py::object obj = py::reinterpret_borrow<py::object>(given);
  if (!is_ndarray(obj) && py::hasattr(obj, "to_numpy")) obj = obj.attr("to_numpy")();
  std::vector<std::optional<redress::Timestamp>> out(n);
  if (is_ndarray(obj) && obj.attr("dtype").attr("kind").cast<std::string>() == "M") {
    // datetime64 is naive in numpy; redress reads it as UTC. NaT is a missing time.
    py::object micros = obj.attr("astype")("datetime64[us]").attr("astype")("int64");
    py::buffer_info buf = py::buffer(micros).request();
    if (static_cast<std::size_t>(buf.shape[0]) != n) throw py::value_error(std::string(what) + " has the wrong number of rows");
    const auto* data = static_cast<const char*>(buf.ptr);
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t v = *reinterpret_cast<const std::int64_t*>(data + static_cast<py::ssize_t>(i) * buf.strides[0]);
      if (v != INT64_MIN) out[i] = redress::Timestamp{v};
    }
    return out;
  }
  py::object seq = as_sequence(obj, what, nullptr);
  if (static_cast<std::size_t>(PySequence_Fast_GET_SIZE(seq.ptr())) != n)
    throw py::value_error(std::string(what) + " has " + std::to_string(PySequence_Fast_GET_SIZE(seq.ptr())) +
                          " rows, the facts have " + std::to_string(n));
  PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
  try {
    for (std::size_t i = 0; i < n; ++i)
      if (!is_missing(items[i])) out[i] = to_timestamp(items[i], std::string(what) + "[" + std::to_string(i) + "]");
  } catch (const ConversionError& e) {
    e.raise_python();
  }
  return out;
}

// What a row gives back: the Decision's headline, or its error.
struct RowResult {
  bool ok = false;
  std::string state, level, total, approval, next_action, error;
  bool has_approval = false, has_next_action = false, held = false, capped = false;
  std::optional<redress::Timestamp> due_at;
};

// One Python str per distinct text (state, level, approval and action names repeat).
class Interned {
 public:
  py::object get(const std::string& s) {
    auto it = strings_.find(s);
    if (it != strings_.end()) return it->second;
    py::object o = py::str(s);
    strings_.emplace(s, o);
    return o;
  }

 private:
  std::unordered_map<std::string, py::object> strings_;
};

}  // namespace

py::object evaluate_columns(const redress::Pack& pack, py::handle columns, const ColumnsOptions& options) {
  if (!PyDateTimeAPI) {  // datetime.h's capsule is per translation unit
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) throw py::error_already_set();
  }
  // The playbook: named, or the pack's only one.
  std::optional<redress::PlaybookRef> pb;
  if (!options.playbook.empty()) {
    pb = pack.playbook_ref(options.playbook);
    if (!pb) throw py::value_error("no playbook '" + options.playbook + "' in the pack");
  } else if (pack.playbooks().size() == 1) {
    pb = pack.playbook_ref(pack.playbooks().front().id);
  } else {
    throw py::value_error("evaluate_columns needs playbook=… (the pack has " +
                          std::to_string(pack.playbooks().size()) + " playbooks)");
  }
  const redress::PlaybookInfo& info = pack.playbooks()[pb->index];

  // The columns, with the DataFrame's index kept for the result.
  py::object frame_index = py::none();
  py::object mapping = py::reinterpret_borrow<py::object>(columns);
  if (py::hasattr(mapping, "columns") && py::hasattr(mapping, "index") && !PyDict_Check(mapping.ptr())) {
    frame_index = mapping.attr("index");
    py::dict d;
    for (py::handle name : mapping.attr("columns")) d[name] = mapping[name];
    mapping = d;
  }
  if (!py::hasattr(mapping, "items"))
    throw py::type_error("columns must be a mapping of fact name -> column, or a pandas DataFrame");

  std::vector<Column> cols;
  std::vector<redress::FactRef> refs;
  std::size_t n = 0;
  bool first = true;
  for (py::handle kv : py::list(mapping.attr("items")())) {
    py::tuple pair = py::reinterpret_borrow<py::tuple>(kv);
    if (!PyUnicode_Check(pair[0].ptr())) throw py::type_error("column names must be str (fact names)");
    std::string name = pair[0].cast<std::string>();
    auto ref = pack.fact_ref(*pb, name);
    if (!ref) {
      std::string msg = "column '" + name + "' is not a fact of playbook '" + info.id + "'";
      msg += " (select the fact columns, e.g. df[[...]])";
      throw py::value_error(msg);
    }
    cols.push_back(read_column(name, pair[1]));
    refs.push_back(*ref);
    if (first) n = cols.back().cells.size();
    else if (cols.back().cells.size() != n)
      throw py::value_error("column '" + name + "' has " + std::to_string(cols.back().cells.size()) +
                            " rows, column '" + cols.front().name + "' has " + std::to_string(n));
    first = false;
  }
  const std::vector<std::string> states = read_names(options.state, n, "state");
  const std::vector<std::string> events = read_names(options.event, n, "event");
  const std::vector<std::optional<redress::Timestamp>> nows = read_times(options.now, n, "now");
  const std::vector<std::optional<redress::Timestamp>> entered = read_times(options.entered_at, n, "entered_at");
  const unsigned threads = thread_count(options.threads);

  std::vector<RowResult> results(n);
  {
    py::gil_scoped_release release;
    const redress::Timestamp batch_now = redress::Timestamp::now();  // rows without `now`
    // State and event names bound once per distinct name, not per row.
    std::unordered_map<std::string, std::optional<redress::StateRef>> state_refs;
    std::unordered_map<std::string, std::optional<redress::EventRef>> event_refs;
    for (const auto& s : states)
      if (!s.empty() && !state_refs.count(s)) state_refs[s] = pack.state_ref(*pb, s);
    for (const auto& e : events)
      if (!e.empty() && !event_refs.count(e)) event_refs[e] = pack.event_ref(*pb, e);

    redress::runtime::ThreadPool::shared().parallel_for(n, threads, [&](std::size_t begin, std::size_t end) {
      redress::BoundCase c;
      c.playbook = *pb;
      redress::Decision d;  // one per range, reused row after row (Pack::evaluate_into)
      for (std::size_t row = begin; row < end; ++row) {
        RowResult& r = results[row];
        c.facts.clear();
        c.state.reset();
        c.event.reset();
        c.now = nows.empty() || !nows[row] ? batch_now : *nows[row];
        c.entered_at = entered.empty() ? std::nullopt : entered[row];
        if (!states.empty() && !states[row].empty()) {
          const auto& ref = state_refs.at(states[row]);
          if (!ref) {
            r.error = "unknown state '" + states[row] + "' in playbook '" + info.id + "'";
            continue;
          }
          c.state = ref;
        }
        if (!events.empty() && !events[row].empty()) {
          const auto& ref = event_refs.at(events[row]);
          if (!ref) {
            r.error = "unknown event '" + events[row] + "' in playbook '" + info.id + "'";
            continue;
          }
          c.event = ref;
        }
        for (std::size_t k = 0; k < cols.size(); ++k)
          if (cols[k].cells[row].kind != Column::Absent) c.fact(refs[k], cols[k].value(row));
        try {
          pack.evaluate_into(c, d);
          r.ok = true;
          r.state = d.state;  // copied: d keeps its storage for the next row
          r.level = d.escalation.level;
          r.total = d.compensation.total.to_string();
          r.capped = d.compensation.capped;
          r.held = d.compensation.held;
          r.has_approval = d.compensation.approval.has_value();
          if (r.has_approval) r.approval = *d.compensation.approval;
          r.has_next_action = !d.actions.empty();
          if (r.has_next_action) {
            r.next_action = d.actions.front().action;
            r.due_at = d.actions.front().due_at;
          }
        } catch (const redress::EvaluationError& e) {
          r.error = e.what();
        }
      }
    });
  }

  // The result, one list per column (GIL held again).
  Interned names;
  py::list state(n), level(n), total(n), capped(n), approval(n), held(n), next_action(n), due_at(n), error(n);
  for (std::size_t i = 0; i < n; ++i) {
    const RowResult& r = results[i];
    if (!r.ok) {
      for (py::list* column : {&state, &level, &total, &capped, &approval, &held, &next_action, &due_at})
        (*column)[i] = py::none();
      error[i] = py::str(r.error);
      continue;
    }
    state[i] = names.get(r.state);
    level[i] = names.get(r.level);
    total[i] = py::str(r.total);
    capped[i] = py::bool_(r.capped);
    approval[i] = r.has_approval ? names.get(r.approval) : py::none();
    held[i] = py::bool_(r.held);
    next_action[i] = r.has_next_action ? names.get(r.next_action) : py::none();
    due_at[i] = from_optional_timestamp(r.due_at);
    error[i] = py::none();
  }
  py::dict out;
  out["state"] = state;
  out["level"] = level;
  out["total"] = total;
  out["capped"] = capped;
  out["approval"] = approval;
  out["held"] = held;
  out["next_action"] = next_action;
  out["due_at"] = due_at;
  out["error"] = error;
  if (frame_index.is_none()) return std::move(out);
  return py::module_::import("pandas").attr("DataFrame")(out, py::arg("index") = frame_index);
}

py::bytes evaluate_jsonl(const redress::Pack& pack, const py::bytes& text, std::optional<int> threads, bool trace) {
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(text.ptr(), &data, &size) != 0) throw py::error_already_set();
  redress::JsonLinesOptions options;
  options.origin = "<jsonl>";
  options.evaluate.trace = trace;
  options.evaluate.clock = true;  // a case without `now`: the wall clock, as evaluate(now=None)
  options.threads = thread_count(threads);
  std::string out;
  {
    py::gil_scoped_release release;  // `text` is immutable bytes, kept alive by the caller
    redress::evaluate_json_lines(pack, std::string_view(data, static_cast<std::size_t>(size)), 1, options, out);
  }
  return py::bytes(out);
}

}  // namespace redress_py
