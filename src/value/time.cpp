// Durations and timestamps (see time.hpp). Calendar arithmetic is proleptic Gregorian, after
// Howard Hinnant's days_from_civil / civil_from_days (http://howardhinnant.github.io/date_algorithms.html).
#include "redress/time.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "redress/decimal.hpp"  // int128_t

namespace redress {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr std::int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr std::int64_t kMicrosPerDay = 24 * kMicrosPerHour;
constexpr std::int64_t kMicrosPerWeek = 7 * kMicrosPerDay;
// ±100000 Gregorian years (365.2425 days each): 36,524,250 days.
constexpr std::int64_t kMaxDurationMicros = 36524250LL * kMicrosPerDay;

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);                 // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;      // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                // [0, 146096]
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);                // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;                             // [1, 31]
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;                                // [1, 12]
  return Civil{y + (m <= 2 ? 1 : 0), m, d};
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Exactly `count` digits at `pos`, advancing it.
bool fixed_digits(std::string_view s, std::size_t& pos, int count, int& out) {
  if (pos + static_cast<std::size_t>(count) > s.size()) return false;
  int v = 0;
  for (int k = 0; k < count; ++k) {
    const char c = s[pos + static_cast<std::size_t>(k)];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(count);
  out = v;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// "YYYY-MM-DD" at pos, validated; years 0001..9999.
bool parse_date_part(std::string_view s, std::size_t& pos, int& y, int& m, int& d) {
  if (!fixed_digits(s, pos, 4, y) || !expect(s, pos, '-') || !fixed_digits(s, pos, 2, m) ||
      !expect(s, pos, '-') || !fixed_digits(s, pos, 2, d)) {
    return false;
  }
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= days_in_month(y, m);
}

void append_padded(std::string& out, std::int64_t v, int width) {
  std::string digits = std::to_string(v);
  if (digits.size() < static_cast<std::size_t>(width)) {
    out.append(static_cast<std::size_t>(width) - digits.size(), '0');
  }
  out += digits;
}

// ---- durations ----

// One number of a duration: digits, optionally a fraction (when allowed). Gives its value
// times `unit` in micros, exactly: a fraction that is not a whole number of microseconds is
// rejected. Values are bounded well below int128 overflow.
bool duration_number(std::string_view s, std::size_t& pos, bool allow_fraction,
                     std::int64_t unit, int128_t& out) {
  const std::size_t begin = pos;
  std::int64_t whole = 0;
  while (pos < s.size() && is_digit(s[pos])) {
    if (whole > 1000000000000000LL) return false;  // > 10^15 s is past the limit anyway
    whole = whole * 10 + (s[pos] - '0');
    ++pos;
  }
  if (pos == begin) return false;
  int128_t micros = static_cast<int128_t>(whole) * unit;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    if (!allow_fraction) return false;
    ++pos;
    const std::size_t frac_begin = pos;
    std::int64_t num = 0, den = 1;
    while (pos < s.size() && is_digit(s[pos])) {
      if (den < 1000000000000000000LL) {  // 18 digits kept; the rest must be zeros
        num = num * 10 + (s[pos] - '0');
        den *= 10;
      } else if (s[pos] != '0') {
        return false;
      }
      ++pos;
    }
    if (pos == frac_begin) return false;
    const int128_t scaled = static_cast<int128_t>(num) * unit;  // < 10^18 * 6.1e11
    if (scaled % den != 0) return false;  // finer than a microsecond
    micros += scaled / den;
  }
  out = micros;
  return true;
}

std::optional<Duration> finish_duration(bool negative, int128_t total) {
  if (total > kMaxDurationMicros) return std::nullopt;
  const std::int64_t v = static_cast<std::int64_t>(total);
  return Duration{negative ? -v : v};
}

// "3h30m", "1w2d", "1.5s": units w d h m s, decreasing, each at most once; a fraction only on
// seconds.
std::optional<Duration> parse_compact(std::string_view s, bool negative) {
  static const char kUnits[] = {'w', 'd', 'h', 'm', 's'};
  static const std::int64_t kUnitMicros[] = {kMicrosPerWeek, kMicrosPerDay, kMicrosPerHour,
                                             kMicrosPerMinute, kMicrosPerSecond};
  std::size_t pos = 0;
  int next_rank = 0;  // the next unit must have at least this rank
  int128_t total = 0;
  if (s.empty()) return std::nullopt;
  while (pos < s.size()) {
    // Find the unit letter after the number to know the unit before reading it.
    std::size_t end = pos;
    while (end < s.size() && (is_digit(s[end]) || s[end] == '.')) ++end;
    if (end >= s.size()) return std::nullopt;  // a number without unit
    int rank = -1;
    for (int r = next_rank; r < 5; ++r) {
      if (s[end] == kUnits[r]) rank = r;
    }
    if (rank < 0) return std::nullopt;  // unknown unit, or out of order / repeated
    std::size_t p = pos;
    int128_t micros = 0;
    if (!duration_number(s.substr(0, end), p, rank == 4, kUnitMicros[rank], micros) || p != end) {
      return std::nullopt;
    }
    total += micros;
    if (total > kMaxDurationMicros) return std::nullopt;
    pos = end + 1;
    next_rank = rank + 1;
  }
  return finish_duration(negative, total);
}

// ISO 8601: "P2W", "P1DT2H", "PT3H30M", "PT0.5S". Years and months have no fixed length and
// are rejected. A fraction is allowed on the last component only.
std::optional<Duration> parse_iso(std::string_view s, bool negative) {
  std::size_t pos = 1;  // after 'P'
  int128_t total = 0;
  bool any = false;
  bool in_time = false;
  bool fraction_seen = false;
  // Allowed designators in order: date part W D, time part H M S.
  const char* date_order = "WD";
  const char* time_order = "HMS";
  int next = 0;
  while (pos < s.size()) {
    if (s[pos] == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      next = 0;
      ++pos;
      if (pos == s.size()) return std::nullopt;  // "PT" or "P1DT" with nothing after
      continue;
    }
    if (fraction_seen) return std::nullopt;  // a fraction must be on the last component
    std::size_t end = pos;
    while (end < s.size() && (is_digit(s[end]) || s[end] == '.' || s[end] == ',')) ++end;
    if (end >= s.size()) return std::nullopt;
    const char designator = s[end];
    const char* order = in_time ? time_order : date_order;
    const int count = in_time ? 3 : 2;
    int idx = -1;
    for (int k = next; k < count; ++k) {
      if (order[k] == designator) idx = k;
    }
    if (idx < 0) return std::nullopt;  // Y, M (months), unknown, repeated or out of order
    std::int64_t unit = 0;
    if (!in_time) {
      unit = idx == 0 ? kMicrosPerWeek : kMicrosPerDay;
    } else {
      unit = idx == 0 ? kMicrosPerHour : (idx == 1 ? kMicrosPerMinute : kMicrosPerSecond);
    }
    std::size_t p = pos;
    int128_t micros = 0;
    if (!duration_number(s.substr(0, end), p, true, unit, micros) || p != end) return std::nullopt;
    for (std::size_t k = pos; k < end; ++k) {
      if (s[k] == '.' || s[k] == ',') fraction_seen = true;
    }
    total += micros;
    if (total > kMaxDurationMicros) return std::nullopt;
    any = true;
    pos = end + 1;
    next = idx + 1;
  }
  if (!any) return std::nullopt;
  return finish_duration(negative, total);
}

}  // namespace

