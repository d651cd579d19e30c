// Interval reasoning over `when` conditions (see guards.hpp). Reads the compiled expression
// through expr::GuardView rather than the text, so it sees exactly what evaluation will run:
// constants are already folded and enum literals already resolved to their declaration index.
#include "analysis/guards.hpp"

#include <algorithm>
#include <utility>

#include "expr/guard_view.hpp"
#include "redress/money.hpp"

namespace redress::analysis {

namespace {

using expr::Compare;
using expr::GuardView;
using expr::Val;
using expr::VType;

}  // namespace

// ---- variables ----------------------------------------------------------------------------

Vars make_vars(const detail::Playbook& pb) {
  Vars vars;
  std::uint32_t slots = pb.slot_count;
  for (const auto& s : pb.scope.symbols) slots = std::max(slots, s.slot + 1);
  vars.by_slot.resize(slots);
  for (const auto& sym : pb.scope.symbols) {
    Var& v = vars.by_slot[sym.slot];
    v.name = sym.name;
    switch (sym.type.kind) {
      case VType::Int:
        v.kind = Var::Kind::Number;
        v.integral = true;
        break;
      case VType::Number:
        v.kind = Var::Kind::Number;
        break;
      case VType::Money:
        v.kind = Var::Kind::Money;
        v.currency = sym.type.currency;
        break;
      case VType::Bool:
        v.kind = Var::Kind::Finite;
        v.is_bool = true;
        v.values = {"false", "true"};
        break;
      case VType::Enum:
        if (sym.type.enum_id >= 0 && static_cast<std::size_t>(sym.type.enum_id) < pb.scope.enums.size()) {
          v.kind = Var::Kind::Finite;
          v.values = pb.scope.enums[static_cast<std::size_t>(sym.type.enum_id)].values;
        }
        break;
      default:
        break;
    }
    v.domain =
        v.kind == Var::Kind::Finite ? ValueSet::all_of(v.values.size()) : ValueSet::all_numbers(v.integral);
  }
  for (const auto& f : pb.facts) {
    if (f.slot >= vars.by_slot.size()) continue;
    Var& v = vars.by_slot[f.slot];
    v.is_fact = true;
    if ((v.kind == Var::Kind::Number || v.kind == Var::Kind::Money) && (f.min || f.max)) {
      Interval i;
      if (f.min) i.lo = Bound{false, *f.min, true};
      if (f.max) i.hi = Bound{false, *f.max, true};
      v.domain = ValueSet::interval(v.integral, i);
      v.bounded = true;
    }
  }
  return vars;
}

// ---- boxes --------------------------------------------------------------------------------

namespace {

Box never_box() {
  Box b;
  b.never = true;
  return b;
}

Box single(std::uint32_t slot, ValueSet set) {
  Box b;
  if (set.empty()) return never_box();
  b.sets.emplace(slot, std::move(set));
  return b;
}

std::optional<Box> negate(const Box& b) {
  if (b.never) return Box{};
  if (b.always()) return never_box();
  if (b.sets.size() != 1) return std::nullopt;  // not (a and b) is no longer a box
  return single(b.sets.begin()->first, b.sets.begin()->second.complement());
}

std::optional<Box> either(const Box& a, const Box& b) {
  if (a.never) return b;
  if (b.never) return a;
  if (a.always() || b.always()) return Box{};
  if (a.sets.size() != 1 || b.sets.size() != 1 || a.sets.begin()->first != b.sets.begin()->first)
    return std::nullopt;  // (x or y) over two facts is no longer a box
  return single(a.sets.begin()->first, a.sets.begin()->second.unite(b.sets.begin()->second));
}

Compare mirrored(Compare op) {
  switch (op) {
    case Compare::Lt:
      return Compare::Gt;
    case Compare::Le:
      return Compare::Ge;
    case Compare::Gt:
      return Compare::Lt;
    case Compare::Ge:
      return Compare::Le;
    default:
      return op;
  }
}

ValueSet numbers_where(bool integral, Compare op, Decimal v) {
  Bound at{false, v, true}, below{false, v, false};
  switch (op) {
    case Compare::Eq:
      return ValueSet::interval(integral, Interval{at, at});
    case Compare::Ne:
      return ValueSet::interval(integral, Interval{at, at}).complement();
    case Compare::Lt:
      return ValueSet::interval(integral, Interval{Bound{}, below});
    case Compare::Le:
      return ValueSet::interval(integral, Interval{Bound{}, at});
    case Compare::Gt:
      return ValueSet::interval(integral, Interval{below, Bound{}});
    case Compare::Ge:
      return ValueSet::interval(integral, Interval{at, Bound{}});
  }
  return ValueSet::all_numbers(integral);
}

ValueSet members_where(std::size_t count, Compare op, std::size_t k) {
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < count; ++i) {
    bool in = false;
    switch (op) {
      case Compare::Eq:
        in = i == k;
        break;
      case Compare::Ne:
        in = i != k;
        break;
      case Compare::Lt:
        in = i < k;
        break;
      case Compare::Le:
        in = i <= k;
        break;
      case Compare::Gt:
        in = i > k;
        break;
      case Compare::Ge:
        in = i >= k;
        break;
    }
    if (in) which.push_back(i);
  }
  return ValueSet::members(count, which);
}

// Reads a condition's shape through the expression module's GuardView.
class Reader {
 public:
  explicit Reader(const Vars& vars) : vars_(vars) {}

