#pragma once

#include <string>
#include <vector>

#include "redress/diagnostic.hpp"

namespace redress::cli {

int run_test(const std::vector<std::string>& paths, const std::string& filter);
std::string diagnostics_json(const std::vector<Diagnostic>& diags);

}  // namespace redress::cli
