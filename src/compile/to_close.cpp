#include "compile/to_close.hpp"

#include <algorithm>

namespace redress::compile {

void fill_to_close(detail::Playbook& pb, const analysis::Model& model) {
  using analysis::Edge;
  using analysis::Vertex;
  const analysis::StateGraph& graph = model.graph;
  analysis::LiveGraph live(graph, analysis::LiveEdge{&graph, false});
  std::vector<Vertex> order;
  std::vector<std::optional<Edge>> via;
  for (std::uint32_t s = 0; s < pb.states.size(); ++s) {
    detail::ToClose tc;
    if (pb.states[s].terminal) {
      tc.reachable = true;
    } else {
      analysis::bfs(live, s, order, via);
      // BFS discovers by increasing distance: the first terminal found is the nearest. The
      // nearest `outcome: resolved` one is the intended route; another (a case closed without
      // agreement) only when no resolved one can be reached.
      auto t = std::find_if(order.begin(), order.end(), [&](Vertex v) {
        return pb.states[v].terminal && pb.states[v].outcome == detail::Outcome::Resolved;
      });
      if (t == order.end())
        t = std::find_if(order.begin(), order.end(), [&](Vertex v) { return pb.states[v].terminal; });
      if (t != order.end()) {
        tc.reachable = true;
        std::vector<Edge> path;
        for (Vertex v = *t; v != s && via[v]; v = boost::source(*via[v], graph)) path.push_back(*via[v]);
        std::reverse(path.begin(), path.end());
        tc.steps = static_cast<std::uint32_t>(path.size());
        for (const auto& e : path) {
          const analysis::TransitionEdge& te = graph[e];
          if (!te.automatic && !te.timeout) tc.events.push_back(pb.events[te.event]);
          tc.states.push_back(pb.states[boost::target(e, graph)].name);
        }
      }
    }
    pb.states[s].to_close = std::move(tc);
  }
}

}  // namespace redress::compile
