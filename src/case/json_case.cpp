// JSON cases through simdjson's On Demand API (Debian's libsimdjson-dev 3.0).
//
// Why simdjson, measured (issue #14; /tmp-free, see benchmarks/case_read_bench.cpp): reading a
// case into a redress::Case took 0.7–0.9 µs with On Demand, 2.7–3.7 µs with nlohmann-json's
// SAX interface and 4.3–5.7 µs with its DOM, against 42–60 µs through yaml-cpp (the bundled
// example cases and 5 000 generated ones, 2-core machine, -O2). On Demand also hands out where
// each value sits in the text, so a bad value is reported at its line and column; nlohmann 3.11
// knows the position of syntax errors only. Headers are built without -march flags, so On
// Demand runs its portable kernel: on cases of a few hundred bytes it measured as fast as the
// AVX2 one — the time goes into building the Case, not into finding the structure.
#include "case/json_case.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "redress/decimal.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"
#include "time/calendar.hpp"
#include "util/text.hpp"

namespace redress::cases {

namespace {

namespace od = simdjson::ondemand;

// "<what> (limits.<field>)", as every refusal of a limit reads (load/source.hpp).
std::string refusal(const std::string& what, const char* field) { return what + " (limits." + field + ")"; }

// A problem at a byte offset of the text (npos: the input as a whole); turned into a line and
// column only when it is reported.
struct CaseError {
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t offset = npos;
  std::string message;
};

// One parser and one padded buffer per thread, reused: no allocation once they have grown to
// the largest case seen.
struct Workspace {
  od::parser parser;
  std::string buffer;
};

Workspace& workspace() {
  thread_local Workspace w;
  return w;
}

bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

// RFC 8259's number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? — simdjson hands out the
// raw token, which it has not validated.
bool json_number(std::string_view s) {
  std::size_t i = 0, n = s.size();
  auto digits = [&] {
    std::size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

// The token at `offset` for a message: up to the next space or structural character, at most 20
// bytes (cut on a character boundary).
std::string token_at(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return "the end of the input";
  std::size_t end = offset;
  while (end < text.size() && end - offset < 20 && !is_space(text[end]) &&
         std::strchr("{}[],:", text[end]) == nullptr)
    ++end;
  if (end == offset) ++end;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  return "'" + std::string(text.substr(offset, end - offset)) + "'";
}

// Skips one JSON object or list starting at `i` (strings skipped whole); returns the offset past
// it, or npos when it is not closed.
std::size_t skip_value(std::string_view text, std::size_t i) {
  std::size_t depth = 0;
  for (; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      if (i >= text.size()) return CaseError::npos;
    } else if (ch == '{' || ch == '[') {
      ++depth;
    } else if (ch == '}' || ch == ']') {
      if (depth == 0 || --depth == 0) return i + 1;
    }
  }
  return CaseError::npos;
}

std::size_t skip_space(std::string_view text, std::size_t i) {
  while (i < text.size() && is_space(text[i])) ++i;
  return i;
}

// Text after the case: a second case (JSON Lines, or objects one after the other) or stray text.
CaseError trailing(std::string_view text, std::size_t at) {
  // Another case is another object, closed; anything else after the case is not JSON.
  if (text[at] != '{' || skip_value(text, at) == CaseError::npos)
    return {at, "invalid JSON: unexpected " + token_at(text, at) + " after the end of the case"};
  std::size_t count = 1;
  for (std::size_t i = at; i < text.size() && text[i] == '{';) {
    std::size_t end = skip_value(text, i);
    if (end == CaseError::npos) break;
    ++count;
    i = skip_space(text, end);
  }
  return {at, std::to_string(count) +
                  " cases in one input, where one case is expected (the second starts here); give one "
                  "JSON object per input"};
}

CaseError bracket_error(std::string_view text);

// Where the structure broke: simdjson reports an error code and how far it got.
CaseError structure_error(std::string_view text, std::size_t at) {
  if (at >= text.size()) return {text.size(), "invalid JSON: the input ends inside an object or a list (a missing '}' or ']')"};
  std::size_t prev = at;
  while (prev > 0 && is_space(text[prev - 1])) --prev;
  char before = prev > 0 ? text[prev - 1] : '\0';
  if ((text[at] == '}' || text[at] == ']') && before == ',')
    return {prev - 1, std::string("invalid JSON: a trailing comma before '") + text[at] + "'"};
  if (text[at] == '"' && (before == '"' || before == '}' || before == ']' || (before >= '0' && before <= '9') ||
                          before == 'e' || before == 'l'))
    return {at, "invalid JSON: a missing ',' before " + token_at(text, at)};
  if (before == '{' || before == ',') return {at, "invalid JSON: expected a name in double quotes, found " + token_at(text, at)};
  if (before == '"') return {at, "invalid JSON: expected ':' after the name, found " + token_at(text, at)};
  if (text[at] == '}' || text[at] == ']') {
    CaseError mismatch = bracket_error(text);
    if (mismatch.offset == at) return mismatch;
  }
  return {at, "invalid JSON: unexpected " + token_at(text, at)};
}

// Brackets that do not pair up (simdjson only says the document "ended early"): the first closer
// of the wrong kind, or the end with brackets still open.
CaseError bracket_error(std::string_view text) {
  std::string open;  // the stack of '{' and '['
  bool closed_one = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (closed_one && open.empty() && !is_space(ch)) return trailing(text, i);  // a second value
    if (ch == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    } else if (ch == '{' || ch == '[') {
      open.push_back(ch);
    } else if (ch == '}' || ch == ']') {
      if (open.empty()) return {i, "invalid JSON: unexpected " + token_at(text, i) + " after the end of the case"};
      if ((ch == '}') != (open.back() == '{'))
        return {i, std::string("invalid JSON: '") + ch + "' where the '" + open.back() + "' before it is still open"};
      open.pop_back();
      closed_one = open.empty();
    }
  }
  return {text.size(), "invalid JSON: the input ends inside an object or a list (a missing '}' or ']')"};
}

// The opening quote of a string that is never closed.
std::size_t unclosed_quote(std::string_view text) {
  std::size_t open = CaseError::npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '"') continue;
    open = i;
    for (++i; i < text.size() && text[i] != '"'; ++i)
      if (text[i] == '\\') ++i;
    if (i >= text.size()) return open;
  }
  return open == CaseError::npos ? 0 : open;
}

