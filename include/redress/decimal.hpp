// Exact decimal numbers: fixed point, 12 fractional digits, never binary floating point.
//
// Range: |x| < 10^26 (26 integer digits, 12 fractional digits, held in 128 bits).
// Arithmetic is checked: an operation whose exact or rounded result leaves the range reports
// failure instead of returning a wrong value. `+ -` are exact; `* /` round half-even at the
// 12th fractional digit when the exact result has more (spec §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redress {

__extension__ typedef __int128 int128_t;
__extension__ typedef unsigned __int128 uint128_t;

enum class Rounding : std::uint8_t {
  HalfEven,          // banker's rounding: arithmetic (spec §3)
  HalfAwayFromZero,  // money items and round() (spec §3)
  Floor,             // toward -infinity
  Ceil,              // toward +infinity
  TowardZero,
};

class Decimal {
 public:
  static constexpr int kFractionDigits = 12;
  // 10^12: one in raw units.
  static constexpr std::int64_t kOne = 1000000000000LL;

  constexpr Decimal() = default;

  static Decimal from_int(std::int64_t v);
  // Raw units of 10^-12. The caller keeps |units| < 10^38.
  static constexpr Decimal from_raw(int128_t units) { Decimal d; d.units_ = units; return d; }
  // "42", "-3.25", "+1", "1e3", "1.5E-2", ".5" are accepted; more than 12 fractional
  // digits after applying the exponent, or a value out of range, gives nullopt.
  static std::optional<Decimal> parse(std::string_view text);

  static Decimal max_value();  // 10^26 - 10^-12
  static Decimal min_value();  // -(10^26 - 10^-12)

  constexpr int128_t raw() const { return units_; }
  bool is_integer() const;
  int sign() const { return units_ < 0 ? -1 : (units_ > 0 ? 1 : 0); }
  bool is_zero() const { return units_ == 0; }
  // The integer value, if this is an integer that fits int64.
  std::optional<std::int64_t> to_int64() const;

  // Canonical text: no exponent, no trailing fractional zeros, "0" for zero: "-1.5", "3".
  std::string to_string() const;
  // Exactly `digits` fractional digits (0..12), rounded half away from zero: "17.99", "5".
  std::string to_string_fixed(int digits) const;

  // Checked arithmetic. Each returns false (and leaves `out` unspecified) on overflow or,
  // for division, on a zero divisor.
  static bool add(Decimal a, Decimal b, Decimal& out);
  static bool sub(Decimal a, Decimal b, Decimal& out);
  static bool mul(Decimal a, Decimal b, Decimal& out);  // rounded half-even at 12 digits
  static bool div(Decimal a, Decimal b, Decimal& out);  // rounded half-even at 12 digits
  static bool neg(Decimal a, Decimal& out);
  // Round to `digits` fractional digits (0..12) in the given mode.
  static bool round(Decimal a, int digits, Rounding mode, Decimal& out);

  friend bool operator==(Decimal a, Decimal b) { return a.units_ == b.units_; }
  friend bool operator!=(Decimal a, Decimal b) { return a.units_ != b.units_; }
  friend bool operator<(Decimal a, Decimal b) { return a.units_ < b.units_; }
  friend bool operator<=(Decimal a, Decimal b) { return a.units_ <= b.units_; }
  friend bool operator>(Decimal a, Decimal b) { return a.units_ > b.units_; }
  friend bool operator>=(Decimal a, Decimal b) { return a.units_ >= b.units_; }

 private:
  int128_t units_ = 0;
};

}  // namespace redress
