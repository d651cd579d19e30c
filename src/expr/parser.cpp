// The expression parser: tokens -> parse tree, by recursive descent (spec §3 precedence).
//
// Loosest first:
//   cond   := or ('?' cond ':' cond)?                    right-associative
//   or     := and ('or' and)*
//   and    := not ('and' not)*
//   not    := 'not' not | cmp
//   cmp    := add (('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not' 'in') add)?   non-associative
//   add    := mul (('+'|'-') mul)*
//   mul    := unary (('*'|'/') unary)*
//   unary  := '-' unary | primary
//   primary:= literal | money | name | call | '(' cond ')' | '[' (cond (',' cond)*)? ']'
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "expr/ast.hpp"
#include "redress/money.hpp"
#include "util/text.hpp"

namespace redress::expr {

const char* bin_text(BinOp op) {
  switch (op) {
    case BinOp::Or: return "or";
    case BinOp::And: return "and";
    case BinOp::Eq: return "==";
    case BinOp::Ne: return "!=";
    case BinOp::Lt: return "<";
    case BinOp::Le: return "<=";
    case BinOp::Gt: return ">";
    case BinOp::Ge: return ">=";
    case BinOp::In: return "in";
    case BinOp::NotIn: return "not in";
    case BinOp::Add: return "+";
    case BinOp::Sub: return "-";
    case BinOp::Mul: return "*";
    case BinOp::Div: return "/";
  }
  return "?";
}

namespace {

constexpr std::uint32_t kFail = 0xFFFFFFFFu;

const std::vector<std::string>& currency_codes() {
  static const std::vector<std::string> codes = [] {
    std::vector<std::string> v;
    for (std::size_t i = 0; i < Currency::table_size(); ++i)
      v.emplace_back(Currency::at(i).code());
    return v;
  }();
  return codes;
}

bool is_comparison(Tok t) {
  return t == Tok::Eq || t == Tok::Ne || t == Tok::Lt || t == Tok::Le || t == Tok::Gt ||
         t == Tok::Ge || t == Tok::In;
}

std::string upper_ascii(std::string s) {
  for (char& ch : s)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return s;
}

// A name after a number is read as a currency when it is all letters and either upper case
// or a currency code in another case ("eur"); otherwise it is left for "missing an operator?".
bool looks_like_currency(const std::string& word) {
  bool upper = true;
  for (char ch : word) {
    bool lower = ch >= 'a' && ch <= 'z';
    if (!lower && !(ch >= 'A' && ch <= 'Z')) return false;
    if (lower) upper = false;
  }
  return upper || Currency::find(upper_ascii(word)).has_value();
}

class Parser {
 public:
  Parser(const std::vector<Token>& toks, std::string_view text, ParseTree& tree, SyntaxError& err,
         int max_depth)
      : toks_(toks), text_(text), tree_(tree), err_(err), max_depth_(max_depth) {}

  bool run() {
    if (peek().kind == Tok::End) return fail(peek().pos, "the expression is empty");
    std::uint32_t root = cond();
    if (root == kFail) return false;
    if (peek().kind != Tok::End) {
      const Token& t = peek();
      std::string msg = "unexpected " + describe(t, text_) + " after a complete expression";
      if (t.kind == Tok::Ident || t.kind == Tok::Int || t.kind == Tok::Number ||
          t.kind == Tok::String || t.kind == Tok::LParen)
        msg += " (missing an operator?)";
      else if (is_comparison(t.kind) || (t.kind == Tok::Not && peek(1).kind == Tok::In))
        msg = "comparisons cannot be chained, as in 'a < b < c'; combine them with 'and'";
      return fail(t.pos, msg);
    }
    tree_.root = root;
    return true;
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    std::size_t k = pos_ + ahead;
    return k < toks_.size() ? toks_[k] : toks_.back();
  }
  const Token& take() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool fail(std::uint32_t pos, std::string msg) {
    if (!failed_) {
      failed_ = true;
      err_.pos = pos;
      err_.message = std::move(msg);
    }
    return false;
  }
  std::uint32_t failu(std::uint32_t pos, std::string msg) {
    fail(pos, std::move(msg));
    return kFail;
  }

  // Adds a node; checks the height of the tree (evaluation recurses along it).
  std::uint32_t add(Ast node) {
    int h = 1;
    for (auto k : node.kids) h = std::max(h, height_[k] + 1);
    if (h > max_depth_) return failu(node.pos, too_deep_message());
    if (!node.kids.empty()) node.start = std::min(node.start, tree_.nodes[node.kids[0]].start);
    tree_.nodes.push_back(std::move(node));
    height_.push_back(h);
    return static_cast<std::uint32_t>(tree_.nodes.size() - 1);
  }

