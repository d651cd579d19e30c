// Sets of values a variable may take (see guards.hpp): unions of intervals over exact decimals,
// or subsets of a finite list of members (bools, enum values). The algebra the guard analysis
// builds on: intersect, unite, complement.
#include <algorithm>
#include <utility>

#include "analysis/guards.hpp"

namespace redress::analysis {

namespace {

const Decimal kOne = Decimal::from_raw(Decimal::kOne);

// Lower bounds in order: -infinity first; at one value the closed bound (it holds the value).
bool lo_before(const Bound& a, const Bound& b) {
  if (a.infinite != b.infinite) return a.infinite;
  if (a.infinite) return false;
  if (a.value != b.value) return a.value < b.value;
  return a.closed && !b.closed;
}

// Upper bounds in order: the smaller value first; at one value the open bound; +infinity last.
bool hi_before(const Bound& a, const Bound& b) {
  if (a.infinite != b.infinite) return b.infinite;
  if (a.infinite) return false;
  if (a.value != b.value) return a.value < b.value;
  return !a.closed && b.closed;
}

bool interval_empty(const Interval& i) {
  if (i.lo.infinite || i.hi.infinite) return false;
  if (i.lo.value < i.hi.value) return false;
  if (i.hi.value < i.lo.value) return true;
  return !(i.lo.closed && i.hi.closed);
}

// For whole numbers every bound becomes a closed whole number: `x > 2.5` is `x >= 3`.
void make_integral(Interval& i) {
  Decimal r;
  if (!i.lo.infinite) {
    if (i.lo.closed) {
      if (Decimal::round(i.lo.value, 0, Rounding::Ceil, r)) i.lo.value = r;
    } else if (Decimal::round(i.lo.value, 0, Rounding::Floor, r) && Decimal::add(r, kOne, r)) {
      i.lo.value = r;
    }
    i.lo.closed = true;
  }
  if (!i.hi.infinite) {
    if (i.hi.closed) {
      if (Decimal::round(i.hi.value, 0, Rounding::Floor, r)) i.hi.value = r;
    } else if (Decimal::round(i.hi.value, 0, Rounding::Ceil, r) && Decimal::sub(r, kOne, r)) {
      i.hi.value = r;
    }
    i.hi.closed = true;
  }
}

// Whether `b` (which starts no earlier than `a`) overlaps or touches `a`.
bool joins(const Interval& a, const Interval& b, bool integral) {
  if (a.hi.infinite || b.lo.infinite) return true;
  if (b.lo.value < a.hi.value) return true;
  if (b.lo.value == a.hi.value) return a.hi.closed || b.lo.closed;
  Decimal next;
  return integral && Decimal::add(a.hi.value, kOne, next) && next == b.lo.value;
}

Bound flip(const Bound& b) { return Bound{b.infinite, b.value, !b.closed}; }

}  // namespace

// ---- ValueSet -----------------------------------------------------------------------------

ValueSet ValueSet::all_numbers(bool integral) {
  ValueSet s;
  s.integral_ = integral;
  s.intervals_.push_back(Interval{});
  return s;
}

ValueSet ValueSet::all_of(std::size_t count) {
  ValueSet s;
  s.finite_ = true;
  s.members_.assign(count, true);
  return s;
}

ValueSet ValueSet::interval(bool integral, Interval i) {
  ValueSet s;
  s.integral_ = integral;
  s.intervals_.push_back(i);
  s.normalize();
  return s;
}

ValueSet ValueSet::members(std::size_t count, const std::vector<std::size_t>& which) {
  ValueSet s;
  s.finite_ = true;
  s.members_.assign(count, false);
  for (auto k : which)
    if (k < count) s.members_[k] = true;
  return s;
}

void ValueSet::normalize() {
  if (finite_) return;
  std::vector<Interval> in;
  for (auto i : intervals_) {
    if (integral_) make_integral(i);
    if (!interval_empty(i)) in.push_back(i);
  }
  std::sort(in.begin(), in.end(), [](const Interval& a, const Interval& b) { return lo_before(a.lo, b.lo); });
  intervals_.clear();
  for (const auto& i : in) {
    if (!intervals_.empty() && joins(intervals_.back(), i, integral_)) {
      if (hi_before(intervals_.back().hi, i.hi)) intervals_.back().hi = i.hi;
    } else {
      intervals_.push_back(i);
    }
  }
}

bool ValueSet::empty() const {
  if (finite_) return std::find(members_.begin(), members_.end(), true) == members_.end();
  return intervals_.empty();
}

bool ValueSet::covers(const ValueSet& other) const { return other.intersect(complement()).empty(); }

ValueSet ValueSet::intersect(const ValueSet& other) const {
  ValueSet s;
  s.finite_ = finite_;
  s.integral_ = integral_ || other.integral_;
  if (finite_) {
    s.members_.assign(members_.size(), false);
    for (std::size_t k = 0; k < members_.size() && k < other.members_.size(); ++k)
      s.members_[k] = members_[k] && other.members_[k];
    return s;
  }
  for (const auto& a : intervals_)
    for (const auto& b : other.intervals_) {
      Interval i{lo_before(a.lo, b.lo) ? b.lo : a.lo, hi_before(a.hi, b.hi) ? a.hi : b.hi};
      s.intervals_.push_back(i);
    }
  s.normalize();
  return s;
}

ValueSet ValueSet::unite(const ValueSet& other) const {
  ValueSet s = *this;
  if (finite_) {
    for (std::size_t k = 0; k < s.members_.size() && k < other.members_.size(); ++k)
      s.members_[k] = s.members_[k] || other.members_[k];
    return s;
  }
  s.integral_ = integral_ && other.integral_;
  s.intervals_.insert(s.intervals_.end(), other.intervals_.begin(), other.intervals_.end());
  s.normalize();
  return s;
}

ValueSet ValueSet::complement() const {
  ValueSet s;
  s.finite_ = finite_;
  s.integral_ = integral_;
  if (finite_) {
    s.members_.resize(members_.size());
    for (std::size_t k = 0; k < members_.size(); ++k) s.members_[k] = !members_[k];
    return s;
  }
  Bound lo;  // -infinity
  bool open_end = true;
  for (const auto& i : intervals_) {
    if (!i.lo.infinite) s.intervals_.push_back(Interval{lo, flip(i.lo)});
    if (i.hi.infinite) {
      open_end = false;
      break;
    }
    lo = flip(i.hi);
  }
  if (open_end) s.intervals_.push_back(Interval{lo, Bound{}});
  s.normalize();
  return s;
}


}  // namespace redress::analysis
