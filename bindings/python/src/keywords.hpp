// A misspelt keyword argument (`pack.evaluate(facts, playbok="x")`) raises
// "TypeError: evaluate() got an unexpected keyword argument 'playbok' (did you mean 'playbook'?)"
// instead of pybind11's dump of every overload. The hint is a second overload registered after
// the real one: pybind11 reaches it only when the real one refuses the call, so a call that
// works pays nothing for it.
#pragma once

#include <pybind11/pybind11.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace redress_py {

namespace py = pybind11;

// `params`: the method's parameters after self, in order, as Python callers name them.
template <class Class>
void add_keyword_hints(Class& cls, const char* name, std::vector<std::string> params) {
  std::string method = name;
  cls.def(
      name,
      [method, params](py::args args, const py::kwargs& kwargs) -> py::object {
        std::string signature;
        for (const auto& p : params) signature += (signature.empty() ? "" : ", ") + p;
        for (auto item : kwargs) {
          std::string key = py::str(item.first);
          if (std::find(params.begin(), params.end(), key) != params.end()) continue;
          std::string msg = method + "() got an unexpected keyword argument '" + key + "'";
          py::list near = py::module_::import("difflib").attr("get_close_matches")(key, py::cast(params), 1, 0.6);
          if (!near.empty()) msg += " (did you mean '" + near[0].cast<std::string>() + "'?)";
          else msg += "; it takes " + method + "(" + signature + ")";
          throw py::type_error(msg);
        }
        // Known names, but a value of the wrong type or too many arguments: say what was given.
        std::string given;
        for (std::size_t i = 1; i < args.size(); ++i)
          given += (given.empty() ? "" : ", ") + std::string(py::str(py::type::of(args[i]).attr("__name__")));
        for (auto item : kwargs)
          given += (given.empty() ? "" : ", ") + std::string(py::str(item.first)) + "=" +
                   std::string(py::str(py::type::of(item.second).attr("__name__")));
        throw py::type_error(method + "(" + signature + ") cannot take (" + given +
                             "); help(redress.Pack." + method + ") describes each argument");
      },
      "(Reached only when the arguments above do not fit: raises TypeError naming a misspelt keyword.)");
}

}  // namespace redress_py
