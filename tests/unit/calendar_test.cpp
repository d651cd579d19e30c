// Business calendars (issue #10): time zones across both DST changes, weekends, holidays,
// pauses, business days, and how times and durations read.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "time/calendar.hpp"
#include "util/text.hpp"

using redress::Duration;
using redress::Timestamp;
using redress::detail::Calendar;
using redress::detail::Interval;
using redress::detail::OpenHours;
using redress::detail::TimeZone;
using redress::detail::format_human;
using redress::detail::format_iso_local;
using redress::detail::normalize;

namespace {

constexpr std::int64_t kHour = 3600LL * 1000000;

Timestamp at(const char* iso) {
  const auto t = Timestamp::parse(iso);
  REQUIRE(t);
  return *t;
}

Duration hours(std::int64_t h) { return Duration{h * kHour}; }

std::int64_t day_of(const char* date) { return Timestamp::parse_date(date)->micros / (24 * kHour); }

// Mon–Fri 09:00–18:00 in `zone`, optionally Saturday 10:00–14:00, with holidays.
Calendar office(const char* zone, bool saturday = false, std::vector<std::int64_t> holidays = {}) {
  const auto tz = TimeZone::locate(zone);
  REQUIRE(tz);
  Calendar::Week week;
  for (std::size_t d = 0; d < 5; ++d) week[d].push_back(OpenHours{9 * 60, 18 * 60});
  if (saturday) week[5].push_back(OpenHours{10 * 60, 14 * 60});
  return Calendar(*tz, week, std::move(holidays));
}

std::string iso(Timestamp t) { return t.to_string(); }

}  // namespace

TEST_CASE("calendar: Friday 17:30 in Moscow plus 4 business hours is Monday 12:30 Moscow time") {
  const Calendar msk = office("Europe/Moscow");
  const Timestamp reported = at("2026-11-27T17:30:00+03:00");  // a Friday
  const Timestamp due = msk.add(reported, hours(4));
  CHECK(iso(due) == "2026-11-30T09:30:00Z");
  CHECK(format_human(due, msk.zone(), reported) == "Mon 30 Nov, 12:30 (Moscow)");
  CHECK(format_iso_local(due, msk.zone()) == "2026-11-30T12:30:00+03:00");
  CHECK(msk.between(reported, due) == hours(4));
  CHECK(msk.between(due, reported) == Duration{0});
}

TEST_CASE("calendar: Europe/Berlin across the last Sunday of October and of March") {
  const Calendar ber = office("Europe/Berlin");
  // 2026-10-25: clocks go back 03:00 CEST -> 02:00 CET. Friday in summer time, Monday in winter.
  const Timestamp oct = at("2026-10-23T17:30:00+02:00");
  CHECK(iso(ber.add(oct, hours(4))) == "2026-10-26T11:30:00Z");  // 12:30 CET
  CHECK(format_human(ber.add(oct, hours(4)), ber.zone(), oct) == "Mon 26 Oct, 12:30 (Berlin)");
  // 2026-03-29: clocks go forward 02:00 CET -> 03:00 CEST.
  const Timestamp mar = at("2026-03-27T17:30:00+01:00");
  CHECK(iso(ber.add(mar, hours(4))) == "2026-03-30T10:30:00Z");  // 12:30 CEST
  CHECK(format_iso_local(ber.add(mar, hours(4)), ber.zone()) == "2026-03-30T12:30:00+02:00");

  // Open around the clock in Berlin: the weekend of the change has 49 (October) and 47 (March)
  // hours of business time, because business time is real elapsed time.
  Calendar::Week all;
  for (auto& d : all) d.push_back(OpenHours{0, 1440});
  const Calendar ber24(*TimeZone::locate("Europe/Berlin"), all, {});
  CHECK(ber24.between(at("2026-10-24T00:00:00+02:00"), at("2026-10-26T00:00:00+01:00")) == hours(49));
  CHECK(ber24.between(at("2026-03-28T00:00:00+01:00"), at("2026-03-30T00:00:00+02:00")) == hours(47));
}

