// pack.yaml `compound:` (spec §4.1): how a compound case merges its parts. Read once every
// playbook of the pack is, since it names their actions and items; every name becomes an index
// of CompiledPack::compound (steps, overlap groups, rungs) with a located error when it names
// nothing.
#pragma once

#include <vector>

#include "compile/compiled.hpp"
#include "load/pack_yaml.hpp"
#include "load/source.hpp"

namespace redress::load {

// Fills pack.compound (always: a pack without `compound:` still gets its steps and ladders) and
// each Action::step and CompensationRule::overlap. `warnings`: report the lint warnings (a
// `covers` that names a loss nothing else pays, playbooks that can match one case with nothing
// said about their overlap).
void read_compound(detail::CompiledPack& pack, PackDefaultsCache& pack_yaml, bool warnings,
                   std::vector<Diagnostic>& diags);

}  // namespace redress::load
