// The case's time as expressions read it (expr::Clock, spec §3 "Time"): the Evaluator answers
// `entered_at`, `age`/`since()` comparisons, `overdue()` and business_time_between() from the
// state the case is in, the compiled calendars and the Case's pauses and done actions. Every
// instant at which a comparison would change by time alone goes to next_change_at.
#include <algorithm>
#include <cctype>

#include "compile/compiled.hpp"
#include "eval/evaluator.hpp"
#include "util/text.hpp"

namespace redress::detail {

// What {due_at} reads in a script while an open pause stops the clock (spec §1.5): there is no
// deadline, so "… call you back by {due_at}." reads "… call you back once we hear back from
// you."; the "by" written before the placeholder goes, and "By {due_at}, …" reads "Once …".
void Evaluator::say_paused_due(std::string& s) {
  static const std::string kOnce = "once we hear back from you";
  const std::size_t n = s.size();
  const bool by = n >= 3 && (s[n - 3] == 'b' || s[n - 3] == 'B') && s[n - 2] == 'y' && s[n - 1] == ' ' &&
                  (n == 3 || !std::isalnum(static_cast<unsigned char>(s[n - 4])));
  const bool capital = by && s[n - 3] == 'B';
  if (by) s.resize(n - 3);
  s += kOnce;
  if (capital) s[s.size() - kOnce.size()] = 'O';
}

// The `done` keys that name no action of the playbook, said like unknown facts (spec §4 step
// 1): a typo there would leave the real action overdue and escalating. One line each with a
// "did you mean" for the first few; the rest in one line.
std::vector<std::string> Evaluator::unknown_done_lines(const Playbook& pb, const Case& c, bool strict) const {
  constexpr std::size_t kOneEach = 10, kListed = 5;
  const std::vector<std::string>& ids = pb.money_scope.actions;
  std::vector<std::string> lines;
  std::vector<const std::string*> rest;
  for (const auto& done : c.done) {
    const std::string& id = done.first;
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
    if (lines.size() >= kOneEach) {
      rest.push_back(&id);
      continue;
    }
    std::string line = "unknown action '" + id + "' in 'done'" + util::did_you_mean(id, ids);
    line += strict ? ": playbook '" + pb.id + "' has no such action (strict_facts is on)" : " ignored";
    lines.push_back(std::move(line));
  }
  if (!rest.empty()) {
    std::string line = std::to_string(rest.size()) + " other unknown actions in 'done'" +
                       (strict ? " (strict_facts is on): " : " ignored: ");
    for (std::size_t i = 0; i < rest.size() && i < kListed; ++i) line += (i ? ", '" : "'") + *rest[i] + "'";
    if (rest.size() > kListed) line += " and " + std::to_string(rest.size() - kListed) + " more";
    lines.push_back(std::move(line));
  }
  return lines;
}

std::optional<Timestamp> Evaluator::due_of(const Playbook& pb, const Action& a, std::optional<Timestamp> entered,
                                           std::optional<Timestamp>& done_at) const {
  done_at.reset();
  if (done_)
    for (const auto& [id, at] : *done_)
      if (id == a.id && (!done_at || *done_at < at)) done_at = at;
  // A recurring action is due `every` after it was last done (the first time `within`, else
  // `every`, after entry); any other action `within` after entry.
  const Calendar& cal = pb.calendars[a.calendar].calendar;
  if (a.every && done_at) return advance(cal, *done_at, *a.every, pauses_);
  if (a.every && entered) return advance(cal, *entered, a.within ? *a.within : *a.every, pauses_);
  if (a.within && entered) return advance(cal, *entered, *a.within, pauses_);
  return std::nullopt;
}

Timestamp Evaluator::after(Timestamp from, Unit unit, std::int64_t amount) {
  const Playbook& pb = *clock_playbook_;
  const Calendar& cal = pb.calendars[clock_state_ ? clock_state_->calendar : pb.calendar].calendar;
  Span span;
  switch (unit) {
    case Unit::Wall: span.amount = Duration{amount}; break;
    case Unit::BusinessHours:
      span.unit = Span::Unit::BusinessHours;
      span.amount = Duration{amount};
      break;
    case Unit::BusinessDays:
      span.unit = Span::Unit::BusinessDays;
      span.days = amount;
      break;
  }
  return advance(cal, from, span, pauses_);
}

Duration Evaluator::business_time(Timestamp from, Timestamp to) {
  const Playbook& pb = *clock_playbook_;
  const Calendar& cal = pb.calendars[pb.calendar].calendar;
  if (to < from) return Duration{-cal.between(to, from, pauses_).micros};
  return cal.between(from, to, pauses_);
}

// Whatever its `when`: overdue() asks about the deadline's clock, and an action's `when` may
// itself read overdue().
bool Evaluator::overdue(std::uint32_t action) {
  if (!clock_state_) return false;
  for (const Action& a : clock_state_->actions) {
    if (a.id_index != action) continue;
    std::optional<Timestamp> done_at;
    const std::optional<Timestamp> due = due_of(*clock_playbook_, a, clock_entered_, done_at);
    if ((done_at && !a.every) || !due || !(*due < end_of_time())) return false;
    consider(*due);
    return *due < now_;
  }
  return false;
}

}  // namespace redress::detail
