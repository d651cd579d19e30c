// What would change it (issue #17, criterion 3): from the conditions that stand in the way,
// the smallest changes of facts that make them hold — for a comparison of a fact with a
// constant its boundary value (days_late >= 7: 7; money > 30 EUR: 30.01 EUR), for enums and
// bools the value — read from the compiled guard (as src/analysis reasons about them: facts
// compared with constants, and/or/not, `in` sets, lets followed to their facts). Each candidate
// is then CHECKED by evaluating the changed case; only those that reach the target are kept.
#include <algorithm>

#include "explain/run.hpp"

namespace redress::explaining {

using expr::Compare;
using expr::VType;

namespace {

struct Change {
  std::uint32_t slot = 0;
  Val value;
  Compare relation = Compare::Eq;  // how the boundary reads: >= 7 (7 and above reach it too)
};
using ChangeSet = std::vector<Change>;

constexpr std::size_t kMaxSets = 16;        // candidates kept per part of a condition
constexpr std::size_t kMaxEvaluations = 48;  // changed cases evaluated per target
constexpr int kMaxDepth = 8;                 // lets followed into lets

bool same(const Val& a, const Val& b) {
  return a.type == b.type && a.d == b.d && a.i == b.i && a.b == b.b && a.s == b.s;
}

// Every combination of one set from `a` and one from `b` that does not give a fact two values.
std::vector<ChangeSet> cross(const std::vector<ChangeSet>& a, const std::vector<ChangeSet>& b) {
  std::vector<ChangeSet> out;
  for (const auto& x : a)
    for (const auto& y : b) {
      ChangeSet merged = x;
      bool ok = true;
      for (const auto& c : y) {
        auto it = std::find_if(merged.begin(), merged.end(), [&](const Change& m) { return m.slot == c.slot; });
        if (it == merged.end()) merged.push_back(c);
        else ok = ok && same(it->value, c.value);
      }
      if (ok && out.size() < kMaxSets) out.push_back(std::move(merged));
    }
  return out;
}

std::vector<ChangeSet> join(std::vector<ChangeSet> a, const std::vector<ChangeSet>& b) {
  for (const auto& x : b)
    if (a.size() < kMaxSets) a.push_back(x);
  return a;
}

Compare flip(Compare c) {  // c read from the other side: 3 < x is x > 3
  switch (c) {
    case Compare::Lt: return Compare::Gt;
    case Compare::Le: return Compare::Ge;
    case Compare::Gt: return Compare::Lt;
    case Compare::Ge: return Compare::Le;
    default: return c;
  }
}

Compare negate(Compare c) {
  switch (c) {
    case Compare::Eq: return Compare::Ne;
    case Compare::Ne: return Compare::Eq;
    case Compare::Lt: return Compare::Ge;
    case Compare::Le: return Compare::Gt;
    case Compare::Gt: return Compare::Le;
    case Compare::Ge: return Compare::Lt;
  }
  return c;
}

class Finder {
 public:
  explicit Finder(const Run& run) : run_(run), pb_(*run.playbook) {}

  // The change sets that make `g` give `want`; {{}} when it already does, {} when none is known.
  std::vector<ChangeSet> fixes(const GuardView& g, bool want, int depth) {
    auto now = value_of(run_, g);
    if (now && now->type == VType::Bool && now->b == want) return {ChangeSet{}};
    if (depth > kMaxDepth) return {};
    switch (g.kind()) {
      case GuardView::Kind::Name: return name(g.slot(), want, depth);
      case GuardView::Kind::Not: return fixes(g.operand(0), !want, depth);
      case GuardView::Kind::And:
        return want ? cross(fixes(g.operand(0), true, depth), fixes(g.operand(1), true, depth))
                    : join(fixes(g.operand(0), false, depth), fixes(g.operand(1), false, depth));
      case GuardView::Kind::Or:
        return want ? join(fixes(g.operand(0), true, depth), fixes(g.operand(1), true, depth))
                    : cross(fixes(g.operand(0), false, depth), fixes(g.operand(1), false, depth));
      case GuardView::Kind::Compare: return compare(g, want);
      case GuardView::Kind::InEnums: return in_enums(g, want);
      case GuardView::Kind::InNumbers: return in_numbers(g, want);
      default: return {};
    }
  }

