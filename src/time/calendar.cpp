// Business calendars over the IANA tzdb (see calendar.hpp). The only file that includes date/tz.
#include "time/calendar.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <string>
#include <utility>

#include <date/date.h>
#include <date/tz.h>

#include "util/text.hpp"

namespace redress::detail {
namespace {

using Micros = std::chrono::microseconds;
constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr std::int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr std::int64_t kMicrosPerDay = 24 * kMicrosPerHour;

date::sys_time<Micros> to_sys(Timestamp t) { return date::sys_time<Micros>{Micros{t.micros}}; }

// Days since 1970-01-01 of the local day `local_micros` (local time as micros since the epoch).
std::int64_t floor_day(std::int64_t local_micros) {
  std::int64_t d = local_micros / kMicrosPerDay;
  if (local_micros % kMicrosPerDay < 0) --d;
  return d;
}

// 1970-01-01 was a Thursday; 0 is Monday.
int weekday_index(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }

const std::int64_t kLastDay = floor_day(Timestamp::from_civil(9999, 12, 31).micros);

}  // namespace

Timestamp end_of_time() { return Timestamp::from_civil(9999, 12, 31, 23, 59, 59); }

// ---- TimeZone -------------------------------------------------------------------------------

std::optional<TimeZone> TimeZone::locate(std::string_view iana_name) {
  try {
    return TimeZone(date::locate_zone(iana_name));
  } catch (const std::exception&) {  // unknown zone, or no readable OS tzdb
    return std::nullopt;
  }
}

std::vector<std::string> TimeZone::names() {
  std::vector<std::string> out;
  try {
    for (const auto& z : date::get_tzdb().zones) out.push_back(z.name());
  } catch (const std::exception&) {
  }
  return out;
}

std::string TimeZone::unknown(std::string_view iana_name) {
  const std::vector<std::string> known = names();
  std::string msg = "unknown time zone '" + std::string(iana_name) + "'";
  if (known.empty()) msg += ": the IANA time zone database (/usr/share/zoneinfo) cannot be read";
  else if (auto near = util::nearest(iana_name, known)) msg += " (did you mean '" + *near + "'?)";
  else msg += ": use an IANA name such as Europe/Berlin or America/New_York";
  return msg;
}

std::string TimeZone::name() const { return zone_ ? zone_->name() : std::string("UTC"); }

std::string TimeZone::city() const {
  std::string n = name();
  const auto slash = n.rfind('/');
  if (slash != std::string::npos) n = n.substr(slash + 1);
  std::replace(n.begin(), n.end(), '_', ' ');
  return n;
}

std::int64_t TimeZone::offset_seconds(Timestamp t) const {
  if (!zone_) return 0;
  return zone_->get_info(date::floor<std::chrono::seconds>(to_sys(t))).offset.count();
}

Timestamp TimeZone::from_local(std::int64_t local_day, std::int64_t minute_of_day) const {
  const std::int64_t local_micros = local_day * kMicrosPerDay + minute_of_day * kMicrosPerMinute;
  if (!zone_) return Timestamp{local_micros};
  const auto sys = zone_->to_sys(date::local_time<Micros>{Micros{local_micros}}, date::choose::earliest);
  return Timestamp{std::chrono::duration_cast<Micros>(sys.time_since_epoch()).count()};
}

std::int64_t TimeZone::local_day(Timestamp t) const {
  return floor_day(t.micros + offset_seconds(t) * kMicrosPerSecond);
}

// ---- Intervals ------------------------------------------------------------------------------

std::vector<Interval> normalize(std::vector<Interval> intervals) {
  intervals.erase(std::remove_if(intervals.begin(), intervals.end(),
                                 [](const Interval& i) { return !(i.begin < i.end); }),
                  intervals.end());
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
  std::vector<Interval> out;
  for (const Interval& i : intervals) {
    if (!out.empty() && !(out.back().end < i.begin)) {
      if (out.back().end < i.end) out.back().end = i.end;
    } else {
      out.push_back(i);
    }
  }
  return out;
}

namespace {

// Walks the running parts of an open period: [seg.begin, seg.end) minus the pauses. `pi` is
// the index of the first pause that may still matter and only moves forward. `visit(begin,
// end)` returns true to stop; for_each_running then returns true too.
template <class Visit>
bool for_each_running(Interval seg, const std::vector<Interval>& pauses, std::size_t& pi, Visit visit) {
  Timestamp cur = seg.begin;
  while (cur < seg.end) {
    while (pi < pauses.size() && !(cur < pauses[pi].end)) ++pi;
    if (pi < pauses.size() && !(cur < pauses[pi].begin)) {  // inside a pause
      cur = pauses[pi].end < seg.end ? pauses[pi].end : seg.end;
      continue;
    }
    Timestamp run_end = seg.end;
    if (pi < pauses.size() && pauses[pi].begin < run_end) run_end = pauses[pi].begin;
    if (visit(cur, run_end)) return true;
    cur = run_end;
  }
  return false;
}

std::size_t first_pause_ending_after(const std::vector<Interval>& pauses, Timestamp t) {
  return static_cast<std::size_t>(
      std::upper_bound(pauses.begin(), pauses.end(), t,
                       [](Timestamp v, const Interval& i) { return v < i.end; }) -
      pauses.begin());
}

}  // namespace

// ---- Calendar -------------------------------------------------------------------------------

Calendar::Calendar(TimeZone zone, Week week, std::vector<std::int64_t> holidays)
    : zone_(zone), week_(std::move(week)), holidays_(std::move(holidays)) {
  std::sort(holidays_.begin(), holidays_.end());
  holidays_.erase(std::unique(holidays_.begin(), holidays_.end()), holidays_.end());
}

Calendar Calendar::always_open() {
  Calendar c;
  for (auto& day : c.week_) day.push_back(OpenHours{0, 1440});
  c.around_the_clock_ = true;
  return c;
}

bool Calendar::has_hours() const {
  return std::any_of(week_.begin(), week_.end(), [](const auto& d) { return !d.empty(); });
}

bool Calendar::is_holiday(std::int64_t local_day) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), local_day);
}

