#include "expr/guard_view.hpp"

#include <algorithm>

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
    case Op::InStrs: return Kind::InStrings;
    default: return Kind::Other;
  }
}

GuardView GuardView::operand(std::size_t i) const {
  const Kind k = kind();
  const bool binary = k == Kind::And || k == Kind::Or || k == Kind::Compare;
  const bool unary = k == Kind::Not || k == Kind::InNumbers || k == Kind::InEnums || k == Kind::InStrings;
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
  return (k == Kind::InNumbers || k == Kind::InEnums || k == Kind::InStrings) && im_->nodes[node_].sub != 0;
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

const std::vector<std::string>& GuardView::strings() const {
  static const std::vector<std::string> none;
  if (kind() != Kind::InStrings) return none;
  const Node& n = im_->nodes[node_];
  return n.b < im_->str_lists.size() ? im_->str_lists[n.b] : none;
}

namespace {

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string constant_text(const Val& v) {
  switch (v.type) {
    case VType::String:
    case VType::Enum: return quoted(v.s);
    case VType::Datetime: return "datetime('" + display(v) + "')";
    default: return display(v);
  }
}

// The enum a Load node reads, if any: for naming the values of an `in` set.
const std::vector<std::string>* enum_values(const Program::Impl& im, std::uint32_t node, const Scope& scope) {
  const Node& n = im.nodes[node];
  if (n.op != Op::Load) return nullptr;
  for (const auto& sym : scope.symbols)
    if (sym.slot == n.a && sym.type.kind == VType::Enum && sym.type.enum_id >= 0 &&
        static_cast<std::size_t>(sym.type.enum_id) < scope.enums.size())
      return &scope.enums[static_cast<std::size_t>(sym.type.enum_id)].values;
  return nullptr;
}

// Loosest first, as the parser reads them (spec §3): ?:, or, and, not, comparisons, + -, * /.
int precedence(const Node& n) {
  switch (n.op) {
    case Op::Cond: return 1;
    case Op::Or: return 2;
    case Op::And: return 3;
    case Op::Not: return 4;
    case Op::Cmp: case Op::IsNull: case Op::InList: case Op::InStrs: case Op::InEnums: case Op::InNums:
    case Op::ClockCmp: return 5;
    case Op::Arith: {
      auto ar = static_cast<Ar>(n.sub);
      bool additive = ar == Ar::AddNum || ar == Ar::SubNum || ar == Ar::AddMoney || ar == Ar::SubMoney ||
                      ar == Ar::AddDtDur || ar == Ar::AddDurDt || ar == Ar::SubDtDur || ar == Ar::SubDtDt ||
                      ar == Ar::AddDur || ar == Ar::SubDur;
      return additive ? 6 : 7;
    }
    case Op::Neg: return 8;
    default: return 9;  // constants, names, calls
  }
}

std::string function_name(const Node& n) {
  std::string_view w = n.what;
  if (w.size() > 2 && w.substr(w.size() - 2) == "()") w.remove_suffix(2);
  return std::string(w);
}

std::string node_text(const Program::Impl& im, std::uint32_t idx, const Scope& scope);

// An operand, in brackets when it binds looser than its parent (or as loose, on the right).
std::string operand_text(const Program::Impl& im, std::uint32_t child, int parent, bool right, const Scope& scope) {
  std::string t = node_text(im, child, scope);
  int p = precedence(im.nodes[child]);
  return (p < parent || (right && p == parent && parent >= 5)) ? "(" + t + ")" : t;
}

std::string node_text(const Program::Impl& im, std::uint32_t idx, const Scope& scope) {
  const Node& n = im.nodes[idx];
  const int p = precedence(n);
  std::vector<std::uint32_t> kids;
  node_children(im, n, kids);
  auto call = [&](std::string extra = {}) {
    std::string s = function_name(n) + "(";
    for (std::size_t k = 0; k < kids.size(); ++k) s += (k ? ", " : "") + node_text(im, kids[k], scope);
    return s + extra + ")";
  };
  switch (n.op) {
    case Op::Const: return n.a < im.consts.size() ? constant_text(im.consts[n.a]) : "null";
    case Op::Load: return n.b < im.names.size() ? im.names[n.b] : "?";
    case Op::Now: return "now";
    case Op::Neg: return "-" + operand_text(im, n.a, p, false, scope);
    case Op::Not: return "not " + operand_text(im, n.a, p, false, scope);
    case Op::Cond:
      return operand_text(im, n.a, p + 1, false, scope) + " ? " + operand_text(im, n.b, p + 1, false, scope) + " : " +
             operand_text(im, static_cast<std::uint32_t>(n.c), p, false, scope);
    case Op::And: case Op::Or: case Op::Arith: case Op::Cmp: case Op::InList:
      return operand_text(im, n.a, p, false, scope) + " " + n.what + " " + operand_text(im, n.b, p, true, scope);
    case Op::IsNull: return operand_text(im, n.a, p, false, scope) + (n.sub == 0 ? " == null" : " != null");
    case Op::InStrs: case Op::InEnums: case Op::InNums: {
      std::string s = operand_text(im, n.a, p, false, scope) + (n.sub ? " not in [" : " in [");
      const std::vector<std::string>* names = n.op == Op::InEnums ? enum_values(im, n.a, scope) : nullptr;
      auto item = [&](std::size_t k) -> std::string {
        if (n.op == Op::InStrs) return quoted(im.str_lists[n.b][k]);
        if (n.op == Op::InNums) return im.num_sets[n.b][k].to_string();
        std::int64_t v = im.enum_sets[n.b][k];
        if (names && v >= 0 && static_cast<std::size_t>(v) < names->size()) return quoted((*names)[static_cast<std::size_t>(v)]);
        return "#" + std::to_string(v);
      };
      std::size_t count = n.op == Op::InStrs ? im.str_lists[n.b].size()
                          : n.op == Op::InNums ? im.num_sets[n.b].size() : im.enum_sets[n.b].size();
      for (std::size_t k = 0; k < count; ++k) s += (k ? ", " : "") + item(k);
      return s + "]";
    }
    case Op::Round:
      return n.digits ? call(", " + std::to_string(n.digits)) : call();
    case Op::EnteredAt: return "entered_at";
    case Op::Overdue:
      return n.a < scope.actions.size() ? "overdue('" + scope.actions[n.a] + "')" : "overdue(#" + std::to_string(n.a) + ")";
    case Op::ClockCmp: {
      // (age | since(x)) OP span, as compile_time.cpp stores it.
      static const char* const ops[] = {"==", "!=", "<", "<=", ">", ">="};
      std::string s = n.a == kNoNode ? std::string("age") : "since(" + node_text(im, n.a, scope) + ")";
      s += std::string(" ") + (n.sub < 6 ? ops[n.sub] : "?") + " ";
      if (n.b != kNoNode) return s + operand_text(im, n.b, p, true, scope);
      switch (static_cast<Clock::Unit>(n.digits)) {
        case Clock::Unit::Wall: return s + Duration{n.c}.to_string();
        case Clock::Unit::BusinessHours: return s + std::to_string(n.c / 3600000000LL) + "bh";
        case Clock::Unit::BusinessDays: return s + std::to_string(n.c) + "bd";
      }
      return s;
    }
    default: return call();
  }
}

}  // namespace

std::string GuardView::text(const Scope& scope) const {
  return valid() ? node_text(*im_, node_, scope) : std::string();
}

bool GuardView::evaluate(const Val* slots, Timestamp now, Scratch& scratch, Val& out, EvalError& err,
                         Clock* clock) const {
  if (!valid()) {
    err.message = "internal error: evaluating an empty part of a condition";
    return false;
  }
  try {
    if (!eval_node(*im_, node_, slots, now.micros, scratch, out, err, clock)) return false;
  } catch (...) {
    err.message = "out of memory while evaluating an expression";
    return false;
  }
  if (out.type == VType::Null) out = Val::null();
  return true;
}

std::vector<std::uint32_t> GuardView::slots_read() const {
  std::vector<std::uint32_t> slots;
  if (!valid()) return slots;
  std::vector<std::uint32_t> todo{node_};
  while (!todo.empty()) {
    const Node& n = im_->nodes[todo.back()];
    todo.pop_back();
    if (n.op == Op::Load && std::find(slots.begin(), slots.end(), n.a) == slots.end()) slots.push_back(n.a);
    std::vector<std::uint32_t> kids;
    node_children(*im_, n, kids);
    todo.insert(todo.end(), kids.rbegin(), kids.rend());  // left operands first
  }
  return slots;
}

}  // namespace redress::expr