  std::optional<Box> box(const GuardView& x, int depth = 0) const {
    if (depth > 64) return std::nullopt;
    switch (x.kind()) {
      case GuardView::Kind::Constant: {
        const Val& v = x.value();
        if (v.type != VType::Bool) return std::nullopt;
        return v.b ? Box{} : never_box();
      }
      case GuardView::Kind::Name: {
        const Var* var = vars_.find(x.slot());
        if (!var || !var->is_bool) return std::nullopt;
        return single(x.slot(), ValueSet::members(2, {1}));
      }
      case GuardView::Kind::Not: {
        auto b = box(x.operand(0), depth + 1);
        if (!b) return std::nullopt;
        return negate(*b);
      }
      case GuardView::Kind::And: {
        auto a = box(x.operand(0), depth + 1), b = box(x.operand(1), depth + 1);
        if (a && b) return intersect(*a, *b);
        // `false and x` never holds, whatever x is.
        if ((a && a->never) || (b && b->never)) return never_box();
        return std::nullopt;
      }
      case GuardView::Kind::Or: {
        auto a = box(x.operand(0), depth + 1), b = box(x.operand(1), depth + 1);
        if (!a || !b) return std::nullopt;
        return either(*a, *b);
      }
      case GuardView::Kind::Compare:
        return comparison(x);
      case GuardView::Kind::InNumbers: {
        const Var* var = load(x.operand(0));
        if (!var || var->kind != Var::Kind::Number) return std::nullopt;
        ValueSet set = ValueSet::all_numbers(var->integral).complement();  // nothing yet
        for (const auto& d : x.numbers())
          set = set.unite(
              ValueSet::interval(var->integral, Interval{Bound{false, d, true}, Bound{false, d, true}}));
        return single(x.operand(0).slot(), x.negated() ? set.complement() : set);
      }
      case GuardView::Kind::InEnums: {
        const Var* var = load(x.operand(0));
        if (!var || var->kind != Var::Kind::Finite || var->is_bool) return std::nullopt;
        std::vector<std::size_t> which;
        for (auto k : x.enum_indices())
          if (k >= 0) which.push_back(static_cast<std::size_t>(k));
        ValueSet set = ValueSet::members(var->values.size(), which);
        return single(x.operand(0).slot(), x.negated() ? set.complement() : set);
      }
      default:
        return std::nullopt;
    }
  }

 private:
  // The variable `x` loads, if it is a plain name the analysis knows.
  const Var* load(const GuardView& x) const {
    if (x.kind() != GuardView::Kind::Name) return nullptr;
    return vars_.find(x.slot());
  }

