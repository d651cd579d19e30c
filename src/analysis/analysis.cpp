#include "analysis/analysis.hpp"

namespace redress::analysis {

// Placeholder until the Boost.Graph analysis lands (issue #5): no findings, no to_close.
void analyse(detail::Playbook& pb, std::vector<Diagnostic>& diags) {
  (void)pb;
  (void)diags;
}

}  // namespace redress::analysis