TEST_CASE("calendar: New York across its own DST changes (a second zone, other dates)") {
  const Calendar nyc = office("America/New_York");
  // 2026-11-01 (first Sunday of November): EDT -> EST.
  const Timestamp fri = at("2026-10-30T16:00:00-04:00");
  CHECK(iso(nyc.add(fri, hours(4))) == "2026-11-02T16:00:00Z");  // Monday 11:00 EST
  CHECK(format_human(nyc.add(fri, hours(4)), nyc.zone(), fri) == "Mon 2 Nov, 11:00 (New York)");
  // 2026-03-08 (second Sunday of March): EST -> EDT.
  CHECK(iso(nyc.add(at("2026-03-06T16:00:00-05:00"), hours(4))) == "2026-03-09T15:00:00Z");  // 11:00 EDT
}

TEST_CASE("calendar: hours that contain the change are shorter or longer") {
  Calendar::Week week;
  week[6].push_back(OpenHours{0, 6 * 60});  // Sunday 00:00–06:00 only
  const Calendar sun(*TimeZone::locate("Europe/Berlin"), week, {});
  CHECK(sun.between(at("2026-10-25T00:00:00+02:00"), at("2026-10-26T00:00:00+01:00")) == hours(7));
  CHECK(sun.between(at("2026-03-29T00:00:00+01:00"), at("2026-03-30T00:00:00+02:00")) == hours(5));
  // 02:30 on 29 March does not exist in Berlin: it maps to the change, 03:00 CEST.
  Calendar::Week gap;
  gap[6].push_back(OpenHours{2 * 60 + 30, 4 * 60});
  const Calendar g(*TimeZone::locate("Europe/Berlin"), gap, {});
  CHECK(iso(g.add(at("2026-03-28T12:00:00Z"), Duration{1})) == "2026-03-29T01:00:00.000001Z");
  CHECK(g.between(at("2026-03-28T12:00:00Z"), at("2026-03-30T00:00:00Z")) == hours(1));
}

TEST_CASE("calendar: weekends, Saturday hours and holidays") {
  const Calendar msk = office("Europe/Moscow");
  CHECK(!msk.is_open(at("2026-11-28T12:00:00+03:00")));  // Saturday
  CHECK(msk.is_open(at("2026-11-30T09:00:00+03:00")));
  CHECK(!msk.is_open(at("2026-11-30T18:00:00+03:00")));  // closing is exclusive
  CHECK(!msk.is_open(at("2026-11-30T08:59:59+03:00")));

  const Calendar sat = office("Europe/Moscow", true);
  CHECK(iso(sat.add(at("2026-11-27T17:30:00+03:00"), hours(4))) == "2026-11-28T10:30:00Z");  // Sat 13:30

  const Calendar hol = office("Europe/Moscow", false, {day_of("2027-01-01"), day_of("2026-12-31")});
  CHECK(hol.is_holiday(day_of("2026-12-31")));
  CHECK(!hol.is_open(at("2026-12-31T12:00:00+03:00")));
  // Wednesday 30 Dec 17:00 + 2bh: one hour that day, then 31 Dec and 1 Jan are holidays and
  // 2–3 Jan a weekend, so Monday 4 Jan 10:00.
  CHECK(iso(hol.add(at("2026-12-30T17:00:00+03:00"), hours(2))) == "2027-01-04T07:00:00Z");
  CHECK(hol.between(at("2026-12-30T00:00:00+03:00"), at("2027-01-05T00:00:00+03:00")) == hours(18));
  // A deadline on a closing time is that closing time, not the next opening.
  CHECK(iso(hol.add(at("2026-12-30T17:00:00+03:00"), hours(1))) == "2026-12-30T15:00:00Z");
  // Starting outside hours, the clock starts at the next opening.
  CHECK(iso(hol.add(at("2026-12-31T12:00:00+03:00"), hours(1))) == "2027-01-04T07:00:00Z");
}

