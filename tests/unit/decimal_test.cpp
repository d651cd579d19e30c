#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>

#include "redress/decimal.hpp"

using redress::Decimal;
using redress::Rounding;

namespace {

Decimal D(const char* text) {
  const std::optional<Decimal> d = Decimal::parse(text);
  REQUIRE_MESSAGE(d.has_value(), "does not parse: " << text);
  return *d;
}

std::string P(const char* text) {  // parse, then canonical text; "<none>" when rejected
  const std::optional<Decimal> d = Decimal::parse(text);
  return d ? d->to_string() : std::string("<none>");
}

std::string add(const char* a, const char* b) {
  Decimal r;
  return Decimal::add(D(a), D(b), r) ? r.to_string() : "<overflow>";
}
std::string sub(const char* a, const char* b) {
  Decimal r;
  return Decimal::sub(D(a), D(b), r) ? r.to_string() : "<overflow>";
}
std::string mul(const char* a, const char* b) {
  Decimal r;
  return Decimal::mul(D(a), D(b), r) ? r.to_string() : "<overflow>";
}
std::string div(const char* a, const char* b) {
  Decimal r;
  return Decimal::div(D(a), D(b), r) ? r.to_string() : "<fail>";
}
std::string rnd(const char* a, int digits, Rounding mode) {
  Decimal r;
  return Decimal::round(D(a), digits, mode, r) ? r.to_string() : "<fail>";
}

const char* kMax = "99999999999999999999999999.999999999999";  // 10^26 - 10^-12

}  // namespace

TEST_CASE("decimal: the spec's exactness truths") {
  CHECK(add("0.1", "0.2") == "0.3");
  Decimal sum;
  REQUIRE(Decimal::add(D("0.1"), D("0.2"), sum));
  CHECK(sum == D("0.3"));
  CHECK(mul("19.99", "3") == "59.97");
  CHECK(div("1", "3") == "0.333333333333");
  CHECK(div("2", "3") == "0.666666666667");
  CHECK(div("-2", "3") == "-0.666666666667");
  CHECK(div("10", "4") == "2.5");
  // 0.5% * 3 days of 200.00 EUR from the spec's example: 3.00
  CHECK(mul(mul("200.00", "0.005").c_str(), "3") == "3");
}

TEST_CASE("decimal: multiplication rounds half-even at the 12th digit") {
  // The exact product 0.0000000000005 has 13 fractional digits: a tie, rounded to even (0).
  CHECK(mul("0.000000000001", "0.5") == "0");
  CHECK(mul("-0.000000000001", "0.5") == "0");
  CHECK(mul("0.000000000003", "0.5") == "0.000000000002");   // 1.5e-12 -> 2e-12
  CHECK(mul("0.000000000005", "0.5") == "0.000000000002");   // 2.5e-12 -> 2e-12
  CHECK(mul("-0.000000000005", "0.5") == "-0.000000000002");
  CHECK(mul("0.000000000007", "0.5") == "0.000000000004");   // 3.5e-12 -> 4e-12
  CHECK(mul("0.000000000001", "0.51") == "0.000000000001");  // above the tie: up
  CHECK(mul("0.000000000001", "0.49") == "0");               // below the tie: down
  CHECK(mul("1.000000000001", "1.000000000001") == "1.000000000002");  // ...002000000000001
  CHECK(mul("-1.5", "-2") == "3");
  CHECK(mul("-1.5", "2") == "-3");
  CHECK(mul("0", "-7") == "0");
}

TEST_CASE("decimal: division is exact before rounding") {
  CHECK(div("1", "8") == "0.125");
  CHECK(div("1", "7") == "0.142857142857");
  CHECK(div("5", "7") == "0.714285714286");
  CHECK(div("-5", "7") == "-0.714285714286");
  CHECK(div("0.000000000001", "2") == "0");                 // 0.5e-12: tie to even 0
  CHECK(div("0.000000000003", "2") == "0.000000000002");    // 1.5e-12 -> 2e-12
  CHECK(div("1", "0.000000000001") == "1000000000000");
  CHECK(div(kMax, "1") == kMax);
  CHECK(div(kMax, kMax) == "1");
  CHECK(div("1", kMax) == "0");  // 1e-26: far below the last digit
  // Divisors wider than 64 bits in raw units take the long-division path.
  CHECK(div("99999999999999999999999999", "33333333333333333333333333") == "3");
  CHECK(div("10000000000000000000", "30000000000000000000") == "0.333333333333");
  CHECK(div("20000000000000000000", "30000000000000000000") == "0.666666666667");
}

