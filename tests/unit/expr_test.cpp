// The expression language (spec §3): compile + evaluate + diagnostics.
#include <doctest/doctest.h>

#include <deque>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "expr/expr.hpp"
#include "expr/guard_view.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"

using namespace redress;
using namespace redress::expr;

namespace {

std::uint16_t cur(const char* code) { return Currency::find(code)->index(); }
Decimal dec(const char* s) { return *Decimal::parse(s); }

// A scope with a fact of every type, and values for them.
struct Env {
  Scope scope;
  std::vector<Val> slots;
  std::vector<std::string> tags{"vip", "repeat"};
  std::string category = "delivery";
  std::string note = "Hello";
  std::string cyr = "Привет, Ёжик";
  std::string bad_date = "not a date";
  Timestamp now = *Timestamp::parse("2026-11-23T10:00:00Z");

  void add(const char* name, Type t, Val v, bool nullable = false) {
    Symbol s;
    s.name = name;
    s.type = t;
    s.slot = static_cast<std::uint32_t>(slots.size());
    s.nullable = nullable;
    scope.symbols.push_back(s);
    slots.push_back(v);
  }

  Env() {
    scope.enums.push_back({"tier", {"standard", "silver", "gold"}});
    scope.enums.push_back({"emotion", {"calm", "upset", "aggressive"}});
    Type eur{VType::Money};
    eur.currency = cur("EUR");
    Type usd{VType::Money};
    usd.currency = cur("USD");
    Type tier{VType::Enum};
    tier.enum_id = 0;
    Type emotion{VType::Enum};
    emotion.enum_id = 1;
    add("category", {VType::String}, Val::string(category));
    add("order_value", eur, Val::money(dec("200.00"), cur("EUR")));
    add("shipping_fee", eur, Val::money(dec("4.99"), cur("EUR")));
    add("days_late", {VType::Int}, Val::integer(Decimal::from_int(3)));
    add("tier", tier, Val::enumeration(2, "gold"));
    add("emotion", emotion, Val::enumeration(1, "upset"));
    add("reported_at", {VType::Datetime},
        Val::datetime(Timestamp::parse("2026-11-20T09:00:00Z")->micros));
    add("delivered_at", {VType::Datetime}, Val::null(), true);
    add("tags", {VType::List}, Val::list_of(&tags));
    add("ratio", {VType::Number}, Val::number(dec("0.25")));
    add("vip", {VType::Bool}, Val::boolean(true));
    add("wait", {VType::Duration}, Val::duration(Duration::parse("2h")->micros));
    add("note", {VType::String}, Val::string(note), true);
    add("usd_value", usd, Val::money(dec("50"), cur("USD")));
    add("cyr", {VType::String}, Val::string(cyr));
    add("bad_date", {VType::String}, Val::string(bad_date));
    add("maybe_count", {VType::Int}, Val::null(), true);
    add("huge", {VType::Number}, Val::number(dec("99999999999999999999999999")));
  }
};

Env& env() {
  static Env e;
  return e;
}

SourceMap map_for(const std::string& text, std::uint32_t column = 1) {
  return SourceMap::single_line(redress::detail::intern_source_file("pb.yaml"), 7, column, text.size());
}

std::optional<Program> build(const std::string& text, std::vector<Diagnostic>& diags,
                             std::uint32_t column = 1) {
  return compile(text, map_for(text, column), env().scope, diags);
}

Val run(const std::string& text) {
  std::vector<Diagnostic> diags;
  auto p = build(text, diags);
  INFO(text);
  INFO((diags.empty() ? std::string() : diags[0].message));
  REQUIRE(p.has_value());
  static thread_local std::deque<Scratch> keep;  // keep lower()/upper() results alive
  keep.emplace_back();
  Val out;
  EvalError err;
  bool ok = evaluate(*p, env().slots.data(), env().now, keep.back(), out, err);
  INFO(err.message);
  REQUIRE(ok);
  // Programs die here; copy what views point into the Program.
  static thread_local std::deque<std::string> strings;
  if (out.type == VType::String || out.type == VType::Enum) {
    strings.emplace_back(out.s);
    out.s = strings.back();
  }
  if (out.type == VType::List) {
    static thread_local std::deque<std::vector<std::string>> lists;
    lists.emplace_back(out.list ? *out.list : std::vector<std::string>{});
    out.list = &lists.back();
  }
  return out;
}

std::string ev(const std::string& text) { return display(run(text)); }
bool truth(const std::string& text) {
  Val v = run(text);
  INFO(text);
  REQUIRE(v.type == VType::Bool);
  return v.b;
}

Type type_of(const std::string& text) {
  std::vector<Diagnostic> diags;
  auto p = build(text, diags);
  INFO(text);
  INFO((diags.empty() ? std::string() : diags[0].message));
  REQUIRE(p.has_value());
  return p->type();
}

std::vector<Diagnostic> errors(const std::string& text, std::uint32_t column = 1) {
  std::vector<Diagnostic> diags;
  auto p = build(text, diags, column);
  INFO(text);
  CHECK_FALSE(p.has_value());
  CHECK_FALSE(diags.empty());
  return diags;
}

std::string err(const std::string& text) {
  auto d = errors(text);
  return d.empty() ? std::string() : d[0].message;
}

EvalError eval_error(const std::string& text, std::uint32_t column = 1) {
  std::vector<Diagnostic> diags;
  auto p = build(text, diags, column);
  INFO(text);
  INFO((diags.empty() ? std::string() : diags[0].message));
  REQUIRE(p.has_value());
  Scratch scratch;
  Val out;
  EvalError e;
  CHECK_FALSE(evaluate(*p, env().slots.data(), env().now, scratch, out, e));
  return e;
}

bool has(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("expr: literals") {
  CHECK(ev("42") == "42");
  CHECK(type_of("42").kind == VType::Int);
  CHECK(ev("3.25") == "3.25");
  CHECK(type_of("3.25").kind == VType::Number);
  CHECK(ev("0.5%") == "0.005");
  CHECK(ev("5%") == "0.05");
  CHECK(type_of("0.5%").kind == VType::Number);
  CHECK(ev("'text'") == "text");
  CHECK(ev("\"text\"") == "text");
  CHECK(ev(R"('it\'s \"q\" a\\b')") == "it's \"q\" a\\b");
  CHECK(run(R"("a\nb")").s == "a\nb");
  CHECK(ev("true") == "true");
  CHECK(ev("false") == "false");
  CHECK(ev("null") == "null");
  CHECK(type_of("null").kind == VType::Null);
  CHECK(ev("10 EUR") == "10.00 EUR");
  CHECK(ev("10.50 EUR") == "10.50 EUR");
  CHECK(ev("1000 JPY") == "1000 JPY");
  Type m = type_of("10 EUR");
  CHECK(m.kind == VType::Money);
  CHECK(m.currency == cur("EUR"));
  CHECK(run("90s").i == 90 * 1000000LL);
  CHECK(run("15m").i == 15 * 60 * 1000000LL);
  CHECK(run("2h").i == 2 * 3600 * 1000000LL);
  CHECK(run("3d").i == 3 * 86400 * 1000000LL);
  CHECK(run("1w").i == 7 * 86400 * 1000000LL);
  CHECK(ev("3h30m") == "3h30m");
  CHECK(ev("1d12h") == "1d12h");
  CHECK(type_of("1d12h").kind == VType::Duration);
  CHECK(ev("[ 'a', 'b' ]") == "[a, b]");
  CHECK(ev("[]") == "[]");
  CHECK(type_of("['a']").kind == VType::List);
  // Literal-only programs are constants.
  std::vector<Diagnostic> diags;
  auto p = build("10 EUR + 2.5 EUR", diags);
  REQUIRE(p);
  CHECK(p->is_constant());
  CHECK(display(p->value()) == "12.50 EUR");
  auto q = build("days_late + 1", diags);
  REQUIRE(q);
  CHECK_FALSE(q->is_constant());
  CHECK(q->text() == "days_late + 1");
  CHECK(q->location().path() == "pb.yaml");
  CHECK(q->location().line == 7);
  CHECK(q->location().column == 1);
  CHECK(q->location().length == 13);  // the span of "days_late + 1"
}

TEST_CASE("expr: literal errors") {
  CHECK(has(err("10 EUX"), "'EUX' is not an ISO 4217 currency code (did you mean 'EUR'?)"));
  CHECK(has(err("10 eur"), "currency codes are upper case: 'EUR'"));
  CHECK(has(err("10 Eur"), "currency codes are upper case: 'EUR'"));
  CHECK(has(err("10 EURO"), "'EURO' is not an ISO 4217 currency code (did you mean 'EUR'?)"));
  CHECK(has(err("2 days_late"), "missing an operator"));
  CHECK(has(err("10EUR"), "write a space between the amount and the currency"));
  CHECK(has(err("3x"), "is not a number or a duration"));
  CHECK(has(err("3h3h"), "is not a number or a duration"));
  CHECK(has(err("1.5.2"), "is not a number or a duration"));
  CHECK(has(err("1."), "digits after '.'"));
  CHECK(has(err("0.0000000000001"), "more than 12 digits"));
  CHECK(has(err("123456789012345678901234567"), "out of range"));
  CHECK(has(err("'abc"), "unterminated string"));
  CHECK(has(err("\"abc"), "unterminated string"));
  CHECK(has(err("'a\\tb'"), "unknown escape"));
  CHECK(has(err("a % b"), "'%' may only follow a number"));
  CHECK(has(err("days_late = 3"), "compare with '=='"));
  CHECK(has(err("!vip"), "use 'not'"));
  CHECK(has(err("vip && vip"), "use 'and'"));
  CHECK(has(err("vip || vip"), "use 'or'"));
  CHECK(has(err(""), "empty"));
  CHECK(has(err("   "), "empty"));
  CHECK(has(err("[1, 2]"), "only string literals"));
}

TEST_CASE("expr: int and number arithmetic") {
  CHECK(ev("1 + 2") == "3");
  CHECK(type_of("1 + 2").kind == VType::Int);
  CHECK(type_of("2 * 3").kind == VType::Int);
  CHECK(type_of("5 - 7").kind == VType::Int);
  CHECK(ev("5 - 7") == "-2");
  CHECK(ev("7 / 2") == "3.5");
  CHECK(type_of("6 / 2").kind == VType::Number);
  CHECK(type_of("1 + 0.5").kind == VType::Number);
  CHECK(type_of("days_late * ratio").kind == VType::Number);
  CHECK(ev("days_late * ratio") == "0.75");
  CHECK(ev("-days_late") == "-3");
  CHECK(ev("- -3") == "3");
  CHECK(ev("1 - -1") == "2");
  CHECK(truth("0.1 + 0.2 == 0.3"));
  CHECK(truth("19.99 * 3 == 59.97"));
  CHECK(ev("1 / 3") == "0.333333333333");
  CHECK(ev("2 / 3") == "0.666666666667");
  CHECK(ev("0.5% * 200") == "1");
  CHECK(has(err("'a' + 1"), "cannot use '+' on string and int"));
  CHECK(has(err("vip * 2"), "cannot use '*' on bool and int"));
  CHECK(has(err("-'a'"), "'-' needs a number"));
  CHECK(has(err("null + 1"), "null cannot be used in '+'"));
  CHECK(has(err("'a' + 'b'"), "cannot use '+' on string and string"));
}

TEST_CASE("expr: precedence and associativity") {
  CHECK(truth("1 + 2 * 3 == 7"));
  CHECK(truth("(1 + 2) * 3 == 9"));
  CHECK(truth("10 - 4 - 3 == 3"));   // left-associative
  CHECK(truth("24 / 4 / 2 == 3"));
  CHECK(truth("-2 * 3 == -6"));
  CHECK(truth("2 * -3 == -6"));
  CHECK(truth("1 + 2 > 2"));        // + binds tighter than comparison
  CHECK_FALSE(truth("not false and false"));  // (not false) and false
  CHECK(truth("true or false and false"));    // true or (false and false)
  CHECK(truth("not 1 == 2"));                 // not (1 == 2)
  CHECK(truth("not not true"));
  CHECK(ev("true ? 1 : true ? 2 : 3") == "1");
  CHECK(ev("false ? 1 : true ? 2 : 3") == "2");
  CHECK(ev("false ? 1 : false ? 2 : 3") == "3");
  CHECK(ev("true ? false ? 1 : 2 : 3") == "2");
  CHECK(ev("false or true ? 'a' : 'b'") == "a");  // ?: is loosest
  CHECK(ev("days_late > 2 ? 'late' : 'ok'") == "late");
  CHECK(ev("vip and days_late > 5 ? 1 : 2") == "2");
  // Non-associative comparisons.
  auto d = errors("1 < 2 < 3", 10);
  REQUIRE(d.size() == 1);
  CHECK(has(d[0].message, "cannot be chained"));
  CHECK(d[0].column() == 10 + 6);
  CHECK(has(err("1 == 1 == true"), "cannot be chained"));
  CHECK(has(err("'a' in tags in tags"), "cannot be chained"));
}

TEST_CASE("expr: short-circuit and/or") {
  // The right side is not evaluated (it would divide by zero or use a null).
  CHECK_FALSE(truth("false and 1 / (days_late - 3) > 0"));
  CHECK(truth("true or 1 / (days_late - 3) > 0"));
  CHECK_FALSE(truth("days_late < 0 and delivered_at < now"));
  CHECK(truth("days_late > 0 or delivered_at < now"));
  CHECK(truth("vip and days_late == 3"));
  CHECK(has(err("1 and true"), "'and' needs a bool on the left, got int"));
  CHECK(has(err("true or 'x'"), "'or' needs a bool on the right, got string"));
  CHECK(has(err("not 3"), "'not' needs a bool"));
  CHECK(has(err("days_late ? 1 : 2"), "condition before '?' must be a bool"));
}

TEST_CASE("expr: money") {
  CHECK(ev("order_value * 0.5% * days_late") == "3.00 EUR");
  CHECK(type_of("order_value * 0.5%").kind == VType::Money);
  CHECK(ev("2 * shipping_fee") == "9.98 EUR");
  CHECK(ev("order_value / 3") == "66.67 EUR");  // display rounds; the value is exact
  CHECK(run("order_value / 3").d == dec("66.666666666667"));
  CHECK(ev("order_value + shipping_fee") == "204.99 EUR");
  CHECK(ev("order_value - 10 EUR") == "190.00 EUR");
  CHECK(ev("order_value / 50 EUR") == "4");
  CHECK(type_of("order_value / 50 EUR").kind == VType::Number);
  CHECK(ev("-shipping_fee") == "-4.99 EUR");
  CHECK(truth("order_value >= 100 EUR"));
  CHECK(truth("shipping_fee == 4.99 EUR"));
  CHECK(truth("10 EUR == 10.00 EUR"));
  CHECK(truth("usd_value > 10 USD"));
  // Errors: money with bare numbers, currencies mixed anywhere.
  CHECK(has(err("order_value + 10"), "add a currency, e.g. 10 EUR"));
  CHECK(has(err("10 - order_value"), "add a currency, e.g. 10 EUR"));
  CHECK(has(err("order_value > 10"), "add a currency, e.g. 10 EUR"));
  CHECK(has(err("order_value >= 1000 USD"), "currencies are never converted"));
  CHECK(has(err("order_value + usd_value"), "mixes currencies: money in EUR and money in USD"));
  CHECK(has(err("order_value / usd_value"), "mixes currencies"));
  CHECK(has(err("10 EUR == 10 USD"), "currencies are never converted"));
  CHECK(has(err("min(order_value, 100 USD)"), "mixes currencies"));
  CHECK(has(err("max(order_value, usd_value, 1 EUR)"), "mixes currencies"));
  CHECK(has(err("clamp(order_value, 0 EUR, 5 USD)"), "mixes currencies"));
  CHECK(has(err("coalesce(order_value, usd_value)"), "mixes currencies"));
  CHECK(has(err("vip ? order_value : usd_value"), "the branches of '?' mix currencies"));
  CHECK(has(err("order_value * order_value"), "cannot use '*' on money in EUR and money in EUR"));
  CHECK(has(err("10 / order_value"), "cannot use '/'"));
  // The column of a currency clash is the operand that brings the second currency.
  auto d = errors("order_value >= 1000 USD", 5);
  REQUIRE(d.size() == 1);
  CHECK(d[0].column() == 5 + 15);
}

TEST_CASE("expr: datetimes and durations") {
  CHECK(ev("now") == "2026-11-23T10:00:00Z");
  CHECK(type_of("now").kind == VType::Datetime);
  CHECK(ev("reported_at + 2h") == "2026-11-20T11:00:00Z");
  CHECK(ev("2h + reported_at") == "2026-11-20T11:00:00Z");
  CHECK(ev("reported_at - 1d") == "2026-11-19T09:00:00Z");
  CHECK(ev("now - reported_at") == "3d1h");
  CHECK(type_of("now - reported_at").kind == VType::Duration);
  CHECK(ev("3h + 30m") == "3h30m");
  CHECK(ev("wait - 30m") == "1h30m");
  CHECK(ev("wait * 1.5") == "3h");
  CHECK(ev("2 * wait") == "4h");
  CHECK(ev("wait / 4") == "30m");
  CHECK(run("1s / 3").i == 333333);      // rounded to the microsecond
  CHECK(run("1s * 0.0000005").i == 0);   // 0.5 us: half-even -> 0
  CHECK(run("3s * 0.0000005").i == 2);   // 1.5 us: half-even -> 2
  CHECK(ev("3h / 2h") == "1.5");
  CHECK(type_of("3h / 2h").kind == VType::Number);
  CHECK(ev("-wait") == "-2h");
  CHECK(truth("now - reported_at > 3d"));
  CHECK(truth("reported_at < now"));
  CHECK(truth("wait == 120m"));
  CHECK(truth("reported_at + 3d1h == now"));
  CHECK(has(err("now + now"), "cannot use '+' on datetime and datetime"));
  CHECK(has(err("now + 1"), "write a duration with its unit"));
  CHECK(has(err("wait > 2"), "write a duration with its unit"));
  CHECK(has(err("now > '2026-01-01'"), "date('2026-11-23')"));
  CHECK(has(err("wait * wait"), "cannot use '*' on duration and duration"));
}

TEST_CASE("expr: comparisons") {
  CHECK(truth("1 == 1.0"));
  CHECK(truth("2 < 2.5"));
  CHECK(truth("3 >= 3"));
  CHECK(truth("3 <= 3"));
  CHECK(truth("3 != 4"));
  CHECK(truth("4 > 3"));
  CHECK(truth("'abc' < 'abd'"));
  CHECK(truth("'B' < 'a'"));         // byte order
  CHECK(truth("'a' < 'ä'"));
  CHECK(truth("category == 'delivery'"));
  CHECK(truth("'delivery' == category"));
  CHECK(truth("vip == true"));
  CHECK(truth("vip != false"));
  CHECK(has(err("vip < true"), "bools can only be compared with == or !="));
  CHECK(has(err("1 == 'a'"), "cannot compare int with string"));
  CHECK(has(err("tags == tags"), "lists cannot be compared"));
}

TEST_CASE("expr: enums") {
  CHECK(truth("tier == 'gold'"));
  CHECK(truth("'gold' == tier"));
  CHECK(truth("tier != 'silver'"));
  CHECK(truth("tier == tier"));
  // Ordering follows declaration order: calm < upset < aggressive.
  CHECK(truth("emotion >= 'upset'"));
  CHECK(truth("emotion > 'calm'"));
  CHECK_FALSE(truth("emotion >= 'aggressive'"));
  CHECK(truth("tier > 'silver'"));
  CHECK(ev("tier") == "gold");
  CHECK(type_of("tier").kind == VType::Enum);
  CHECK(type_of("vip ? tier : 'silver'").kind == VType::Enum);
  CHECK(ev("days_late > 5 ? tier : 'silver'") == "silver");
  CHECK(has(err("tier == 'gld'"), "'gld' is not a value of enum fact 'tier' (did you mean 'gold'?)"));
  CHECK(has(err("tier == 'platinum'"),
            "'platinum' is not a value of enum fact 'tier' (values: standard, silver, gold)"));
  CHECK(has(err("'platinum' != tier"), "is not a value of enum fact 'tier'"));
  CHECK(has(err("tier == emotion"), "cannot compare enum 'tier' with enum 'emotion'"));
  CHECK(has(err("tier == category"), "cannot compare enum 'tier' with string"));
  CHECK(has(err("vip ? tier : 'platinum'"), "is not a value of enum fact 'tier'"));
  auto d = errors("tier == 'gld'", 30);
  REQUIRE(d.size() == 1);
  CHECK(d[0].line() == 7);
  CHECK(d[0].column() == 30 + 8);
}

TEST_CASE("expr: in and not in") {
  CHECK(truth("category in ['delivery', 'billing']"));
  CHECK_FALSE(truth("category in ['billing']"));
  CHECK(truth("category not in ['billing']"));
  CHECK_FALSE(truth("category in []"));
  CHECK(truth("tier in ['gold', 'silver']"));
  CHECK_FALSE(truth("tier not in ['gold', 'silver']"));
  CHECK(truth("days_late in [1, 2, 3]"));
  CHECK(truth("ratio in [0.25, -1]"));
  CHECK_FALSE(truth("days_late in [-3, 4.5]"));
  CHECK(truth("'vip' in tags"));
  CHECK(truth("'new' not in tags"));
  CHECK_FALSE(truth("tier in tags"));
  CHECK(truth("not 'x' in tags"));
  CHECK(has(err("tier in ['gold', 'silvr']"), "'silvr' is not a value of enum fact 'tier' (did you mean 'silver'?)"));
  CHECK(has(err("tier in ['gold', 'platnum']"), "'platnum' is not a value of enum fact 'tier' (values: "));
  CHECK(has(err("category in [1, 2]"), "must hold string literals"));
  CHECK(has(err("days_late in ['a']"), "must hold number literals"));
  CHECK(has(err("days_late in tags"), "cannot look for int"));
  CHECK(has(err("'a' in category"), "use contains(text, part)"));
  CHECK(has(err("vip in ['a']"), "looks for a string, an enum value or a number, got bool"));
  CHECK(has(err("category in [category]"), "must hold string literals"));
  // Two bad enum values: both reported.
  CHECK(errors("tier in ['golden', 'platinum']").size() == 2);
}

TEST_CASE("expr: functions") {
  CHECK(ev("min(3, 1, 2)") == "1");
  CHECK(ev("max(3, 1, 2)") == "3");
  CHECK(type_of("min(1, 2)").kind == VType::Int);
  CHECK(type_of("min(1, 2.5)").kind == VType::Number);
  CHECK(ev("min(order_value, 100 EUR)") == "100.00 EUR");
  CHECK(ev("max(wait, 3h)") == "3h");
  CHECK(ev("min(now, reported_at)") == "2026-11-20T09:00:00Z");
  CHECK(ev("clamp(days_late / 7, 0, 1)") == "0.428571428571");
  CHECK(ev("clamp(5, 0, 1)") == "1");
  CHECK(ev("clamp(-5, 0, 1)") == "0");
  CHECK(ev("clamp(order_value, 0 EUR, 50 EUR)") == "50.00 EUR");
  CHECK(ev("abs(-3)") == "3");
  CHECK(ev("abs(-2.5)") == "2.5");
  CHECK(ev("abs(-shipping_fee)") == "4.99 EUR");
  CHECK(ev("abs(reported_at - now)") == "3d1h");
  CHECK(ev("round(2.5)") == "3");
  CHECK(ev("round(-2.5)") == "-3");  // half away from zero
  CHECK(ev("round(2.345, 2)") == "2.35");
  CHECK(ev("round(2.344, 2)") == "2.34");
  CHECK(type_of("round(2.5)").kind == VType::Int);
  CHECK(type_of("round(2.5, 1)").kind == VType::Number);
  CHECK(type_of("round(days_late)").kind == VType::Int);
  CHECK(ev("floor(2.7)") == "2");
  CHECK(ev("floor(-2.2)") == "-3");
  CHECK(ev("ceil(2.2)") == "3");
  CHECK(ev("ceil(2.001, 2)") == "2.01");
  CHECK(run("round(order_value / 3)").d == dec("66.67"));
  CHECK(run("round(1.005 EUR)").d == dec("1.01"));
  CHECK(run("round(1.5 JPY)").d == dec("2"));
  CHECK(run("floor(order_value / 3)").d == dec("66.66"));
  CHECK(run("ceil(10.001 EUR)").d == dec("10.01"));
  CHECK(ev("coalesce(delivered_at, reported_at)") == "2026-11-20T09:00:00Z");
  CHECK(ev("coalesce(note, 'none')") == "Hello");
  CHECK(ev("coalesce(maybe_count, 0)") == "0");
  CHECK(ev("coalesce(maybe_count, 1.5)") == "1.5");
  CHECK(ev("len(tags)") == "2");
  CHECK(ev("len('héllo')") == "5");   // code points
  CHECK(ev("len(cyr)") == "12");
  CHECK(ev("len('')") == "0");
  CHECK(truth("contains(tags, 'repeat')"));
  CHECK_FALSE(truth("contains(tags, 'x')"));
  CHECK(truth("contains(['gold'], tier)"));
  CHECK(truth("contains(category, 'liv')"));
  CHECK_FALSE(truth("contains(category, 'x')"));
  CHECK(ev("lower('HeLLo')") == "hello");
  CHECK(ev("upper('HeLLo')") == "HELLO");
  CHECK(ev("lower(cyr)") == "привет, ёжик");
  CHECK(ev("upper(cyr)") == "ПРИВЕТ, ЁЖИК");
  CHECK(ev("upper('абвгдеёжзийклмнопрстуфхцчшщъыьэюя')") == "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ");
  CHECK(ev("lower('АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ')") == "абвгдеёжзийклмнопрстуфхцчшщъыьэюя");
  CHECK(ev("upper('é straße')") == "é STRAßE");  // outside ASCII and Cyrillic: unchanged
  CHECK(truth("lower(category) == 'delivery'"));
  CHECK(ev("days_between(reported_at, now)") == "3.041666666667");
  CHECK(ev("days_between(now, reported_at)") == "-3.041666666667");
  CHECK(ev("hours_between(reported_at, now)") == "73");
  CHECK(ev("minutes_between(reported_at, reported_at + 90s)") == "1.5");
  CHECK(type_of("days_between(reported_at, now)").kind == VType::Number);
  CHECK(ev("date('2026-11-23')") == "2026-11-23T00:00:00Z");
  CHECK(ev("datetime('2026-11-23T12:30:00+02:00')") == "2026-11-23T10:30:00Z");
  CHECK(truth("now > date('2026-11-23')"));
  CHECK(truth("reported_at < datetime('2026-11-20T09:00:01Z')"));
}

TEST_CASE("expr: function errors") {
  CHECK(has(err("mn(1, 2)"), "unknown function 'mn' (did you mean 'min'?)"));
  CHECK(has(err("conatins(tags, 'a')"), "unknown function 'conatins' (did you mean 'contains'?)"));
  CHECK(has(err("frobnicate(1)"), "unknown function 'frobnicate'"));
  CHECK(has(err("tier(1)"), "'tier' is not a function"));
  CHECK(has(err("min(1)"), "min() takes at least 2 arguments"));
  CHECK(has(err("clamp(1, 2)"), "clamp() takes 3 arguments"));
  CHECK(has(err("abs()"), "abs() takes 1 argument"));
  CHECK(has(err("round(1, 2, 3)"), "round() takes 1 or 2 arguments"));
  CHECK(has(err("min('a', 'b')"), "min() takes numbers, money, durations or datetimes, got string"));
  CHECK(has(err("min(1, wait)"), "min() needs arguments of one type, got int and duration"));
  CHECK(has(err("abs('x')"), "abs() takes a number, money or a duration, got string"));
  CHECK(has(err("round(wait)"), "round() takes a number or money, got duration"));
  CHECK(has(err("round(1.5, 13)"), "digits must be a whole number from 0 to 12"));
  CHECK(has(err("round(1.5, days_late)"), "digits must be a whole number from 0 to 12"));
  CHECK(has(err("round(order_value, 2)"), "of money takes no digits"));
  CHECK(has(err("coalesce(1, 'a')"), "coalesce() needs arguments of one type, got int and string"));
  CHECK(has(err("vip ? 1 : 'a'"), "the branches of '?' have different types: int and string"));
  CHECK(has(err("len(3)"), "len() takes a list or a string, got int"));
  CHECK(has(err("contains(tags, 3)"), "contains() takes a string (or an enum value)"));
  CHECK(has(err("contains(3, 3)"), "contains() takes a list or a string first"));
  CHECK(has(err("lower(3)"), "lower() takes a string, got int"));
  CHECK(has(err("days_between(now, 3)"), "days_between() takes two datetimes, got int"));
  CHECK(has(err("date('2026-13-01')"), "'2026-13-01' is not a date"));
  CHECK(has(err("datetime('2026-11-23T10:00:00')"), "is not a date-time"));
  CHECK(has(err("date(3)"), "date() takes a string, got int"));
  CHECK(has(err("min"), "'min' is a function; call it as min(...)"));
  // Located at the bad literal.
  auto d = errors("now > date('2026-13-01')", 4);
  REQUIRE(d.size() == 1);
  CHECK(d[0].column() == 4 + 11);
}

TEST_CASE("expr: null rules") {
  CHECK(truth("delivered_at == null"));
  CHECK(truth("null == delivered_at"));
  CHECK_FALSE(truth("delivered_at != null"));
  CHECK(truth("reported_at != null"));
  CHECK(truth("null == null"));
  CHECK(truth("delivered_at == delivered_at"));  // both null
  CHECK_FALSE(truth("delivered_at == reported_at"));
  CHECK(truth("delivered_at != reported_at"));
  CHECK(truth("note != null"));
  CHECK(truth("delivered_at != null and delivered_at < now or true"));

  std::vector<Diagnostic> diags;
  auto p = build("coalesce(delivered_at, reported_at)", diags);
  REQUIRE(p);
  CHECK_FALSE(p->nullable());
  auto q = build("coalesce(note, delivered_at == null ? 'x' : null)", diags);
  REQUIRE(q);
  CHECK(q->nullable());
  auto r = build("delivered_at", diags);
  REQUIRE(r);
  CHECK(r->nullable());
  CHECK(run("delivered_at").type == VType::Null);
  CHECK(run("vip ? null : 1").type == VType::Null);
  CHECK(type_of("vip ? null : 1").kind == VType::Int);

  // Using a null anywhere else is an evaluation error naming the fact, at the fact's token.
  EvalError e = eval_error("delivered_at < now", 5);
  CHECK(e.message == "fact 'delivered_at' is null (absent) and cannot be used in '<'");
  CHECK(e.at.line == 7);
  CHECK(e.at.column == 5);
  e = eval_error("now - delivered_at > 1d", 5);
  CHECK(has(e.message, "fact 'delivered_at' is null (absent) and cannot be used in '-'"));
  CHECK(e.at.column == 5 + 6);
  CHECK(has(eval_error("maybe_count + 1").message, "fact 'maybe_count' is null (absent)"));
  CHECK(has(eval_error("min(maybe_count, 1)").message, "cannot be used in 'min()'"));
  CHECK(has(eval_error("maybe_count in [1, 2]").message, "cannot be used in 'in'"));
  CHECK(has(eval_error("-maybe_count").message, "fact 'maybe_count'"));
  CHECK(has(eval_error("days_between(delivered_at, now)").message, "'delivered_at'"));
  CHECK(has(eval_error("coalesce(maybe_count, maybe_count) + 1").message, "'maybe_count'"));
  CHECK(has(eval_error("(vip ? delivered_at : now) > now").message, "'delivered_at'"));
  CHECK(has(eval_error("(vip ? null : 1) > 0").message, "the value is null"));
  // Static misuse of the null literal is a load error.
  CHECK(has(err("null < 1"), "null can only be compared with == or !="));
  CHECK(has(err("min(null, 1)"), "null cannot be used in 'min()'"));
}

TEST_CASE("expr: evaluation errors") {
  EvalError e = eval_error("days_late / (days_late - 3)", 3);
  CHECK(e.message == "division by zero");
  CHECK(e.at.column == 3 + 10);
  CHECK(eval_error("1 / 0").message == "division by zero");  // not folded into a load error
  CHECK(eval_error("order_value / 0").message == "division by zero");
  CHECK(eval_error("wait / 0").message == "division by zero");
  CHECK(eval_error("wait / 0s").message == "division by zero");
  CHECK(eval_error("order_value / 0 EUR").message == "division by zero");
  CHECK(eval_error("huge * 10").message == "number out of range");
  CHECK(eval_error("huge + huge").message == "number out of range");
  CHECK(eval_error("-huge - huge").message == "number out of range");
  CHECK(eval_error("99999999999999999999999999 + 1").message == "number out of range");
  CHECK(has(eval_error("now + 100000w * 100").message, "out of range"));
  CHECK(has(eval_error("date('9999-12-31') + 1d").message, "datetime out of range"));
  CHECK(has(eval_error("date('0001-01-01') - 1s").message, "datetime out of range"));
  CHECK(has(eval_error("datetime(bad_date)").message, "'not a date' is not an ISO 8601 date-time"));
  CHECK(has(eval_error("date(category)").message, "is not a date"));
  CHECK(has(eval_error("clamp(1, 5, 0)").message, "lower bound 5 is above the upper bound 0"));
  CHECK(ev("datetime(lower('2026-11-23T10:00:00Z'))") == "2026-11-23T10:00:00Z");
}

TEST_CASE("expr: names and located diagnostics") {
  auto d = errors("dayslate > 1", 20);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "unknown name 'dayslate' (did you mean 'days_late'?)");
  CHECK(d[0].file() == "pb.yaml");
  CHECK(d[0].line() == 7);
  CHECK(d[0].column() == 20);
  CHECK(d[0].severity == Severity::Error);
  CHECK(d[0].source_line.empty());
  // Independent errors are all reported, each at its token.
  d = errors("days_late > 1 and tierr == 'gold' or nw > reported_at", 20);
  REQUIRE(d.size() == 2);
  CHECK(d[0].message == "unknown name 'tierr' (did you mean 'tier'?)");
  CHECK(d[0].column() == 20 + 18);
  CHECK(d[1].message == "unknown name 'nw' (did you mean 'now'?)");
  CHECK(d[1].column() == 20 + 37);
  CHECK(has(err("xyzzy"), "unknown name 'xyzzy'"));
  CHECK_FALSE(has(err("xyzzy"), "did you mean"));
  CHECK(has(err("True"), "did you mean 'true'?"));
  // Syntax errors, located.
  d = errors("(days_late > 1", 2);
  REQUIRE(d.size() == 1);
  CHECK(has(d[0].message, "expected ')'"));
  CHECK(d[0].column() == 2 + 14);
  d = errors("days_late >", 2);
  CHECK(has(d[0].message, "ends where a value is expected"));
  d = errors("days_late days_late", 2);
  CHECK(has(d[0].message, "missing an operator"));
  CHECK(d[0].column() == 2 + 10);
  d = errors("vip ? 1", 1);
  CHECK(has(d[0].message, "expected ':'"));
  d = errors("min(1 2)", 1);
  CHECK(has(d[0].message, "expected ',' or ')'"));
  d = errors("category == 'x' $", 1);
  CHECK(has(d[0].message, "unexpected character '$'"));
  CHECK(d[0].column() == 17);
  // A map over a multi-line text: positions come from the map.
  SourceMap m;
  m.file = redress::detail::intern_source_file("multi.yaml");
  std::string text = "vip and\n  tierr";
  for (std::size_t i = 0; i <= text.size(); ++i) {
    std::uint32_t line = i < 8 ? 4 : 5;
    std::uint32_t col = i < 8 ? static_cast<std::uint32_t>(6 + i) : static_cast<std::uint32_t>(i - 8 + 3);
    m.pos.push_back({line, col});
  }
  std::vector<Diagnostic> diags;
  CHECK_FALSE(compile(text, m, env().scope, diags));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].file() == "multi.yaml");
  CHECK(diags[0].line() == 5);
  CHECK(diags[0].column() == 5);
}

