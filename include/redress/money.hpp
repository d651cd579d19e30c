// Money: an exact decimal amount with its ISO 4217 currency (spec §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "redress/decimal.hpp"

namespace redress {

// A currency from the built-in ISO 4217 table. Cheap to copy; compares by identity.
// Default-constructed it is XXX, ISO 4217's "no currency" (0 minor digits): a Money nobody gave
// a currency is written "0 XXX", never passed off as a real currency.
class Currency {
 public:
  constexpr Currency() = default;  // XXX
  static constexpr Currency none() { return Currency(); }
  bool is_none() const { return index_ == 0; }
  // "EUR" -> EUR; an unknown or malformed code gives nullopt. Case-sensitive (ISO codes are
  // upper case).
  static std::optional<Currency> find(std::string_view code);
  // Every code in the table, for "did you mean" hints.
  static std::size_t table_size();
  static Currency at(std::size_t index);

  std::string_view code() const;
  // Digits after the decimal point of the minor unit: EUR 2, JPY 0, KWD 3.
  int minor_digits() const;
  std::uint16_t index() const { return index_; }
  static Currency from_index(std::uint16_t i) { Currency c; c.index_ = i; return c; }

  friend bool operator==(Currency a, Currency b) { return a.index_ == b.index_; }
  friend bool operator!=(Currency a, Currency b) { return a.index_ != b.index_; }

 private:
  std::uint16_t index_ = 0;  // index 0 of the table is XXX
};

struct Money {
  Decimal amount;
  Currency currency;

  // "17.99 EUR": the amount with exactly the currency's minor digits (rounded half away from
  // zero), a space, the code (spec §5).
  std::string to_string() const;
  // "12.50 EUR", "12.5 EUR", "-3 JPY". The amount may have more digits than the minor unit.
  static std::optional<Money> parse(std::string_view text);

  friend bool operator==(const Money& a, const Money& b) {
    return a.amount == b.amount && a.currency == b.currency;
  }
  friend bool operator!=(const Money& a, const Money& b) { return !(a == b); }
};

}  // namespace redress
