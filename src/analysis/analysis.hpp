// Playbook analysis over the state graph (Boost.Graph stays inside src/analysis).
#pragma once

#include <vector>

#include "analysis/state_graph.hpp"
#include "compile/compiled.hpp"

namespace redress::analysis {

// Appends the findings about `pb` to `diags` (located at file:line:column, with severity, in
// file order; docs/analysis.md lists them). `model` is build_model(pb); each state's to_close
// must already be filled (compile::fill_to_close). The source lines of the findings are left
// empty: the loader, which holds the text, fills them.
void analyse(const detail::Playbook& pb, const Model& model, std::vector<Diagnostic>& diags);

}  // namespace redress::analysis
