#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "redress/time.hpp"
#include "redress/value.hpp"

using redress::Duration;
using redress::Timestamp;

namespace {

constexpr std::int64_t kSec = 1000000;
constexpr std::int64_t kMin = 60 * kSec;
constexpr std::int64_t kHour = 60 * kMin;
constexpr std::int64_t kDay = 24 * kHour;

std::optional<std::int64_t> dur(const char* text) {
  const std::optional<Duration> d = Duration::parse(text);
  if (!d) return std::nullopt;
  return d->micros;
}

std::string ts(const char* text) {  // parse, then UTC text; "<none>" when rejected
  const std::optional<Timestamp> t = Timestamp::parse(text);
  return t ? t->to_string() : std::string("<none>");
}

}  // namespace

TEST_CASE("duration: compact forms") {
  CHECK(dur("90s") == 90 * kSec);
  CHECK(dur("15m") == 15 * kMin);
  CHECK(dur("2h") == 2 * kHour);
  CHECK(dur("3d") == 3 * kDay);
  CHECK(dur("1w") == 7 * kDay);
  CHECK(dur("3h30m") == 3 * kHour + 30 * kMin);
  CHECK(dur("1d12h") == kDay + 12 * kHour);
  CHECK(dur("1w2d") == 9 * kDay);
  CHECK(dur("1w1d1h1m1s") == 8 * kDay + kHour + kMin + kSec);
  CHECK(dur("1.5s") == 1500000);
  CHECK(dur("0.000001s") == 1);
  CHECK(dur("2m0.25s") == 2 * kMin + 250000);
  CHECK(dur("0s") == 0);
  CHECK(dur("-2h") == -2 * kHour);
  CHECK(dur("-1d12h") == -(kDay + 12 * kHour));
  CHECK(dur("120m") == 2 * kHour);  // a unit may exceed the next larger one
}

TEST_CASE("duration: compact forms rejected") {
  for (const char* bad : {"", "-", "s", "15", "15x", "3m2h", "1h1h", "1d1w", "1.5h", "1.5m", "1.5d",
                          "1.s", ".5s", "1ms", "1 h", " 1h", "1h ", "1H", "+1h", "--1h", "1h-30m",
                          "0.0000001s", "3h30", "h30m", "1e3s"}) {
    CHECK_MESSAGE(!Duration::parse(bad).has_value(), "accepted: '" << bad << "'");
  }
}

TEST_CASE("duration: ISO 8601") {
  CHECK(dur("PT3H30M") == 3 * kHour + 30 * kMin);
  CHECK(dur("P1DT2H") == kDay + 2 * kHour);
  CHECK(dur("P2W") == 14 * kDay);
  CHECK(dur("PT0.5S") == 500000);
  CHECK(dur("PT0,5S") == 500000);
  CHECK(dur("P1D") == kDay);
  CHECK(dur("PT1M") == kMin);  // minutes in the time part
  CHECK(dur("PT1H0.5M") == kHour + 30 * kSec);
  CHECK(dur("PT1.5H") == 90 * kMin);
  CHECK(dur("P0.5D") == 12 * kHour);
  CHECK(dur("-PT15M") == -15 * kMin);
  CHECK(dur("PT36H") == 36 * kHour);
  CHECK(dur("P0D") == 0);
  CHECK(dur("PT0.00000001H") == 36);  // exact in microseconds

  for (const char* bad : {"P", "PT", "P1DT", "P1M", "P1Y", "P1Y2M", "PT1H2H", "PT1S1M", "P1H", "PT1D",
                          "pt1h", "P1.5DT1H", "PT0.0000001S", "PT1.5H30M", "P1DT2H ", "PT-1H", "P-1D",
                          "PT0.0000000001H"}) {
    CHECK_MESSAGE(!Duration::parse(bad).has_value(), "accepted: '" << bad << "'");
  }
}