TEST_CASE("decimal: division by zero fails") {
  Decimal r;
  CHECK_FALSE(Decimal::div(D("1"), D("0"), r));
  CHECK_FALSE(Decimal::div(D("0"), D("0"), r));
  CHECK_FALSE(Decimal::div(D("-3.5"), Decimal(), r));
}

TEST_CASE("decimal: overflow at the range edges") {
  CHECK(Decimal::max_value().to_string() == kMax);
  CHECK(Decimal::min_value().to_string() == std::string("-") + kMax);
  CHECK(add("99999999999999999999999999", "1") == "<overflow>");  // (10^26-1)+1
  CHECK(add("99999999999999999999999998", "1") == "99999999999999999999999999");
  CHECK(add(kMax, "0.000000000001") == "<overflow>");
  CHECK(add(kMax, "-0.000000000001") == "99999999999999999999999999.999999999998");
  CHECK(sub("-99999999999999999999999999", "1") == "<overflow>");
  CHECK(sub(kMax, kMax) == "0");

  Decimal r;
  CHECK_FALSE(Decimal::add(Decimal::max_value(), Decimal::max_value(), r));
  CHECK_FALSE(Decimal::sub(Decimal::min_value(), Decimal::max_value(), r));
  CHECK_FALSE(Decimal::mul(Decimal::max_value(), Decimal::from_int(2), r));  // max * 2
  CHECK_FALSE(Decimal::mul(Decimal::max_value(), Decimal::max_value(), r));
  CHECK_FALSE(Decimal::mul(Decimal::min_value(), Decimal::max_value(), r));
  CHECK_FALSE(Decimal::div(Decimal::max_value(), D("0.5"), r));
  CHECK(mul("10000000000000", "9999999999999.999999999999") == "99999999999999999999999990");
  CHECK(mul("10000000000000", "10000000000000") == "<overflow>");  // exactly 10^26
  CHECK(div("50000000000000000000000000", "0.5") == "<fail>");     // 10^26
  // A product that rounds up into 10^26 overflows too.
  // 9999999999999.999999999 * 10000000000000.000000001 = 10^26 - 10^-18 exactly.
  CHECK(mul("9999999999999.999999999", "10000000000000.000000001") == "<overflow>");
  CHECK(mul("9999999999999.999999999", "10000000000000") == "99999999999999999999990000");
  CHECK(mul("0.00000001", kMax) == "1000000000000000000");  // 10^18 - 10^-20, rounded

  REQUIRE(Decimal::neg(Decimal::max_value(), r));
  CHECK(r == Decimal::min_value());
  REQUIRE(Decimal::neg(Decimal::min_value(), r));
  CHECK(r == Decimal::max_value());
}

