// Batches without a Python object per case: columns in, columns out (Pack.evaluate_columns), and
// raw JSON Lines in, JSON Lines out (Pack.evaluate_jsonl). Values are copied out of Python while
// the GIL is held; binding and evaluation run without it, on several threads.
#pragma once

#include <pybind11/pybind11.h>

#include <optional>
#include <string>

#include "redress/redress.hpp"

namespace redress_py {

namespace py = pybind11;

struct ColumnsOptions {
  std::string playbook;         // "" = the pack's only playbook
  py::object state, event, now, entered_at;  // each None, one value, or a column
  std::optional<int> threads;   // None = every core
};

// columns: a mapping of fact name -> equal-length sequence (list, tuple, numpy array, pandas
// Series) or a pandas DataFrame. Returns a dict of lists (a DataFrame with the input's index
// when given one): state, level, total, capped, approval, held, next_action, due_at, error.
py::object evaluate_columns(const redress::Pack& pack, py::handle columns, const ColumnsOptions& options);

// JSON Lines in, JSON Lines out (include/redress/json_lines.hpp): one line per input line.
py::bytes evaluate_jsonl(const redress::Pack& pack, const py::bytes& text, std::optional<int> threads, bool trace);

}  // namespace redress_py