  std::optional<Box> comparison(const GuardView& x) const {
    Compare op = x.compare();
    GuardView name = x.operand(0), value = x.operand(1);
    if (name.kind() == GuardView::Kind::Constant) {
      std::swap(name, value);
      op = mirrored(op);
    }
    const Var* var = load(name);
    if (!var || value.kind() != GuardView::Kind::Constant) return std::nullopt;
    const Val& v = value.value();
    std::uint32_t slot = name.slot();
    const auto part = x.compared();
    switch (var->kind) {
      case Var::Kind::Number:
        if (part != GuardView::Part::Decimal || (v.type != VType::Int && v.type != VType::Number)) return std::nullopt;
        return single(slot, numbers_where(var->integral, op, v.d));
      case Var::Kind::Money:
        if (part != GuardView::Part::Decimal || v.type != VType::Money || v.currency != var->currency)
          return std::nullopt;
        return single(slot, numbers_where(false, op, v.d));
      case Var::Kind::Finite:
        if (var->is_bool) {
          if (part != GuardView::Part::Bool || v.type != VType::Bool) return std::nullopt;
          if (op != Compare::Eq && op != Compare::Ne) return std::nullopt;
          return single(slot, members_where(2, op, v.b ? 1 : 0));
        }
        if (v.type != VType::Enum || v.i < 0) return std::nullopt;
        return single(slot, members_where(var->values.size(), op, static_cast<std::size_t>(v.i)));
      default:
        return std::nullopt;
    }
  }

  const Vars& vars_;
};

// Limits each constrained value to its declared bounds; a constraint every allowed value meets
// is dropped.
Box bounded(Box b, const Vars& vars) {
  if (b.never) return b;
  for (auto it = b.sets.begin(); it != b.sets.end();) {
    const Var* var = vars.find(it->first);
    if (!var) return never_box();  // cannot happen: boxes only name known slots
    ValueSet s = it->second.intersect(var->domain);
    if (s.empty()) return never_box();
    if (s.covers(var->domain)) {
      it = b.sets.erase(it);
    } else {
      it->second = std::move(s);
      ++it;
    }
  }
  return b;
}

std::optional<Box> raw_box(const GuardView& when, const Vars& vars) { return Reader(vars).box(when); }

}  // namespace

Box intersect(const Box& a, const Box& b) {
  if (a.never || b.never) return never_box();
  Box out = a;
  for (const auto& [slot, set] : b.sets) {
    auto it = out.sets.find(slot);
    if (it == out.sets.end()) {
      out.sets.emplace(slot, set);
      continue;
    }
    it->second = it->second.intersect(set);
    if (it->second.empty()) return never_box();
  }
  return out;
}

std::optional<Box> guard_box(const std::optional<expr::Program>& when, const Vars& vars) {
  if (!when) return Box{};
  return guard_box(*when, vars);
}

std::optional<Box> guard_box(const expr::Program& when, const Vars& vars) {
  return guard_box(GuardView(when), vars);
}

std::optional<Box> guard_box(const GuardView& part, const Vars& vars) {
  auto b = raw_box(part, vars);
  if (!b) return std::nullopt;
  return bounded(std::move(*b), vars);
}

std::optional<std::uint32_t> ruled_out_by_bounds(const expr::Program& when, const Vars& vars) {
  auto b = raw_box(GuardView(when), vars);
  if (!b || b->never) return std::nullopt;
  for (const auto& [slot, set] : b->sets) {
    const Var* var = vars.find(slot);
    if (var && var->bounded && set.intersect(var->domain).empty()) return slot;
  }
  return std::nullopt;
}

std::optional<std::vector<Box>> subtract(const Box& a, const Box& b, const Vars& vars) {
  std::vector<Box> out;
  if (a.never) return out;
  if (b.never) {
    out.push_back(a);
    return out;
  }
  Box rest = a;  // the part of `a` inside `b` on the slots handled so far
  for (const auto& [slot, bset] : b.sets) {
    const Var* var = vars.find(slot);
    if (!var) return std::nullopt;
    auto it = rest.sets.find(slot);
    ValueSet aset = it != rest.sets.end() ? it->second : var->domain;
    ValueSet outside = aset.intersect(bset.complement());
    if (!outside.empty()) {
      Box piece = rest;
      piece.sets[slot] = outside;
      out.push_back(std::move(piece));
    }
    ValueSet inside = aset.intersect(bset);
    if (inside.empty()) return out;
    rest.sets[slot] = std::move(inside);
  }
  return out;
}

