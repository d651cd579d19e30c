// Business calendars: a time zone, weekly opening hours and holidays, and the arithmetic SLA
// clocks need over them (issue #10). Time zones come from the IANA database through Howard
// Hinnant's date/tz on the OS tzdb (/usr/share/zoneinfo); date/tz stays inside calendar.cpp,
// so nothing that includes this header sees it.
//
// A compiled Calendar is immutable and safe to share across threads (date/tz loads a zone's
// transitions once, under std::call_once).
//
// Business time is real elapsed time inside opening hours: a day whose 09:00-18:00 contains
// a daylight-saving change has 8 or 10 business hours, not 9. Local times that do not exist
// (the spring gap) map to the instant of the change; ambiguous ones (the autumn repeat) to
// their first occurrence.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redress/time.hpp"

namespace date {
class time_zone;
}

namespace redress::detail {

// An IANA time zone ("Europe/Moscow"), or UTC. A cheap handle to the process-wide tzdb.
class TimeZone {
 public:
  TimeZone() = default;  // UTC
  // nullopt when the tzdb has no such zone (or the OS tzdb cannot be read).
  static std::optional<TimeZone> locate(std::string_view iana_name);
  // Every zone name the tzdb knows, for "did you mean" (empty when the tzdb is unreadable).
  static std::vector<std::string> names();
  // Why locate(iana_name) found nothing, for every reader of a zone name (calendars, cases):
  // "unknown time zone 'Europe/Moskow' (did you mean 'Europe/Moscow'?)".
  static std::string unknown(std::string_view iana_name);

  std::string name() const;   // "Europe/Moscow", "UTC"
  // The place people read in a time: the zone's last component with spaces ("Moscow",
  // "New York", "UTC").
  std::string city() const;
  // Local time minus UTC at `t`, in seconds (+10800 in Moscow).
  std::int64_t offset_seconds(Timestamp t) const;
  // The UTC instant of local midnight + `minute_of_day` minutes on `local_day` (days since
  // 1970-01-01 on the local calendar); see the header note for gaps and repeats.
  Timestamp from_local(std::int64_t local_day, std::int64_t minute_of_day) const;
  // The local calendar day (days since 1970-01-01) `t` falls on.
  std::int64_t local_day(Timestamp t) const;

  friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.zone_ == b.zone_; }

 private:
  explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}
  const date::time_zone* zone_ = nullptr;  // nullptr: UTC
};

// A half-open period [begin, end).
struct Interval {
  Timestamp begin, end;
};

// Sorted, disjoint, non-empty intervals: what the arithmetic below expects of pauses. Empty
// and reversed intervals are dropped; overlapping and touching ones merged.
std::vector<Interval> normalize(std::vector<Interval> intervals);

// Opening hours within one local day, in minutes since local midnight: [open, close),
// 0 <= open < close <= 1440 ("24:00" closes at the next midnight).
struct OpenHours {
  std::uint16_t open = 0, close = 0;
};

class Calendar {
 public:
  // Index 0 is Monday … 6 Sunday. Each day's hours sorted and disjoint; holidays are local
  // days (days since 1970-01-01), any order. The loader checks all of this with located
  // errors; the constructor sorts holidays and trusts the rest.
  using Week = std::array<std::vector<OpenHours>, 7>;
  Calendar(TimeZone zone, Week week, std::vector<std::int64_t> holidays);
  // Open around the clock, in UTC: business time is wall-clock time (minus pauses).
  static Calendar always_open();

  const TimeZone& zone() const { return zone_; }
  bool around_the_clock() const { return around_the_clock_; }
  // Whether the week has any opening hours at all (the loader refuses a calendar without).
  bool has_hours() const;
  bool is_holiday(std::int64_t local_day) const;
  // Whether the clock runs at `t` (ignoring pauses).
  bool is_open(Timestamp t) const;

  // The instant at which `amount` of business time has run from `start`, skipping closed
  // hours and `pauses` (normalized). The earliest such instant: a deadline that falls on a
  // closing time is that closing time, not the next opening. Zero or negative: `start`.
  Timestamp add(Timestamp start, Duration amount, const std::vector<Interval>& pauses = {}) const;

