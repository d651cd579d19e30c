// Drawings of a playbook's state machine (issue #5, `redress graph`): Graphviz DOT and Mermaid.
//
// Both show the same things: the initial state in bold with an arrow from a start point,
// terminal states with a double border and filled, each state's actions, event edges labelled
// with the event and its guard, `always` edges dashed and labelled with their guard, options the
// analysis proves are never taken in grey, and one highlighted state.
#pragma once

#include <string>

#include "compile/compiled.hpp"

namespace redress::present {

struct DiagramOptions {
  std::string highlight;  // the name of a state to highlight ("" for none)
};

std::string to_dot(const detail::Playbook& pb, const DiagramOptions& options = {});
std::string to_mermaid(const detail::Playbook& pb, const DiagramOptions& options = {});

}  // namespace redress::present
