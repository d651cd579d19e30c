// redress._redress.ReplaySummary and _replay_cases: the library's replay core (redress/replay.hpp)
// for redress.replay and redress.dask (bindings/python/redress/_replay.py, dask.py).
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "convert.hpp"
#include "py_pack.hpp"
#include "redress/replay.hpp"

namespace py = pybind11;

namespace redress_py {

void bind_replay(py::module_& m) {
  using redress::ReplaySummary;
  py::class_<ReplaySummary>(m, "ReplaySummary", R"doc(What replaying cases through an old and a new pack changed.

Counts (``cases``, ``evaluated``, ``errors``, ``changed`` and per kind), exact compensation
totals old -> new per playbook and per currency, approval and escalation level counts, the
rules that fired differently, the first errors and the most changed cases. ``to_dict()`` is the
JSON of ``redress replay --format json`` (money as exact text); ``merge``/``+`` add summaries
exactly (Decimal sums), whatever the order. Pickles losslessly.)doc")
      .def(py::init<>(), "An empty summary (the start of a sum).")
      .def_readonly("cases", &ReplaySummary::cases, "Cases read (blank lines are not cases).")
      .def_readonly("evaluated", &ReplaySummary::evaluated, "Cases both packs decided.")
      .def_readonly("errors", &ReplaySummary::errors, "Cases unreadable, or refused by either pack.")
      .def_readonly("changed", &ReplaySummary::changed, "Cases whose Decision changed in any compared field.")
      .def_readonly("state_changed", &ReplaySummary::state_changed)
      .def_readonly("actions_changed", &ReplaySummary::actions_changed)
      .def_readonly("level_changed", &ReplaySummary::level_changed)
      .def_readonly("compensation_changed", &ReplaySummary::compensation_changed)
      .def_readonly("approval_changed", &ReplaySummary::approval_changed)
      .def("merge", [](ReplaySummary& self, const ReplaySummary& other) { self.merge(other); },
           py::arg("other"), "Add `other` into this summary (exact; the order of merges does not matter).")
      .def("shift_lines", &ReplaySummary::shift_lines, py::arg("offset"),
           "Add `offset` to the line numbers kept (a partition replayed from 0, placed in the whole).")
      .def("__add__", [](const ReplaySummary& a, const ReplaySummary& b) {
        ReplaySummary s = a;
        s.merge(b);
        return s;
      })
      .def("__eq__", [](const ReplaySummary& a, const ReplaySummary& b) { return a == b; })
      .def("to_json", [](const ReplaySummary& s, bool pretty) { return redress::to_json(s, redress::JsonOptions{pretty}); },
           py::arg("pretty") = false, "The JSON of `redress replay --format json`.")
      .def("to_dict", [](const ReplaySummary& s) {
        return json_loads()(redress::to_json(s), py::arg("parse_float") = decimal_class());
      }, "The JSON as a dict: money as exact text (\"1234.50 EUR\"), counts as int.")
      .def("to_markdown", [](const ReplaySummary& s) { return redress::to_markdown(s); })
      .def("to_text", [](const ReplaySummary& s) { return redress::to_text(s); })
      .def("to_html", [](const ReplaySummary& s, const std::string& title) { return redress::to_html(s, title); },
           py::arg("title") = "redress replay", "One self-contained HTML page (no script, no network).")
      .def("__repr__", [](const ReplaySummary& s) {
        return "<redress.ReplaySummary cases=" + std::to_string(s.cases) + " evaluated=" + std::to_string(s.evaluated) +
               " errors=" + std::to_string(s.errors) + " changed=" + std::to_string(s.changed) + ">";
      })
      .def(py::pickle([](const ReplaySummary& s) { return py::bytes(redress::encode_summary(s)); },
                      [](const py::bytes& state) { return redress::decode_summary(std::string_view(state)); }));
  m.attr("ReplaySummary").attr("__hash__") = py::none();

  m.def(
      "_replay_cases",
      [](const PyPack& before, const PyPack& after, py::iterable cases, std::uint64_t first, py::handle now,
         std::optional<int> threads) {
        if (threads && *threads < 1) throw py::value_error("threads must be at least 1 (or None for every core)");
        redress::ReplayOptions options;
        options.origin = "<cases>";
        options.diff = true;
        options.threads = threads ? static_cast<unsigned>(*threads) : 0;
        options.now = to_optional_timestamp(now, "now");
        ReplaySummary summary;
        std::string diff;
        std::vector<redress::Case> input;
        std::vector<std::uint64_t> lines;
        std::uint64_t line = first;
        // A case Python cannot hand over (a float, a naive datetime) is an error in its place,
        // as a malformed line is for the CLI; the others are replayed.
        for (py::handle item : cases) {
          try {
            input.push_back(case_from_mapping(item));
            lines.push_back(line);
          } catch (const ConversionError& e) {
            std::string message = e.what();
            diff += redress::diff_error_line(line, message) + "\n";
            summary.add_error(line, std::move(message));
          } catch (const redress::EvaluationError& e) {
            std::string message = e.what();
            diff += redress::diff_error_line(line, message) + "\n";
            summary.add_error(line, std::move(message));
          }
          ++line;
        }
        {
          py::gil_scoped_release release;
          redress::replay_cases(before.pack, after.pack, std::move(input), lines, options, summary, diff);
        }
        return py::make_tuple(summary, py::bytes(diff));
      },
      py::arg("old"), py::arg("new"), py::arg("cases"), py::arg("first") = 0, py::arg("now") = py::none(),
      py::arg("threads") = py::none(),
      "Replay case dicts (numbered first, first+1, …) through both packs: (ReplaySummary, diff JSON Lines bytes).");
}

}  // namespace redress_py