  std::string too_deep_message() const {
    return "expression nested too deeply (more than " + std::to_string(max_depth_) +
           " levels; limits.max_expression_depth)";
  }

  struct Depth {
    explicit Depth(int& d) : d_(d) { ++d_; }
    ~Depth() { --d_; }
    int& d_;
  };
  bool too_deep(std::uint32_t pos) {
    if (depth_ > max_depth_) {
      fail(pos, too_deep_message());
      return true;
    }
    return false;
  }

  std::uint32_t cond() {
    Depth guard(depth_);
    if (too_deep(peek().pos)) return kFail;
    std::uint32_t c = or_();
    if (c == kFail) return kFail;
    if (peek().kind != Tok::Question) return c;
    std::uint32_t qpos = take().pos;
    std::uint32_t a = cond();
    if (a == kFail) return kFail;
    if (peek().kind != Tok::Colon)
      return failu(peek().pos, "expected ':' of the '?', found " +
                                   describe(peek(), text_));
    take();
    std::uint32_t b = cond();
    if (b == kFail) return kFail;
    Ast n;
    n.kind = AK::Cond;
    n.pos = qpos;
    n.start = qpos;
    n.kids = {c, a, b};
    return add(std::move(n));
  }

  std::uint32_t binary(BinOp op, std::uint32_t pos, std::uint32_t l, std::uint32_t r) {
    Ast n;
    n.kind = AK::Bin;
    n.op = op;
    n.pos = pos;
    n.start = pos;
    n.kids = {l, r};
    return add(std::move(n));
  }

  std::uint32_t or_() {
    std::uint32_t l = and_();
    while (l != kFail && peek().kind == Tok::Or) {
      std::uint32_t pos = take().pos;
      std::uint32_t r = and_();
      if (r == kFail) return kFail;
      l = binary(BinOp::Or, pos, l, r);
    }
    return l;
  }

  std::uint32_t and_() {
    std::uint32_t l = not_();
    while (l != kFail && peek().kind == Tok::And) {
      std::uint32_t pos = take().pos;
      std::uint32_t r = not_();
      if (r == kFail) return kFail;
      l = binary(BinOp::And, pos, l, r);
    }
    return l;
  }

  std::uint32_t not_() {
    if (peek().kind != Tok::Not) return cmp();
    Depth guard(depth_);
    std::uint32_t pos = take().pos;
    if (too_deep(pos)) return kFail;
    std::uint32_t e = not_();
    if (e == kFail) return kFail;
    Ast n;
    n.kind = AK::Not;
    n.pos = pos;
    n.start = pos;
    n.kids = {e};
    return add(std::move(n));
  }

  std::uint32_t cmp() {
    std::uint32_t l = additive();
    if (l == kFail) return kFail;
    BinOp op;
    std::uint32_t pos = peek().pos;
    switch (peek().kind) {
      case Tok::Eq: op = BinOp::Eq; break;
      case Tok::Ne: op = BinOp::Ne; break;
      case Tok::Lt: op = BinOp::Lt; break;
      case Tok::Le: op = BinOp::Le; break;
      case Tok::Gt: op = BinOp::Gt; break;
      case Tok::Ge: op = BinOp::Ge; break;
      case Tok::In: op = BinOp::In; break;
      case Tok::Not:
        if (peek(1).kind != Tok::In) return l;
        op = BinOp::NotIn;
        take();
        break;
      default: return l;
    }
    take();
    std::uint32_t r = additive();
    if (r == kFail) return kFail;
    if (is_comparison(peek().kind) || (peek().kind == Tok::Not && peek(1).kind == Tok::In))
      return failu(peek().pos,
                   "comparisons cannot be chained, as in 'a < b < c'; combine them with 'and'");
    return binary(op, pos, l, r);
  }

  std::uint32_t additive() {
    std::uint32_t l = multiplicative();
    while (l != kFail && (peek().kind == Tok::Plus || peek().kind == Tok::Minus)) {
      BinOp op = peek().kind == Tok::Plus ? BinOp::Add : BinOp::Sub;
      std::uint32_t pos = take().pos;
      std::uint32_t r = multiplicative();
      if (r == kFail) return kFail;
      l = binary(op, pos, l, r);
    }
    return l;
  }

  std::uint32_t multiplicative() {
    std::uint32_t l = unary();
    while (l != kFail && (peek().kind == Tok::Star || peek().kind == Tok::Slash)) {
      BinOp op = peek().kind == Tok::Star ? BinOp::Mul : BinOp::Div;
      std::uint32_t pos = take().pos;
      std::uint32_t r = unary();
      if (r == kFail) return kFail;
      l = binary(op, pos, l, r);
    }
    return l;
  }