TEST_CASE("calendar: pauses stop the clock, also across nights and weekends") {
  const Calendar msk = office("Europe/Moscow");
  const Timestamp reported = at("2026-11-27T17:30:00+03:00");
  // A pause of two business hours (Monday 09:00–11:00) moves the deadline by two business hours.
  const std::vector<Interval> two = {{at("2026-11-30T09:00:00+03:00"), at("2026-11-30T11:00:00+03:00")}};
  CHECK(iso(msk.add(reported, hours(4), two)) == "2026-11-30T11:30:00Z");  // 14:30 Moscow
  CHECK(msk.between(reported, at("2026-11-30T14:30:00+03:00"), two) == hours(4));

  // Friday 17:00 until Monday 10:00: only its business hours count (Fri 17:00–17:30 is before
  // the report), so the clock starts Monday 10:00.
  const std::vector<Interval> weekend = {{at("2026-11-27T17:00:00+03:00"), at("2026-11-30T10:00:00+03:00")}};
  CHECK(iso(msk.add(reported, hours(4), weekend)) == "2026-11-30T11:00:00Z");  // 14:00
  // Reported Friday 16:00: one running hour, then the pause until Monday 10:00, then three.
  CHECK(iso(msk.add(at("2026-11-27T16:00:00+03:00"), hours(4), weekend)) == "2026-11-30T10:00:00Z");

  // A pause from Tuesday 17:00 to Wednesday noon spans the night: four business hours of 18.
  const std::vector<Interval> night = {{at("2026-12-01T17:00:00+03:00"), at("2026-12-02T12:00:00+03:00")}};
  CHECK(msk.between(at("2026-12-01T09:00:00+03:00"), at("2026-12-03T09:00:00+03:00"), night) == hours(14));

  // Pauses as a Case may give them: unsorted, overlapping, touching, empty, reversed.
  const std::vector<Interval> messy = normalize({{at("2026-11-30T10:00:00Z"), at("2026-11-30T11:00:00Z")},
                                                 {at("2026-11-30T06:00:00Z"), at("2026-11-30T08:00:00Z")},
                                                 {at("2026-11-30T07:00:00Z"), at("2026-11-30T09:00:00Z")},
                                                 {at("2026-11-30T09:00:00Z"), at("2026-11-30T09:30:00Z")},
                                                 {at("2026-11-30T12:00:00Z"), at("2026-11-30T12:00:00Z")},
                                                 {at("2026-11-30T14:00:00Z"), at("2026-11-30T13:00:00Z")}});
  REQUIRE(messy.size() == 2);
  CHECK(iso(messy[0].begin) == "2026-11-30T06:00:00Z");
  CHECK(iso(messy[0].end) == "2026-11-30T09:30:00Z");
  CHECK(iso(messy[1].begin) == "2026-11-30T10:00:00Z");
}