TEST_CASE("duration: the ±100000-year bound") {
  CHECK(dur("36524250d") == 36524250LL * kDay);          // exactly 100000 years
  CHECK(dur("-36524250d") == -36524250LL * kDay);
  CHECK_FALSE(Duration::parse("36524251d").has_value());
  CHECK_FALSE(Duration::parse("36524250d1s").has_value());
  CHECK_FALSE(Duration::parse("5217750w1d").has_value());  // 36524251 days
  CHECK_FALSE(Duration::parse("99999999999999999999999999s").has_value());
  CHECK_FALSE(Duration::parse("9223372036854775807s").has_value());
  CHECK_FALSE(Duration::parse("P99999999999999999999W").has_value());
  CHECK_FALSE(Duration::parse("PT9999999999999999H").has_value());
}

TEST_CASE("duration: compact text, largest units first") {
  CHECK(Duration{kDay + 12 * kHour}.to_string() == "1d12h");
  CHECK(Duration{15 * kMin}.to_string() == "15m");
  CHECK(Duration{0}.to_string() == "0s");
  CHECK(Duration{-2 * kHour}.to_string() == "-2h");
  CHECK(Duration{1500000}.to_string() == "1.5s");
  CHECK(Duration{7 * kDay}.to_string() == "7d");  // no weeks on output
  CHECK(Duration{90 * kSec}.to_string() == "1m30s");
  CHECK(Duration{kHour + 250000}.to_string() == "1h0.25s");
  CHECK(Duration{1}.to_string() == "0.000001s");
  CHECK(Duration::seconds(3600).to_string() == "1h");
  CHECK_FALSE(Duration{INT64_MIN}.to_string().empty());  // no overflow on the extreme
  // Round trip.
  for (const char* text : {"1d12h", "15m", "0s", "-2h", "1.5s", "3d4h5m6.000007s", "-0.5s"}) {
    CHECK(Duration::parse(text)->to_string() == text);
  }
}

TEST_CASE("timestamp: ISO 8601 with a zone") {
  CHECK(ts("2026-11-23T10:30:00Z") == "2026-11-23T10:30:00Z");
  CHECK(ts("2026-11-23T12:30:00+02:00") == "2026-11-23T10:30:00Z");
  CHECK(ts("2026-11-23T10:30:00.250Z") == "2026-11-23T10:30:00.25Z");
  CHECK(ts("2026-11-23 10:30Z") == "2026-11-23T10:30:00Z");
  CHECK(ts("2026-11-23t10:30:00z") == "2026-11-23T10:30:00Z");
  CHECK(ts("2026-11-23T10:30:00.123456Z") == "2026-11-23T10:30:00.123456Z");
  CHECK(ts("2026-11-23T10:30:00.1Z") == "2026-11-23T10:30:00.1Z");
  // Offsets: all three spellings, both signs, crossing days and years.
  CHECK(ts("2026-11-23T12:30:00+0200") == "2026-11-23T10:30:00Z");
  CHECK(ts("2026-11-23T12:30:00+02") == "2026-11-23T10:30:00Z");
  CHECK(ts("2026-11-23T05:00:00-05:00") == "2026-11-23T10:00:00Z");
  CHECK(ts("2026-11-23T05:00:00-0530") == "2026-11-23T10:30:00Z");
  CHECK(ts("2026-11-23T01:00:00+05:45") == "2026-11-22T19:15:00Z");
  CHECK(ts("2026-12-31T22:00:00-03:00") == "2027-01-01T01:00:00Z");
  CHECK(ts("2027-01-01T00:30:00+01:00") == "2026-12-31T23:30:00Z");
  CHECK(ts("2026-11-23T10:30:00+00:00") == "2026-11-23T10:30:00Z");
  CHECK(ts("2026-11-23T10:30:00-00:00") == "2026-11-23T10:30:00Z");
  CHECK(ts("2026-11-23T23:59:59.999999Z") == "2026-11-23T23:59:59.999999Z");
  CHECK(ts("1970-01-01T00:00:00Z") == "1970-01-01T00:00:00Z");
  CHECK(Timestamp::parse("1970-01-01T00:00:00Z")->micros == 0);
  CHECK(Timestamp::parse("1970-01-01T00:00:01+00:00")->micros == kSec);
  CHECK(ts("0001-01-01T00:00:00Z") == "0001-01-01T00:00:00Z");
  CHECK(ts("9999-12-31T23:59:59Z") == "9999-12-31T23:59:59Z");
  CHECK(ts("1969-12-31T23:59:59.5Z") == "1969-12-31T23:59:59.5Z");
  CHECK(Timestamp::parse("1969-12-31T23:59:59.5Z")->micros == -500000);
}