// What the root is when it is not an object.
CaseError not_an_object(std::string_view text, std::size_t at) {
  static const char* kShape = "a case is one JSON object: {\"facts\": {…}, \"now\": …}";
  char ch = text[at];
  if (ch == '[') return {at, std::string(kShape) + ", not a list"};
  std::size_t end = text.size();
  while (end > at && is_space(text[end - 1])) --end;
  std::string_view rest = text.substr(at, end - at);
  if (rest == "true" || rest == "false" || rest == "null" || json_number(rest) ||
      (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"'))
    return {at, std::string(kShape) + ", not " + (ch == '"' ? "a string" : (ch == 't' || ch == 'f') ? "a boolean" : ch == 'n' ? "null" : "a number")};
  return {at, "invalid JSON: unexpected " + token_at(text, at) + " (" + kShape + ")"};
}

class Reader {
 public:
  Reader(std::string_view text, const char* base, const LoadLimits& limits) : text_(text), base_(base), limits_(limits) {}

  std::optional<CaseError> read(od::document& doc, Case& c);
  // The first syntax error anywhere in an object document, or nullopt when it is valid JSON:
  // read() meets a wrong shape before a syntax error further on, and the syntax error is what
  // the user needs to hear first. Runs on the error path only.
  std::optional<CaseError> validate(od::document& doc);

 private:
  std::size_t offset(const char* p) const { return static_cast<std::size_t>(p - base_); }
  std::size_t offset(od::value& v) { return offset(v.raw_json_token().data()); }
  CaseError broken(od::document& doc) {
    const char* p = nullptr;
    if (doc.current_location().get(p)) return structure_error(text_, text_.size());
    return structure_error(text_, offset(p));
  }
  std::optional<CaseError> walk(od::value v, od::document& doc, int depth);
  std::optional<CaseError> fact(std::string_view name, od::value v, Case& c, od::document& doc);
  std::optional<CaseError> list(std::string_view name, od::value v, std::vector<std::string>& items, od::document& doc);
  std::optional<CaseError> money(od::value& v, const std::string& what, Money& out, od::document& doc);
  std::optional<CaseError> sign_offs(od::value& v, od::json_type type, Case& c, od::document& doc);
  std::optional<CaseError> paid(od::value& v, od::json_type type, Case& c, od::document& doc);
  std::optional<CaseError> instant(od::value v, const std::string& what, Timestamp& out, od::document& doc);
  std::optional<CaseError> pauses(od::value& v, od::json_type type, Case& c, od::document& doc);
  std::optional<CaseError> done(od::value& v, od::json_type type, Case& c, od::document& doc);
  std::optional<CaseError> text(od::value& v, const std::string& not_text, std::string_view& out, od::document& doc);
  std::optional<CaseError> playbooks(od::value& v, od::json_type type, Case& c, od::document& doc);
  std::optional<CaseError> states(od::value& v, od::json_type type, Case& c, od::document& doc);

  // Calls each(key, key_at, value) for every member of an object, in order; stops at the first
  // error. One walk for every map-shaped part of a case (paid, done, a sign-off, a pause).
  template <class Each>
  std::optional<CaseError> each_field(od::object& object, od::document& doc, Each&& each) {
    for (auto member : object) {
      od::field field;
      if (std::move(member).get(field)) return broken(doc);
      const std::size_t key_at = offset(field.key().raw()) - 1;
      std::string_view key;
      if (field.unescaped_key().get(key)) return CaseError{key_at, "invalid JSON: a bad escape in this name"};
      if (auto e = each(key, key_at, field.value())) return e;
    }
    return std::nullopt;
  }

  // Calls each(object, item_at) for every element of a list of objects (sign_offs, pauses);
  // an element that is not an object is `not_object` at the element.
  template <class Each>
  std::optional<CaseError> each_object(od::value& v, od::document& doc, const char* not_object, Each&& each) {
    od::array items;
    if (v.get_array().get(items)) return broken(doc);
    for (auto element : items) {
      od::value item;
      if (element.get(item)) return broken(doc);
      od::json_type item_type;
      if (item.type().get(item_type)) return broken(doc);
      const std::size_t item_at = offset(item);
      if (item_type != od::json_type::object) return CaseError{item_at, not_object};
      od::object object;
      if (item.get_object().get(object)) return broken(doc);
      if (auto e = each(object, item_at)) return e;
    }
    return std::nullopt;
  }

  // A string (a value or a name) longer than limits.max_string_bytes.
  std::optional<CaseError> too_long(std::string_view s, std::size_t at) const {
    if (s.size() <= limits_.max_string_bytes) return std::nullopt;
    return CaseError{at, refusal("a string of " + std::to_string(s.size()) + " bytes; the limit is " +
                                     std::to_string(limits_.max_string_bytes),
                                 "max_string_bytes")};
  }

  std::string_view text_;
  const char* base_;
  const LoadLimits& limits_;
};

// A number's exact text (the raw token, without the spaces simdjson leaves after it).
std::optional<CaseError> number_text(od::value& v, std::size_t at, std::string_view text, std::string_view& out) {
  out = v.raw_json_token();
  while (!out.empty() && is_space(out.back())) out.remove_suffix(1);
  if (!json_number(out)) return CaseError{at, "invalid JSON: unexpected " + token_at(text, at)};
  return std::nullopt;
}

std::optional<CaseError> Reader::list(std::string_view name, od::value v, std::vector<std::string>& items,
                                      od::document& doc) {
  od::array array;
  if (v.get_array().get(array)) return broken(doc);
  for (auto element : array) {
    od::value item;
    if (element.get(item)) return broken(doc);
    od::json_type type;
    if (item.type().get(type)) return broken(doc);
    std::size_t at = offset(item);
    switch (type) {
      case od::json_type::string: {
        std::string_view s;
        if (item.get_string().get(s)) return CaseError{at, "invalid JSON: a bad escape or character in this string"};
        if (auto e = too_long(s, at)) return e;
        items.emplace_back(s);
        break;
      }
      case od::json_type::number: {
        std::string_view s;
        if (auto e = number_text(item, at, text_, s)) return e;
        items.emplace_back(s);
        break;
      }
      case od::json_type::boolean: {
        bool b = false;
        if (item.get_bool().get(b)) return CaseError{at, "invalid JSON: unexpected " + token_at(text_, at)};
        items.emplace_back(b ? "true" : "false");
        break;
      }
      default:
        return CaseError{at, "fact '" + std::string(name) + "': a list fact holds text only, not " +
                                 (type == od::json_type::null ? "null" : "a nested list or object")};
    }
  }
  return std::nullopt;
}

std::optional<CaseError> Reader::fact(std::string_view name, od::value v, Case& c, od::document& doc) {
  od::json_type type;
  if (v.type().get(type)) return broken(doc);
  std::size_t at = offset(v);
  switch (type) {
    case od::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s)) return CaseError{at, "invalid JSON: a bad escape or character in this string"};
      if (auto e = too_long(s, at)) return e;
      c.facts.emplace_back(std::string(name), Value::string(std::string(s)));
      return std::nullopt;
    }
    case od::json_type::number: {
      std::string_view s;
      if (auto e = number_text(v, at, text_, s)) return e;
      auto d = Decimal::parse(s);
      if (!d)
        return CaseError{at, "fact '" + std::string(name) + "': the number " + std::string(s) +
                                 " cannot be held exactly (redress numbers have at most 12 fractional digits and stay "
                                 "below 10^26); give it as a string if the playbook does not read it"};
      c.facts.emplace_back(std::string(name), Value::number(*d));
      return std::nullopt;
    }
    case od::json_type::boolean: {
      bool b = false;
      if (v.get_bool().get(b)) return CaseError{at, "invalid JSON: unexpected " + token_at(text_, at)};
      c.facts.emplace_back(std::string(name), Value::boolean(b));
      return std::nullopt;
    }
    case od::json_type::null: {
      bool null = false;
      if (v.is_null().get(null) || !null) return CaseError{at, "invalid JSON: unexpected " + token_at(text_, at)};
      c.facts.emplace_back(std::string(name), Value::null());
      return std::nullopt;
    }
    case od::json_type::array: {
      std::vector<std::string> items;
      if (auto e = list(name, v, items, doc)) return e;
      c.facts.emplace_back(std::string(name), Value::list(std::move(items)));
      return std::nullopt;
    }
    case od::json_type::object:
      return CaseError{at, "a fact must be a single value or a list, not a mapping"};
  }
  return CaseError{at, "invalid JSON: unexpected " + token_at(text_, at)};
}

