#include "expr/guard_view.hpp"

#include "expr/ast.hpp"

namespace redress::expr {

GuardView::GuardView(const Program& p) : im_(ProgramBuilder::impl(p)), node_(im_ ? im_->root : 0) {}

bool GuardView::valid() const { return im_ && node_ < im_->nodes.size(); }

GuardView::Kind GuardView::kind() const {
  if (!valid()) return Kind::Other;
  switch (im_->nodes[node_].op) {
    case Op::Const: return Kind::Constant;
    case Op::Load: return Kind::Name;
    case Op::Not: return Kind::Not;
    case Op::And: return Kind::And;
    case Op::Or: return Kind::Or;
    case Op::Cmp: return Kind::Compare;
    case Op::InNums: return Kind::InNumbers;
    case Op::InEnums: return Kind::InEnums;
    default: return Kind::Other;
  }
}

GuardView GuardView::operand(std::size_t i) const {
  const Kind k = kind();
  const bool binary = k == Kind::And || k == Kind::Or || k == Kind::Compare;
  const bool unary = k == Kind::Not || k == Kind::InNumbers || k == Kind::InEnums;
  const Node& n = im_->nodes[node_];  // valid: kind() is not Other
  if ((unary || binary) && i == 0) return GuardView(im_, n.a);
  if (binary && i == 1) return GuardView(im_, n.b);
  return GuardView(nullptr, 0);
}

const Val& GuardView::value() const {
  static const Val null_value;
  if (kind() != Kind::Constant) return null_value;
  const Node& n = im_->nodes[node_];
  return n.a < im_->consts.size() ? im_->consts[n.a] : null_value;
}

std::uint32_t GuardView::slot() const { return kind() == Kind::Name ? im_->nodes[node_].a : 0; }

Compare GuardView::compare() const {
  if (kind() != Kind::Compare) return Compare::Eq;
  switch (static_cast<CmpOp>(im_->nodes[node_].sub)) {
    case CmpOp::Eq: return Compare::Eq;
    case CmpOp::Ne: return Compare::Ne;
    case CmpOp::Lt: return Compare::Lt;
    case CmpOp::Le: return Compare::Le;
    case CmpOp::Gt: return Compare::Gt;
    case CmpOp::Ge: return Compare::Ge;
  }
  return Compare::Eq;
}

GuardView::Part GuardView::compared() const {
  if (kind() != Kind::Compare) return Part::Decimal;
  switch (im_->nodes[node_].field) {
    case Field::Dec: return Part::Decimal;
    case Field::Micros: return Part::Micros;
    case Field::Str: return Part::Text;
    case Field::Bool: return Part::Bool;
  }
  return Part::Decimal;
}

bool GuardView::negated() const {
  Kind k = kind();
  return (k == Kind::InNumbers || k == Kind::InEnums) && im_->nodes[node_].sub != 0;
}

const std::vector<Decimal>& GuardView::numbers() const {
  static const std::vector<Decimal> none;
  if (kind() != Kind::InNumbers) return none;
  const Node& n = im_->nodes[node_];
  return n.b < im_->num_sets.size() ? im_->num_sets[n.b] : none;
}

const std::vector<std::int64_t>& GuardView::enum_indices() const {
  static const std::vector<std::int64_t> none;
  if (kind() != Kind::InEnums) return none;
  const Node& n = im_->nodes[node_];
  return n.b < im_->enum_sets.size() ? im_->enum_sets[n.b] : none;
}

}  // namespace redress::expr