TEST_CASE("expr: hostile input never crashes") {
  // Deep nesting.
  std::string deep(5000, '(');
  deep += "1";
  deep += std::string(5000, ')');
  CHECK(has(err(deep), "nested too deeply"));
  CHECK(has(err(std::string(5000, '-') + "1"), "nested too deeply"));
  std::string nots;
  for (int i = 0; i < 3000; ++i) nots += "not ";
  CHECK(has(err(nots + "true"), "nested too deeply"));
  std::string chain = "1";
  for (int i = 0; i < 3000; ++i) chain += " + 1";
  CHECK(has(err(chain), "nested too deeply"));
  std::string tern = "1";
  for (int i = 0; i < 400; ++i) tern = "true ? " + tern + " : 2";
  CHECK(has(err(tern), "nested too deeply"));
  // Moderate nesting is fine.
  std::string ok(100, '(');
  ok += "1";
  ok += std::string(100, ')');
  CHECK(ev(ok) == "1");
  // Very long input.
  std::string long_text(70000, ' ');
  long_text += "1";
  CHECK(has(err(long_text), "expression too long"));
  std::string many = "1";
  for (int i = 0; i < 5000; ++i) many += ", 1";
  CHECK(ev("max(" + many + ")") == "1");
  // Bad bytes.
  CHECK(has(err("vip and \xff"), "invalid UTF-8"));
  CHECK(errors("vip and \xff", 3)[0].column() == 3 + 8);
  CHECK(has(err("'\xc3'"), "invalid UTF-8"));
  CHECK(has(err("\xed\xa0\x80"), "invalid UTF-8"));  // a surrogate
  CHECK(has(err(std::string("vip\0and", 7)), "unexpected character U+0000"));
  CHECK(has(err("vip \x01"), "U+0001"));
  CHECK(has(err("é"), "unexpected character 'é'"));
  CHECK(has(err("'abc\\"), "unterminated string"));
  CHECK(has(err("#"), "unexpected character '#'"));
  CHECK(has(err(")"), "expected a value"));
  CHECK(has(err("min("), "ends where a value"));
  CHECK(has(err("["), "ends where a value"));
  CHECK(has(err("['a',"), "ends where a value"));
  CHECK(has(err("1 ? : 2"), "expected a value"));
  // Messages stay on one line.
  for (const auto& d : errors("tier == 'a\nb'")) CHECK(d.message.find('\n') == std::string::npos);
  for (const auto& d : errors("'abc\ndef' 'x'")) CHECK(d.message.find('\n') == std::string::npos);

  // Random token soup: compile must not crash or throw; what compiles must evaluate safely.
  const char* pieces[] = {"1", "2.5", "0.5%", "10 EUR", "3h", "'a'", "\"b\"", "true", "null",
                          "now", "tier", "days_late", "delivered_at", "tags", "order_value",
                          "wait", "note", "maybe_count", "huge", "(", ")", "[", "]", ",", "?",
                          ":", "+", "-", "*", "/", "==", "!=", "<", ">=", "and", "or", "not",
                          "in", "min(", "coalesce(", "round(", "len(", "date(", "lower(",
                          "'gold'", "'x'", "\xff", "%", "=", "@", "'", "1d12h", "-9"};
  std::mt19937 rng(12345);
  std::vector<Diagnostic> diags;
  int compiled = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    int n = static_cast<int>(rng() % 12) + 1;
    for (int k = 0; k < n; ++k) {
      text += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
      text += ' ';
    }
    diags.clear();
    auto p = compile(text, map_for(text), env().scope, diags);
    if (p) {
      ++compiled;
      CHECK(diags.empty());
      Scratch scratch;
      Val out;
      EvalError e;
      evaluate(*p, env().slots.data(), env().now, scratch, out, e);
    } else {
      CHECK_FALSE(diags.empty());
      for (const auto& d : diags) {
        CHECK(d.line() == 7);
        CHECK(d.column() >= 1);
        CHECK(d.column() <= text.size() + 1);
      }
    }
  }
  CHECK(compiled > 0);
}

