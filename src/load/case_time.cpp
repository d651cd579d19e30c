// The time parts of a Case (spec §4): `pauses`, `done` and `timezone`.
#include "load/case_yaml.hpp"

#include "time/calendar.hpp"

namespace redress::load {

namespace {

std::optional<CaseProblem> instant(const YAML::Node& n, const std::string& what, Timestamp& out) {
  if (!n.IsScalar()) return CaseProblem{n, what + " must be a date-time"};
  auto t = Timestamp::parse(n.Scalar());
  if (!t) return CaseProblem{n, what + " must be an ISO 8601 date-time with a zone, e.g. 2026-11-23T10:00:00Z, not '" + n.Scalar() + "'"};
  out = *t;
  return std::nullopt;
}

}  // namespace

std::optional<CaseProblem> case_time_from_yaml(const std::string& key, const YAML::Node& v, Case& c) {
  if (v.IsNull()) return std::nullopt;
  if (key == "timezone") {
    if (!v.IsScalar()) return CaseProblem{v, "'timezone' must be an IANA name such as Europe/Berlin"};
    if (!detail::TimeZone::locate(v.Scalar())) return CaseProblem{v, detail::TimeZone::unknown(v.Scalar())};
    c.timezone = v.Scalar();
    return std::nullopt;
  }
  if (key == "pauses") {
    if (!v.IsSequence()) return CaseProblem{v, "'pauses' must be a list of {from: …, to: …}"};
    for (const auto& p : v) {
      if (!p.IsMap()) return CaseProblem{p, "a pause is {from: date-time, to: date-time} ('to' absent: still paused)"};
      Pause pause;
      for (auto it = p.begin(); it != p.end(); ++it) {
        const std::string k = it->first.IsScalar() ? it->first.Scalar() : std::string();
        if (k != "from" && k != "to") return CaseProblem{it->first, "a pause has only 'from' and 'to'"};
      }
      if (!p["from"]) return CaseProblem{p, "this pause has no 'from'"};
      if (auto e = instant(p["from"], "a pause's 'from'", pause.from)) return e;
      if (p["to"] && !p["to"].IsNull()) {
        Timestamp to;
        if (auto e = instant(p["to"], "a pause's 'to'", to)) return e;
        if (to < pause.from) return CaseProblem{p["to"], "this pause ends before it starts"};
        pause.to = to;
      }
      c.pauses.push_back(pause);
    }
    return std::nullopt;
  }
  // done: {action: date-time}
  if (!v.IsMap()) return CaseProblem{v, "'done' must map action names to when they were done"};
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it->first.IsScalar()) return CaseProblem{it->first, "an action name must be a plain name"};
    Timestamp at;
    if (auto e = instant(it->second, "'done' of '" + it->first.Scalar() + "'", at)) return e;
    c.done.emplace_back(it->first.Scalar(), at);
  }
  return std::nullopt;
}

}  // namespace redress::load