std::optional<CaseError> Reader::walk(od::value v, od::document& doc, int depth) {
  const int max_depth = static_cast<int>(std::min<std::size_t>(limits_.max_yaml_depth, 1024));
  od::json_type type;
  if (v.type().get(type)) return broken(doc);
  const std::size_t at = offset(v);
  switch (type) {
    case od::json_type::object: {
      if (depth >= max_depth)
        return CaseError{at, refusal("nesting too deep (more than " + std::to_string(max_depth) + " levels of [ or {)", "max_yaml_depth")};
      od::object object;
      if (v.get_object().get(object)) return broken(doc);
      for (auto member : object) {
        od::field field;
        if (std::move(member).get(field)) return broken(doc);
        const std::size_t key_at = offset(field.key().raw()) - 1;
        std::string_view key;
        if (field.unescaped_key().get(key)) return CaseError{key_at, "invalid JSON: a bad escape in this name"};
        if (auto e = walk(field.value(), doc, depth + 1)) return e;
      }
      return std::nullopt;
    }
    case od::json_type::array: {
      if (depth >= max_depth)
        return CaseError{at, refusal("nesting too deep (more than " + std::to_string(max_depth) + " levels of [ or {)", "max_yaml_depth")};
      od::array array;
      if (v.get_array().get(array)) return broken(doc);
      for (auto element : array) {
        od::value item;
        if (element.get(item)) return broken(doc);
        if (auto e = walk(item, doc, depth + 1)) return e;
      }
      return std::nullopt;
    }
    case od::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s)) return CaseError{at, "invalid JSON: a bad escape or character in this string"};
      return std::nullopt;
    }
    case od::json_type::number: {
      std::string_view s;
      return number_text(v, at, text_, s);
    }
    case od::json_type::boolean: {
      bool b = false;
      if (v.get_bool().get(b)) return CaseError{at, "invalid JSON: unexpected " + token_at(text_, at)};
      return std::nullopt;
    }
    case od::json_type::null: {
      bool null = false;
      if (v.is_null().get(null) || !null) return CaseError{at, "invalid JSON: unexpected " + token_at(text_, at)};
      return std::nullopt;
    }
  }
  return CaseError{at, "invalid JSON: unexpected " + token_at(text_, at)};
}

