// redress._redress: the compiled half of the Python package `redress` (spec §7).
//
// The pure-Python half (redress/__init__.py, redress/_types.py) holds Money, Diagnostic and
// the exception classes; this module builds them through convert.hpp.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "columns.hpp"
#include "convert.hpp"
#include "keywords.hpp"
#include "py_pack.hpp"
#include "redress/redress.hpp"
#include "runtime/thread_pool.hpp"

namespace py = pybind11;
using namespace redress_py;

namespace {

std::vector<std::string> absolutize(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(p, ec);
    out.push_back(ec ? p : abs.lexically_normal().string());
  }
  return out;
}

std::vector<std::string> paths_from(py::handle path) {
  auto fspath = py::module_::import("os").attr("fspath");
  std::vector<std::string> paths;
  if (PyList_Check(path.ptr()) || PyTuple_Check(path.ptr())) {
    for (py::handle p : path) paths.push_back(py::str(fspath(p)).cast<std::string>());
  } else {
    paths.push_back(py::str(fspath(path)).cast<std::string>());
  }
  return paths;
}

PyPack load_pack(const std::vector<std::string>& paths) {
  std::optional<redress::Pack> pack;
  {
    py::gil_scoped_release release;
    pack = redress::Pack::load(paths);
  }
  return PyPack{*pack, absolutize(paths)};
}

template <class F>
auto converting(F&& f, const std::string& prefix = "") -> decltype(f()) {
  try {
    return f();
  } catch (const ConversionError& e) {
    e.raise_python(prefix);
  }
}

redress::Decision evaluate_released(const redress::Pack& pack, const redress::Case& c,
                                    const redress::EvaluateOptions& options) {
  py::gil_scoped_release release;
  return pack.evaluate(c, options);
}

redress::CompoundDecision evaluate_compound_released(const redress::Pack& pack, const redress::Case& c,
                                                     const redress::EvaluateOptions& options) {
  py::gil_scoped_release release;
  return pack.evaluate_compound(c, options);
}

// The case evaluate() and evaluate_compound() take, from their keyword arguments.
redress::Case case_from_arguments(py::handle facts, py::handle playbook, py::handle state, py::handle event,
                                  py::handle now, py::handle entered_at, py::handle sign_offs, py::handle paid,
                                  py::handle pauses, py::handle done, py::handle timezone, py::handle triage,
                                  py::handle playbooks, py::handle states) {
  return converting([&] {
    redress::Case c = to_case(facts, playbook, state, event, now, entered_at, sign_offs, paid);
    add_time_input(c, pauses, done, timezone);
    add_compound_input(c, triage, playbooks, states);
    return c;
  });
}

// Pack.triage, triage_all and explain_triage: one of Pack's triage methods on the facts and
// `now` (None: the wall clock), without the GIL.
template <class Result>
auto triage_method(Result (redress::Pack::*method)(const redress::Case&, const redress::EvaluateOptions&) const) {
  return [method](const PyPack& self, py::object facts, py::object now) {
    redress::Case c = converting([&] { return to_case(facts, py::none(), py::none(), py::none(), now, py::none()); });
    redress::EvaluateOptions options;
    options.clock = c.now == std::nullopt;
    py::gil_scoped_release release;
    return (self.pack.*method)(c, options);
  };
}

py::list evaluate_many(const PyPack& self, py::iterable cases, std::optional<int> threads, bool trace,
                       std::optional<bool> strict) {
  std::vector<redress::Case> input;
  std::vector<std::size_t> compound;  // indices of the compound cases (spec §4.1)
  std::size_t index = 0;
  for (py::handle item : cases) {
    input.push_back(converting([&] { return case_from_mapping(item); }, "cases[" + std::to_string(index) + "]: "));
    if (input.back().compound()) compound.push_back(index);
    ++index;
  }
  if (threads && *threads < 1) throw py::value_error("threads must be at least 1 (or None for every core)");
  redress::BatchOptions options;
  options.evaluate.trace = trace;
  options.evaluate.strict_facts = strict;
  options.evaluate.clock = true;  // `now` missing from a case: the wall clock, read once for the batch
  options.threads = threads ? static_cast<unsigned>(*threads) : 0;
  std::vector<redress::EvaluationResult> results;
  std::vector<std::optional<redress::CompoundDecision>> compound_decisions(input.size());
  {
    py::gil_scoped_release release;
    if (compound.empty()) {
      results = self.pack.evaluate_many(input, options);
    } else {
      // Pack::evaluate_many answers single cases (a compound one is its error), and
      // evaluate_compound_many the compound ones, each in its place, at one batch time.
      const redress::Timestamp batch_now = redress::Timestamp::now();
      for (auto& c : input)
        if (!c.now) c.now = batch_now;
      options.evaluate.clock = false;
      std::vector<redress::Case> single, several;
      for (std::size_t i = 0, k = 0; i < input.size(); ++i) {
        if (k < compound.size() && compound[k] == i) {
          ++k;
          several.push_back(std::move(input[i]));
        } else {
          single.push_back(std::move(input[i]));
        }
      }
      std::vector<redress::EvaluationResult> single_results = self.pack.evaluate_many(single, options);
      std::vector<redress::CompoundResult> compound_results = self.pack.evaluate_compound_many(several, options);
      results.resize(input.size());
      for (std::size_t i = 0, j = 0, k = 0; i < input.size(); ++i) {
        if (k < compound.size() && compound[k] == i) {
          auto& r = compound_results[k++];
          if (r.decision) compound_decisions[i] = std::move(*r.decision);
          else results[i].error = std::move(r.error);
        } else {
          results[i] = std::move(single_results[j++]);
        }
      }
    }
  }
  py::list out(results.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    if (compound_decisions[i]) out[i] = py::cast(std::move(*compound_decisions[i]));
    else if (r.decision) out[i] = py::cast(std::move(*r.decision));
    else out[i] = make_evaluation_error(r.error->message(), redress::to_string(r.error->location()));
  }
  return out;
}