std::optional<Duration> Duration::parse(std::string_view text) {
  bool negative = false;
  std::string_view s = text;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  if (s[0] == 'P') return parse_iso(s, negative);
  return parse_compact(s, negative);
}

// ".25" for 250000 microseconds: the fraction of a second without trailing zeros ("" for 0).
static void append_fraction(std::string& out, std::int64_t micros) {
  if (micros == 0) return;
  std::string f = std::to_string(micros);
  f.insert(0, 6 - f.size(), '0');
  while (f.back() == '0') f.pop_back();
  out += '.';
  out += f;
}

std::string Duration::to_string() const {
  // Magnitude as unsigned: well defined for INT64_MIN too.
  std::uint64_t mag = micros < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(micros)
                                 : static_cast<std::uint64_t>(micros);
  if (mag == 0) return "0s";
  std::string out;
  if (micros < 0) out += '-';
  const std::uint64_t days = mag / kMicrosPerDay;
  mag %= kMicrosPerDay;
  const std::uint64_t hours = mag / kMicrosPerHour;
  mag %= kMicrosPerHour;
  const std::uint64_t minutes = mag / kMicrosPerMinute;
  mag %= kMicrosPerMinute;
  const std::uint64_t seconds = mag / kMicrosPerSecond;
  const std::uint64_t fraction = mag % kMicrosPerSecond;
  if (days != 0) out += std::to_string(days) + "d";
  if (hours != 0) out += std::to_string(hours) + "h";
  if (minutes != 0) out += std::to_string(minutes) + "m";
  if (seconds != 0 || fraction != 0) {
    out += std::to_string(seconds);
    append_fraction(out, fraction);
    out += 's';
  }
  return out;
}