std::optional<CaseError> Reader::validate(od::document& doc) {
  const std::size_t start = skip_space(text_, 0);
  if (start >= text_.size() || (text_[start] != '[' && text_[start] != '{')) return std::nullopt;
  if (text_[start] == '[') {
    // A list where the case should be: its own syntax errors first. Scalars were checked by
    // not_an_object().
    od::array list;
    if (doc.get_array().get(list)) return broken(doc);
    for (auto element : list) {
      od::value item;
      if (element.get(item)) return broken(doc);
      if (auto e = walk(item, doc, 1)) return e;
    }
  }
  od::object root;
  if (text_[start] == '{' && !doc.get_object().get(root)) for (auto member : root) {
    od::field field;
    if (std::move(member).get(field)) return broken(doc);
    const std::size_t key_at = offset(field.key().raw()) - 1;
    std::string_view key;
    if (field.unescaped_key().get(key)) return CaseError{key_at, "invalid JSON: a bad escape in this name"};
    if (auto e = walk(field.value(), doc, 1)) return e;
  }
  const char* end = nullptr;
  if (!doc.current_location().get(end)) {
    std::size_t at = skip_space(text_, offset(end));
    if (at < text_.size()) return trailing(text_, at);
  }
  return std::nullopt;
}

// Money with its currency, "50.00 EUR" (sign-off amounts, payouts).
std::optional<CaseError> Reader::money(od::value& v, const std::string& what, Money& out, od::document& doc) {
  od::json_type type;
  if (v.type().get(type)) return broken(doc);
  std::size_t at = offset(v);
  std::string_view s;
  std::optional<Money> m;
  if (type == od::json_type::string) {
    if (v.get_string().get(s)) return CaseError{at, "invalid JSON: a bad escape or character in this string"};
    m = Money::parse(s);
  }
  if (!m) return CaseError{at, what + " must be money with its currency, like \"50.00 EUR\""};
  out = *m;
  return std::nullopt;
}

