// The compiled model behind a Pack, for redress's own tools that need more than the public API
// gives: the CLI's `graph` (it draws the compiled states), test coverage (it lists every rule
// and transition) and the unit tests. Not installed, not for a CRM: the public face of a pack is
// redress/pack.hpp, and nothing here is promised to stay.
#pragma once

#include <memory>

#include "compile/compiled.hpp"
#include "redress/pack.hpp"

namespace redress::detail {

struct PackAccess {
  static const CompiledPack& compiled(const Pack& pack) { return *pack.impl_; }
};

// The pack's compiled model; valid while `pack` (or a copy of it) lives.
inline const CompiledPack& compiled(const Pack& pack) { return PackAccess::compiled(pack); }

}  // namespace redress::detail
