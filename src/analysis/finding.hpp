// How the analysis reports: one located Diagnostic per finding.
#pragma once

#include <string>

#include "compile/compiled.hpp"

namespace redress::analysis {

// A finding about `pb` at `at` (in the playbook's file when `at` names none); the loader adds
// the source line. Every check of this folder makes its findings with it.
Diagnostic finding(const detail::Playbook& pb, Severity severity, const SourceLocation& at, std::string message);

}  // namespace redress::analysis