TEST_CASE("calendar: business days keep the business position, clamped to a shorter day") {
  const Calendar msk = office("Europe/Moscow");
  // Friday 17:30 + 1bd = Monday 17:30; + 2bd = Tuesday 17:30.
  CHECK(iso(msk.add_days(at("2026-11-27T17:30:00+03:00"), 1)) == "2026-11-30T14:30:00Z");
  CHECK(iso(msk.add_days(at("2026-11-27T17:30:00+03:00"), 2)) == "2026-12-01T14:30:00Z");
  // Before opening: the day counts whole, so 1bd ends at its closing.
  CHECK(iso(msk.add_days(at("2026-11-30T08:00:00+03:00"), 1)) == "2026-11-30T15:00:00Z");
  CHECK(iso(msk.add_days(at("2026-11-30T09:00:00+03:00"), 1)) == "2026-11-30T15:00:00Z");
  // After closing, or on a weekend: the next working day counts whole.
  CHECK(iso(msk.add_days(at("2026-11-27T19:00:00+03:00"), 1)) == "2026-11-30T15:00:00Z");
  CHECK(iso(msk.add_days(at("2026-11-28T12:00:00+03:00"), 3)) == "2026-12-02T15:00:00Z");
  CHECK(msk.add_days(at("2026-11-28T12:00:00+03:00"), 0) == at("2026-11-28T12:00:00+03:00"));

  // Saturday is a short working day: Friday 17:30 + 1bd is clamped to Saturday's closing.
  const Calendar sat = office("Europe/Moscow", true);
  CHECK(iso(sat.add_days(at("2026-11-27T17:30:00+03:00"), 1)) == "2026-11-28T11:00:00Z");
  // Holidays are skipped like weekends.
  const Calendar hol = office("Europe/Moscow", false, {day_of("2026-12-31"), day_of("2027-01-01")});
  CHECK(iso(hol.add_days(at("2026-12-30T10:00:00+03:00"), 1)) == "2027-01-04T07:00:00Z");
  // Three business days from Friday 17:30 in Berlin across the October change: Wednesday 17:30 CET.
  CHECK(iso(office("Europe/Berlin").add_days(at("2026-10-23T17:30:00+02:00"), 3)) == "2026-10-28T16:30:00Z");

  // Pauses move a business-day deadline by the paused business time.
  const std::vector<Interval> two = {{at("2026-11-30T09:00:00+03:00"), at("2026-11-30T11:00:00+03:00")}};
  CHECK(iso(msk.add_days(at("2026-11-27T17:30:00+03:00"), 1, two)) == "2026-12-01T07:30:00Z");  // Tue 10:30
}

TEST_CASE("calendar: around the clock, business time is wall-clock time minus pauses") {
  const Calendar all = Calendar::always_open();
  CHECK(all.around_the_clock());
  const Timestamp t = at("2026-11-27T17:30:00Z");
  CHECK(iso(all.add(t, hours(4))) == "2026-11-27T21:30:00Z");
  CHECK(iso(all.add_days(t, 2)) == "2026-11-29T17:30:00Z");
  const std::vector<Interval> p = {{at("2026-11-27T18:00:00Z"), at("2026-11-27T19:00:00Z")}};
  CHECK(iso(all.add(t, hours(4), p)) == "2026-11-27T22:30:00Z");
  CHECK(all.between(t, at("2026-11-27T22:30:00Z"), p) == hours(4));
  CHECK(all.add(t, Duration{-5}) == t);
  // Far deadlines stop at the end of representable time instead of overflowing.
  CHECK(iso(all.add(t, Duration{3000000000000000000LL})) == "9999-12-31T23:59:59Z");
  CHECK(iso(office("Europe/Moscow").add_days(t, 5000000)) == "9999-12-31T23:59:59Z");
}

TEST_CASE("calendar: a calendar without hours never runs") {
  const Calendar none(TimeZone(), Calendar::Week{}, {});
  CHECK(!none.has_hours());
  CHECK(iso(none.add(at("2026-11-27T17:30:00Z"), hours(1))) == "9999-12-31T23:59:59Z");
  CHECK(none.between(at("2026-11-27T17:30:00Z"), at("2026-12-27T17:30:00Z")) == Duration{0});
}

TEST_CASE("time zones: located by IANA name, unknown names suggest the nearest") {
  CHECK(TimeZone::locate("Europe/Moscow")->name() == "Europe/Moscow");
  CHECK(TimeZone::locate("America/New_York")->city() == "New York");
  CHECK(TimeZone().city() == "UTC");
  CHECK(!TimeZone::locate("Europe/Moskow"));
  CHECK(!TimeZone::locate(""));
  CHECK(!TimeZone::locate("../../etc/passwd"));
  const std::vector<std::string> names = TimeZone::names();
  CHECK(std::find(names.begin(), names.end(), "Europe/Berlin") != names.end());
  CHECK(redress::util::nearest("Europe/Moskow", names) == std::optional<std::string>("Europe/Moscow"));
  CHECK(TimeZone::locate("Europe/Moscow")->offset_seconds(at("2026-11-30T00:00:00Z")) == 3 * 3600);
}