TEST_CASE("timestamp: leap years") {
  CHECK(ts("2024-02-29T00:00:00Z") == "2024-02-29T00:00:00Z");
  CHECK(ts("2000-02-29T00:00:00Z") == "2000-02-29T00:00:00Z");  // divisible by 400
  CHECK(ts("2026-02-29T00:00:00Z") == "<none>");
  CHECK(ts("1900-02-29T00:00:00Z") == "<none>");  // divisible by 100, not 400
  CHECK(ts("2100-02-29T00:00:00Z") == "<none>");
  CHECK(ts("2024-02-30T00:00:00Z") == "<none>");
  CHECK(ts("2026-04-31T00:00:00Z") == "<none>");
  CHECK(ts("2026-12-31T00:00:00Z") == "2026-12-31T00:00:00Z");
  // A day after Feb 28 is Feb 29 in a leap year, Mar 1 otherwise.
  CHECK(Timestamp{Timestamp::parse_date("2024-02-28")->micros + kDay}.to_string() ==
        "2024-02-29T00:00:00Z");
  CHECK(Timestamp{Timestamp::parse_date("2026-02-28")->micros + kDay}.to_string() ==
        "2026-03-01T00:00:00Z");
  CHECK(Timestamp::parse_date("2025-01-01")->micros - Timestamp::parse_date("2024-01-01")->micros ==
        366 * kDay);
  CHECK(Timestamp::parse_date("2026-01-01")->micros - Timestamp::parse_date("2025-01-01")->micros ==
        365 * kDay);
}

TEST_CASE("timestamp: rejected") {
  for (const char* bad : {
           "", "2026-11-23", "2026-11-23T10:30:00", "2026-11-23T10:30", "2026-11-23T10Z",
           "2026-11-23T10:30:00 Z", "2026-11-23T24:00:00Z", "2026-11-23T10:60:00Z",
           "2026-11-23T10:30:60Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
           "2026-11-00T00:00:00Z", "2026-11-32T00:00:00Z", "0000-01-01T00:00:00Z",
           "10000-01-01T00:00:00Z", "26-11-23T10:30:00Z", "2026-1-23T10:30:00Z",
           "2026-11-23T1:30:00Z", "2026-11-23T10:30:00.Z", "2026-11-23T10:30:00.1234567Z",
           "2026-11-23T10:30:00+2:00", "2026-11-23T10:30:00+02:0", "2026-11-23T10:30:00+24:00",
           "2026-11-23T10:30:00+02:60", "2026-11-23T10:30:00+02:", "2026-11-23T10:30:00Zjunk",
           "2026-11-23T10:30:00ZZ", "2026-11-23X10:30:00Z", "2026/11/23T10:30:00Z",
           " 2026-11-23T10:30:00Z", "2026-11-23T10:30:00UTC", "2026-11-23T10:30:00.25"}) {
    CHECK_MESSAGE(!Timestamp::parse(bad).has_value(), "accepted: '" << bad << "'");
  }
}