TEST_CASE("decimal: rounding modes, positive and negative") {
  // HalfEven
  CHECK(rnd("2.5", 0, Rounding::HalfEven) == "2");
  CHECK(rnd("3.5", 0, Rounding::HalfEven) == "4");
  CHECK(rnd("-2.5", 0, Rounding::HalfEven) == "-2");
  CHECK(rnd("-3.5", 0, Rounding::HalfEven) == "-4");
  CHECK(rnd("2.51", 0, Rounding::HalfEven) == "3");
  CHECK(rnd("0.125", 2, Rounding::HalfEven) == "0.12");
  CHECK(rnd("0.135", 2, Rounding::HalfEven) == "0.14");
  // HalfAwayFromZero
  CHECK(rnd("2.5", 0, Rounding::HalfAwayFromZero) == "3");
  CHECK(rnd("-2.5", 0, Rounding::HalfAwayFromZero) == "-3");
  CHECK(rnd("2.49", 0, Rounding::HalfAwayFromZero) == "2");
  CHECK(rnd("-2.49", 0, Rounding::HalfAwayFromZero) == "-2");
  CHECK(rnd("1.005", 2, Rounding::HalfAwayFromZero) == "1.01");  // no binary-float surprise
  CHECK(rnd("-0.004", 2, Rounding::HalfAwayFromZero) == "0");
  // Floor
  CHECK(rnd("2.7", 0, Rounding::Floor) == "2");
  CHECK(rnd("-2.1", 0, Rounding::Floor) == "-3");
  CHECK(rnd("-2", 0, Rounding::Floor) == "-2");
  CHECK(rnd("-0.001", 2, Rounding::Floor) == "-0.01");
  // Ceil
  CHECK(rnd("2.1", 0, Rounding::Ceil) == "3");
  CHECK(rnd("-2.7", 0, Rounding::Ceil) == "-2");
  CHECK(rnd("-0.7", 0, Rounding::Ceil) == "0");
  CHECK(rnd("0.001", 2, Rounding::Ceil) == "0.01");
  // TowardZero
  CHECK(rnd("2.9", 0, Rounding::TowardZero) == "2");
  CHECK(rnd("-2.9", 0, Rounding::TowardZero) == "-2");
  CHECK(rnd("123.456789", 3, Rounding::TowardZero) == "123.456");
  // Digits 12 is the identity; out-of-range digit counts fail.
  CHECK(rnd("0.123456789012", 12, Rounding::Ceil) == "0.123456789012");
  CHECK(rnd("1.5", 13, Rounding::HalfEven) == "<fail>");
  CHECK(rnd("1.5", -1, Rounding::HalfEven) == "<fail>");
  // Rounding max up leaves the range.
  CHECK(rnd(kMax, 0, Rounding::HalfAwayFromZero) == "<fail>");
  CHECK(rnd(kMax, 0, Rounding::Ceil) == "<fail>");
  CHECK(rnd(kMax, 0, Rounding::Floor) == "99999999999999999999999999");
  CHECK(rnd((std::string("-") + kMax).c_str(), 0, Rounding::Floor) == "<fail>");
}

TEST_CASE("decimal: parse accepts the documented forms") {
  CHECK(P("42") == "42");
  CHECK(P("-3.25") == "-3.25");
  CHECK(P("+1") == "1");
  CHECK(P("1e3") == "1000");
  CHECK(P("1.5E-2") == "0.015");
  CHECK(P(".5") == "0.5");
  CHECK(P("-.5") == "-0.5");
  CHECK(P("5.") == "5");
  CHECK(P("007.100") == "7.1");
  CHECK(P("-0") == "0");
  CHECK(P("-0.000") == "0");
  CHECK(P("1e+2") == "100");
  CHECK(P("123456e-6") == "0.123456");
  CHECK(P("1e-12") == "0.000000000001");
  CHECK(P("0.1234567890120000") == "0.123456789012");  // extra trailing zeros are fine
  CHECK(P("1.50000000000000000000000000e1") == "15");
  CHECK(P(kMax) == kMax);
  CHECK(P("99999999999999999999999999") == "99999999999999999999999999");
  CHECK(P("0e999999999") == "0");
  CHECK(P("0.0000000000000000000000000000000000000000000000001e49") == "1");
}

TEST_CASE("decimal: parse rejects malformed and out-of-range text") {
  for (const char* bad : {"", ".", "+", "-", "+.", "e5", ".e1", "1e", "1e+", "1.2.3", " 1", "1 ",
                          "1 000", "1,5", "0x10", "1f", "--1", "+-1", "abc", "1e1.5", "∞", "NaN"}) {
    CHECK_MESSAGE(!Decimal::parse(bad).has_value(), "accepted: '" << bad << "'");
  }
  // More than 12 fractional digits (after the exponent) that are not zeros.
  CHECK_FALSE(Decimal::parse("0.0000000000001").has_value());
  CHECK_FALSE(Decimal::parse("1e-13").has_value());
  CHECK_FALSE(Decimal::parse("0.1234567890123").has_value());
  CHECK_FALSE(Decimal::parse("123.4567890123456e-2").has_value());
  CHECK(P("123.4567890123456e2") == "12345.67890123456");
  // Out of range.
  CHECK_FALSE(Decimal::parse("100000000000000000000000000").has_value());  // 10^26
  CHECK_FALSE(Decimal::parse("-100000000000000000000000000").has_value());
  CHECK_FALSE(Decimal::parse("1e26").has_value());
  CHECK(Decimal::parse("1e25").has_value());
  CHECK_FALSE(Decimal::parse("99999999999999999999999999.9999999999999").has_value());
  CHECK_FALSE(Decimal::parse("12345678901234567890123456789012345678901234567890").has_value());
}

