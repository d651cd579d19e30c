// The state graph of a compiled playbook as a Boost.Graph (issue #5). Private to src/analysis:
// Boost never reaches the public headers.
//
//   vertex i  = state i of the playbook (same index)
//   edge      = one option of a first-match list: an event's option (`on`) or an `always` option,
//               or a timeout (`after`), added per state in the order they appear in the file
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/guards.hpp"
#include "compile/compiled.hpp"

namespace redress::analysis {

// Why an option can never be taken (such edges are left out of reachability and to_close).
enum class Dead : std::uint8_t { No, NeverHolds, Shadowed };

struct TransitionEdge {
  bool automatic = false;  // an `always` option; otherwise an option of event `event`
  const detail::Timeout* timeout = nullptr;  // a timeout (`after`): no event, not `always`
  std::uint32_t event = 0;
  std::uint32_t option = 0;   // index in its first-match list
  std::uint32_t options = 1;  // length of that list
  const detail::Transition* transition = nullptr;
  Dead dead = Dead::No;
  SourceLocation at;          // of the option in the file
};

struct StateVertex {
  std::uint32_t state = 0;
};

using StateGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, StateVertex, TransitionEdge>;

// One first-match list: a state's `always` options, or the options of one of its events.
struct OptionList {
  std::uint32_t state = 0;
  bool automatic = false;
  std::uint32_t event = 0;
  const std::vector<detail::Transition>* options = nullptr;
  std::vector<std::optional<Box>> boxes;  // per option; nullopt: not analysable
  std::vector<Dead> dead;
  // For a shadowed option: the earlier options that take its cases first.
  std::vector<std::vector<std::uint32_t>> shadowed_by;
};

struct Model {
  const detail::Playbook* playbook = nullptr;
  Vars vars;
  std::vector<OptionList> lists;
  StateGraph graph;
};

// Builds the graph and judges every option (never holds / shadowed by earlier ones).
Model build_model(const detail::Playbook& pb);

// The edges a case can actually take.
struct LiveEdge {
  const StateGraph* graph = nullptr;
  bool automatic_only = false;
  template <typename Edge>
  bool operator()(const Edge& e) const {
    const TransitionEdge& t = (*graph)[e];
    return t.dead == Dead::No && (!automatic_only || t.automatic);
  }
};

using LiveGraph = boost::filtered_graph<StateGraph, LiveEdge>;
using Edge = boost::graph_traits<StateGraph>::edge_descriptor;
using Vertex = boost::graph_traits<StateGraph>::vertex_descriptor;

// Breadth-first search over the live edges from `start`: `order` gets the states in the order
// found (by increasing distance), `via` the edge that first reached each. Out-edges are tried
// in file order, so among shortest paths the one through the earliest options wins.
void bfs(const LiveGraph& g, Vertex start, std::vector<Vertex>& order, std::vector<std::optional<Edge>>& via);

}  // namespace redress::analysis
