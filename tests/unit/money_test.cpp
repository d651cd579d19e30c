#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>

#include "redress/money.hpp"

using redress::Currency;
using redress::Decimal;
using redress::Money;

namespace {

int minor(std::string_view code) {
  const std::optional<Currency> c = Currency::find(code);
  REQUIRE_MESSAGE(c.has_value(), "unknown currency " << std::string(code));
  return c->minor_digits();
}

std::string roundtrip(const char* text) {
  const std::optional<Money> m = Money::parse(text);
  return m ? m->to_string() : std::string("<none>");
}

Money money(const char* amount, const char* code) {
  return Money{*Decimal::parse(amount), *Currency::find(code)};
}

}  // namespace

TEST_CASE("currency: ISO 4217 minor units") {
  CHECK(minor("EUR") == 2);
  CHECK(minor("USD") == 2);
  CHECK(minor("GBP") == 2);
  CHECK(minor("CHF") == 2);
  CHECK(minor("RUB") == 2);
  CHECK(minor("JPY") == 0);
  CHECK(minor("ISK") == 0);
  CHECK(minor("KRW") == 0);
  CHECK(minor("VND") == 0);
  CHECK(minor("CLP") == 0);
  CHECK(minor("XOF") == 0);
  CHECK(minor("KWD") == 3);
  CHECK(minor("BHD") == 3);
  CHECK(minor("TND") == 3);
  CHECK(minor("OMR") == 3);
  CHECK(minor("JOD") == 3);
  CHECK(minor("CLF") == 4);
  CHECK(minor("UYW") == 4);
  CHECK(minor("SLE") == 2);
  CHECK(minor("XCG") == 2);
  CHECK(minor("ZWG") == 2);
}

TEST_CASE("currency: lookup is exact and the table is consistent") {
  CHECK_FALSE(Currency::find("eur").has_value());
  CHECK_FALSE(Currency::find("EU").has_value());
  CHECK_FALSE(Currency::find("EURO").has_value());
  CHECK_FALSE(Currency::find("").has_value());
  CHECK_FALSE(Currency::find("ABC").has_value());
  CHECK_FALSE(Currency::find("XAU").has_value());  // gold: no minor unit, not money here
  CHECK_FALSE(Currency::find("HRK").has_value());  // withdrawn in 2023
  CHECK_FALSE(Currency::find("E R").has_value());

  const Currency eur = *Currency::find("EUR");
  CHECK(eur.code() == "EUR");
  CHECK(eur == Currency::from_index(eur.index()));
  CHECK(eur != *Currency::find("USD"));

  REQUIRE(Currency::table_size() > 150);
  for (std::size_t i = 0; i < Currency::table_size(); ++i) {
    const Currency c = Currency::at(i);
    CHECK(c.index() == i);
    CHECK(c.code().size() == 3);
    CHECK(Currency::find(c.code()) == c);
    CHECK(c.minor_digits() >= 0);
    CHECK(c.minor_digits() <= 4);
    if (i > 1) CHECK(Currency::at(i - 1).code() < c.code());  // XXX first, then sorted
  }
}

TEST_CASE("currency: a default Currency is XXX, 'no currency', never a real one") {
  CHECK(Currency().code() == "XXX");
  CHECK(Currency() == Currency::none());
  CHECK(Currency().is_none());
  CHECK(Currency().minor_digits() == 0);
  CHECK(Currency::find("XXX") == Currency());
  CHECK_FALSE(Currency::find("AED")->is_none());
  CHECK(Money{}.to_string() == "0 XXX");
  // The neighbours of XXX's old sorted place are still found.
  CHECK(Currency::find("XPF")->code() == "XPF");
  CHECK(Currency::find("YER")->code() == "YER");
  CHECK(Currency::find("AED")->code() == "AED");
  CHECK(Currency::find("ZWL")->code() == "ZWL");
}

TEST_CASE("money: text with the currency's minor digits") {
  CHECK(money("17.99", "EUR").to_string() == "17.99 EUR");
  CHECK(money("17.9", "EUR").to_string() == "17.90 EUR");
  CHECK(money("5", "EUR").to_string() == "5.00 EUR");
  CHECK(money("0", "EUR").to_string() == "0.00 EUR");
  CHECK(money("-3", "JPY").to_string() == "-3 JPY");
  CHECK(money("1.5", "KWD").to_string() == "1.500 KWD");
  CHECK(money("1.5", "CLF").to_string() == "1.5000 CLF");
  // Half away from zero at the minor unit.
  CHECK(money("2.345", "EUR").to_string() == "2.35 EUR");
  CHECK(money("-2.345", "EUR").to_string() == "-2.35 EUR");
  CHECK(money("2.3449", "EUR").to_string() == "2.34 EUR");
  CHECK(money("0.5", "JPY").to_string() == "1 JPY");
  CHECK(money("-0.5", "JPY").to_string() == "-1 JPY");
  CHECK(money("-0.001", "EUR").to_string() == "0.00 EUR");
  CHECK(money("1234567.891", "USD").to_string() == "1234567.89 USD");
}

TEST_CASE("money: parse") {
  const std::optional<Money> m = Money::parse("12.50 EUR");
  REQUIRE(m.has_value());
  CHECK(m->amount == *Decimal::parse("12.5"));
  CHECK(m->currency == *Currency::find("EUR"));
  CHECK(Money::parse("12.5 EUR") == m);
  CHECK(roundtrip("12.5 EUR") == "12.50 EUR");
  CHECK(roundtrip("-3 JPY") == "-3 JPY");
  CHECK(roundtrip("0.1234 EUR") == "0.12 EUR");  // more digits than the minor unit are kept...
  CHECK(Money::parse("0.1234 EUR")->amount == *Decimal::parse("0.1234"));  // ...exactly
  CHECK(roundtrip("1.5 KWD") == "1.500 KWD");
  CHECK(roundtrip("+4.99 EUR") == "4.99 EUR");

  for (const char* bad : {"", "EUR", "12.50", "12.50EUR", "12.50  EUR", " 12.50 EUR", "12.50 EUR ",
                          "EUR 12.50", "12.50 eur", "12.50 EURO", "12.50 XYZ", "12,50 EUR",
                          "1.2.3 EUR", "12.50 EUR EUR", "12.50\tEUR", "- 3 JPY",
                          "100000000000000000000000000 EUR"}) {
    CHECK_MESSAGE(!Money::parse(bad).has_value(), "accepted: '" << bad << "'");
  }
}

TEST_CASE("money: equality needs the same amount and currency") {
  CHECK(money("10", "EUR") == money("10.00", "EUR"));
  CHECK(money("10", "EUR") != money("10", "USD"));
  CHECK(money("10", "EUR") != money("10.01", "EUR"));
}