// sign_offs: [{level, by, at, amount?}, …] (the YAML reader's rules and messages).
std::optional<CaseError> Reader::sign_offs(od::value& v, od::json_type type, Case& c, od::document& doc) {
  static const std::vector<std::string> kSignOffKeys = {"level", "by", "at", "amount"};
  if (type != od::json_type::array) return CaseError{offset(v), "'sign_offs' must be a list of {level, by, at, amount}"};
  const char* shape = "a sign-off is {\"level\": \"manager\", \"by\": \"a.berg\", \"at\": \"2026-11-23T09:00:00Z\", \"amount\": \"25.00 EUR\"}";
  return each_object(v, doc, shape, [&](od::object& object, std::size_t item_at) -> std::optional<CaseError> {
    SignOff sign_off;
    bool has_at = false;
    auto error = each_field(object, doc, [&](std::string_view key, std::size_t key_at, od::value value) -> std::optional<CaseError> {
      if (std::find(kSignOffKeys.begin(), kSignOffKeys.end(), key) == kSignOffKeys.end())
        return CaseError{key_at, "unknown key '" + std::string(key) + "' in a sign-off" + util::did_you_mean(key, kSignOffKeys)};
      od::json_type value_type;
      if (value.type().get(value_type)) return broken(doc);
      if (key == "amount") {
        if (value_type == od::json_type::null) return std::nullopt;
        Money m;
        if (auto e = money(value, "a sign-off's 'amount'", m, doc)) return e;
        sign_off.amount = m;
        return std::nullopt;
      }
      const std::size_t at = offset(value);
      std::string_view text;
      if (value_type != od::json_type::string || value.get_string().get(text) || text.empty())
        return CaseError{at, "a sign-off's '" + std::string(key) + "' must be text (in double quotes)"};
      if (key == "level") sign_off.level = text;
      else if (key == "by") sign_off.by = text;
      else {
        auto t = Timestamp::parse(text);
        if (!t) return CaseError{at, "a sign-off's 'at' must be an ISO 8601 date-time with a zone, not '" + std::string(text) + "'"};
        sign_off.at = *t;
        has_at = true;
      }
      return std::nullopt;
    });
    if (error) return error;
    if (sign_off.level.empty() || sign_off.by.empty() || !has_at)
      return CaseError{item_at, "a sign-off needs 'level', 'by' and 'at'"};
    c.sign_offs.push_back(std::move(sign_off));
    return std::nullopt;
  });
}