std::optional<Timestamp> Timestamp::parse(std::string_view text) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!parse_date_part(text, pos, y, mo, d)) return std::nullopt;
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  if (!fixed_digits(text, pos, 2, h) || !expect(text, pos, ':') || !fixed_digits(text, pos, 2, mi)) {
    return std::nullopt;
  }
  std::int64_t fraction_micros = 0;
  if (expect(text, pos, ':')) {
    if (!fixed_digits(text, pos, 2, sec)) return std::nullopt;
    if (expect(text, pos, '.')) {
      int digits = 0;
      while (pos < text.size() && is_digit(text[pos])) {
        if (++digits > 6) return std::nullopt;
        fraction_micros = fraction_micros * 10 + (text[pos] - '0');
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (int k = digits; k < 6; ++k) fraction_micros *= 10;
    }
  }
  if (h > 23 || mi > 59 || sec > 59) return std::nullopt;

  // Zone: Z, or an offset ±HH:MM, ±HHMM, ±HH.
  if (pos >= text.size()) return std::nullopt;  // no zone: ambiguous, rejected
  std::int64_t offset_minutes = 0;
  const char z = text[pos];
  if (z == 'Z' || z == 'z') {
    ++pos;
  } else if (z == '+' || z == '-') {
    ++pos;
    int oh = 0, om = 0;
    if (!fixed_digits(text, pos, 2, oh)) return std::nullopt;
    if (pos < text.size()) {
      expect(text, pos, ':');  // optional separator
      if (!fixed_digits(text, pos, 2, om)) return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset_minutes = (oh * 60 + om) * (z == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const std::int64_t local = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) *
                                 kMicrosPerDay +
                             h * kMicrosPerHour + mi * kMicrosPerMinute + sec * kMicrosPerSecond +
                             fraction_micros;
  return Timestamp{local - offset_minutes * kMicrosPerMinute};
}

std::optional<Timestamp> Timestamp::parse_date(std::string_view text) {
  std::size_t pos = 0;
  int y = 0, m = 0, d = 0;
  if (!parse_date_part(text, pos, y, m, d) || pos != text.size()) return std::nullopt;
  return Timestamp{days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) *
                   kMicrosPerDay};
}

Timestamp Timestamp::from_civil(int year, int month, int day, int hour, int minute, int second) {
  // Fields are not validated: out-of-range values carry over (month 13 is January of the next
  // year, day 0 the last day of the previous month, hour 24 the next day).
  std::int64_t y = year;
  std::int64_t m0 = static_cast<std::int64_t>(month) - 1;  // 0-based, may be out of range
  std::int64_t carry = m0 >= 0 ? m0 / 12 : -((11 - m0) / 12);
  y += carry;
  m0 -= carry * 12;
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(m0 + 1), 1) +
                            (static_cast<std::int64_t>(day) - 1);
  return Timestamp{days * kMicrosPerDay + static_cast<std::int64_t>(hour) * kMicrosPerHour +
                   static_cast<std::int64_t>(minute) * kMicrosPerMinute +
                   static_cast<std::int64_t>(second) * kMicrosPerSecond};
}

Timestamp Timestamp::now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp{static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count())};
}

std::string Timestamp::to_string() const {
  // Floor division: instants before 1970 belong to the previous day.
  std::int64_t days = micros / kMicrosPerDay;
  std::int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  const Civil c = civil_from_days(days);
  std::string out;
  if (c.year < 0) {
    out += '-';
    append_padded(out, -c.year, 4);
  } else {
    append_padded(out, c.year, 4);
  }
  out += '-';
  append_padded(out, c.month, 2);
  out += '-';
  append_padded(out, c.day, 2);
  out += 'T';
  append_padded(out, rest / kMicrosPerHour, 2);
  out += ':';
  append_padded(out, rest / kMicrosPerMinute % 60, 2);
  out += ':';
  append_padded(out, rest / kMicrosPerSecond % 60, 2);
  const std::int64_t fraction = rest % kMicrosPerSecond;
  append_fraction(out, fraction);
  out += 'Z';
  return out;
}

}  // namespace redress