TEST_CASE("expr: display") {
  CHECK(display(Val::integer(Decimal::from_int(42))) == "42");
  CHECK(display(Val::number(dec("3.50"))) == "3.5");
  CHECK(display(Val::money(dec("12.5"), cur("EUR"))) == "12.50 EUR");
  CHECK(display(Val::string("text")) == "text");
  CHECK(display(Val::enumeration(1, "silver")) == "silver");
  CHECK(display(Val::boolean(true)) == "true");
  CHECK(display(Val::boolean(false)) == "false");
  CHECK(display(Val::null()) == "null");
  CHECK(display(Val::datetime(Timestamp::parse("2026-11-23T10:00:00Z")->micros)) ==
        "2026-11-23T10:00:00Z");
  CHECK(display(Val::duration(Duration::parse("3h30m")->micros)) == "3h30m");
  std::vector<std::string> l{"a", "b"};
  CHECK(display(Val::list_of(&l)) == "[a, b]");
  CHECK(display(Val::list_of(nullptr)) == "[]");
  CHECK(std::string(to_string(VType::Money)) == "money");
  CHECK(std::string(to_string(VType::Datetime)) == "datetime");
  CHECK(std::string(to_string(VType::Int)) == "int");
}

TEST_CASE("expr: programs move, default-construct and evaluate concurrently") {
  Program empty;
  CHECK(empty.is_constant());
  Scratch scratch;
  Val out;
  EvalError e;
  CHECK(evaluate(empty, nullptr, env().now, scratch, out, e));
  CHECK(out.type == VType::Null);

  std::vector<Diagnostic> diags;
  auto p = build("tier == 'gold' and days_late >= 3 ? order_value * 0.5% * days_late : 0 EUR", diags);
  REQUIRE(p);
  Program moved = std::move(*p);
  Program assigned;
  assigned = std::move(moved);
  CHECK(assigned.type().kind == VType::Money);
  CHECK(evaluate(assigned, env().slots.data(), env().now, scratch, out, e));
  CHECK(display(out) == "3.00 EUR");

  auto q = build("upper(category) == 'DELIVERY' and days_between(reported_at, now) > 3", diags);
  REQUIRE(q);
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Scratch s;
      for (int i = 0; i < 500; ++i) {
        Val v;
        EvalError err2;
        s.clear();
        if (evaluate(*q, env().slots.data(), env().now, s, v, err2) && v.type == VType::Bool && v.b)
          ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(good == 2000);
}

TEST_CASE("expr: the spec's example playbook expressions") {
  CHECK(truth("category == 'delivery' and days_late > 0"));
  CHECK(ev("clamp(days_late / 7, 0, 1)") == "0.428571428571");
  CHECK(truth("tier == 'gold' or order_value >= 1000 EUR"));
  CHECK_FALSE(truth("delivered_at != null and days_late == 0"));
  CHECK(truth("days_late >= 1"));
  CHECK(ev("shipping_fee") == "4.99 EUR");
  CHECK(ev("order_value * 0.5% * days_late") == "3.00 EUR");
  CHECK(ev("min(order_value, 100 EUR)") == "100.00 EUR");
  CHECK(truth("emotion == 'upset'"));
  CHECK_FALSE(truth("emotion == 'aggressive'"));
}

TEST_CASE("GuardView: the analysis' read-only view of a compiled condition") {
  std::vector<Diagnostic> diags;
  auto p = build("not vip or days_late >= 2 + 1 and tier not in ['silver', 'gold']", diags);
  REQUIRE(p);
  GuardView root(*p);
  REQUIRE(root.kind() == GuardView::Kind::Or);
  GuardView left = root.operand(0), right = root.operand(1);
  CHECK(left.kind() == GuardView::Kind::Not);
  CHECK(left.operand(0).kind() == GuardView::Kind::Name);
  CHECK(left.operand(0).slot() == env().scope.find("vip")->slot);
  REQUIRE(right.kind() == GuardView::Kind::And);
  GuardView cmp = right.operand(0);
  REQUIRE(cmp.kind() == GuardView::Kind::Compare);
  CHECK(cmp.compare() == Compare::Ge);
  CHECK(cmp.compared() == GuardView::Part::Decimal);
  CHECK(cmp.operand(1).kind() == GuardView::Kind::Constant);  // 2 + 1, folded
  CHECK(display(cmp.operand(1).value()) == "3");
  GuardView in = right.operand(1);
  REQUIRE(in.kind() == GuardView::Kind::InEnums);
  CHECK(in.negated());
  CHECK(in.enum_indices() == std::vector<std::int64_t>{1, 2});
  // Past the shape: no children, no value.
  CHECK(in.operand(1).kind() == GuardView::Kind::Other);
  CHECK(cmp.operand(1).operand(0).kind() == GuardView::Kind::Other);
  auto arith = build("days_late * 2", diags);
  REQUIRE(arith);
  CHECK(GuardView(*arith).kind() == GuardView::Kind::Other);
}

TEST_CASE("GuardView: a part of a condition as text and evaluated on its own (for redress explain)") {
  std::vector<Diagnostic> diags;
  auto p = build("(days_late >= 2 + 1 or vip) and tier not in ['silver'] and order_value * 0.5% > min(10 EUR, shipping_fee)", diags);
  REQUIRE(p);
  GuardView root(*p);
  // Written back from the compiled form: constants folded, brackets where the grammar needs them.
  CHECK(root.text(env().scope) ==
        "(days_late >= 3 or vip) and tier not in ['silver'] and order_value * 0.005 > min(10.00 EUR, shipping_fee)");
  GuardView first = root.operand(0).operand(0);
  CHECK(first.text(env().scope) == "days_late >= 3 or vip");
  Scratch scratch;
  Val out;
  EvalError err;
  REQUIRE(first.evaluate(env().slots.data(), env().now, scratch, out, err));
  CHECK(out.b);
  GuardView in = root.operand(0).operand(1);
  REQUIRE(in.evaluate(env().slots.data(), env().now, scratch, out, err));
  CHECK(out.b);  // tier is gold
  GuardView money = root.operand(1);
  REQUIRE(money.evaluate(env().slots.data(), env().now, scratch, out, err));
  CHECK_FALSE(out.b);  // 1.00 EUR > 4.99 EUR
  CHECK(money.slots_read() == std::vector<std::uint32_t>{env().scope.find("order_value")->slot,
                                                         env().scope.find("shipping_fee")->slot});
  // An error in a part is reported, never a silent false.
  auto nul = build("maybe_count > 2", diags);
  REQUIRE(nul);
  CHECK_FALSE(GuardView(*nul).evaluate(env().slots.data(), env().now, scratch, out, err));
  CHECK(err.message.find("maybe_count") != std::string::npos);
}