 private:
  std::vector<ChangeSet> name(std::uint32_t slot, bool want, int depth) {
    if (const detail::FactDecl* f = fact_at(pb_, slot)) {
      if (f->type.kind != VType::Bool) return {};
      return {ChangeSet{Change{slot, Val::boolean(want)}}};
    }
    for (const auto& let : pb_.lets)
      if (let.slot == slot) return fixes(GuardView(let.program), want, depth + 1);
    return {};
  }

  // `fact relation c`: the value nearest the boundary that satisfies it, within min/max.
  std::vector<ChangeSet> compare(const GuardView& g, bool want) {
    GuardView lhs = g.operand(0), rhs = g.operand(1);
    Compare rel = g.compare();
    if (lhs.kind() == GuardView::Kind::Constant && rhs.kind() == GuardView::Kind::Name) {
      std::swap(lhs, rhs);
      rel = flip(rel);
    }
    if (lhs.kind() != GuardView::Kind::Name || rhs.kind() != GuardView::Kind::Constant) return {};
    if (!want) rel = negate(rel);
    const detail::FactDecl* f = fact_at(pb_, lhs.slot());
    if (!f) return {};
    const Val& c = rhs.value();
    if (c.type == VType::Null) return {};
    std::vector<ChangeSet> out;
    // The value found is the boundary itself: `> 30 EUR` gives 30.01 EUR, and it and above reach it.
    auto add = [&](Val v, Compare how) {
      if (how == Compare::Gt) how = Compare::Ge;
      if (how == Compare::Lt) how = Compare::Le;
      out.push_back(ChangeSet{Change{lhs.slot(), v, how}});
    };
    switch (f->type.kind) {
      case VType::Bool:
        if (rel == Compare::Eq) add(Val::boolean(c.b), Compare::Eq);
        if (rel == Compare::Ne) add(Val::boolean(!c.b), Compare::Eq);
        break;
      case VType::String:
        if (rel == Compare::Eq) add(Val::string(c.s), Compare::Eq);
        break;
      case VType::Int:
      case VType::Number:
      case VType::Money: {
        for (const Decimal& d : decimal_boundaries(*f, c.d, rel)) {
          if ((f->min && d < *f->min) || (f->max && d > *f->max)) continue;
          Val v = f->type.kind == VType::Money ? Val::money(d, f->type.currency)
                  : f->type.kind == VType::Int ? Val::integer(d) : Val::number(d);
          add(v, rel == Compare::Ne ? Compare::Eq : rel);
        }
        break;
      }
      case VType::Datetime:
      case VType::Duration:
      case VType::Enum: {
        const std::int64_t step = f->type.kind == VType::Enum ? 1 : 1000000;  // one value; one second
        std::vector<std::int64_t> values;
        switch (rel) {
          case Compare::Eq: case Compare::Ge: case Compare::Le: values = {c.i}; break;
          case Compare::Gt: values = {c.i + step}; break;
          case Compare::Lt: values = {c.i - step}; break;
          case Compare::Ne: values = {c.i + step, c.i - step}; break;
        }
        for (std::int64_t i : values) {
          if (f->type.kind == VType::Enum) {
            if (i < 0 || static_cast<std::size_t>(i) >= f->values.size()) continue;
            add(Val::enumeration(i, f->values[static_cast<std::size_t>(i)]), Compare::Eq);
          } else {
            add(f->type.kind == VType::Datetime ? Val::datetime(i) : Val::duration(i), rel == Compare::Ne ? Compare::Eq : rel);
          }
        }
        break;
      }
      default: break;
    }
    return out;
  }

