// Conversions between Python values and redress values for the `redress._redress` module.
//
// Python -> redress (facts, now, entered_at): exact, never through binary floating point.
// redress -> Python (decisions): Money -> redress.Money, Timestamp -> tz-aware UTC datetime,
// Duration -> timedelta, decimals -> int or decimal.Decimal.
#pragma once

#include <pybind11/pybind11.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "redress/redress.hpp"

namespace redress_py {

namespace py = pybind11;

// A bad Python value given by the caller. `type_error` picks TypeError (wrong kind of object)
// over ValueError (right kind, bad content). Turned into the Python exception at the boundary,
// where a prefix such as "cases[3]: " can be added.
struct ConversionError : std::runtime_error {
  ConversionError(bool type_error, const std::string& message)
      : std::runtime_error(message), type_error(type_error) {}
  bool type_error;
  [[noreturn]] void raise_python(const std::string& prefix = "") const;
};

// Must be called once from the module's init (PyDateTime_IMPORT).
void init_conversions();

// Objects of the pure-Python layer (redress._types) and the standard library, imported on
// first use and kept for the life of the process.
py::object money_class();
py::object diagnostic_class();
py::object load_error_class();
py::object evaluation_error_class();
py::object pack_changed_error_class();
py::object decimal_class();
py::object json_loads();

// Python -> redress. `what` names the value in messages ("fact 'order_value'", "now").
redress::Value to_value(py::handle obj, const std::string& what);
redress::Decimal to_decimal(py::handle decimal_obj, const std::string& what);
redress::Timestamp to_timestamp(py::handle obj, const std::string& what);  // datetime, date, ISO str
std::optional<redress::Timestamp> to_optional_timestamp(py::handle obj, const std::string& what);
std::string to_optional_string(py::handle obj, const std::string& what);      // None -> ""
redress::Case to_case(py::handle facts, py::handle playbook, py::handle state, py::handle event,
                      py::handle now, py::handle entered_at, py::handle sign_offs = py::none(),
                      py::handle paid = py::none());
// The time input of a case (spec §4): pauses (a list of (from, to) pairs or {'from', 'to'}
// dicts, `to` None while still paused), done ({action: when}) and timezone (an IANA name).
void add_time_input(redress::Case& c, py::handle pauses, py::handle done, py::handle timezone);
// A compound case (spec §4.1): triage ('first' | 'all'), playbooks (a list or tuple of ids) and
// states ({playbook id: state}); None leaves each out. TypeError/ValueError name the argument.
void add_compound_input(redress::Case& c, py::handle triage, py::handle playbooks, py::handle states);
// A mapping {facts, playbook?, state?, event?, now?, entered_at?, sign_offs?, paid?, pauses?,
// done?, timezone?, triage?, playbooks?, states?} (evaluate_many's items).
redress::Case case_from_mapping(py::handle mapping);

// redress -> Python.
py::object from_decimal(redress::Decimal d);      // int when integral, else decimal.Decimal
py::object from_money(const redress::Money& m);   // redress.Money
py::object from_timestamp(redress::Timestamp t);  // datetime with tzinfo=timezone.utc
py::object from_optional_timestamp(const std::optional<redress::Timestamp>& t);
py::object from_duration(redress::Duration d);    // datetime.timedelta
py::object from_value(const redress::Value& v);
// The spec §5 JSON of a Decision as Python objects, exactly what json.loads makes of its text
// (non-integral numbers as float, or decimal.Decimal when `exact`), built from the library's
// JSON events rather than printed and parsed.
py::object decision_to_dict(const redress::Decision& d, bool exact);
py::object compound_to_dict(const redress::CompoundDecision& d, bool exact);  // spec §5.1, the same way
// The amount text of a Money: exactly the minor digits when that is exact ("10.00"), else the
// canonical decimal ("0.125").
std::string money_amount_text(const redress::Money& m);

// A list of redress.Diagnostic.
py::list diagnostics_list(const std::vector<redress::Diagnostic>& diagnostics);

// Python exception objects (not raised) built from the C++ ones.
py::object make_load_error(const redress::LoadError& e);
py::object make_evaluation_error(const std::string& message, const std::string& location);

}  // namespace redress_py
