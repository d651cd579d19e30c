// The expression lexer: text -> tokens (spec §3 literals).
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "expr/ast.hpp"
#include "time/calendar.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"

namespace redress::expr {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ident_start(char c) { return is_alpha(c) || c == '_'; }
bool is_ident(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The (valid UTF-8) character at `i`, for messages: 'é', or U+0007 for control characters.
std::string char_at(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7f) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
  }
  std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (i + n > s.size()) n = s.size() - i;
  return "'" + std::string(s.substr(i, n)) + "'";
}

struct Keyword {
  const char* word;
  Tok tok;
};
constexpr Keyword kKeywords[] = {{"and", Tok::And},   {"or", Tok::Or},       {"not", Tok::Not},
                                 {"in", Tok::In},     {"true", Tok::True},   {"false", Tok::False},
                                 {"null", Tok::Null}};

}  // namespace

bool lex(std::string_view s, std::vector<Token>& out, SyntaxError& err) {
  auto fail = [&](std::size_t pos, std::string msg) {
    err.pos = static_cast<std::uint32_t>(pos);
    err.message = std::move(msg);
    return false;
  };
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && is_space(s[i])) ++i;
    Token t;
    t.pos = static_cast<std::uint32_t>(i);
    if (i >= s.size()) {
      t.kind = Tok::End;
      out.push_back(std::move(t));
      return true;
    }
    char c = s[i];
    std::size_t start = i;
    if (is_digit(c)) {
      while (i < s.size() && is_digit(s[i])) ++i;
      bool fraction = false;
      if (i < s.size() && s[i] == '.') {
        if (i + 1 >= s.size() || !is_digit(s[i + 1]))
          return fail(i, "a number needs digits after '.', as in 2.50");
        fraction = true;
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
      }
      std::string_view digits = s.substr(start, i - start);
      if (i < s.size() && (is_ident(s[i]) || s[i] == '.')) {
        // A duration: the number immediately followed by unit letters ("3h30m", "1.5h").
        while (i < s.size() && (is_ident(s[i]) || s[i] == '.')) ++i;
        std::string_view word = s.substr(start, i - start);
        if (word.size() > 2 && word[word.size() - 2] == 'b' && (word.back() == 'h' || word.back() == 'd')) {
          // A business span (spec §1.6): whole business hours or days.
          auto span = detail::Span::parse(word);
          if (!span)
            return fail(start, "'" + std::string(word) + "' is not a business span: business hours are a whole number "
                               "from 1 to 100000 (4bh), business days from 1 to 10000 (2bd)");
          t.kind = Tok::Span;
          t.unit = span->unit == detail::Span::Unit::BusinessDays ? Clock::Unit::BusinessDays : Clock::Unit::BusinessHours;
          t.micros = span->unit == detail::Span::Unit::BusinessDays ? span->days : span->amount.micros;
          t.len = static_cast<std::uint32_t>(i - start);
          out.push_back(std::move(t));
          continue;
        }
        auto d = Duration::parse(word);
        if (!d) {
          std::string_view letters = s.substr(start + digits.size(), i - start - digits.size());
          if (letters.size() == 3 && Currency::find(letters))
            return fail(start, "write a space between the amount and the currency: '" +
                                   std::string(digits) + " " + std::string(letters) + "'");
          return fail(start, "'" + std::string(word) +
                                 "' is not a number or a duration (durations use the units "
                                 "w d h m s, largest first, e.g. 90s, 15m, 3h30m, 1d12h)");
        }
        t.kind = Tok::Duration;
        t.micros = d->micros;
      } else {
        auto d = Decimal::parse(digits);
        bool percent = i < s.size() && s[i] == '%';
        if (!d) {
          std::size_t frac = fraction ? digits.size() - digits.find('.') - 1 : 0;
          if (frac > static_cast<std::size_t>(Decimal::kFractionDigits))
            return fail(start, "number '" + std::string(digits) +
                                   "' has more than 12 digits after the point");
          return fail(start, "number '" + std::string(digits) +
                                 "' is out of range (at most 26 digits before the point)");
        }
        if (percent) {
          ++i;
          // Exactly representable: the raw value must be a multiple of 100.
          if (d->raw() % 100 != 0)
            return fail(start, "percentage '" + std::string(s.substr(start, i - start)) +
                                   "' has more than 10 digits after the point");
          t.kind = Tok::Percent;
          t.num = Decimal::from_raw(d->raw() / 100);
        } else {
          t.kind = fraction ? Tok::Number : Tok::Int;
          t.num = *d;
        }
      }
    } else if (is_ident_start(c)) {
      while (i < s.size() && is_ident(s[i])) ++i;
      // Dotted names (compensation.total) are one name.
      while (i + 1 < s.size() && s[i] == '.' && is_ident_start(s[i + 1]))
        for (++i; i < s.size() && is_ident(s[i]);) ++i;
      t.text = std::string(s.substr(start, i - start));
      t.kind = Tok::Ident;
      for (const auto& k : kKeywords)
        if (t.text == k.word) t.kind = k.tok;
    } else if (c == '\'' || c == '"') {
      ++i;
      std::string value;
      bool closed = false;
      while (i < s.size()) {
        char d = s[i];
        if (d == c) {
          closed = true;
          ++i;
          break;
        }
        if (d == '\\') {
          if (i + 1 >= s.size()) break;
          char e = s[i + 1];
          if (e == '\\' || e == '\'' || e == '"') value += e;
          else if (e == 'n') value += '\n';
          else
            return fail(i, "unknown escape " + char_at(s, i + 1) +
                               " after '\\' in a string (use \\\\ \\' \\\" or \\n)");
          i += 2;
          continue;
        }
        value += d;
        ++i;
      }
      if (!closed)
        return fail(start, std::string("unterminated string: the closing ") +
                               (c == '\'' ? "' is missing" : "\" is missing"));
      t.kind = Tok::String;
      t.text = std::move(value);
    } else {
      auto next_is = [&](char n) { return i + 1 < s.size() && s[i + 1] == n; };
      std::size_t len = 1;
      switch (c) {
        case '(': t.kind = Tok::LParen; break;
        case ')': t.kind = Tok::RParen; break;
        case '[': t.kind = Tok::LBracket; break;
        case ']': t.kind = Tok::RBracket; break;
        case ',': t.kind = Tok::Comma; break;
        case '?': t.kind = Tok::Question; break;
        case ':': t.kind = Tok::Colon; break;
        case '+': t.kind = Tok::Plus; break;
        case '-': t.kind = Tok::Minus; break;
        case '*': t.kind = Tok::Star; break;
        case '/': t.kind = Tok::Slash; break;
        case '=':
          if (!next_is('=')) return fail(i, "'=' is not an operator; compare with '=='");
          t.kind = Tok::Eq;
          len = 2;
          break;
        case '!':
          if (!next_is('=')) return fail(i, "'!' is not an operator; use 'not'");
          t.kind = Tok::Ne;
          len = 2;
          break;
        case '<':
          if (next_is('=')) { t.kind = Tok::Le; len = 2; }
          else if (next_is('>')) return fail(i, "'<>' is not an operator; use '!='");
          else t.kind = Tok::Lt;
          break;
        case '>':
          if (next_is('=')) { t.kind = Tok::Ge; len = 2; }
          else t.kind = Tok::Gt;
          break;
        case '&': return fail(i, "'&' is not an operator; use 'and'");
        case '|': return fail(i, "'|' is not an operator; use 'or'");
        case '%': return fail(i, "'%' may only follow a number, as in 0.5%");
        default:
          return fail(i, "unexpected character " + char_at(s, i));
      }
      i += len;
    }
    t.len = static_cast<std::uint32_t>(i - start);
    out.push_back(std::move(t));
  }
}

std::string describe(const Token& t, std::string_view text) {
  switch (t.kind) {
    case Tok::End: return "the end of the expression";
    case Tok::Int:
    case Tok::Number:
    case Tok::Percent: return "number " + std::string(text.substr(t.pos, t.len));
    case Tok::Duration: return "duration " + std::string(text.substr(t.pos, t.len));
    case Tok::Span: return "business span " + std::string(text.substr(t.pos, t.len));
    case Tok::String: {
      std::size_t n = t.len;
      if (n > 40) {
        n = 40;
        while (n > 0 && (static_cast<unsigned char>(text[t.pos + n]) & 0xC0) == 0x80) --n;
        return "string " + std::string(text.substr(t.pos, n)) + "...";
      }
      return "string " + std::string(text.substr(t.pos, n));
    }
    case Tok::Ident: return "name '" + t.text + "'";
    default: return "'" + std::string(text.substr(t.pos, t.len)) + "'";
  }
}

}  // namespace redress::expr