PyPack restore_pack(const std::vector<std::string>& sources, const std::string& fingerprint) {
  PyPack p = load_pack(sources);
  if (p.pack.fingerprint() != fingerprint) {
    std::string joined;
    for (const auto& s : sources) joined += (joined.empty() ? "" : ", ") + s;
    py::object err = pack_changed_error_class()(
        "the playbooks changed since this Pack was pickled: " + joined + " now give fingerprint " +
            p.pack.fingerprint() + ", the pickled Pack had " + fingerprint +
            " (load the pack again where the files are the same)",
        py::list(), fingerprint, p.pack.fingerprint());
    PyErr_SetObject(py::type::handle_of(err).ptr(), err.ptr());
    throw py::error_already_set();
  }
  return p;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

}  // namespace

PYBIND11_MODULE(_redress, m) {
  init_conversions();
  m.doc() = "The compiled core of the `redress` package. Use `import redress`, not this module.";
  m.attr("__version__") = redress::version_string();
  m.attr("FORMAT_VERSION") = redress::kFormatVersion;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const redress::LoadError& e) {
      py::object err = make_load_error(e);
      PyErr_SetObject(py::type::handle_of(err).ptr(), err.ptr());
    } catch (const redress::EvaluationError& e) {
      py::object err = make_evaluation_error(e.message(), redress::to_string(e.location()));
      PyErr_SetObject(py::type::handle_of(err).ptr(), err.ptr());
    } catch (const ConversionError& e) {
      PyErr_SetString(e.type_error ? PyExc_TypeError : PyExc_ValueError, e.what());
    }
  });

  // ---- helpers for the pure-Python layer ----
  m.def("_currency_digits", [](const std::string& code) -> py::object {
    auto c = redress::Currency::find(code);
    if (!c) return py::none();
    return py::int_(c->minor_digits());
  }, "Minor-unit digits of an ISO 4217 currency code (EUR 2, JPY 0), or None if unknown.");
  m.def("_parse_money", [](const std::string& text) -> py::object {
    auto money = redress::Money::parse(text);
    if (!money) return py::none();
    return py::make_tuple(money->amount.to_string(), std::string(money->currency.code()));
  }, "('12.5', 'EUR') for '12.50 EUR', or None if the text is not money.");
  m.def("_bundled_pack_path", [] { return redress::bundled_pack_path(); },
        "The C++ library's bundled pack directory (redress/data.hpp); RuntimeError when none.");
  m.def("_schema_dir", [] { return redress::schema_dir(); },
        "The C++ library's JSON Schema directory (redress/data.hpp); RuntimeError when none.");
  m.def("_parse_case", [](const std::string& text, const std::string& origin) {
    redress::Case c = redress::parse_case(text, origin);
    py::dict facts;
    for (const auto& [name, value] : c.facts) facts[py::str(name)] = from_value(value);
    py::dict out;
    out["facts"] = facts;
    if (!c.playbook.empty()) out["playbook"] = c.playbook;
    if (!c.state.empty()) out["state"] = c.state;
    if (!c.event.empty()) out["event"] = c.event;
    if (c.now) out["now"] = from_timestamp(*c.now);
    if (c.entered_at) out["entered_at"] = from_timestamp(*c.entered_at);
    if (!c.sign_offs.empty()) {
      py::list sign_offs;
      for (const auto& s : c.sign_offs) {
        py::dict d;
        d["level"] = s.level;
        d["by"] = s.by;
        d["at"] = from_timestamp(s.at);
        if (s.amount) d["amount"] = from_money(*s.amount);
        sign_offs.append(d);
      }
      out["sign_offs"] = sign_offs;
    }
    if (!c.paid.empty()) {
      py::dict paid;
      for (const auto& p : c.paid) paid[py::str(p.item)] = from_money(p.amount);
      out["paid"] = paid;
    }
    if (!c.pauses.empty()) {
      py::list pauses;
      for (const auto& p : c.pauses) {
        py::dict d;
        d["from"] = from_timestamp(p.from);
        d["to"] = p.to ? from_timestamp(*p.to) : py::object(py::none());
        pauses.append(d);
      }
      out["pauses"] = pauses;
    }
    if (!c.done.empty()) {
      py::dict done;
      for (const auto& [action, at] : c.done) done[py::str(action)] = from_timestamp(at);
      out["done"] = done;
    }
    if (!c.timezone.empty()) out["timezone"] = c.timezone;
    if (c.triage == redress::Triage::All) out["triage"] = "all";  // a compound case (spec §4.1)
    if (!c.playbooks.empty()) out["playbooks"] = c.playbooks;
    if (!c.states.empty()) {
      py::dict states;
      for (const auto& [playbook, state] : c.states) states[py::str(playbook)] = state;
      out["states"] = states;
    }
    return out;
  }, py::arg("text"), py::arg("origin") = "<case>", "Parse a case (JSON or YAML text, as the CLI reads) into a dict.");

  // ---- pack description ----
  py::class_<redress::FactInfo>(m, "FactInfo", "A fact a playbook declares (its name, type and bounds).")
      .def_readonly("name", &redress::FactInfo::name, "The fact's name.")
      .def_readonly("type", &redress::FactInfo::type, "'bool', 'int', 'number', 'money', 'string', 'enum', 'datetime', 'duration' or 'list'.")
      .def_readonly("values", &redress::FactInfo::values, "The allowed values of an enum (else empty).")
      .def_readonly("required", &redress::FactInfo::required, "True when the fact has no default and is not optional.")
      .def_readonly("optional", &redress::FactInfo::optional, "True when the fact may be absent (null).")
      .def_readonly("default", &redress::FactInfo::default_value, "The default as written in the YAML, or None.")
      .def_readonly("min", &redress::FactInfo::min, "The declared minimum as exact decimal text (money as an amount in the playbook's currency), or None.")
      .def_readonly("max", &redress::FactInfo::max, "The declared maximum as exact decimal text (money as an amount in the playbook's currency), or None.")
      .def_readonly("doc", &redress::FactInfo::doc, "Free text from the declaration.")
      .def("__repr__", [](const redress::FactInfo& f) {
        std::string s = "<FactInfo " + f.name + ": " + f.type;
        if (!f.values.empty()) s += " [" + join(f.values) + "]";
        if (f.default_value) s += " = " + *f.default_value;
        else if (f.optional) s += " (optional)";
        else if (f.required) s += " (required)";
        return s + ">";
      });

  py::class_<redress::StateInfo>(m, "StateInfo", "A state of a playbook's state machine.")
      .def_readonly("name", &redress::StateInfo::name)
      .def_readonly("initial", &redress::StateInfo::initial)
      .def_readonly("terminal", &redress::StateInfo::terminal)
      .def_readonly("outcome", &redress::StateInfo::outcome,
                    "A terminal state's outcome: 'resolved' or 'closed_without_agreement'; '' otherwise.")
      .def("__repr__", [](const redress::StateInfo& s) {
        return "<StateInfo " + s.name + (s.initial ? " initial" : "") + (s.terminal ? " terminal" : "") + ">";
      });

  py::class_<redress::PlaybookInfo>(m, "PlaybookInfo", "What a loaded playbook declares: id, title, version, states, facts.")
      .def_readonly("id", &redress::PlaybookInfo::id)
      .def_readonly("title", &redress::PlaybookInfo::title)
      .def_readonly("version", &redress::PlaybookInfo::version)
      .def_readonly("doc", &redress::PlaybookInfo::doc)
      .def_readonly("file", &redress::PlaybookInfo::file, "The YAML file it was loaded from.")
      .def_readonly("currency", &redress::PlaybookInfo::currency, "ISO 4217 code, or '' when the playbook has no money.")
      .def_readonly("priority", &redress::PlaybookInfo::priority, "Triage order (higher first).")
      .def_readonly("has_match", &redress::PlaybookInfo::has_match, "Whether triage can pick it (it has a `match`).")
      .def_readonly("ladder", &redress::PlaybookInfo::ladder, "Escalation levels, lowest first.")
      .def_readonly("states", &redress::PlaybookInfo::states, "list[StateInfo], in file order.")
      .def_readonly("facts", &redress::PlaybookInfo::facts, "list[FactInfo], the pack's shared facts included.")
      .def_readonly("events", &redress::PlaybookInfo::events, "Every event some state accepts, sorted.")
      .def_readonly("fingerprint", &redress::PlaybookInfo::fingerprint, "'sha256:…' of the playbook and its pack.yaml.")
      .def_property_readonly("test_count", [](const redress::PlaybookInfo& p) { return p.tests.size(); },
                             "How many examples (`tests:`) the playbook carries.")
      .def("__repr__", [](const redress::PlaybookInfo& p) {
        return "<PlaybookInfo " + p.id + " " + p.version + ": " + std::to_string(p.states.size()) + " states, " +
               std::to_string(p.facts.size()) + " facts>";
      });

  py::class_<redress::TestResult>(m, "TestResult", "The outcome of one playbook example (see Pack.run_tests).")
      .def_readonly("playbook", &redress::TestResult::playbook)
      .def_readonly("name", &redress::TestResult::name)
      .def_readonly("file", &redress::TestResult::file)
      .def_readonly("line", &redress::TestResult::line)
      .def_readonly("passed", &redress::TestResult::passed)
      .def_readonly("compound", &redress::TestResult::compound,
                    "A compound test (pack.test.yaml): `playbook` is its playbooks joined by '+'.")
      .def_readonly("failures", &redress::TestResult::failures, "One line per difference: 'state: expected offer, got investigating'.")
      .def("__repr__", [](const redress::TestResult& r) {
        return "<TestResult " + r.playbook + ": " + r.name + (r.passed ? " passed>" : " FAILED>");
      });

  // ---- the Decision ----
  py::class_<redress::ActionOut>(m, "Action", "A next action of the decision (spec §5 `actions[i]`).")
      .def_readonly("action", &redress::ActionOut::action, "The action id.")
      .def_property_readonly("due_at", [](const redress::ActionOut& a) { return from_optional_timestamp(a.due_at); },
                             "Deadline as a datetime in UTC, or None when the state's entry time is unknown or the action has no `within`.")
      .def_readonly("overdue", &redress::ActionOut::overdue, "Not done, and now > due_at.")
      .def_readonly("done", &redress::ActionOut::done, "The case says it is done (never for a recurring action).")
      .def_readonly("say", &redress::ActionOut::say, "The script with its placeholders filled, or None.")
      .def_readonly("options", &redress::ActionOut::options, "Options to offer (list[str]) or None.")
      .def_readonly("to", &redress::ActionOut::to, "The role it is for, or None.")
      .def("__repr__", [](const redress::ActionOut& a) {
        return "<Action " + a.action + (a.due_at ? " due " + a.due_at->to_string() : "") + (a.overdue ? " OVERDUE" : "") + ">";
      });

  py::class_<redress::Escalation>(m, "Escalation", "Escalation level of the decision, with the reasons that raised it.")
      .def_readonly("level", &redress::Escalation::level, "A rung of the ladder, e.g. 'manager'.")
      .def_readonly("rank", &redress::Escalation::rank, "0 = the lowest rung.")
      .def_readonly("reasons", &redress::Escalation::reasons, "The `why` of every rule that held, in order.")
      .def("__repr__", [](const redress::Escalation& e) { return "<Escalation " + e.level + " (" + std::to_string(e.rank) + ")>"; });

  py::class_<redress::SignOff>(m, "SignOff", "A sign-off of the compensation: who, at which level, when, up to which amount.")
      .def_readonly("level", &redress::SignOff::level)
      .def_readonly("by", &redress::SignOff::by)
      .def_property_readonly("at", [](const redress::SignOff& s) { return from_timestamp(s.at); }, "datetime (UTC).")
      .def_property_readonly("amount", [](const redress::SignOff& s) -> py::object {
        return s.amount ? from_money(*s.amount) : py::object(py::none());
      }, "redress.Money, or None: any amount.")
      .def("__repr__", [](const redress::SignOff& s) {
        return "<SignOff " + s.level + " by " + s.by + " at " + s.at.to_string() + (s.amount ? " up to " + s.amount->to_string() : "") + ">";
      });

  py::class_<redress::CompensationItem>(m, "CompensationItem", "One compensation line item.")
      .def_readonly("id", &redress::CompensationItem::id)
      .def_readonly("kind", &redress::CompensationItem::kind, "refund, credit, voucher, … (free text from the playbook).")
      .def_property_readonly("basis", [](const redress::CompensationItem& i) { return std::string(redress::to_string(i.basis)); },
                             "'owed' (never capped or held) or 'goodwill'.")
      .def_property_readonly("paid", [](const redress::CompensationItem& i) { return from_money(i.paid); }, "redress.Money already paid.")
      .def_property_readonly("remaining", [](const redress::CompensationItem& i) { return from_money(i.remaining); },
                             "redress.Money: amount - paid, never negative.")
      .def_property_readonly("amount", [](const redress::CompensationItem& i) { return from_money(i.amount); },
                             "redress.Money, rounded to the currency's minor unit.")
      .def("__repr__", [](const redress::CompensationItem& i) {
        return "<CompensationItem " + i.id + " " + i.kind + " " + i.amount.to_string() + ">";
      });

  py::class_<redress::Compensation>(m, "Compensation", "The proportional compensation of the decision (spec §4 step 6).")
      .def_property_readonly("total", [](const redress::Compensation& c) { return from_money(c.total); }, "redress.Money.")
      .def_property_readonly("owed", [](const redress::Compensation& c) { return from_money(c.owed); }, "redress.Money: owed items, never capped.")
      .def_property_readonly("goodwill", [](const redress::Compensation& c) { return from_money(c.goodwill); }, "redress.Money: goodwill items, after the cap.")
      .def_property_readonly("paid", [](const redress::Compensation& c) { return from_money(c.paid); }, "redress.Money already paid.")
      .def_property_readonly("remaining", [](const redress::Compensation& c) { return from_money(c.remaining); }, "redress.Money left to pay.")
      .def_property_readonly("payable", [](const redress::Compensation& c) { return from_money(c.payable); },
                             "redress.Money that may be paid now: remaining owed, plus remaining goodwill once signed off.")
      .def_readonly("signed_off", &redress::Compensation::signed_off, "Whether a sufficient sign-off is on record (True when none is needed).")
      .def_readonly("sign_off", &redress::Compensation::sign_off, "The SignOff that counts, or None.")
      .def_readonly("capped", &redress::Compensation::capped, "True when the cap cut the total.")
      .def_readonly("approval", &redress::Compensation::approval, "The level whose sign-off is needed, or None.")
      .def_readonly("approved", &redress::Compensation::approved, "Whether the escalation level is at or above `approval`.")
      .def_readonly("held", &redress::Compensation::held, "True when the hold rule applies.")
      .def_readonly("hold_reason", &redress::Compensation::hold_reason)
      .def_readonly("items", &redress::Compensation::items, "list[CompensationItem], in rule order.")
      .def("__repr__", [](const redress::Compensation& c) {
        return "<Compensation " + c.total.to_string() + (c.capped ? " capped" : "") + (c.held ? " held" : "") + ">";
      });

  py::class_<redress::ToClose>(m, "ToClose", "The shortest way from the decision's state to a terminal state.")
      .def_readonly("steps", &redress::ToClose::steps)
      .def_readonly("events", &redress::ToClose::events, "Events on that path, in order.")
      .def_readonly("states", &redress::ToClose::states, "States it passes, ending at a terminal state.")
      .def("__repr__", [](const redress::ToClose& t) { return "<ToClose " + std::to_string(t.steps) + " steps: " + join(t.states) + ">"; });

  py::class_<redress::TraceStep>(m, "TraceStep", "One guard or rule evaluated (Decision.trace, with trace=True).")
      .def_property_readonly("at", [](const redress::TraceStep& t) { return redress::to_string(t.at); },
                             "'delivery_delay.yaml:41:28': where the expression is.")
      .def_readonly("what", &redress::TraceStep::what, "'match', 'let', 'on', 'always', 'action', 'escalation', 'compensation', 'cap', 'hold', …")
      .def_readonly("expr", &redress::TraceStep::expr, "The expression's source text.")
      .def_property_readonly("value", [](const redress::TraceStep& t) { return from_value(t.value); },
                             "What it gave: bool, int, decimal.Decimal, str, redress.Money, datetime, timedelta, list or None.")
      .def("__repr__", [](const redress::TraceStep& t) {
        return "<TraceStep " + redress::to_string(t.at) + " " + t.what + " " + t.expr + " -> " + t.value.to_display() + ">";
      });

  py::class_<redress::Decision>(m, "Decision", R"doc(What redress answers for a case (spec §5).

Attributes mirror the JSON: ``state``, ``path``, ``actions`` (list of Action),
``escalation.level``, ``compensation.total`` (a redress.Money), ``to_close`` …
``to_dict()`` is the spec §5 JSON as ``json.loads`` reads it, ``to_json()`` the exact text the
CLI prints. Decisions compare equal when every field is equal (C++ operator==), and pickle
(losslessly, through redress::encode_decision).)doc")
      .def_readonly("playbook", &redress::Decision::playbook, "The playbook id that decided.")
      .def_readonly("version", &redress::Decision::version, "The playbook's author version.")
      .def_readonly("fingerprint", &redress::Decision::fingerprint, "'sha256:…' of the playbook source and its pack.yaml.")
      .def_readonly("state", &redress::Decision::state, "The state the case should be in now.")
      .def_readonly("terminal", &redress::Decision::terminal, "Whether that state is terminal.")
      .def_readonly("path", &redress::Decision::path, "States entered by this evaluation, in order.")
      .def_readonly("actions", &redress::Decision::actions, "list[Action]: what to do next, in order.")
      .def_readonly("escalation", &redress::Decision::escalation, "Escalation: level, rank, reasons.")
      .def_readonly("compensation", &redress::Decision::compensation, "Compensation: total, items, cap, approval, hold.")
      .def_readonly("to_close", &redress::Decision::to_close, "ToClose, or None when no terminal state can be reached.")
      .def_readonly("warnings", &redress::Decision::warnings, "e.g. unknown facts that were ignored.")
      .def_property_readonly("next_change_at", [](const redress::Decision& d) { return from_optional_timestamp(d.next_change_at); },
                             "The earliest pending deadline, timeout or recurrence at or after now (a UTC datetime): "
                             "past it, time alone may change the decision. None when nothing is pending.")
      .def_property_readonly("trace", [](const redress::Decision& d) -> py::object {
        if (!d.has_trace) return py::none();
        return py::cast(d.trace);
      }, "list[TraceStep] when evaluated with trace=True, else None.")
      .def("to_json", [](const redress::Decision& d, bool pretty) { return redress::to_json(d, redress::JsonOptions{pretty}); },
           py::arg("pretty") = false, "The spec §5 JSON text, byte for byte what C++ and the CLI produce.")
      .def("to_dict", [](const redress::Decision& d, bool exact) {
        return decision_to_dict(d, exact);
      }, py::arg("exact") = false,
           R"doc(The spec §5 JSON as a dict: what ``json.loads(d.to_json())`` gives.

Money, datetimes and durations are strings there, as in the JSON. The only JSON numbers are
ranks, steps and trace values; non-integral trace numbers become float (as json.loads reads the
CLI's output) unless ``exact=True``, which gives decimal.Decimal instead.)doc")
      .def("__eq__", [](const redress::Decision& a, py::object b) -> py::object {
        if (!py::isinstance<redress::Decision>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        return py::bool_(a == b.cast<const redress::Decision&>());
      })
      .def("__ne__", [](const redress::Decision& a, py::object b) -> py::object {
        if (!py::isinstance<redress::Decision>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        return py::bool_(a != b.cast<const redress::Decision&>());
      })
      .def("__repr__", [](const redress::Decision& d) {
        return "<Decision " + d.playbook + " state=" + d.state + " level=" + d.escalation.level +
               " compensation=" + d.compensation.total.to_string() + " actions=[" + [&] {
                 std::string s;
                 for (const auto& a : d.actions) s += (s.empty() ? "" : ", ") + a.action;
                 return s;
               }() + "]>";
      })
      .def(py::pickle([](const redress::Decision& d) { return py::bytes(redress::encode_decision(d)); },
                      [](const py::bytes& state) {
                        // Corrupt or foreign bytes: std::invalid_argument, a ValueError in Python.
                        return redress::decode_decision(std::string_view(state));
                      }));
  m.attr("Decision").attr("__hash__") = py::none();
  bind_compound(m);

  // ---- the Pack ----
  py::class_<PyPack>(m, "Pack", R"doc(A compiled, immutable pack of playbooks.

Load one with ``redress.load(path)`` (a directory of playbooks, or one playbook file with the
pack.yaml beside it). A Pack is safe to use from many threads at once; ``evaluate`` and
``evaluate_many`` release the GIL while the engine runs. A Pack pickles by reference to its
files: unpickling loads them again and checks the fingerprint.)doc")
      .def_static("load", [](py::object path) { return load_pack(paths_from(path)); }, py::arg("path"),
                  "Load a pack from a path (str or os.PathLike) or a list of paths. Raises redress.LoadError.")
      .def("evaluate",
           [](const PyPack& self, py::object facts, py::object playbook, py::object state, py::object event,
              py::object now, py::object entered_at, bool trace, py::object sign_offs, py::object paid,
              py::object pauses, py::object done, py::object timezone, std::optional<bool> strict,
              py::object triage, py::object playbooks, py::object states) -> py::object {
             redress::Case c = case_from_arguments(facts, playbook, state, event, now, entered_at, sign_offs, paid,
                                                   pauses, done, timezone, triage, playbooks, states);
             redress::EvaluateOptions options;
             options.trace = trace;
             options.strict_facts = strict;
             options.clock = c.now == std::nullopt;
             if (c.compound()) return py::cast(evaluate_compound_released(self.pack, c, options));
             return py::cast(evaluate_released(self.pack, c, options));
           },
           py::arg("facts"), py::arg("playbook") = py::none(), py::arg("state") = py::none(),
           py::arg("event") = py::none(), py::arg("now") = py::none(), py::arg("entered_at") = py::none(),
           py::arg("trace") = false, py::arg("sign_offs") = py::none(), py::arg("paid") = py::none(),
           py::arg("pauses") = py::none(), py::arg("done") = py::none(), py::arg("timezone") = py::none(),
           py::arg("strict") = py::none(), py::kw_only(), py::arg("triage") = py::none(),
           py::arg("playbooks") = py::none(), py::arg("states") = py::none(),
           R"doc(Evaluate one case into a Decision (spec §4), or a compound case into a CompoundDecision (§4.1).

facts:      dict of fact name -> value. Values: None, bool, int, decimal.Decimal, str (also
            text forms such as '12.50 EUR', '2026-11-23T10:00:00Z', '3h30m'), redress.Money,
            datetime WITH tzinfo, date (midnight UTC), timedelta, list/tuple of str.
            float is rejected (TypeError): money and numbers never go through binary floating
            point. A naive datetime is rejected (ValueError) naming the fact.
playbook:   playbook id; None: the pack's only playbook, else triage picks one.
state:      the case's current state; None: the initial state.
event:      an event the state accepts, or None.
now:        the evaluation time (datetime with tzinfo or ISO 8601 str). None reads the wall
            clock: pass `now` for reproducible results.
entered_at: when the case entered `state` (for action deadlines); None: unknown.
pauses:     periods the clock stood still: [(from, to), …] or [{'from': …, 'to': …}], `to`
            None while still paused; deadlines, timeouts and ages skip them.
done:       {action id: when it was done} (the last time, for a recurring action).
timezone:   IANA zone `say` shows times in (e.g. 'Europe/Berlin'); None: the calendar's.
trace:      fill Decision.trace with every guard and rule evaluated.
sign_offs:  list of dicts {'level', 'by', 'at', 'amount'?}: who signed the compensation off
            (amount a redress.Money or '25.00 EUR'; absent: any amount).
paid:       dict {item id: redress.Money or '50.00 EUR'}: what was already paid per item, so
            that remaining/payable never pay twice.
strict:     True: a fact the playbook does not declare is an EvaluationError (a typo such as
            'teir' must not decide a case); False: a warning in Decision.warnings (with a "did
            you mean"); None: the pack's default (`strict_facts` in pack.yaml, else False).

A compound case (keywords only; the answer is then a CompoundDecision, spec §5.1):
playbooks:  list of playbook ids the case is about, in this order.
triage:     'all': every playbook whose `match` holds (best first, spec §4.1); 'first' or None: the
            single pick of spec §4 (a Decision, the default).
states:     {playbook id: state} of a compound case (absent: its initial state); `state`
            is for a case of one playbook. `event` goes to every part whose state accepts it;
            `paid` to the part with the item ('PLAYBOOK.ITEM' when several have it).

Raises redress.EvaluationError (with .location) for a bad case or a failure while evaluating,
TypeError/ValueError for Python values redress cannot take. The GIL is released while the
engine runs.)doc")
      .def("evaluate_compound",
           [](const PyPack& self, py::object facts, py::object playbook, py::object state, py::object event,
              py::object now, py::object entered_at, bool trace, py::object sign_offs, py::object paid,
              py::object pauses, py::object done, py::object timezone, std::optional<bool> strict,
              py::object triage, py::object playbooks, py::object states) {
             redress::Case c = case_from_arguments(facts, playbook, state, event, now, entered_at, sign_offs, paid,
                                                   pauses, done, timezone, triage, playbooks, states);
             if (!triage.is_none() && c.triage == redress::Triage::First)
               throw py::value_error("evaluate_compound evaluates every playbook that matches (or those named): "
                                     "triage='first' is evaluate()'s single pick");
             redress::EvaluateOptions options;
             options.trace = trace;
             options.strict_facts = strict;
             options.clock = c.now == std::nullopt;
             return evaluate_compound_released(self.pack, c, options);
           },
           py::arg("facts"), py::arg("playbook") = py::none(), py::arg("state") = py::none(),
           py::arg("event") = py::none(), py::arg("now") = py::none(), py::arg("entered_at") = py::none(),
           py::arg("trace") = false, py::arg("sign_offs") = py::none(), py::arg("paid") = py::none(),
           py::arg("pauses") = py::none(), py::arg("done") = py::none(), py::arg("timezone") = py::none(),
           py::arg("strict") = py::none(), py::kw_only(), py::arg("triage") = py::none(),
           py::arg("playbooks") = py::none(), py::arg("states") = py::none(),
           R"doc(Evaluate a case as a compound case (spec §4.1): always a CompoundDecision.

Takes evaluate()'s arguments. The parts are the playbooks of `playbooks`; else the one
`playbook` (a compound of one); else the pack's only playbook; else every playbook triage
matches (triage may be left out or 'all'; 'first' is a ValueError). Use it where code wants one
shape of answer whatever the case names. Raises redress.EvaluationError (a part's error begins
"playbook 'ID': ") and TypeError/ValueError as evaluate() does.)doc")
      .def("explain",
           [](const PyPack& self, py::object facts, py::object playbook, py::object state, py::object event,
              py::object now, py::object entered_at, py::object sign_offs, py::object paid, py::object pauses,
              py::object done, py::object timezone, std::optional<bool> strict, py::object why_not, py::object fixed,
              py::object what_if, py::object what_if_now) {
             redress::ExplainOptions options;
             redress::Case c = converting([&] {
               redress::Case k = to_case(facts, playbook, state, event, now, entered_at, sign_offs, paid);
               add_time_input(k, pauses, done, timezone);
               auto names = [](py::handle obj, const char* what) {
                 std::vector<std::string> out;
                 if (obj.is_none()) return out;
                 if (py::isinstance<py::str>(obj)) return std::vector<std::string>{obj.cast<std::string>()};
                 for (py::handle item : obj) {
                   if (!py::isinstance<py::str>(item))
                     throw py::type_error(std::string(what) + " must be a str or a list of str");
                   out.push_back(item.cast<std::string>());
                 }
                 return out;
               };
               options.why_not = names(why_not, "why_not");
               options.fixed = names(fixed, "fixed");
               if (!what_if.is_none()) options.what_if = to_case(what_if, py::none(), py::none(), py::none(), py::none(), py::none()).facts;
               options.what_if_now = to_optional_timestamp(what_if_now, "what_if_now");
               return k;
             });
             options.evaluate.strict_facts = strict;
             options.evaluate.clock = c.now == std::nullopt;
             std::string json, text;
             {
               py::gil_scoped_release release;
               redress::Explanation e = redress::explain(self.pack, c, options);
               json = redress::to_json(e);
               text = redress::to_text(e);
             }
             py::dict out = json_loads()(json);
             out["text"] = text;
             return out;
           },
           py::arg("facts"), py::arg("playbook") = py::none(), py::arg("state") = py::none(),
           py::arg("event") = py::none(), py::arg("now") = py::none(), py::arg("entered_at") = py::none(),
           py::arg("sign_offs") = py::none(), py::arg("paid") = py::none(), py::arg("pauses") = py::none(),
           py::arg("done") = py::none(), py::arg("timezone") = py::none(), py::arg("strict") = py::none(),
           py::arg("why_not") = py::none(), py::arg("fixed") = py::none(), py::arg("what_if") = py::none(),
           py::arg("what_if_now") = py::none(),
           R"doc(Explain one case's Decision (docs/explain.md): why each part of it is what it is, why not
another outcome, the smallest changes of the facts that would reach it (each checked by
evaluating the changed case), and what changes when facts or `now` change.

The case arguments are those of evaluate().
why_not:     'level=director', 'item=goodwill', 'state=offer', 'action=ID' (a str or a list).
fixed:       facts the counterfactuals must not change (a str or a list).
what_if:     {fact: value} to evaluate again with (values as for `facts`).
what_if_now: evaluate the what-if at this time.

Returns a dict: 'decision' (spec §5), 'because', 'why_not', 'what_if' (None without what_if),
as the JSON of `redress explain --format json`, and 'text', what the CLI prints. Raises
redress.EvaluationError for a case that cannot be evaluated or an unknown target or fact.)doc")
      .def("triage", triage_method(&redress::Pack::triage),
           py::arg("facts"), py::arg("now") = py::none(),
           "The id of the playbook triage picks for these facts (spec §4): the first, by priority then id, "
           "whose facts validate and whose `match` holds. Raises redress.EvaluationError when none matches. "
           "now=None reads the wall clock.")
      .def("triage_all", triage_method(&redress::Pack::triage_all),
           py::arg("facts"), py::arg("now") = py::none(),
           "Every playbook triage matches for these facts, best first (the highest `rank`, then priority, then id): the parts "
           "evaluate(..., triage='all') would evaluate (spec §4.1). An empty list when none matches. "
           "now=None reads the wall clock.")
      .def("explain_triage", triage_method(&redress::Pack::explain_triage),
           py::arg("facts"), py::arg("now") = py::none(),
           "Every playbook's triage result: list[TriageResult], those that match in triage_all's order (with their rank), "
           "then those that do not (why not: the facts that do not validate or the `match` that is false, where, and the "
           "values it read), as `redress triage --explain` shows them.")
      .def("evaluate_many", &evaluate_many, py::arg("cases"), py::arg("threads") = py::none(), py::arg("trace") = false,
           py::arg("strict") = py::none(),
           R"doc(Evaluate many cases on several threads, without the GIL.

cases:   an iterable of dicts {'facts': {...}, 'playbook'?, 'state'?, 'event'?, 'now'?,
                    'entered_at'?, 'sign_offs'?, 'paid'?, 'pauses'?, 'done'?, 'timezone'?,
                    'triage'?, 'playbooks'?, 'states'?}, with the same values as evaluate() takes. A case without 'now' is
         evaluated at the wall clock read once when the batch starts.
threads: at most this many threads at once; None = every core. The threads come from the
         library's shared pool (one per core), which Pack::evaluate_many in C++ also uses.
trace:   fill each Decision's trace.
strict:  as for evaluate(): unknown facts are errors (True), warnings (False), or the pack's default.

Returns a list in the order of `cases`: each entry is a Decision, a CompoundDecision for a
compound case (one with 'playbooks' or triage 'all', as evaluate() answers it), or a
redress.EvaluationError instance (not raised) for a case that failed, so one bad case does not lose the others.
Python values redress cannot take raise TypeError/ValueError naming the case ("cases[3]: …")
before anything is evaluated. Results equal evaluate()'s, whatever the thread count.)doc")
      .def("evaluate_columns",
           [](const PyPack& self, py::object columns, py::object playbook, py::object state, py::object event,
              py::object now, py::object entered_at, std::optional<int> threads) {
             ColumnsOptions options;
             options.playbook = converting([&] { return to_optional_string(playbook, "playbook"); });
             options.state = state;
             options.event = event;
             options.now = now;
             options.entered_at = entered_at;
             options.threads = threads;
             return evaluate_columns(self.pack, columns, options);
           },
           py::arg("columns"), py::kw_only(), py::arg("playbook") = py::none(), py::arg("state") = py::none(),
           py::arg("event") = py::none(), py::arg("now") = py::none(), py::arg("entered_at") = py::none(),
           py::arg("threads") = py::none(),
           R"doc(Evaluate a table of cases, one per row, without a Python object per case.

columns:  a dict of fact name -> column (list, tuple, numpy array, pandas Series, all of one
          length), or a pandas DataFrame whose columns are facts of the playbook. A missing
          value (None, NaN) is a fact not given: its default applies. Floats are refused.
playbook: the playbook id (may be left out when the pack holds one playbook).
state, event, now, entered_at: None, one value for every row, or a column of them (now and
          entered_at: datetimes with tzinfo, ISO strings or numpy datetime64, read as UTC). A row
          without `now` is evaluated at the wall clock, read once for the batch.
threads:  None = every core.

Returns a dict of equal-length lists (a DataFrame with the input's index for a DataFrame):
state, level, total ('17.99 EUR'), capped, approval (None when none is needed), held,
next_action and due_at (the resulting state's first action, or None), and error (the
evaluation error's message for a row that failed, else None; that row's other columns are None).
Values redress cannot take raise TypeError/ValueError naming the column and row.)doc")
      .def("evaluate_jsonl",
           [](const PyPack& self, const py::bytes& text, std::optional<int> threads, bool trace) {
             return evaluate_jsonl(self.pack, text, threads, trace);
           },
           py::arg("text"), py::arg("threads") = py::none(),
           py::arg("trace") = false,
           R"doc(Evaluate JSON Lines (bytes: one JSON case per line, spec §6) into JSON Lines (bytes).

One output line per input line, in order: the Decision's JSON (spec §5, one line; a compound
case's CompoundDecision, §5.1), or
{"line": N, "error": "<jsonl>:N:COL: message"} in the place of a case that failed, or an empty
line for an empty one. The GIL is released for the whole batch.)doc")
      .def_property_readonly("playbooks", [](const PyPack& self) { return self.pack.playbooks(); },
                             "list[PlaybookInfo]: id, title, version, states, facts (with types) of every playbook.")
      .def("playbook", [](const PyPack& self, const std::string& id) {
        for (const auto& p : self.pack.playbooks())
          if (p.id == id) return p;
        throw py::key_error("no playbook '" + id + "' in this pack");
      }, py::arg("id"), "The PlaybookInfo of one playbook id (KeyError if absent).")
      .def_property_readonly("fingerprint", [](const PyPack& self) { return self.pack.fingerprint(); },
                             "'sha256:…' over every playbook of the pack (content only, not paths).")
      .def_property_readonly("sources", [](const PyPack& self) { return self.pack.sources(); },
                             "The paths the pack was loaded from, as given.")
      .def_property_readonly("warnings", [](const PyPack& self) { return diagnostics_list(self.pack.warnings()); },
                             "list[Diagnostic]: warnings found while loading (errors raise LoadError instead).")
      .def("run_tests", [](const PyPack& self, const std::string& filter) {
        py::gil_scoped_release release;
        return redress::run_tests(self.pack, filter);
      }, py::arg("filter") = "", "Run the examples the playbooks carry (`tests:`), then the compound tests of pack.test.yaml, as `redress test` does. Returns list[TestResult].")
      .def("__reduce__", [](const PyPack& self) {
        return py::make_tuple(py::module_::import("redress._types").attr("_restore_pack"),
                              py::make_tuple(self.absolute_sources, self.pack.fingerprint()));
      }, "Pickle by reference: the absolute source paths and the fingerprint.")
      .def("__repr__", [](const PyPack& self) {
        std::string ids;
        for (const auto& p : self.pack.playbooks()) ids += (ids.empty() ? "" : ", ") + p.id;
        return "<redress.Pack " + join(self.pack.sources()) + ": " + ids + " " + self.pack.fingerprint().substr(0, 19) + "…>";
      });

  // ---- hot reload (include/redress/live_pack.hpp) ----
  py::class_<redress::ReloadResult>(m, "ReloadResult", "What LivePack.reload() did.")
      .def_readonly("swapped", &redress::ReloadResult::swapped, "True: the new version serves from now on.")
      .def_readonly("generation", &redress::ReloadResult::generation, "The generation serving after the call.")
      .def_readonly("fingerprint", &redress::ReloadResult::fingerprint, "The fingerprint of the version serving after the call.")
      .def_property_readonly("diagnostics", [](const redress::ReloadResult& r) { return diagnostics_list(r.diagnostics); },
                             "list[Diagnostic]: the failed load's problems, or the new version's warnings.")
      .def("__bool__", [](const redress::ReloadResult& r) { return r.swapped; })
      .def("__repr__", [](const redress::ReloadResult& r) {
        return std::string("<ReloadResult ") + (r.swapped ? "swapped" : "refused") + ", generation " +
               std::to_string(r.generation) + ", " + std::to_string(r.diagnostics.size()) + " diagnostics>";
      });
  py::class_<redress::LivePack>(m, "LivePack", R"doc(A pack that can be reloaded while it serves.

Loads like redress.load (raises LoadError). evaluate() takes Pack.evaluate's arguments and runs
on the version serving when it starts; reload() loads the files again and swaps the new version
in atomically, or keeps the old one serving when the new one does not load. Safe to use from
many threads; the GIL is released while loading and evaluating.)doc")
      .def(py::init([](py::object path) {
             std::vector<std::string> paths = paths_from(path);
             py::gil_scoped_release release;
             return std::make_unique<redress::LivePack>(paths);
           }), py::arg("path"))
      .def("current", [](const redress::LivePack& self) {
        auto v = self.current();
        return py::make_tuple(PyPack{v->pack, absolutize(v->pack.sources())}, v->generation);
      }, "(Pack, generation): the version serving now; evaluate several cases on one version with it.")
      .def_property_readonly("generation", [](const redress::LivePack& self) { return self.current()->generation; },
                             "1 for the first load, +1 for each reload that swapped.")
      .def_property_readonly("sources", &redress::LivePack::sources, "The paths reload() reads.")
      .def("evaluate", [](const redress::LivePack& self, py::args args, py::kwargs kwargs) {
        auto v = self.current();
        return py::cast(PyPack{v->pack, {}}).attr("evaluate")(*args, **kwargs);
      }, "Pack.evaluate on the version serving now (same arguments, same errors).")
      .def("evaluate_compound", [](const redress::LivePack& self, py::args args, py::kwargs kwargs) {
        auto v = self.current();
        return py::cast(PyPack{v->pack, {}}).attr("evaluate_compound")(*args, **kwargs);
      }, "Pack.evaluate_compound on the version serving now.")
      .def("reload", [](redress::LivePack& self, py::object path) {
        std::optional<std::vector<std::string>> paths;
        if (!path.is_none()) paths = paths_from(path);
        py::gil_scoped_release release;
        return paths ? self.reload(*paths) : self.reload();
      }, py::arg("path") = py::none(),
      "Load the sources again (or `path`, which later reloads then read when it loads). Returns a "
      "ReloadResult; a version that does not load never serves, and raises nothing.")
      .def("__repr__", [](const redress::LivePack& self) {
        auto v = self.current();
        return "<redress.LivePack " + join(self.sources()) + " generation " + std::to_string(v->generation) + " " +
               v->pack.fingerprint().substr(0, 19) + "…>";
      });

  // A misspelt keyword argument gets a "did you mean" rather than pybind11's overload list.
  auto pack_class = py::reinterpret_borrow<py::class_<PyPack>>(m.attr("Pack"));
  add_keyword_hints(pack_class, "evaluate",
                    {"facts", "playbook", "state", "event", "now", "entered_at", "trace", "sign_offs", "paid", "pauses",
                     "done", "timezone", "strict", "triage", "playbooks", "states"});
  add_keyword_hints(pack_class, "evaluate_compound",
                    {"facts", "playbook", "state", "event", "now", "entered_at", "trace", "sign_offs", "paid", "pauses",
                     "done", "timezone", "strict", "triage", "playbooks", "states"});
  add_keyword_hints(pack_class, "evaluate_many", {"cases", "threads", "trace", "strict"});
  add_keyword_hints(pack_class, "triage", {"facts", "now"});
  add_keyword_hints(pack_class, "triage_all", {"facts", "now"});
  add_keyword_hints(pack_class, "explain_triage", {"facts", "now"});
  add_keyword_hints(pack_class, "explain",
                    {"facts", "playbook", "state", "event", "now", "entered_at", "sign_offs", "paid", "pauses", "done",
                     "timezone", "strict", "why_not", "fixed", "what_if", "what_if_now"});
  add_keyword_hints(pack_class, "run_tests", {"filter"});

  bind_replay(m);

  m.def("_restore_pack", &restore_pack, py::arg("sources"), py::arg("fingerprint"),
        "Unpickle a Pack: load its sources and check the fingerprint (PackChangedError if it differs).");
}
