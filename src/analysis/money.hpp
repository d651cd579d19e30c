// Lint for unsafe money promises (issue #11): a `say` that shows an amount nobody may have
// signed off, a `say` that can show a zero amount, an owed item under the cap. docs/analysis.md
// describes each finding.
#pragma once

#include <vector>

#include "analysis/finding.hpp"

namespace redress::analysis {

// Appends the money findings about `pb` (warnings, located, with a fix in the message).
void check_money(const detail::Playbook& pb, std::vector<Diagnostic>& found);

}  // namespace redress::analysis