TEST_CASE("decimal: absurd exponents are rejected quickly") {
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(Decimal::parse("1e999999999").has_value());
  CHECK_FALSE(Decimal::parse("1e-999999999").has_value());
  CHECK_FALSE(Decimal::parse("1e99999999999999999999999999999999999999999").has_value());
  CHECK_FALSE(Decimal::parse("1e-99999999999999999999999999999999999999999").has_value());
  CHECK(Decimal::parse("0e-99999999999999999999999999999999999999999").has_value());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::milliseconds(100));
}

TEST_CASE("decimal: canonical and fixed text") {
  CHECK(Decimal().to_string() == "0");
  CHECK(D("-0.5").to_string() == "-0.5");
  CHECK(D("1.2300").to_string() == "1.23");
  CHECK(D("100").to_string() == "100");
  CHECK(D("0.000000000001").to_string() == "0.000000000001");

  CHECK(D("17.99").to_string_fixed(2) == "17.99");
  CHECK(D("5").to_string_fixed(0) == "5");
  CHECK(D("5").to_string_fixed(2) == "5.00");
  CHECK(D("3").to_string_fixed(3) == "3.000");
  CHECK(D("2.345").to_string_fixed(2) == "2.35");    // half away from zero
  CHECK(D("-2.345").to_string_fixed(2) == "-2.35");
  CHECK(D("2.344999").to_string_fixed(2) == "2.34");
  CHECK(D("0.5").to_string_fixed(0) == "1");
  CHECK(D("-0.5").to_string_fixed(0) == "-1");
  CHECK(D("-0.004").to_string_fixed(2) == "0.00");   // no "-0.00"
  CHECK(D("9.999").to_string_fixed(2) == "10.00");
  CHECK(D("0.05").to_string_fixed(1) == "0.1");
  CHECK(D("1.5").to_string_fixed(12) == "1.500000000000");
  // The largest value still prints, even when rounding carries past the range.
  CHECK(Decimal::max_value().to_string_fixed(0) == "100000000000000000000000000");
}

TEST_CASE("decimal: integers") {
  CHECK(Decimal::from_int(42).to_string() == "42");
  CHECK(Decimal::from_int(-7) == D("-7"));
  CHECK(Decimal::from_int(INT64_MAX).to_string() == "9223372036854775807");
  CHECK(Decimal::from_int(INT64_MIN).to_string() == "-9223372036854775808");
  CHECK(Decimal::from_int(INT64_MIN).to_int64() == INT64_MIN);
  CHECK(D("42").is_integer());
  CHECK(D("-42.000").is_integer());
  CHECK_FALSE(D("42.5").is_integer());
  CHECK(D("-3").to_int64() == -3);
  CHECK_FALSE(D("3.5").to_int64().has_value());
  CHECK_FALSE(D("9223372036854775808").to_int64().has_value());
  CHECK(D("9223372036854775807").to_int64() == INT64_MAX);
  CHECK(D("2.5").sign() == 1);
  CHECK(D("-2.5").sign() == -1);
  CHECK(D("0").sign() == 0);
  CHECK(D("0").is_zero());
  CHECK(D("-1") < D("0.5"));
  CHECK(D("1.10") == D("1.1"));
  CHECK(D("1e3") == Decimal::from_int(1000));
  CHECK(Decimal::from_raw(Decimal::kOne) == Decimal::from_int(1));
}
