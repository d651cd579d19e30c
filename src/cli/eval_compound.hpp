// `redress eval` of a compound case (spec §4.1, §5.1): the merged view for a person.
#pragma once

#include "redress/compound.hpp"

namespace redress::cli {

// The steps, the escalation with each reason's playbook, the compensation with each item's
// playbook (and what covers it), each part's state and way to close, and the warnings.
void print_compound(const CompoundDecision& d, bool colour);

}  // namespace redress::cli
