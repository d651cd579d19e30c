// What module.cpp and the other binding files share: the Python Pack.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "redress/pack.hpp"

namespace redress_py {

// A loaded pack, plus the absolute paths it came from (for pickling across processes whose
// working directory may differ).
struct PyPack {
  redress::Pack pack;
  std::vector<std::string> absolute_sources;
};

// redress._redress.ReplaySummary and _replay_cases (replay.cpp); after Pack is bound.
void bind_replay(pybind11::module_& m);
// CompoundDecision and its pieces, TriageResult (compound.cpp); after Decision is bound.
void bind_compound(pybind11::module_& m);

}  // namespace redress_py