template <class Visit>
bool Calendar::for_each_hour(std::int64_t local_day, Visit visit) const {
  if (is_holiday(local_day)) return false;
  for (const OpenHours& h : week_[static_cast<std::size_t>(weekday_index(local_day))]) {
    const Timestamp b = zone_.from_local(local_day, h.open), e = zone_.from_local(local_day, h.close);
    if (b < e && visit(Interval{b, e})) return true;  // hours inside a DST gap are no hours
  }
  return false;
}

std::int64_t Calendar::next_working_day(std::int64_t local_day) const {
  for (std::int64_t d = local_day + 1; d <= kLastDay; ++d)
    if (for_each_hour(d, [](const Interval&) { return true; })) return d;
  return kLastDay + 1;
}

Interval Calendar::next_open(Timestamp t) const {
  const Timestamp eot = end_of_time();
  if (around_the_clock_) return Interval{t, eot};
  if (!has_hours() || !(t < eot)) return Interval{eot, eot};
  for (std::int64_t d = zone_.local_day(t); d <= kLastDay; ++d) {
    Interval found{eot, eot};
    const bool hit = for_each_hour(d, [&](const Interval& iv) {
      if (!(t < iv.end)) return false;
      found = Interval{iv.begin < t ? t : iv.begin, iv.end};
      return true;
    });
    if (hit) return found;
  }
  return Interval{eot, eot};
}

bool Calendar::is_open(Timestamp t) const {
  const Interval seg = next_open(t);
  return seg.begin == t && t < seg.end;
}

Timestamp Calendar::add(Timestamp start, Duration amount, const std::vector<Interval>& pauses) const {
  if (amount.micros <= 0) return start;
  const Timestamp eot = end_of_time();
  std::int64_t remaining = amount.micros;
  std::size_t pi = first_pause_ending_after(pauses, start);
  Timestamp t = start, result = eot;
  while (t < eot) {
    // Inside a pause: jump to its end at once (an open pause ends at the end of time), rather
    // than walking the open hours it covers day by day.
    while (pi < pauses.size() && !(t < pauses[pi].end)) ++pi;
    if (pi < pauses.size() && !(t < pauses[pi].begin)) {
      t = pauses[pi].end;
      continue;
    }
    const Interval seg = next_open(t);
    if (!(seg.begin < eot)) break;
    const bool done = for_each_running(seg, pauses, pi, [&](Timestamp b, Timestamp e) {
      const std::int64_t len = e.micros - b.micros;
      if (len >= remaining) {
        result = Timestamp{b.micros + remaining};
        return true;
      }
      remaining -= len;
      return false;
    });
    if (done) return result;
    t = seg.end;
  }
  return eot;
}