// paid: {item id: amount, …}
std::optional<CaseError> Reader::paid(od::value& v, od::json_type type, Case& c, od::document& doc) {
  if (type != od::json_type::object)
    return CaseError{offset(v), "'paid' must map compensation item ids to what was paid, like {\"refund_overcharge\": \"50.00 EUR\"}"};
  od::object object;
  if (v.get_object().get(object)) return broken(doc);
  return each_field(object, doc, [&](std::string_view key, std::size_t, od::value value) -> std::optional<CaseError> {
    Payment payment;
    payment.item = key;
    if (auto e = money(value, "paid '" + payment.item + "'", payment.amount, doc)) return e;
    c.paid.push_back(std::move(payment));
    return std::nullopt;
  });
}

// The time parts (load/case_time.cpp's rules and messages): pauses, done.
std::optional<CaseError> Reader::instant(od::value v, const std::string& what, Timestamp& out, od::document& doc) {
  od::json_type type;
  if (v.type().get(type)) return broken(doc);
  const std::size_t at = offset(v);
  std::string_view s;
  if (type != od::json_type::string || v.get_string().get(s)) return CaseError{at, what + " must be a date-time"};
  auto t = Timestamp::parse(s);
  if (!t)
    return CaseError{at, what + " must be an ISO 8601 date-time with a zone, e.g. 2026-11-23T10:00:00Z, not '" + std::string(s) + "'"};
  out = *t;
  return std::nullopt;
}

std::optional<CaseError> Reader::pauses(od::value& v, od::json_type type, Case& c, od::document& doc) {
  if (type != od::json_type::array) return CaseError{offset(v), "'pauses' must be a list of {from: …, to: …}"};
  const char* shape = "a pause is {from: date-time, to: date-time} ('to' absent: still paused)";
  return each_object(v, doc, shape, [&](od::object& object, std::size_t item_at) -> std::optional<CaseError> {
    Pause pause;
    bool has_from = false;
    std::optional<std::size_t> to_at;
    std::optional<Timestamp> to;
    auto error = each_field(object, doc, [&](std::string_view key, std::size_t key_at, od::value value) -> std::optional<CaseError> {
      if (key != "from" && key != "to") return CaseError{key_at, "a pause has only 'from' and 'to'"};
      od::json_type value_type;
      if (value.type().get(value_type)) return broken(doc);
      if (key == "to" && value_type == od::json_type::null) return std::nullopt;
      Timestamp t;
      if (auto e = instant(value, key == "from" ? "a pause's 'from'" : "a pause's 'to'", t, doc)) return e;
      if (key == "from") {
        pause.from = t;
        has_from = true;
      } else {
        to = t;
        to_at = offset(value);
      }
      return std::nullopt;
    });
    if (error) return error;
    if (!has_from) return CaseError{item_at, "this pause has no 'from'"};
    if (to) {
      if (*to < pause.from) return CaseError{*to_at, "this pause ends before it starts"};
      pause.to = *to;
    }
    c.pauses.push_back(pause);
    return std::nullopt;
  });
}

std::optional<CaseError> Reader::done(od::value& v, od::json_type type, Case& c, od::document& doc) {
  if (type != od::json_type::object) return CaseError{offset(v), "'done' must map action names to when they were done"};
  od::object object;
  if (v.get_object().get(object)) return broken(doc);
  return each_field(object, doc, [&](std::string_view key, std::size_t, od::value value) -> std::optional<CaseError> {
    std::string action(key);
    Timestamp at;
    if (auto e = instant(value, "'done' of '" + action + "'", at, doc)) return e;
    c.done.emplace_back(std::move(action), at);
    return std::nullopt;
  });
}

// A JSON string (`not_text` when the value is anything else), checked against the length limit.
std::optional<CaseError> Reader::text(od::value& v, const std::string& not_text, std::string_view& out, od::document& doc) {
  od::json_type type;
  if (v.type().get(type)) return broken(doc);
  const std::size_t at = offset(v);
  if (type != od::json_type::string) return CaseError{at, not_text};
  if (v.get_string().get(out)) return CaseError{at, "invalid JSON: a bad escape or character in this string"};
  return too_long(out, at);
}

// A compound case (spec §4.1): "playbooks": ["id", …].
std::optional<CaseError> Reader::playbooks(od::value& v, od::json_type type, Case& c, od::document& doc) {
  if (type != od::json_type::array)
    return CaseError{offset(v), "'playbooks' must be a list of playbook ids, like [\"delivery_delay\", \"wrong_invoice\"]"};
  od::array array;
  if (v.get_array().get(array)) return broken(doc);
  for (auto element : array) {
    od::value item;
    if (element.get(item)) return broken(doc);
    std::string_view s;
    if (auto e = text(item, "a playbook id must be text (in double quotes)", s, doc)) return e;
    c.playbooks.emplace_back(s);
  }
  return std::nullopt;
}

