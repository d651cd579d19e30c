// Exact fixed-point decimals: 12 fractional digits in 128-bit raw units (see decimal.hpp).
//
// Invariant: every Decimal produced by this file satisfies |raw| <= kMaxUnits = 10^38 - 1,
// i.e. |x| <= 10^26 - 10^-12. `*` and `/` compute the exact result in 256 bits and round it
// half-even at the 12th fractional digit; nothing here touches binary floating point.
#include "redress/decimal.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redress {
namespace {

constexpr uint128_t pow10_u128(int n) {
  uint128_t r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

constexpr uint128_t kScale = pow10_u128(Decimal::kFractionDigits);  // 10^12
constexpr uint128_t kMaxUnits = pow10_u128(38) - 1;                   // 10^38 - 1
constexpr int kMaxDigits = 38;  // significant digits of kMaxUnits

// |v| as unsigned; well defined for the most negative value too.
uint128_t magnitude(int128_t v) {
  return v < 0 ? uint128_t(0) - static_cast<uint128_t>(v) : static_cast<uint128_t>(v);
}

// Builds a Decimal from a sign and a magnitude already known to be <= kMaxUnits.
Decimal make(bool negative, uint128_t mag) {
  int128_t v = static_cast<int128_t>(mag);
  return Decimal::from_raw(negative ? -v : v);
}

// ---- 256-bit unsigned helpers (four 64-bit limbs, least significant first) ----

struct U256 {
  std::uint64_t limb[4] = {0, 0, 0, 0};
};

U256 mul_128x128(uint128_t a, uint128_t b) {
  const std::uint64_t a0 = static_cast<std::uint64_t>(a), a1 = static_cast<std::uint64_t>(a >> 64);
  const std::uint64_t b0 = static_cast<std::uint64_t>(b), b1 = static_cast<std::uint64_t>(b >> 64);
  const uint128_t p00 = uint128_t(a0) * b0;
  const uint128_t p01 = uint128_t(a0) * b1;
  const uint128_t p10 = uint128_t(a1) * b0;
  const uint128_t p11 = uint128_t(a1) * b1;

  U256 r;
  r.limb[0] = static_cast<std::uint64_t>(p00);
  // Middle column: high half of p00 + low halves of p01 and p10 (fits in 66 bits).
  uint128_t mid = (p00 >> 64) + static_cast<std::uint64_t>(p01) + static_cast<std::uint64_t>(p10);
  r.limb[1] = static_cast<std::uint64_t>(mid);
  uint128_t high = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + p11;  // < 2^128 as a*b < 2^256
  r.limb[2] = static_cast<std::uint64_t>(high);
  r.limb[3] = static_cast<std::uint64_t>(high >> 64);
  return r;
}

// The value as uint128 when it fits (limbs 2 and 3 zero).
bool fits_u128(const U256& v, uint128_t& out) {
  if (v.limb[2] != 0 || v.limb[3] != 0) return false;
  out = (uint128_t(v.limb[1]) << 64) | v.limb[0];
  return true;
}

// q = n / d, rem = n % d for a 64-bit divisor: schoolbook over 64-bit limbs.
U256 divmod_u64(const U256& n, std::uint64_t d, std::uint64_t& rem) {
  U256 q;
  uint128_t r = 0;
  for (int i = 3; i >= 0; --i) {
    const uint128_t cur = (r << 64) | n.limb[i];
    q.limb[i] = static_cast<std::uint64_t>(cur / d);
    r = cur % d;
  }
  rem = static_cast<std::uint64_t>(r);
  return q;
}

// q = n / d, rem = n % d for a divisor d < 2^127 (so the running remainder, shifted left once,
// still fits 128 bits): restoring binary long division from the highest set bit.
U256 divmod_u128(const U256& n, uint128_t d, uint128_t& rem) {
  U256 q;
  uint128_t r = 0;
  int top = 255;
  while (top >= 0 && ((n.limb[top / 64] >> (top % 64)) & 1U) == 0) --top;
  for (int bit = top; bit >= 0; --bit) {
    r = (r << 1) | ((n.limb[bit / 64] >> (bit % 64)) & 1U);
    if (r >= d) {
      r -= d;
      q.limb[bit / 64] |= std::uint64_t(1) << (bit % 64);
    }
  }
  rem = r;
  return q;
}

// Rounds the quotient q (with remainder r of divisor d, r < d < 2^127) half-even; the result
// must fit the range. Returns false when it does not.
bool round_half_even_quotient(const U256& q256, uint128_t r, uint128_t d, uint128_t& out) {
  uint128_t q;
  if (!fits_u128(q256, q) || q > kMaxUnits) return false;
  const uint128_t twice = r << 1;  // r < 2^127: no overflow
  if (twice > d || (twice == d && (q & 1U) != 0)) ++q;
  if (q > kMaxUnits) return false;
  out = q;
  return true;
}

// Decimal digits of v (at least one).
std::string digits_of(uint128_t v) {
  char buf[48];
  int pos = static_cast<int>(sizeof buf);
  do {
    buf[--pos] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  return std::string(buf + pos, sizeof buf - static_cast<std::size_t>(pos));
}

// Rounds a magnitude to a multiple of `step` (a power of ten) in the given mode, for a value
// of sign `negative`. The result may exceed the range; the caller checks.
uint128_t round_magnitude(uint128_t mag, uint128_t step, Rounding mode, bool negative) {
  const uint128_t q = mag / step;
  const uint128_t r = mag % step;
  if (r == 0) return mag;
  bool up = false;  // away from zero
  switch (mode) {
    case Rounding::HalfEven: {
      const uint128_t twice = r << 1;  // r < 10^12: no overflow
      up = twice > step || (twice == step && (q & 1U) != 0);
      break;
    }
    case Rounding::HalfAwayFromZero: up = (r << 1) >= step; break;
    case Rounding::Floor: up = negative; break;
    case Rounding::Ceil: up = !negative; break;
    case Rounding::TowardZero: up = false; break;
  }
  return (q + (up ? 1 : 0)) * step;
}

}  // namespace

Decimal Decimal::from_int(std::int64_t v) {
  return from_raw(static_cast<int128_t>(v) * kOne);  // |v| * 10^12 < 10^32: in range
}

Decimal Decimal::max_value() { return from_raw(static_cast<int128_t>(kMaxUnits)); }
Decimal Decimal::min_value() { return from_raw(-static_cast<int128_t>(kMaxUnits)); }

bool Decimal::is_integer() const { return magnitude(units_) % kScale == 0; }

std::optional<std::int64_t> Decimal::to_int64() const {
  if (!is_integer()) return std::nullopt;
  const int128_t v = units_ / static_cast<int128_t>(kScale);
  if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  // Mantissa: digits [ '.' digits ], at least one digit in all.
  const std::size_t int_begin = i;
  while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
  const std::size_t int_end = i;
  std::size_t frac_begin = i, frac_end = i;
  if (i < n && text[i] == '.') {
    ++i;
    frac_begin = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    frac_end = i;
  }
  if (int_end == int_begin && frac_end == frac_begin) return std::nullopt;  // "", ".", "+"

  // Exponent, saturated: any exponent beyond the clamp is out of range or below 10^-12
  // for every mantissa this string could hold, so clamping keeps the outcome and the time.
  long long exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    const std::size_t exp_begin = i;
    const long long clamp = static_cast<long long>(n) + 100;
    while (i < n && text[i] >= '0' && text[i] <= '9') {
      if (exponent < clamp) exponent = exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (i == exp_begin) return std::nullopt;
    if (exponent > clamp) exponent = clamp;
    if (exp_negative) exponent = -exponent;
  }
  if (i != n) return std::nullopt;

  // All mantissa digits in order, as a view sequence: int part then fraction part.
  auto digit_at = [&](std::size_t k) -> int {
    const std::size_t int_len = int_end - int_begin;
    return k < int_len ? text[int_begin + k] - '0' : text[frac_begin + (k - int_len)] - '0';
  };
  std::size_t total = (int_end - int_begin) + (frac_end - frac_begin);
  std::size_t first = 0;  // skip leading zeros
  while (first < total && digit_at(first) == 0) ++first;
  if (first == total) return Decimal();  // zero, whatever the exponent or sign

  // value = digits[first..total) * 10^shift_raw in raw units, where
  // shift_raw = 12 - fraction_length + exponent.
  long long shift = static_cast<long long>(kFractionDigits) -
                    static_cast<long long>(frac_end - frac_begin) + exponent;
  std::size_t last = total;  // one past the last digit kept
  if (shift < 0) {
    // Digits below 10^-12 must all be zeros.
    const unsigned long long drop = static_cast<unsigned long long>(-shift);
    if (drop > total - first) return std::nullopt;  // would drop a non-zero digit
    for (std::size_t k = total - static_cast<std::size_t>(drop); k < total; ++k) {
      if (digit_at(k) != 0) return std::nullopt;
    }
    last = total - static_cast<std::size_t>(drop);
    shift = 0;
  }
  const long long significant = static_cast<long long>(last - first);
  if (significant + shift > kMaxDigits) return std::nullopt;  // >= 10^38 raw units

  uint128_t mag = 0;
  for (std::size_t k = first; k < last; ++k) mag = mag * 10 + static_cast<unsigned>(digit_at(k));
  for (long long s = 0; s < shift; ++s) mag *= 10;
  if (mag > kMaxUnits) return std::nullopt;  // unreachable given the digit count; kept as a guard
  return make(negative, mag);
}

std::string Decimal::to_string() const {
  const uint128_t mag = magnitude(units_);
  std::string out;
  if (units_ < 0) out += '-';
  out += digits_of(mag / kScale);
  uint128_t frac = mag % kScale;
  if (frac != 0) {
    std::string f = digits_of(frac);
    f.insert(0, static_cast<std::size_t>(kFractionDigits) - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  return out;
}

std::string Decimal::to_string_fixed(int digits) const {
  if (digits < 0) digits = 0;
  if (digits > kFractionDigits) digits = kFractionDigits;
  const uint128_t step = pow10_u128(kFractionDigits - digits);
  // Rounding may reach 10^38 (max_value to 0 digits), which still fits uint128.
  const uint128_t mag =
      round_magnitude(magnitude(units_), step, Rounding::HalfAwayFromZero, units_ < 0);
  std::string out;
  if (units_ < 0 && mag != 0) out += '-';
  out += digits_of(mag / kScale);
  if (digits > 0) {
    std::string f = digits_of((mag % kScale) / step);
    f.insert(0, static_cast<std::size_t>(digits) - f.size(), '0');
    out += '.';
    out += f;
  }
  return out;
}

bool Decimal::add(Decimal a, Decimal b, Decimal& out) {
  int128_t r;
  if (__builtin_add_overflow(a.units_, b.units_, &r)) return false;
  if (magnitude(r) > kMaxUnits) return false;
  out = from_raw(r);
  return true;
}

bool Decimal::sub(Decimal a, Decimal b, Decimal& out) {
  int128_t r;
  if (__builtin_sub_overflow(a.units_, b.units_, &r)) return false;
  if (magnitude(r) > kMaxUnits) return false;
  out = from_raw(r);
  return true;
}

bool Decimal::neg(Decimal a, Decimal& out) {
  if (magnitude(a.units_) > kMaxUnits) return false;  // only for raw values outside the range
  out = from_raw(-a.units_);
  return true;
}

bool Decimal::mul(Decimal a, Decimal b, Decimal& out) {
  const bool negative = (a.units_ < 0) != (b.units_ < 0);
  const U256 product = mul_128x128(magnitude(a.units_), magnitude(b.units_));
  std::uint64_t rem = 0;
  const U256 q = divmod_u64(product, static_cast<std::uint64_t>(kScale), rem);
  uint128_t mag;
  if (!round_half_even_quotient(q, rem, kScale, mag)) return false;
  out = make(negative && mag != 0, mag);
  return true;
}

bool Decimal::div(Decimal a, Decimal b, Decimal& out) {
  if (b.units_ == 0) return false;
  const uint128_t divisor = magnitude(b.units_);
  if (divisor > kMaxUnits) return false;  // raw value outside the documented range
  const bool negative = (a.units_ < 0) != (b.units_ < 0);
  // a/b in raw units = a_raw * 10^12 / b_raw, exactly, then rounded.
  const U256 numerator = mul_128x128(magnitude(a.units_), kScale);
  U256 q;
  uint128_t rem = 0;
  if ((divisor >> 64) == 0) {
    std::uint64_t r64 = 0;
    q = divmod_u64(numerator, static_cast<std::uint64_t>(divisor), r64);
    rem = r64;
  } else {
    q = divmod_u128(numerator, divisor, rem);
  }
  uint128_t mag;
  if (!round_half_even_quotient(q, rem, divisor, mag)) return false;
  out = make(negative && mag != 0, mag);
  return true;
}

bool Decimal::round(Decimal a, int digits, Rounding mode, Decimal& out) {
  if (digits < 0 || digits > kFractionDigits) return false;
  const uint128_t mag_in = magnitude(a.units_);
  if (mag_in > kMaxUnits) return false;
  const bool negative = a.units_ < 0;
  const uint128_t step = pow10_u128(kFractionDigits - digits);
  const uint128_t mag = round_magnitude(mag_in, step, mode, negative);
  if (mag > kMaxUnits) return false;
  out = make(negative && mag != 0, mag);
  return true;
}

}  // namespace redress
