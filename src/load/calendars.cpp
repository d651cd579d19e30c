// Business calendars (spec §1.6): `calendars:` in pack.yaml and in a playbook, the `calendar:`
// a playbook, state or action picks, and the spans (`within`, `after`, `every`) measured on them.
#include <algorithm>
#include <cstdint>

#include "load/playbook_reader.hpp"
#include "util/text.hpp"

namespace redress::load {

namespace {

const std::vector<std::string> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::optional<std::size_t> day_index(const std::string& name) {
  auto it = std::find(kDays.begin(), kDays.end(), name);
  if (it == kDays.end()) return std::nullopt;
  return static_cast<std::size_t>(it - kDays.begin());
}

// "09:00" -> minutes since midnight; "24:00" only when `closing`.
std::optional<std::uint16_t> clock_time(const std::string& s, bool closing) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !closing))) return std::nullopt;
  return static_cast<std::uint16_t>(h * 60 + m);
}

// The days a key of `hours` names: "mon", "mon-fri", "sat,sun", "mon-wed,fri".
bool read_days(Reader& r, const YAML::Node& key, std::vector<std::size_t>& out) {
  const std::string& text = key.Scalar();
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string part = text.substr(start, comma - start);
    part.erase(std::remove(part.begin(), part.end(), ' '), part.end());
    const std::size_t dash = part.find('-');
    const std::string first = part.substr(0, dash), last = dash == std::string::npos ? first : part.substr(dash + 1);
    auto a = day_index(first), b = day_index(last);
    if (!a || !b) {
      const std::string& bad = !a ? first : last;
      std::string msg = "unknown day '" + bad + "' in 'hours'";
      if (auto near = util::nearest(bad, kDays)) msg += " (did you mean '" + *near + "'?)";
      else msg += " (days are mon, tue, wed, thu, fri, sat, sun; ranges like mon-fri)";
      r.error(key, msg);
      return false;
    }
    if (*b < *a) {
      r.error(key, "the day range '" + part + "' runs backwards: write it from the earlier day, e.g. mon-fri");
      return false;
    }
    for (std::size_t d = *a; d <= *b; ++d) out.push_back(d);
    start = comma + 1;
  }
  return true;
}

std::optional<detail::OpenHours> read_range(Reader& r, const YAML::Node& n) {
  auto text = r.scalar(n, "opening hours");
  if (!text) return std::nullopt;
  const std::size_t dash = text->find('-');
  std::optional<std::uint16_t> open, close;
  if (dash != std::string::npos) {
    open = clock_time(text->substr(0, dash), false);
    close = clock_time(text->substr(dash + 1), true);
  }
  if (!open || !close) {
    r.error(n, "opening hours must read like \"09:00-18:00\" (24-hour clock, \"24:00\" for midnight), not '" + *text + "'");
    return std::nullopt;
  }
  if (*close <= *open) {
    r.error(n, "opening hours '" + *text + "' close before they open (hours cannot run past midnight; split them over two days)");
    return std::nullopt;
  }
  return detail::OpenHours{*open, *close};
}

std::optional<detail::TimeZone> read_zone(Reader& r, const YAML::Node& n) {
  auto name = r.scalar(n, "'timezone'");
  if (!name) return std::nullopt;
  if (auto z = detail::TimeZone::locate(*name)) return z;
  r.error(n, detail::TimeZone::unknown(*name));
  return std::nullopt;
}

