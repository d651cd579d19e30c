#include "analysis/state_graph.hpp"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <tuple>

namespace redress::analysis {

namespace {

// Judges each option of a first-match list: one whose condition can never hold, or whose
// cases are all taken by earlier options, can never be taken.
OptionList judge(std::uint32_t state, bool automatic, std::uint32_t event,
                 const std::vector<detail::Transition>& options, const Vars& vars) {
  OptionList list;
  list.state = state;
  list.automatic = automatic;
  list.event = event;
  list.options = &options;
  const std::size_t n = options.size();
  list.dead.assign(n, Dead::No);
  list.shadowed_by.resize(n);
  for (const auto& t : options) list.boxes.push_back(guard_box(t.when, vars));

  for (std::size_t i = 0; i < n; ++i) {
    const auto& box = list.boxes[i];
    if (box && box->never) {
      list.dead[i] = Dead::NeverHolds;
      continue;
    }
    // An earlier option that always holds takes every case, whatever this one says.
    for (std::size_t j = 0; j < i; ++j)
      if (list.boxes[j] && list.boxes[j]->always()) {
        list.dead[i] = Dead::Shadowed;
        list.shadowed_by[i] = {static_cast<std::uint32_t>(j)};
        break;
      }
    if (list.dead[i] != Dead::No || !box) continue;
    std::vector<Box> earlier;
    for (std::size_t j = 0; j < i; ++j)
      if (list.boxes[j]) earlier.push_back(*list.boxes[j]);
    auto left = remainder(*box, earlier, vars);
    if (!left || !left->empty()) continue;
    list.dead[i] = Dead::Shadowed;
    // Name the earlier options that take its cases, leaving out those never taken themselves.
    for (std::size_t j = 0; j < i; ++j)
      if (list.dead[j] == Dead::No && list.boxes[j] && !intersect(*box, *list.boxes[j]).never)
        list.shadowed_by[i].push_back(static_cast<std::uint32_t>(j));
  }
  return list;
}

// BFS visitor: records the discovery order and the tree edge that reached each vertex.
struct PathRecorder : boost::default_bfs_visitor {
  std::vector<Vertex>* order = nullptr;
  std::vector<std::optional<Edge>>* via = nullptr;
  template <typename G>
  void discover_vertex(Vertex v, const G&) const {
    order->push_back(v);
  }
  template <typename E, typename G>
  void tree_edge(const E& e, const G& g) const {
    (*via)[boost::target(e, g)] = e;
  }
};

}  // namespace

Model build_model(const detail::Playbook& pb) {
  Model m;
  m.playbook = &pb;
  m.vars = make_vars(pb);
  const auto n = static_cast<std::uint32_t>(pb.states.size());
  for (std::uint32_t s = 0; s < n; ++s) {
    const auto& st = pb.states[s];
    if (!st.always.empty()) m.lists.push_back(judge(s, true, 0, st.always, m.vars));
    for (std::uint32_t e = 0; e < st.on.size(); ++e)
      if (!st.on[e].empty()) m.lists.push_back(judge(s, false, e, st.on[e], m.vars));
  }

  for (std::uint32_t s = 0; s < n; ++s) m.graph[boost::add_vertex(m.graph)].state = s;

  // Each state's options in file order, so that "the first option" means what the author sees.
  struct Pending {
    SourceLocation at;
    std::size_t list, option;
  };
  std::vector<std::vector<Pending>> by_state(n);
  for (std::size_t l = 0; l < m.lists.size(); ++l)
    for (std::size_t k = 0; k < m.lists[l].options->size(); ++k)
      by_state[m.lists[l].state].push_back(Pending{(*m.lists[l].options)[k].pos, l, k});
  for (std::uint32_t s = 0; s < n; ++s) {
    auto& items = by_state[s];
    std::stable_sort(items.begin(), items.end(), [](const Pending& a, const Pending& b) {
      return std::tie(a.at.line, a.at.column) < std::tie(b.at.line, b.at.column);
    });
    for (const auto& p : items) {
      const OptionList& list = m.lists[p.list];
      const detail::Transition& t = (*list.options)[p.option];
      if (t.target >= n) continue;
      TransitionEdge e;
      e.automatic = list.automatic;
      e.event = list.event;
      e.option = static_cast<std::uint32_t>(p.option);
      e.options = static_cast<std::uint32_t>(list.options->size());
      e.transition = &t;
      e.dead = list.dead[p.option];
      e.at = p.at;
      boost::add_edge(s, t.target, e, m.graph);
    }
    // Timeouts move a waiting case on without any event (issue #10): the first due wins, so
    // none shadows another; one whose condition never holds is dead.
    const auto& after = pb.states[s].after;
    for (std::size_t k = 0; k < after.size(); ++k) {
      const detail::Transition& t = after[k].transition;
      if (t.target >= n) continue;
      TransitionEdge e;
      e.timeout = &after[k];
      e.option = static_cast<std::uint32_t>(k);
      e.options = static_cast<std::uint32_t>(after.size());
      e.transition = &t;
      auto box = guard_box(t.when, m.vars);
      if (box && box->never) e.dead = Dead::NeverHolds;
      e.at = t.pos;
      boost::add_edge(s, t.target, e, m.graph);
    }
  }
  return m;
}

void bfs(const LiveGraph& g, Vertex start, std::vector<Vertex>& order,
         std::vector<std::optional<Edge>>& via) {
  const auto n = boost::num_vertices(g);
  order.clear();
  via.assign(n, std::nullopt);
  std::vector<boost::default_color_type> colors(n);
  PathRecorder rec;
  rec.order = &order;
  rec.via = &via;
  boost::breadth_first_search(g, start,
                              boost::visitor(rec).color_map(boost::make_iterator_property_map(
                                  colors.begin(), boost::get(boost::vertex_index, g))));
}

}  // namespace redress::analysis