TEST_CASE("formatting: times read as people write them") {
  const TimeZone ber = *TimeZone::locate("Europe/Berlin");
  const Timestamp ref = at("2026-11-30T10:00:00Z");
  CHECK(format_human(at("2026-12-31T17:00:00Z"), ber, ref) == "Thu 31 Dec, 18:00 (Berlin)");
  CHECK(format_human(at("2027-01-04T08:00:00Z"), ber, ref) == "Mon 4 Jan 2027, 09:00 (Berlin)");
  CHECK(format_human(at("2026-12-01T08:00:15Z"), ber, ref) == "Tue 1 Dec, 09:00:15 (Berlin)");
  CHECK(format_human(at("2026-12-01T08:00:00Z"), TimeZone(), ref) == "Tue 1 Dec, 08:00 (UTC)");
  CHECK(format_iso_local(at("2026-12-01T08:00:00Z"), TimeZone()) == "2026-12-01T08:00:00Z");
  CHECK(format_iso_local(at("2026-07-01T08:00:00Z"), ber) == "2026-07-01T10:00:00+02:00");
  CHECK(format_iso_local(at("2026-07-01T08:00:00Z"), *TimeZone::locate("America/New_York")) ==
        "2026-07-01T04:00:00-04:00");
}

TEST_CASE("formatting: durations read as people write them") {
  CHECK(format_human(hours(24)) == "1 day");
  CHECK(format_human(hours(48)) == "2 days");
  CHECK(format_human(hours(2)) == "2 hours");
  CHECK(format_human(hours(1)) == "1 hour");
  CHECK(format_human(hours(28)) == "1 day 4 hours");
  CHECK(format_human(Duration{kHour * 4 / 3}) == "1 hour 20 minutes");  // never "1.333333 hours"
  CHECK(format_human(Duration{150 * 60 * 1000000LL}) == "2 hours 30 minutes");
  CHECK(format_human(Duration{90 * 1000000LL}) == "1 minute 30 seconds");
  // Rounded to the nearest of the second unit shown, half up (docs §1.5), never truncated.
  constexpr std::int64_t kSec = 1000000LL, kMin = 60 * kSec;
  CHECK(format_human(Duration{4799999880LL}) == "1 hour 20 minutes");  // 1.3333333 h
  CHECK(format_human(Duration{kHour + 19 * kMin + 29 * kSec}) == "1 hour 19 minutes");
  CHECK(format_human(Duration{kHour + 19 * kMin + 30 * kSec}) == "1 hour 20 minutes");
  CHECK(format_human(Duration{kHour + 59 * kMin + 30 * kSec}) == "2 hours");
  CHECK(format_human(Duration{kHour + 59 * kMin + 29 * kSec}) == "1 hour 59 minutes");
  CHECK(format_human(Duration{59 * kSec + 500000}) == "1 minute");
  CHECK(format_human(Duration{59 * kSec + 499999}) == "59 seconds");
  CHECK(format_human(Duration{2 * kHour}) == "2 hours");
  CHECK(format_human(Duration{24 * kHour}) == "1 day");
  CHECK(format_human(Duration{24 * kHour + 29 * kMin}) == "1 day");
  CHECK(format_human(Duration{24 * kHour + 30 * kMin}) == "1 day 1 hour");
  CHECK(format_human(Duration{24 * kHour - 20 * kSec}) == "1 day");  // rounding carries into days
  CHECK(format_human(Duration{-(kHour + 59 * kMin + 30 * kSec)}) == "minus 2 hours");
  CHECK(format_human(Duration{INT64_MAX}).find(" days") != std::string::npos);
  CHECK(format_human(Duration{0}) == "0 minutes");
  CHECK(format_human(Duration{500}) == "under a second");
  CHECK(format_human(Duration{-2 * kHour}) == "minus 2 hours");
}