// "states": {"playbook id": "state", …}.
std::optional<CaseError> Reader::states(od::value& v, od::json_type type, Case& c, od::document& doc) {
  if (type != od::json_type::object)
    return CaseError{offset(v), "'states' must map playbook ids to states, like {\"delivery_delay\": \"offer\"}"};
  od::object object;
  if (v.get_object().get(object)) return broken(doc);
  return each_field(object, doc, [&](std::string_view key, std::size_t, od::value value) -> std::optional<CaseError> {
    std::string playbook(key);
    std::string_view s;
    if (auto e = text(value, "the state of '" + playbook + "' must be text (in double quotes)", s, doc)) return e;
    c.states.emplace_back(std::move(playbook), std::string(s));
    return std::nullopt;
  });
}

std::optional<CaseError> Reader::read(od::document& doc, Case& c) {
  static const std::vector<std::string> kKeys = {"playbook", "state", "entered_at", "event", "now", "facts",
                                                 "sign_offs", "paid", "pauses", "done", "timezone",
                                                 "playbooks", "triage", "states"};
  std::size_t start = skip_space(text_, 0);
  od::object root;
  if (auto e = doc.get_object().get(root)) {
    if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) return bracket_error(text_);
    if (start < text_.size() && text_[start] == '{') return broken(doc);
    return not_an_object(text_, start);
  }
  unsigned seen = 0;
  static_assert(sizeof(unsigned) * 8 >= 14, "one bit per case key");
  for (auto member : root) {
    od::field field;
    if (std::move(member).get(field)) return broken(doc);
    // The opening quote; read before unescaped_key(), which consumes the key.
    const std::size_t key_at = offset(field.key().raw()) - 1;
    std::string_view key;
    if (field.unescaped_key().get(key)) return CaseError{key_at, "invalid JSON: a bad escape in this name"};
    std::size_t k = 0;
    while (k < kKeys.size() && kKeys[k] != key) ++k;
    if (k == kKeys.size()) {
      return CaseError{key_at, "unknown key '" + std::string(key) + "' in the case" +
                                   util::did_you_mean_or_list(key, kKeys, "a case has:")};
    }
    if (seen & (1u << k)) return CaseError{key_at, "'" + kKeys[k] + "' is given twice in the case"};
    seen |= 1u << k;
    od::value v = field.value();
    od::json_type type;
    if (v.type().get(type)) return broken(doc);
    if (type == od::json_type::null) {
      bool null = false;
      if (v.is_null().get(null) || !null) return CaseError{offset(v), "invalid JSON: unexpected " + token_at(text_, offset(v))};
      continue;
    }
    if (kKeys[k] == "facts") {
      if (type != od::json_type::object) return CaseError{offset(v), "'facts' must be a mapping of fact names to values"};
      const std::size_t facts_at = offset(v);
      od::object facts;
      if (v.get_object().get(facts)) return broken(doc);
      std::size_t count = 0;
      for (auto f : facts) {
        if (++count > limits_.max_case_facts)
          return CaseError{facts_at, refusal("more than " + std::to_string(limits_.max_case_facts) + " facts; the limit is " +
                                                 std::to_string(limits_.max_case_facts),
                                             "max_case_facts")};
        od::field fact_field;
        if (std::move(f).get(fact_field)) return broken(doc);
        const std::size_t name_at = offset(fact_field.key().raw()) - 1;
        std::string_view name;
        if (fact_field.unescaped_key().get(name)) return CaseError{name_at, "invalid JSON: a bad escape in this name"};
        if (auto e = too_long(name, name_at)) return e;
        // `name` stays valid while the document lives: On Demand unescapes strings one after another
        // into the parser's buffer.
        if (auto e = fact(name, fact_field.value(), c, doc)) return e;
      }
      continue;
    }
    // The structured parts of a case, each read by its own member.
    using Part = std::optional<CaseError> (Reader::*)(od::value&, od::json_type, Case&, od::document&);
    static const std::pair<std::string_view, Part> kParts[] = {
        {"sign_offs", &Reader::sign_offs}, {"paid", &Reader::paid}, {"pauses", &Reader::pauses}, {"done", &Reader::done},
        {"playbooks", &Reader::playbooks}, {"states", &Reader::states}};
    const auto part = std::find_if(std::begin(kParts), std::end(kParts), [&](const auto& p) { return p.first == kKeys[k]; });
    if (part != std::end(kParts)) {
      if (auto e = (this->*(part->second))(v, type, c, doc)) return e;
      continue;
    }
    std::size_t at = offset(v);
    std::string_view s;
    if (type != od::json_type::string) return CaseError{at, "'" + kKeys[k] + "' must be text (in double quotes)"};
    if (v.get_string().get(s)) return CaseError{at, "invalid JSON: a bad escape or character in this string"};
    if (auto e = too_long(s, at)) return e;
    switch (k) {
      case 10:
        if (!detail::TimeZone::locate(s)) return CaseError{at, "'timezone': " + detail::TimeZone::unknown(s)};
        c.timezone = s;
        break;
      case 12:
        if (s == "all") c.triage = Triage::All;
        else if (s == "first") c.triage = Triage::First;
        else return CaseError{at, "'triage' is \"first\" (the default: the first playbook that matches) or \"all\" (every one: a compound case), not '" + std::string(s) + "'"};
        break;
      case 0: c.playbook = s; break;
      case 1: c.state = s; break;
      case 3: c.event = s; break;
      default: {
        auto t = Timestamp::parse(s);
        if (!t)
          return CaseError{at, "'" + kKeys[k] + "' must be an ISO 8601 date-time with a zone, e.g. 2026-11-23T10:00:00Z, not '" +
                                   std::string(s) + "'"};
        (k == 4 ? c.now : c.entered_at) = *t;
      }
    }
  }
  const char* end = nullptr;
  if (!doc.current_location().get(end)) {
    std::size_t at = skip_space(text_, offset(end));
    if (at < text_.size()) return trailing(text_, at);
  }
  return std::nullopt;
}