Duration Calendar::between(Timestamp from, Timestamp to, const std::vector<Interval>& pauses) const {
  std::int64_t total = 0;
  std::size_t pi = first_pause_ending_after(pauses, from);
  Timestamp t = from;
  while (t < to) {
    while (pi < pauses.size() && !(t < pauses[pi].end)) ++pi;
    if (pi < pauses.size() && !(t < pauses[pi].begin)) {  // skip a pause at once
      t = pauses[pi].end;
      continue;
    }
    Interval seg = next_open(t);
    if (!(seg.begin < to)) break;
    const Timestamp seg_end = seg.end;
    if (to < seg.end) seg.end = to;
    for_each_running(seg, pauses, pi, [&](Timestamp b, Timestamp e) {
      total += e.micros - b.micros;
      return false;
    });
    t = seg_end;
  }
  return Duration{total};
}

Timestamp Calendar::add_days_unpaused(Timestamp start, std::int64_t days) const {
  const Timestamp eot = end_of_time();
  if (!has_hours()) return eot;
  const std::int64_t first = zone_.local_day(start);
  std::int64_t working = first;
  std::int64_t position = 0;  // business time since `working` opened
  // Business time since the first day opened, and whether `start` comes before its closing.
  bool before_closing = false;
  for_each_hour(first, [&](const Interval& iv) {
    if (start < iv.end) before_closing = true;
    if (iv.begin < start) position += (start < iv.end ? start : iv.end).micros - iv.begin.micros;
    return false;
  });
  if (!before_closing) {
    position = 0;
    working = next_working_day(first);
  }
  // Position zero is the same business instant as the previous working day's closing, and
  // the earliest instant is the deadline.
  const std::int64_t steps = position == 0 ? days - 1 : days;
  for (std::int64_t k = 0; k < steps && working <= kLastDay; ++k) working = next_working_day(working);
  if (working > kLastDay) return eot;
  // The position on the target day, clamped to its closing (a shorter day).
  Timestamp closing = eot, deadline = eot;
  std::int64_t left = position;
  const bool within = for_each_hour(working, [&](const Interval& iv) {
    closing = iv.end;
    const std::int64_t len = iv.end.micros - iv.begin.micros;
    if (position == 0 || left > len) {
      left -= len;
      return false;
    }
    deadline = Timestamp{iv.begin.micros + left};
    return true;
  });
  return within ? deadline : closing;
}

Timestamp Calendar::add_days(Timestamp start, std::int64_t days, const std::vector<Interval>& pauses) const {
  if (days <= 0) return start;
  const Timestamp plain = add_days_unpaused(start, days);
  if (pauses.empty()) return plain;
  const Duration paused{between(start, plain).micros - between(start, plain, pauses).micros};
  return add(plain, paused, pauses);
}

// ---- Spans ----------------------------------------------------------------------------------

std::optional<Span> Span::parse(std::string_view text) {
  if (text.size() > 2 && text.size() <= 8 && text[text.size() - 2] == 'b' &&
      (text.back() == 'h' || text.back() == 'd')) {
    std::int64_t n = 0;
    for (std::size_t i = 0; i + 2 < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      n = n * 10 + (text[i] - '0');
    }
    Span s;
    if (text.back() == 'h') {
      if (n < 1 || n > 100000) return std::nullopt;
      s.unit = Unit::BusinessHours;
      s.amount = Duration{n * kMicrosPerHour};
    } else {
      if (n < 1 || n > 10000) return std::nullopt;
      s.unit = Unit::BusinessDays;
      s.days = n;
    }
    return s;
  }
  auto d = Duration::parse(text);
  if (!d) return std::nullopt;
  Span s;
  s.amount = *d;
  return s;
}

std::string Span::to_string() const {
  switch (unit) {
    case Unit::BusinessHours: return std::to_string(amount.micros / kMicrosPerHour) + "bh";
    case Unit::BusinessDays: return std::to_string(days) + "bd";
    case Unit::Wall: break;
  }
  return amount.to_string();
}