  std::uint32_t unary() {
    if (peek().kind != Tok::Minus) return primary();
    Depth guard(depth_);
    std::uint32_t pos = take().pos;
    if (too_deep(pos)) return kFail;
    std::uint32_t e = unary();
    if (e == kFail) return kFail;
    Ast n;
    n.kind = AK::Neg;
    n.pos = pos;
    n.start = pos;
    n.kids = {e};
    return add(std::move(n));
  }

  std::uint32_t primary() {
    const Token& t = peek();
    Ast n;
    n.pos = t.pos;
    n.start = t.pos;
    switch (t.kind) {
      case Tok::Int:
      case Tok::Number:
      case Tok::Percent: {
        take();
        n.kind = t.kind == Tok::Int ? AK::Int : AK::Number;
        n.num = t.num;
        // Money: a number, white space, an ISO 4217 code.
        if (t.kind != Tok::Percent && peek().kind == Tok::Ident && looks_like_currency(peek().text)) {
          const Token& code = peek();
          auto cur = Currency::find(code.text);
          if (!cur) {
            std::string upper = upper_ascii(code.text);
            std::string msg = "'" + code.text + "' is not an ISO 4217 currency code";
            if (upper != code.text && Currency::find(upper))
              msg += " (currency codes are upper case: '" + upper + "')";
            else
              msg += util::did_you_mean(code.text, currency_codes());
            return failu(code.pos, msg);
          }
          take();
          n.kind = AK::Money;
          n.currency = cur->index();
        }
        return add(std::move(n));
      }
      case Tok::Duration:
        take();
        n.kind = AK::Duration;
        n.micros = t.micros;
        return add(std::move(n));
      case Tok::Span:
        take();
        n.kind = AK::Span;
        n.micros = t.micros;
        n.unit = t.unit;
        return add(std::move(n));
      case Tok::String:
        take();
        n.kind = AK::String;
        n.text = t.text;
        return add(std::move(n));
      case Tok::True:
      case Tok::False:
        take();
        n.kind = AK::Bool;
        n.b = t.kind == Tok::True;
        return add(std::move(n));
      case Tok::Null:
        take();
        n.kind = AK::Null;
        return add(std::move(n));
      case Tok::Ident: {
        take();
        n.text = t.text;
        if (peek().kind != Tok::LParen) {
          n.kind = AK::Name;
          return add(std::move(n));
        }
        n.kind = AK::Call;
        take();  // (
        if (!items(Tok::RParen, "')' closing the call of " + t.text + "()", n.kids)) return kFail;
        return add(std::move(n));
      }
      case Tok::LParen: {
        take();
        std::uint32_t e = cond();
        if (e == kFail) return kFail;
        if (peek().kind != Tok::RParen)
          return failu(peek().pos, "expected ')' to close the '(', found " +
                                       describe(peek(), text_));
        take();
        tree_.nodes[e].start = std::min(tree_.nodes[e].start, t.pos);
        return e;
      }
      case Tok::LBracket: {
        take();
        n.kind = AK::List;
        if (!items(Tok::RBracket, "']' closing the list", n.kids)) return kFail;
        return add(std::move(n));
      }
      case Tok::End: return failu(t.pos, "the expression ends where a value is expected");
      default: return failu(t.pos, "expected a value, found " + describe(t, text_));
    }
  }

  // Comma-separated expressions up to `close` (already past the opening bracket).
  bool items(Tok close, const std::string& what, std::vector<std::uint32_t>& out) {
    if (peek().kind == close) {
      take();
      return true;
    }
    while (true) {
      std::uint32_t e = cond();
      if (e == kFail) return false;
      out.push_back(e);
      if (peek().kind == Tok::Comma) {
        take();
        continue;
      }
      if (peek().kind == close) {
        take();
        return true;
      }
      return fail(peek().pos, "expected ',' or " + what + ", found " + describe(peek(), text_));
    }
  }

  const std::vector<Token>& toks_;
  std::string_view text_;
  ParseTree& tree_;
  SyntaxError& err_;
  std::vector<int> height_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  int max_depth_;
  bool failed_ = false;
};

}  // namespace

bool parse(const std::vector<Token>& tokens, std::string_view text, ParseTree& out,
           SyntaxError& err, int max_depth) {
  if (tokens.empty()) {
    err.pos = 0;
    err.message = "the expression is empty";
    return false;
  }
  Parser p(tokens, text, out, err, std::min(max_depth, kMaxDepth));
  return p.run();
}

}  // namespace redress::expr
