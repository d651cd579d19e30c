#include "analysis/compound.hpp"

#include "analysis/finding.hpp"
#include "analysis/guards.hpp"

namespace redress::analysis {

namespace {

bool gives_goodwill(const detail::Playbook& pb) {
  for (const auto& r : pb.compensation)
    if (r.basis == Basis::Goodwill) return true;
  return false;
}

// Some item of `a` pays a loss with some item of `b` (a `covers` or `exclusive` rule joins them).
bool related(const detail::Playbook& a, const detail::Playbook& b) {
  for (const auto& x : a.compensation)
    for (const auto& y : b.compensation)
      if (x.overlap != detail::CompoundRules::kNoOverlap && x.overlap == y.overlap) return true;
  return false;
}

// Whether one case can satisfy both boxes: facts are matched by name across the playbooks; a
// fact both constrain, with one meaning (kind and values), must have a value both allow.
// `example` describes the shared part.
bool can_meet(const Box& a, const Vars& va, const Box& b, const Vars& vb, std::string& example) {
  if (a.never || b.never) return false;
  Box shared;
  for (const auto& [slot, set] : a.sets) {
    const Var& x = va.by_slot[slot];
    shared.sets.emplace(slot, set);
    for (const auto& [other, other_set] : b.sets) {
      const Var& y = vb.by_slot[other];
      if (y.name != x.name) continue;
      if (y.kind != x.kind || y.values != x.values || y.currency != x.currency) return false;  // not one fact: silent
      ValueSet both = set.intersect(other_set);
      if (both.empty()) return false;
      shared.sets[slot] = both;
    }
  }
  Box only_b;  // what `b` alone asks of the case
  for (const auto& [slot, set] : b.sets) {
    bool in_a = false;
    for (const auto& [other, ignored] : a.sets) in_a = in_a || va.by_slot[other].name == vb.by_slot[slot].name;
    if (!in_a) only_b.sets.emplace(slot, set);
  }
  example = describe(shared, va);
  if (!only_b.sets.empty()) example += (example.empty() ? "" : " and ") + describe(only_b, vb);
  return true;
}

}  // namespace

void analyse_overlaps(const detail::CompiledPack& pack, std::vector<Diagnostic>& diags) {
  std::vector<std::optional<Box>> boxes;
  std::vector<Vars> vars;
  for (const auto& pb : pack.playbooks) {
    vars.push_back(make_vars(pb));
    boxes.push_back(pb.match && gives_goodwill(pb) ? guard_box(*pb.match, vars.back()) : std::nullopt);
  }
  for (std::size_t j = 0; j < pack.playbooks.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (!boxes[i] || !boxes[j]) continue;
      const auto& a = pack.playbooks[i];
      const auto& b = pack.playbooks[j];
      if (related(a, b)) continue;
      std::string example;
      if (!can_meet(*boxes[i], vars[i], *boxes[j], vars[j], example)) continue;
      diags.push_back(finding(b, Severity::Warning, b.match->location(),
                              "playbooks '" + a.id + "' and '" + b.id + "' can both match one case" +
                                  (example.empty() ? std::string() : " (" + example + ")") +
                                  ", and no 'covers' or compound 'exclusive' rule relates their goodwill items: a "
                                  "compound case pays both in full (give the items that pay the same loss one "
                                  "'covers:')"));
    }
  }
}

}  // namespace redress::analysis
