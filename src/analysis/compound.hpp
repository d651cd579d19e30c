// Lint across playbooks for compound cases (issue #12, docs/analysis.md): two playbooks whose
// `match` can hold for one case, and whose goodwill no `covers` or `exclusive` rule relates, would
// both pay in full for what may be one loss.
#pragma once

#include <vector>

#include "compile/compiled.hpp"

namespace redress::analysis {

// Appends a warning, at the later playbook's `match`, for each such pair. Reads the overlap
// groups load/compound.cpp filled; silent when a `match` is not of an analysable shape.
void analyse_overlaps(const detail::CompiledPack& pack, std::vector<Diagnostic>& diags);

}  // namespace redress::analysis