Timestamp advance(const Calendar& calendar, Timestamp start, const Span& span,
                  const std::vector<Interval>& pauses) {
  switch (span.unit) {
    case Span::Unit::BusinessHours: return calendar.add(start, span.amount, pauses);
    case Span::Unit::BusinessDays: return calendar.add_days(start, span.days, pauses);
    case Span::Unit::Wall: break;
  }
  static const Calendar around = Calendar::always_open();
  return around.add(start, span.amount, pauses);
}

// ---- Formatting -----------------------------------------------------------------------------

namespace {

const char* const kWeekdays[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char* const kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string two(std::int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); }

struct LocalParts {
  std::int64_t day;  // days since 1970-01-01
  int year;
  unsigned month, mday;
  std::int64_t micros_of_day;
};

LocalParts local_parts(Timestamp t, const TimeZone& zone) {
  const std::int64_t local = t.micros + zone.offset_seconds(t) * kMicrosPerSecond;
  LocalParts p{};
  p.day = floor_day(local);
  p.micros_of_day = local - p.day * kMicrosPerDay;
  const date::year_month_day ymd{date::sys_days{date::days{p.day}}};
  p.year = static_cast<int>(ymd.year());
  p.month = static_cast<unsigned>(ymd.month());
  p.mday = static_cast<unsigned>(ymd.day());
  return p;
}

}  // namespace

std::string format_human(Timestamp t, const TimeZone& zone, Timestamp reference) {
  const LocalParts p = local_parts(t, zone);
  const std::int64_t seconds_of_day = p.micros_of_day / kMicrosPerSecond;
  std::string s = kWeekdays[weekday_index(p.day)];
  s += " " + std::to_string(p.mday) + " " + kMonths[p.month - 1];
  if (local_parts(reference, zone).year != p.year) s += " " + std::to_string(p.year);
  s += ", " + two(seconds_of_day / 3600) + ":" + two(seconds_of_day / 60 % 60);
  if (seconds_of_day % 60 != 0) s += ":" + two(seconds_of_day % 60);
  return s + " (" + zone.city() + ")";
}

std::string format_iso_local(Timestamp t, const TimeZone& zone) {
  if (zone == TimeZone()) return t.to_string();
  const std::int64_t offset = zone.offset_seconds(t);
  // Timestamp::to_string of the local wall time gives "YYYY-MM-DDTHH:MM:SS[.fff]Z".
  std::string s = Timestamp{t.micros + offset * kMicrosPerSecond}.to_string();
  s.pop_back();
  const std::int64_t a = std::llabs(offset);
  return s + (offset < 0 ? "-" : "+") + two(a / 3600) + ":" + two(a / 60 % 60);
}

std::string format_human(Duration d) {
  struct Unit {
    std::int64_t micros;
    const char* name;
  };
  static const Unit kUnits[4] = {{kMicrosPerDay, "day"},
                                 {kMicrosPerHour, "hour"},
                                 {kMicrosPerMinute, "minute"},
                                 {kMicrosPerSecond, "second"}};
  if (d.micros == 0) return "0 minutes";
  const bool negative = d.micros < 0;
  // |INT64_MIN| does not fit; durations are bounded far below it (±100000 years) anyway.
  const std::int64_t m = negative ? (d.micros == INT64_MIN ? INT64_MAX : -d.micros) : d.micros;
  auto part = [](std::int64_t n, const char* name) {
    return std::to_string(n) + " " + name + (n == 1 ? "" : "s");
  };
  // The largest unit that fits, then the whole rounded to the nearest of the unit after it
  // (half up): 1 h 19 min 59.9 s reads "1 hour 20 minutes", 59.5 s "1 minute".
  std::size_t k = 0;
  while (k < 4 && m < kUnits[k].micros) ++k;
  std::string s;
  if (k < 4) {
    const std::int64_t step = kUnits[k + 1 < 4 ? k + 1 : 3].micros;
    std::int64_t r = m / step * step;
    if (m % step * 2 >= step && r <= INT64_MAX - step) r += step;
    while (k > 0 && r >= kUnits[k - 1].micros) --k;  // rounding carried: 23 h 59 min 40 s is "1 day"
    s = part(r / kUnits[k].micros, kUnits[k].name);
    if (k + 1 < 4) {
      const std::int64_t rest = r % kUnits[k].micros / kUnits[k + 1].micros;
      if (rest > 0) s += " " + part(rest, kUnits[k + 1].name);
    }
  }
  if (s.empty()) s = "under a second";
  return negative ? "minus " + s : s;
}

}  // namespace redress::detail
