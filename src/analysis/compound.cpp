#include "analysis/compound.hpp"

#include "analysis/finding.hpp"
#include "analysis/guards.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

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

// The values a string fact may have: one of `strings` (listed), or any but them.
struct TextSet {
  bool listed = false;
  std::set<std::string> strings;

  bool empty() const { return listed && strings.empty(); }
  bool any() const { return !listed && strings.empty(); }
  TextSet complement() const { return TextSet{!listed, strings}; }
  TextSet intersect(const TextSet& o) const {
    if (!listed && !o.listed) return TextSet{false, joined(strings, o.strings)};
    if (listed && o.listed) return TextSet{true, common(strings, o.strings)};
    const TextSet& in = listed ? *this : o;
    const TextSet& out = listed ? o : *this;
    TextSet r{true, {}};
    for (const auto& x : in.strings)
      if (!out.strings.count(x)) r.strings.insert(x);
    return r;
  }
  TextSet unite(const TextSet& o) const { return complement().intersect(o.complement()).complement(); }

 private:
  static std::set<std::string> joined(std::set<std::string> a, const std::set<std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
  }
  static std::set<std::string> common(const std::set<std::string>& a, const std::set<std::string>& b) {
    std::set<std::string> r;
    for (const auto& x : a)
      if (b.count(x)) r.insert(x);
    return r;
  }
};

// The values an enum set allows, by name: enums of one name in two playbooks may list different
// values, yet one case gives the fact one value.
TextSet as_text(const ValueSet& set, const Var& var) {
  TextSet t{true, {}};
  const auto& flags = set.member_flags();
  for (std::size_t k = 0; k < flags.size() && k < var.values.size(); ++k)
    if (flags[k]) t.strings.insert(var.values[k]);
  return t;
}

std::string describe(const TextSet& t) {
  std::string list;
  for (const auto& x : t.strings) list += (list.empty() ? "'" : (t.listed ? " or '" : ", '")) + x + "'";
  if (t.listed) return list.empty() ? "has no value" : "is " + list;
  return list.empty() ? "has any value" : "is none of " + list;
}

// What a playbook's `match` asks of a case, read for this check: the conjuncts of its `and`
// the guard analysis reads (a Box), comparisons of a string fact with literals, and the
// conjuncts neither reads, taken as possibly true (so a warning is never missed, and says what
// it assumed).
struct MatchReading {
  Box box;
  std::map<std::uint32_t, TextSet> texts;  // string slot -> allowed values
  std::vector<std::string> assumed;        // conjuncts not analysed, as written back
};

// The values a condition on one string fact allows; nullopt for any other shape.
std::optional<std::pair<std::uint32_t, TextSet>> text_condition(const expr::GuardView& g, int depth = 0) {
  using K = expr::GuardView::Kind;
  if (depth > 64) return std::nullopt;
  switch (g.kind()) {
    case K::InStrings: {
      if (g.operand(0).kind() != K::Name) return std::nullopt;
      const auto& list = g.strings();
      TextSet t{true, std::set<std::string>(list.begin(), list.end())};
      return std::make_pair(g.operand(0).slot(), g.negated() ? t.complement() : t);
    }
    case K::Compare: {
      if (g.compared() != expr::GuardView::Part::Text) return std::nullopt;
      if (g.compare() != expr::Compare::Eq && g.compare() != expr::Compare::Ne) return std::nullopt;
      expr::GuardView name = g.operand(0), value = g.operand(1);
      if (name.kind() == K::Constant) std::swap(name, value);
      if (name.kind() != K::Name || value.kind() != K::Constant || value.value().type != expr::VType::String)
        return std::nullopt;
      TextSet t{true, {std::string(value.value().s)}};
      return std::make_pair(name.slot(), g.compare() == expr::Compare::Ne ? t.complement() : t);
    }
    case K::Not: {
      auto t = text_condition(g.operand(0), depth + 1);
      if (t) t->second = t->second.complement();
      return t;
    }
    case K::Or: {
      auto a = text_condition(g.operand(0), depth + 1), b = text_condition(g.operand(1), depth + 1);
      if (!a || !b || a->first != b->first) return std::nullopt;  // over two facts: not one set
      return std::make_pair(a->first, a->second.unite(b->second));
    }
    default:
      return std::nullopt;
  }
}

void read_match(const expr::GuardView& g, const detail::Playbook& pb, const Vars& vars, MatchReading& out,
                int depth = 0) {
  if (g.kind() == expr::GuardView::Kind::And && depth < 64) {
    read_match(g.operand(0), pb, vars, out, depth + 1);
    read_match(g.operand(1), pb, vars, out, depth + 1);
  } else if (auto box = guard_box(g, vars)) {
    out.box = intersect(out.box, *box);
  } else if (auto text = text_condition(g)) {
    auto [it, fresh] = out.texts.emplace(text->first, text->second);
    if (!fresh) it->second = it->second.intersect(text->second);
  } else {
    out.assumed.push_back(g.text(pb.scope));
  }
}

