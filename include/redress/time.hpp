// Points in time and durations, exact to the microsecond. The library never reads a clock
// unless the caller asks (spec §4): `Timestamp::now()` exists for callers, not for evaluation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redress {

struct Duration {
  std::int64_t micros = 0;

  static constexpr Duration seconds(std::int64_t s) { return Duration{s * 1000000}; }
  // "90s", "15m", "2h", "3d", "1w", compounds "3h30m", "1d12h", "1w2d" (units in decreasing
  // order, each at most once), and ISO 8601 "PT3H30M", "P1DT2H", "P2W", "PT0.5S".
  // Anything else, or a value past ±100000 years, gives nullopt.
  static std::optional<Duration> parse(std::string_view text);
  // Compact form with the largest units first: "1d12h", "15m", "0s", "-2h", "1.5s".
  std::string to_string() const;

  friend bool operator==(Duration a, Duration b) { return a.micros == b.micros; }
  friend bool operator!=(Duration a, Duration b) { return a.micros != b.micros; }
  friend bool operator<(Duration a, Duration b) { return a.micros < b.micros; }
};

// Microseconds since 1970-01-01T00:00:00Z.
struct Timestamp {
  std::int64_t micros = 0;

  // ISO 8601 with "Z" or an offset: "2026-11-23T10:30:00Z", "2026-11-23T12:30:00+02:00",
  // "2026-11-23T10:30:00.250Z", "2026-11-23 10:30Z" (space and omitted seconds accepted).
  // A date-time without a zone is rejected (nullopt). Years 0001..9999 only.
  static std::optional<Timestamp> parse(std::string_view text);
  // "2026-11-23" -> midnight UTC; nullopt for anything else.
  static std::optional<Timestamp> parse_date(std::string_view text);
  static Timestamp from_civil(int year, int month, int day, int hour = 0, int minute = 0,
                              int second = 0);
  // The wall clock; for callers (the CLI), never used by evaluation itself.
  static Timestamp now();
  // UTC, "2026-11-23T10:30:00Z"; fractional seconds only when non-zero ("…:00.25Z").
  std::string to_string() const;

  friend bool operator==(Timestamp a, Timestamp b) { return a.micros == b.micros; }
  friend bool operator!=(Timestamp a, Timestamp b) { return a.micros != b.micros; }
  friend bool operator<(Timestamp a, Timestamp b) { return a.micros < b.micros; }
};

}  // namespace redress