  // The boundary of `x rel c` for a decimal fact: ints step by 1, money by its minor unit,
  // numbers by the finer of 0.01 and c's own last digit.
  std::vector<Decimal> decimal_boundaries(const detail::FactDecl& f, const Decimal& c, Compare rel) const {
    Decimal step = Decimal::from_int(1);
    if (f.type.kind == VType::Money) {
      int digits = Currency::from_index(f.type.currency).minor_digits();
      for (int k = 0; k < digits; ++k) Decimal::div(step, Decimal::from_int(10), step);
    } else if (f.type.kind == VType::Number) {
      step = *Decimal::parse("0.01");
      Decimal r;
      for (int k = 2; k < 12; ++k) {
        Decimal::round(c, k, Rounding::TowardZero, r);
        if (r == c) break;
        Decimal::div(step, Decimal::from_int(10), step);
      }
    }
    Decimal lo = c, hi = c;
    if (f.type.kind == VType::Int) {
      Decimal::round(c, 0, Rounding::Floor, lo);
      Decimal::round(c, 0, Rounding::Ceil, hi);
    }
    Decimal above, below;
    const bool whole = !(f.type.kind == VType::Int) || c.is_integer();
    switch (rel) {
      case Compare::Eq: if (whole) return {c}; return {};
      case Compare::Ge: return {hi};
      case Compare::Le: return {lo};
      case Compare::Gt:
        if (f.type.kind == VType::Int) { Decimal::add(lo, step, above); return {above}; }
        Decimal::add(c, step, above);
        return {above};
      case Compare::Lt:
        if (f.type.kind == VType::Int) { Decimal::sub(hi, step, below); return {below}; }
        Decimal::sub(c, step, below);
        return {below};
      case Compare::Ne:
        Decimal::add(c, step, above);
        Decimal::sub(c, step, below);
        return {above, below};
    }
    return {};
  }

  std::vector<ChangeSet> in_enums(const GuardView& g, bool want) {
    GuardView x = g.operand(0);
    if (x.kind() != GuardView::Kind::Name) return {};
    const detail::FactDecl* f = fact_at(pb_, x.slot());
    if (!f || f->type.kind != VType::Enum) return {};
    const auto& set = g.enum_indices();
    const bool inside = want != g.negated();
    const std::int64_t current = run_.frame()[x.slot()].type == VType::Enum ? run_.frame()[x.slot()].i : 0;
    std::vector<std::int64_t> values;
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(f->values.size()); ++i)
      if ((std::find(set.begin(), set.end(), i) != set.end()) == inside) values.push_back(i);
    // Nearest to the current value first.
    std::stable_sort(values.begin(), values.end(),
                     [&](std::int64_t a, std::int64_t b) { return std::llabs(a - current) < std::llabs(b - current); });
    std::vector<ChangeSet> out;
    for (std::int64_t i : values)
      out.push_back(ChangeSet{Change{x.slot(), Val::enumeration(i, f->values[static_cast<std::size_t>(i)])}});
    return out;
  }

  std::vector<ChangeSet> in_numbers(const GuardView& g, bool want) {
    GuardView x = g.operand(0);
    if (x.kind() != GuardView::Kind::Name || want == g.negated()) return {};  // "not in": no value to pick
    const detail::FactDecl* f = fact_at(pb_, x.slot());
    if (!f || (f->type.kind != VType::Int && f->type.kind != VType::Number)) return {};
    std::vector<ChangeSet> out;
    for (const Decimal& d : g.numbers()) {
      if ((f->min && d < *f->min) || (f->max && d > *f->max)) continue;
      if (f->type.kind == VType::Int && !d.is_integer()) continue;
      out.push_back(ChangeSet{Change{x.slot(), f->type.kind == VType::Int ? Val::integer(d) : Val::number(d)}});
    }
    return out;
  }