// One fact as one side constrains it (`set` or `text`), or as it declares it when it does not.
struct Constraint {
  const Var* var = nullptr;
  std::optional<ValueSet> set;
  std::optional<TextSet> text;
  bool constrained = false;
};

Constraint constraint_of(const std::string& name, const MatchReading& r, const Vars& vars) {
  Constraint c;
  for (const auto& [slot, set] : r.box.sets)
    if (vars.by_slot[slot].name == name) return Constraint{&vars.by_slot[slot], set, std::nullopt, true};
  for (const auto& [slot, text] : r.texts)
    if (vars.by_slot[slot].name == name) return Constraint{&vars.by_slot[slot], std::nullopt, text, true};
  for (const auto& var : vars.by_slot)
    if (var.name == name && var.kind != Var::Kind::Unknown) return Constraint{&var, var.domain, std::nullopt, false};
  return c;  // a string fact, or not declared: any value
}

bool texty(const Constraint& c) {
  return c.text || !c.var || c.var->kind == Var::Kind::Unknown ||
         (c.var->kind == Var::Kind::Finite && !c.var->is_bool);
}

TextSet text_of(const Constraint& c) {
  if (c.text) return *c.text;
  if (c.set && c.var && c.var->kind == Var::Kind::Finite) return as_text(*c.set, *c.var);
  return TextSet{};
}

// Whether one case can satisfy both readings: facts are matched by name across the playbooks; a
// fact either constrains must have a value both allow (numbers and money of one kind and
// currency as intervals, bools as bools, enums and strings as the values' names). Facts of one
// name but different kinds are not one fact: silent. `example` describes the shared part.
bool can_meet(const MatchReading& a, const Vars& va, const MatchReading& b, const Vars& vb, std::string& example) {
  if (a.box.never || b.box.never) return false;
  std::vector<std::string> names;  // constrained by either, `a`'s first, each in slot order
  auto add = [&names](const MatchReading& r, const Vars& vars) {
    std::map<std::uint32_t, std::string> by_slot;
    for (const auto& [slot, ignored] : r.box.sets) by_slot[slot] = vars.by_slot[slot].name;
    for (const auto& [slot, ignored] : r.texts) by_slot[slot] = vars.by_slot[slot].name;
    for (const auto& [slot, name] : by_slot)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  add(a, va);
  add(b, vb);
  example.clear();
  for (const auto& name : names) {
    Constraint x = constraint_of(name, a, va), y = constraint_of(name, b, vb);
    std::string part;
    if (texty(x) && texty(y)) {
      TextSet both = text_of(x).intersect(text_of(y));
      if (both.empty()) return false;
      if (!both.any()) part = name + " " + describe(both);
    } else if (!x.var || !y.var) {  // declared on one side only
      const Constraint& c = x.var ? x : y;
      if (c.set->empty()) return false;
      if (c.constrained) part = name + " " + describe(*c.set, *c.var);
    } else {
      if (x.var->kind != y.var->kind || x.var->is_bool != y.var->is_bool || x.var->currency != y.var->currency)
        return false;  // not one fact: silent
      ValueSet both = x.set->intersect(*y.set);
      if (both.empty()) return false;
      part = name + " " + describe(both, x.constrained ? *x.var : *y.var);
    }
    if (!part.empty()) example += (example.empty() ? "" : " and ") + part;
  }
  std::vector<std::string> assumed;
  for (const auto* r : {&a, &b})
    for (const auto& text : r->assumed)
      if (std::find(assumed.begin(), assumed.end(), text) == assumed.end()) assumed.push_back(text);
  for (std::size_t k = 0; k < assumed.size(); ++k) {
    std::string sep = k == 0 ? (example.empty() ? "if '" : ", if '") : (k + 1 == assumed.size() ? " and '" : ", '");
    example += sep + assumed[k] + "'";
  }
  if (!assumed.empty()) example += assumed.size() == 1 ? " also holds" : " also hold";
  return true;
}

}  // namespace

void analyse_overlaps(const detail::CompiledPack& pack, std::vector<Diagnostic>& diags) {
  std::vector<std::optional<MatchReading>> readings;
  std::vector<Vars> vars;
  for (const auto& pb : pack.playbooks) {
    vars.push_back(make_vars(pb));
    readings.emplace_back();
    if (!pb.match || !gives_goodwill(pb)) continue;
    readings.back().emplace();
    read_match(expr::GuardView(*pb.match), pb, vars.back(), *readings.back());
  }
  for (std::size_t j = 0; j < pack.playbooks.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (!readings[i] || !readings[j]) continue;
      const auto& a = pack.playbooks[i];
      const auto& b = pack.playbooks[j];
      if (related(a, b)) continue;
      std::string example;
      if (!can_meet(*readings[i], vars[i], *readings[j], vars[j], example)) continue;
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