std::optional<detail::Calendar> read_calendar(Reader& r, const std::string& name, const YAML::Node& spec) {
  const std::string what = "calendar '" + name + "'";
  if (!r.expect_map(spec, what.c_str())) return std::nullopt;
  r.check_keys(spec, {"timezone", "hours", "holidays", "doc"}, what.c_str());
  bool ok = true;
  std::optional<detail::TimeZone> zone;
  if (!spec["timezone"]) { r.error(spec, what + " has no 'timezone' (an IANA name such as Europe/Moscow)"); ok = false; }
  else if (!(zone = read_zone(r, spec["timezone"]))) ok = false;

  if (spec["doc"] && !r.scalar(spec["doc"], "'doc'")) ok = false;
  detail::Calendar::Week week;
  std::array<const YAML::Node*, 7> given{};
  std::vector<YAML::Node> keys;  // keeps the nodes `given` points at alive
  if (!present(spec["hours"])) {
    r.error(spec["hours"] ? key_of(spec, "hours") : spec, what + " has no 'hours' (e.g. hours: {mon-fri: \"09:00-18:00\"})");
    ok = false;
  } else if (!r.expect_map(spec["hours"], "'hours'")) {
    ok = false;  // one error: not also "never open"
  } else {
    const YAML::Node hours = spec["hours"];
    keys.reserve(hours.size());
    for (auto it = hours.begin(); it != hours.end(); ++it) {
      keys.push_back(it->first);
      const YAML::Node& key = keys.back();
      if (!key.IsScalar()) { r.error(key, "a key of 'hours' names days, such as mon-fri or sat"); ok = false; continue; }
      std::vector<std::size_t> days;
      if (!read_days(r, key, days)) { ok = false; continue; }
      std::vector<detail::OpenHours> ranges;
      const YAML::Node value = it->second;
      if (value.IsSequence()) {
        for (const auto& item : value)
          if (auto h = read_range(r, item)) ranges.push_back(*h); else ok = false;
      } else if (auto h = read_range(r, value)) {
        ranges.push_back(*h);
      } else {
        ok = false;
      }
      std::sort(ranges.begin(), ranges.end(),
                [](const detail::OpenHours& a, const detail::OpenHours& b) { return a.open < b.open; });
      for (std::size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].open < ranges[i - 1].close) {
          r.error(value, "opening hours overlap: " + std::to_string(ranges[i].open / 60) + ":" +
                             (ranges[i].open % 60 < 10 ? "0" : "") + std::to_string(ranges[i].open % 60) +
                             " is inside an earlier range of the same day");
          ok = false;
        }
      for (std::size_t d : days) {
        if (given[d]) {
          r.error(key, "'" + kDays[d] + "' already has hours (from '" + given[d]->Scalar() +
                           "'): give each day once; list several ranges as [\"09:00-13:00\", \"14:00-18:00\"]");
          ok = false;
          continue;
        }
        given[d] = &key;
        week[d] = ranges;
      }
    }
  }

  std::vector<std::int64_t> holidays;
  if (present(spec["holidays"]) && r.expect_seq(spec["holidays"], "'holidays'")) {
    for (const auto& h : spec["holidays"]) {
      auto text = r.scalar(h, "a holiday");
      if (!text) { ok = false; continue; }
      auto day = Timestamp::parse_date(*text);
      if (!day) { r.error(h, "a holiday is a date like \"2026-12-31\", not '" + *text + "'"); ok = false; continue; }
      holidays.push_back(day->micros / (86400LL * 1000000));
    }
  }
  if (!ok) return std::nullopt;
  detail::Calendar cal(*zone, std::move(week), std::move(holidays));
  if (!cal.has_hours()) {
    r.error(spec["hours"], what + " is never open: give at least one day some hours");
    return std::nullopt;
  }
  return cal;
}

}  // namespace

std::vector<detail::NamedCalendar> read_calendars(Reader& r, const YAML::Node& n) {
  std::vector<detail::NamedCalendar> out;
  if (!r.expect_map(n, "'calendars'")) return out;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) { r.error(key, "a calendar name must be a plain name"); continue; }
    const std::string& name = key.Scalar();
    if (!r.identifier(key, name, "calendar")) continue;
    if (std::any_of(out.begin(), out.end(), [&](const auto& c) { return c.name == name; })) {
      r.error(key, "calendar '" + name + "' is declared twice");
      continue;
    }
    // A calendar with errors keeps its name (the file fails to load anyway), so that the
    // places picking it do not report it unknown as well.
    auto cal = read_calendar(r, name, it->second);
    out.push_back(detail::NamedCalendar{name, cal ? std::move(*cal) : detail::Calendar::always_open(), r.pos(key)});
  }
  return out;
}

std::optional<detail::Span> read_span(Reader& r, const YAML::Node& n, const char* what) {
  auto text = r.scalar(n, what);
  if (!text) return std::nullopt;
  auto span = detail::Span::parse(*text);
  if (!span) {
    r.error(n, std::string(what) + " must be a duration such as 15m, 2h, 1d, 4bh (business hours, 1 to 100000) or 2bd (business days, 1 to 10000), not '" + *text + "'");
    return std::nullopt;
  }
  if (span->negative()) {
    r.error(n, std::string(what) + " cannot be negative");
    return std::nullopt;
  }
  return span;
}

// The playbook's calendars: pack.yaml's, then its own (which replace the pack's of the same
// name), then the one it picks with `calendar:`.
void PlaybookReader::read_calendars_section(Playbook& pb) {
  const YAML::Node& root = doc_.root;
  if (pack_)
    for (const auto& c : pack_->calendars) pb.calendars.push_back(c);
  if (present(root["calendars"])) {
    for (auto& c : read_calendars(r_, root["calendars"])) {
      auto same = std::find_if(pb.calendars.begin() + 1, pb.calendars.end(),
                               [&](const auto& k) { return k.name == c.name; });
      if (same != pb.calendars.end()) *same = std::move(c);
      else pb.calendars.push_back(std::move(c));
    }
  }
  if (root["calendar"]) if (auto c = calendar_ref(root["calendar"], pb)) pb.calendar = *c;
}

std::optional<std::uint32_t> PlaybookReader::calendar_ref(const YAML::Node& n, const Playbook& pb) {
  auto name = r_.scalar(n, "'calendar'");
  if (!name) return std::nullopt;
  std::vector<std::string> names;
  for (std::uint32_t i = 1; i < pb.calendars.size(); ++i) {
    if (pb.calendars[i].name == *name) return i;
    names.push_back(pb.calendars[i].name);
  }
  std::string msg = "unknown calendar '" + *name + "'";
  if (auto near = util::nearest(*name, names)) msg += " (did you mean '" + *near + "'?)";
  else if (names.empty()) msg += ": declare it under 'calendars:' in the playbook or in pack.yaml";
  else {
    msg += " (calendars:";
    for (std::size_t i = 0; i < names.size(); ++i) msg += (i ? ", " : " ") + names[i];
    msg += ")";
  }
  r_.error(n, msg);
  return std::nullopt;
}

}  // namespace redress::load