TEST_CASE("timestamp: dates, civil fields, now") {
  CHECK(Timestamp::parse_date("2026-11-23")->to_string() == "2026-11-23T00:00:00Z");
  CHECK(Timestamp::parse_date("1970-01-01")->micros == 0);
  CHECK_FALSE(Timestamp::parse_date("2026-11-23T00:00:00Z").has_value());
  CHECK_FALSE(Timestamp::parse_date("2026-02-29").has_value());
  CHECK_FALSE(Timestamp::parse_date("2026-11-23 ").has_value());
  CHECK_FALSE(Timestamp::parse_date("20261123").has_value());

  CHECK(Timestamp::from_civil(2026, 11, 23, 10, 30) == *Timestamp::parse("2026-11-23T10:30:00Z"));
  CHECK(Timestamp::from_civil(1970, 1, 1).micros == 0);
  CHECK(Timestamp::from_civil(2000, 3, 1).to_string() == "2000-03-01T00:00:00Z");
  CHECK(Timestamp::from_civil(1969, 12, 31, 23, 59, 59).micros == -kSec);
  // Fields past their range carry over.
  CHECK(Timestamp::from_civil(2026, 13, 1).to_string() == "2027-01-01T00:00:00Z");
  CHECK(Timestamp::from_civil(2026, 0, 1).to_string() == "2025-12-01T00:00:00Z");
  CHECK(Timestamp::from_civil(2024, 3, 0).to_string() == "2024-02-29T00:00:00Z");
  CHECK(Timestamp::from_civil(2026, 11, 23, 24).to_string() == "2026-11-24T00:00:00Z");

  const Timestamp t = Timestamp::now();
  CHECK(t.micros > Timestamp::parse_date("2025-01-01")->micros);
  CHECK(t.micros < Timestamp::parse_date("2200-01-01")->micros);
  // Every day of four centuries round-trips through civil dates.
  const std::int64_t start = Timestamp::parse_date("1900-01-01")->micros / kDay;
  const std::int64_t end = Timestamp::parse_date("2300-01-01")->micros / kDay;
  bool all_ok = true;
  for (std::int64_t day = start; day < end && all_ok; ++day) {
    const std::string text = Timestamp{day * kDay}.to_string();
    const std::optional<Timestamp> back = Timestamp::parse_date(text.substr(0, 10));
    all_ok = back && back->micros == day * kDay;
  }
  CHECK(all_ok);
}

TEST_CASE("value: display text and kind names") {
  using redress::Value;
  CHECK(Value::integer(42).to_display() == "42");
  CHECK(Value::number(*redress::Decimal::parse("-2.50")).to_display() == "-2.5");
  CHECK(Value::money(*redress::Money::parse("12.5 EUR")).to_display() == "12.50 EUR");
  CHECK(Value::string("text").to_display() == "'text'");
  CHECK(Value::list({"a", "b"}).to_display() == "[a, b]");
  CHECK(Value::list({}).to_display() == "[]");
  CHECK(Value::null().to_display() == "null");
  CHECK(Value::boolean(true).to_display() == "true");
  CHECK(Value::boolean(false).to_display() == "false");
  CHECK(Value::datetime(*Timestamp::parse("2026-11-23T10:00:00Z")).to_display() ==
        "2026-11-23T10:00:00Z");
  CHECK(Value::duration(*Duration::parse("3h")).to_display() == "3h");

  CHECK(std::string(redress::to_string(Value::Kind::Null)) == "null");
  CHECK(std::string(redress::to_string(Value::Kind::Bool)) == "bool");
  CHECK(std::string(redress::to_string(Value::Kind::Int)) == "int");
  CHECK(std::string(redress::to_string(Value::Kind::Number)) == "number");
  CHECK(std::string(redress::to_string(Value::Kind::Money)) == "money");
  CHECK(std::string(redress::to_string(Value::Kind::String)) == "string");
  CHECK(std::string(redress::to_string(Value::Kind::Datetime)) == "datetime");
  CHECK(std::string(redress::to_string(Value::Kind::Duration)) == "duration");
  CHECK(std::string(redress::to_string(Value::Kind::List)) == "list");
}