  // `days` business days after `start` (docs/playbook-format.md §1.6): the same business
  // position — business time since that day opened — on the days-th working day after the
  // one `start` counts in, clamped to that day's closing; a start before opening, after
  // closing or on a closed day counts as the opening of the next working day, so its deadline
  // is the closing of the days-th working day. Paused business time before that deadline
  // moves it on by as much business time.
  Timestamp add_days(Timestamp start, std::int64_t days, const std::vector<Interval>& pauses = {}) const;

  // Business time in [from, to), excluding `pauses` (normalized); zero when to <= from.
  Duration between(Timestamp from, Timestamp to, const std::vector<Interval>& pauses = {}) const;

 private:
  Calendar() = default;
  // The first open period that ends after `t`, clipped to start no earlier than `t`.
  Interval next_open(Timestamp t) const;
  // Visits the opening hours of a local day as UTC intervals, in order (none on holidays and
  // closed days); `visit(Interval)` returns true to stop, and so does for_each_hour. Allocates
  // nothing: evaluation walks days through it (issue #14).
  template <class Visit>
  bool for_each_hour(std::int64_t local_day, Visit visit) const;
  std::int64_t next_working_day(std::int64_t local_day) const;  // strictly after
  Timestamp add_days_unpaused(Timestamp start, std::int64_t days) const;

  TimeZone zone_;
  Week week_;
  std::vector<std::int64_t> holidays_;  // sorted
  bool around_the_clock_ = false;
};

// How long a deadline, timeout or recurrence runs (spec §1.6): a wall-clock duration ("4h",
// "2d", "PT30M"), business hours ("4bh") or business days ("2bd") over a calendar.
struct Span {
  enum class Unit : std::uint8_t { Wall, BusinessHours, BusinessDays };
  Unit unit = Unit::Wall;
  Duration amount;        // Wall and BusinessHours
  std::int64_t days = 0;  // BusinessDays

  // "4bh", "2bd" (a whole number from 1 to 100000 business hours or 10000 business days), or
  // anything Duration::parse reads. nullopt otherwise.
  static std::optional<Span> parse(std::string_view text);
  std::string to_string() const;  // "4bh", "2bd", "1d12h"
  bool negative() const { return unit == Unit::Wall && amount.micros < 0; }
};

// The instant `span` after `start` on `calendar`, not counting `pauses` (normalized). Wall-clock
// spans run around the clock whatever the calendar; they skip pauses too.
Timestamp advance(const Calendar& calendar, Timestamp start, const Span& span,
                  const std::vector<Interval>& pauses);

// The last instant representable for deadlines (9999-12-31T23:59:59Z): arithmetic that would
// run past it stops there.
Timestamp end_of_time();

// How people read times and durations (docs/playbook-format.md §1.5).
//
// "Mon 30 Nov, 12:30 (Moscow)": weekday, day, month, 24-hour local time and the zone's city;
// the year is added ("Thu 31 Dec 2026, 18:00 (Berlin)") when it differs from the year of
// `reference` in that zone. Seconds are shown only when not zero.
std::string format_human(Timestamp t, const TimeZone& zone, Timestamp reference);
// ISO 8601 in local time with its offset: "2026-11-30T12:30:00+03:00" ("Z" for UTC).
std::string format_iso_local(Timestamp t, const TimeZone& zone);
// "1 day", "2 hours", "1 day 4 hours", "2 hours 30 minutes", "90 seconds" is "1 minute 30
// seconds": at most two units, the largest first, weeks not used; "0 minutes" for zero; the
// duration is rounded to the nearest of the second unit, half up ("1 hour 20 minutes" for
// 1 h 19 min 59.9 s, "2 hours" for 1 h 59 min 30 s, "1 minute" for 59.5 s), and a negative
// duration reads "minus …".
std::string format_human(Duration d);

}  // namespace redress::detail
