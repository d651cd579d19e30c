// Each state's shortest way to a terminal state (Decision::to_close, spec §5): evaluation needs
// it, so it is part of compiling a playbook, whether or not the analysis reports findings.
#pragma once

#include "analysis/state_graph.hpp"
#include "compile/compiled.hpp"

namespace redress::compile {

// Fills State::to_close for every state of `pb`, over the options that can be taken (`model`
// is analysis::build_model(pb): options proven never taken are left out).
void fill_to_close(detail::Playbook& pb, const analysis::Model& model);

}  // namespace redress::compile