std::optional<CaseError> read_json(std::string_view text, Case& c, const LoadLimits& limits) {
  Workspace& w = workspace();
  w.buffer.assign(text.data(), text.size());
  w.buffer.resize(text.size() + simdjson::SIMDJSON_PADDING, '\0');
  od::document doc;
  if (auto e = w.parser.iterate(simdjson::padded_string_view(w.buffer.data(), text.size(), w.buffer.size())).get(doc)) {
    switch (e) {
      case simdjson::EMPTY: return CaseError{0, "the case is empty: a case is one JSON object: {\"facts\": {…}, \"now\": …}"};
      case simdjson::UNCLOSED_STRING: return CaseError{unclosed_quote(text), "invalid JSON: a string opened here is never closed"};
      case simdjson::UTF8_ERROR: return CaseError{util::invalid_utf8_at(text), "invalid JSON: not UTF-8 text (save the case as UTF-8)"};
      case simdjson::DEPTH_ERROR: return CaseError{CaseError::npos, "nesting too deep"};
      case simdjson::CAPACITY: return CaseError{CaseError::npos, "the case is too large"};
      default: return CaseError{0, std::string("invalid JSON: ") + simdjson::error_message(e)};
    }
  }
  Reader reader(text, w.buffer.data(), limits);
  auto problem = reader.read(doc, c);
  if (!problem || problem->message.compare(0, 12, "invalid JSON") == 0) return problem;
  // A wrong shape met first: if the JSON is broken further on, that is the error to report.
  od::document again;
  if (w.parser.iterate(simdjson::padded_string_view(w.buffer.data(), text.size(), w.buffer.size())).get(again))
    return problem;
  if (auto syntax = reader.validate(again); syntax && syntax->message.compare(0, 12, "invalid JSON") == 0) return syntax;
  return problem;
}

}  // namespace

std::optional<CaseTextError> case_from_json(std::string_view text, Case& c, const LoadLimits& limits) {
  auto problem = read_json(text, c, limits);
  if (!problem) return std::nullopt;
  CaseTextError out{std::move(problem->message)};
  if (problem->offset == CaseError::npos) return out;
  // Line and column (in code points) of the offset: a linear scan, on the error path only.
  const std::size_t end = std::min(problem->offset, text.size());
  out.line = out.column = 1;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++out.line;
      out.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++out.column;
    }
  }
  return out;
}

}  // namespace redress::cases