std::optional<std::vector<Box>> remainder(const Box& start, const std::vector<Box>& minus, const Vars& vars) {
  constexpr std::size_t kMaxPieces = 256;
  std::vector<Box> left{start};
  if (start.never) left.clear();
  for (const auto& m : minus) {
    std::vector<Box> next;
    for (const auto& piece : left) {
      auto parts = subtract(piece, m, vars);
      if (!parts) return std::nullopt;
      for (auto& p : *parts) next.push_back(std::move(p));
      if (next.size() > kMaxPieces) return std::nullopt;
    }
    left = std::move(next);
    if (left.empty()) break;
  }
  return left;
}

// ---- words --------------------------------------------------------------------------------

namespace {

std::string amount(const Decimal& d, const Var& var) {
  if (var.kind == Var::Kind::Money)
    return d.to_string() + " " + std::string(Currency::from_index(var.currency).code());
  return d.to_string();
}

std::string describe_interval(const Interval& i, const Var& var) {
  const Bound& lo = i.lo;
  const Bound& hi = i.hi;
  if (lo.infinite && hi.infinite) return "has any value";
  if (lo.infinite)
    return hi.closed ? "is " + amount(hi.value, var) + " or less" : "is less than " + amount(hi.value, var);
  if (hi.infinite)
    return lo.closed ? "is " + amount(lo.value, var) + " or more" : "is more than " + amount(lo.value, var);
  if (lo.closed && hi.closed && lo.value == hi.value) return "is " + amount(lo.value, var);
  if (lo.closed && hi.closed) return "is from " + amount(lo.value, var) + " to " + amount(hi.value, var);
  if (lo.closed) return "is at least " + amount(lo.value, var) + " and less than " + amount(hi.value, var);
  if (hi.closed) return "is more than " + amount(lo.value, var) + " and at most " + amount(hi.value, var);
  return "is more than " + amount(lo.value, var) + " and less than " + amount(hi.value, var);
}

}  // namespace

std::string describe(const ValueSet& set, const Var& var) {
  std::string out;
  if (set.is_finite()) {
    const auto& flags = set.member_flags();
    for (std::size_t k = 0; k < flags.size() && k < var.values.size(); ++k) {
      if (!flags[k]) continue;
      out += out.empty() ? "is " : " or ";
      out += var.is_bool ? var.values[k] : "'" + var.values[k] + "'";
    }
    return out.empty() ? "has no value" : out;
  }
  const auto& parts = set.intervals();
  for (std::size_t k = 0; k < parts.size() && k < 3; ++k)
    out += (k ? " or " : "") + describe_interval(parts[k], var);
  if (parts.size() > 3) out += " or …";
  return out.empty() ? "has no value" : out;
}

std::string describe(const Box& box, const Vars& vars) {
  if (box.never) return "never";
  std::string out;
  for (const auto& [slot, set] : box.sets) {
    const Var* var = vars.find(slot);
    if (!var) continue;
    out += (out.empty() ? "" : " and ") + var->name + " " + describe(set, *var);
  }
  return out.empty() ? "any case" : out;
}

std::string describe_bounds(const Var& var) {
  const auto& parts = var.domain.intervals();
  if (var.kind == Var::Kind::Finite || parts.size() != 1) return var.name + " is limited by its declaration";
  const Interval& i = parts.front();
  if (!i.lo.infinite && !i.hi.infinite)
    return var.name + " is declared from " + amount(i.lo.value, var) + " to " + amount(i.hi.value, var);
  if (!i.lo.infinite) return var.name + " is declared with min: " + amount(i.lo.value, var);
  if (!i.hi.infinite) return var.name + " is declared with max: " + amount(i.hi.value, var);
  return var.name + " has no declared bounds";
}

}  // namespace redress::analysis
