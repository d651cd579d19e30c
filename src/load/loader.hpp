#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compile/compiled.hpp"
#include "load/source.hpp"

namespace redress::load {

// Loads playbook files and directories into a compiled pack. Every problem goes to `diags`;
// playbooks with errors are left out of the result (the caller throws when any error exists).
std::shared_ptr<detail::CompiledPack> load_pack(const std::vector<std::string>& paths,
                                                      const Limits& limits,
                                                      std::vector<Diagnostic>& diags);

}  // namespace redress::load
