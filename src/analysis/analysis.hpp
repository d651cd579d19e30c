// Playbook analysis over the state graph (Boost.Graph stays inside src/analysis).
#pragma once

#include <vector>

#include "compile/compiled.hpp"

namespace redress::analysis {

// Appends findings about `pb` to `diags` (located at file:line:column, with severity, in file
// order; docs/analysis.md lists them) and fills each state's `to_close` (the shortest way to a
// terminal state, spec §5).
void analyse(detail::Playbook& pb, std::vector<Diagnostic>& diags);

}  // namespace redress::analysis