  const Run& run_;
  const Playbook& pb_;
};


const char* relation_text(Compare c) {
  switch (c) {
    case Compare::Ge: return ">=";
    case Compare::Gt: return ">";
    case Compare::Le: return "<=";
    case Compare::Lt: return "<";
    default: return "=";
  }
}

bool subset(const ChangeSet& small, const ChangeSet& big) {
  return std::all_of(small.begin(), small.end(), [&](const Change& c) {
    return std::any_of(big.begin(), big.end(), [&](const Change& b) { return b.slot == c.slot && same(b.value, c.value); });
  });
}

}  // namespace

std::vector<Counterfactual> counterfactuals(const CompiledPack& pack, const Run& run, const Target& t,
                                            const std::vector<const expr::Program*>& goals,
                                            const std::vector<const expr::Program*>& helpers,
                                            const ExplainOptions& options) {
  const Playbook& pb = *run.playbook;
  Finder finder(run);
  std::vector<std::vector<ChangeSet>> per_goal;
  for (const expr::Program* goal : goals) per_goal.push_back(finder.fixes(GuardView(*goal), true, 0));

  auto usable = [&](const ChangeSet& s) {
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [&](const Change& c) {
      const detail::FactDecl* f = fact_at(pb, c.slot);
      return f && std::find(options.fixed.begin(), options.fixed.end(), f->name) == options.fixed.end();
    });
  };
  std::vector<ChangeSet> candidates;
  for (const auto& sets : per_goal)
    for (const auto& s : sets)
      if (usable(s)) candidates.push_back(s);
  // When one condition is not enough (a raise that must follow another), two together.
  const std::size_t goal_count = per_goal.size();
  for (const expr::Program* helper : helpers) per_goal.push_back(finder.fixes(GuardView(*helper), true, 0));
  for (std::size_t a = 0; a < goal_count; ++a)
    for (std::size_t b = a + 1; b < per_goal.size(); ++b)
      for (const auto& s : cross(per_goal[a], per_goal[b]))
        if (usable(s)) candidates.push_back(s);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const ChangeSet& a, const ChangeSet& b) { return a.size() < b.size(); });

  std::vector<Counterfactual> out;
  std::vector<ChangeSet> kept;
  std::size_t evaluations = 0;
  for (const auto& s : candidates) {
    if (out.size() >= options.max_changes || evaluations >= kMaxEvaluations) break;
    // Not smaller than one already found, and not one already tried.
    if (std::any_of(kept.begin(), kept.end(), [&](const ChangeSet& k) { return subset(k, s); })) continue;
    std::vector<std::pair<std::string, Value>> facts;
    Counterfactual cf;
    for (const auto& c : s) {
      const detail::FactDecl* f = fact_at(pb, c.slot);
      facts.emplace_back(f->name, detail::to_value(c.value));
      FactValue before = fact_value(run, c.slot);
      cf.changes.push_back(FactChange{f->name, before.source == "absent" ? "absent" : before.value, expr::display(c.value),
                                      relation_text(c.relation)});
    }
    Case changed = with_facts(*run.input, facts);
    changed.playbook = run.decision().playbook;
    ++evaluations;
    Decision d;
    try {
      d = std::move(*evaluate(pack, std::move(changed), options.evaluate).output);
    } catch (const EvaluationError&) {
      continue;  // the change makes the case invalid: not an answer
    }
    if (!reached(t, d)) continue;
    kept.push_back(s);
    cf.outcome = outcome(t, d);
    std::string what;
    for (const auto& c : cf.changes)
      what += (what.empty() ? "" : " and ") + c.fact + " " + (c.relation == "=" ? "" : c.relation + " ") + c.to +
              " (now " + c.from + ")";
    cf.text = "With " + what + ": " + cf.outcome + ".";
    out.push_back(std::move(cf));
  }
  return out;
}

}  // namespace redress::explaining
