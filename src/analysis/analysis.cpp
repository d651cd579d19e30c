// Playbook analysis over the state graph (issue #5): the findings of `redress lint`. (Each
// state's shortest way to a terminal state is the compile stage's: src/compile/to_close.cpp.)
//
// Every finding says where (the state's key or the condition in the file), what is wrong and
// how to fix it, in words an author who is not a programmer can act on. docs/analysis.md lists
// them with their severity.
#include "analysis/analysis.hpp"

#include <algorithm>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/hawick_circuits.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "analysis/money.hpp"
#include "analysis/finding.hpp"
#include "analysis/state_graph.hpp"
#include "util/text.hpp"

namespace redress::analysis {

namespace {

// An expression as quoted in a message: one line, not too long, in double quotes (expressions
// often hold single-quoted enum values).
std::string quote(const std::string& text) {
  std::string s;
  for (char c : text) s += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (s.size() > 60) {
    s.resize(57);
    util::trim_utf8_tail(s);
    s += "...";
  }
  return "\"" + s + "\"";
}

struct CycleLimit {};

// Collects the elementary cycles of the `always` graph (at most `limit`).
struct CycleCollector {
  std::vector<std::vector<Vertex>>* cycles = nullptr;
  std::size_t limit = 0;
  template <typename Path, typename G>
  void cycle(const Path& p, const G&) {
    cycles->emplace_back(p.begin(), p.end());
    if (cycles->size() >= limit) throw CycleLimit{};
  }
};

class Analyser {
 public:
  Analyser(const detail::Playbook& pb, const Model& model)
      : pb_(pb), m_(model), live_(m_.graph, LiveEdge{&m_.graph, false}) {}

  void run(std::vector<Diagnostic>& diags) {
    if (pb_.states.empty() || pb_.initial >= pb_.states.size()) return;
    find_reachable();
    check_states();
    check_waiting();
    check_options();
    check_always_cycles();
    check_events();
    check_actions();
    check_escalation();
    check_compensation();
    check_money(pb_, found_);
    std::stable_sort(found_.begin(), found_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.location.line, a.location.column) < std::tie(b.location.line, b.location.column);
    });
    for (auto& d : found_) diags.push_back(std::move(d));
  }

 private:
  void add(Severity sev, SourceLocation at, std::string message) {
    found_.push_back(finding(pb_, sev, at, std::move(message)));
  }

  static SourceLocation at(const detail::State& st) { return st.pos; }
  static SourceLocation at(const expr::Program& p) { return p.location(); }
  static SourceLocation at(const detail::Transition& t) { return t.when ? at(*t.when) : t.pos; }

  const std::string& name(std::uint32_t state) const { return pb_.states[state].name; }

  // Why a condition can never hold, for the end of a message: "" or " (days_late is …)".
  std::string never_reason(const expr::Program& p) const {
    if (auto slot = ruled_out_by_bounds(p, m_.vars))
      return " because " + describe_bounds(m_.vars.by_slot[*slot]);
    return "";
  }

  // ---- reachability and the way out -------------------------------------------------------

  void find_reachable() {
    std::vector<Vertex> order;
    std::vector<std::optional<Edge>> via;
    bfs(live_, pb_.initial, order, via);
    reachable_.assign(pb_.states.size(), false);
    for (auto v : order) reachable_[v] = true;
  }

  void check_states() {
    bool any_terminal =
        std::any_of(pb_.states.begin(), pb_.states.end(), [](const auto& st) { return st.terminal; });
    const auto& initial = pb_.states[pb_.initial];
    if (!any_terminal)
      add(Severity::Error, at(initial),
          "this playbook has no terminal state, so no case can ever be closed: mark the state(s) where a "
          "case "
          "ends with 'terminal: true'");
    for (std::uint32_t s = 0; s < pb_.states.size(); ++s) {
      const auto& st = pb_.states[s];
      if (!reachable_[s]) {
        bool blocked = false;  // some reachable state points here, but only through dead options
        for (auto [e, end] = boost::in_edges(s, m_.graph); e != end; ++e)
          blocked = blocked || reachable_[boost::source(*e, m_.graph)];
        add(Severity::Error, at(st),
            "state '" + st.name + "' can never be reached from the initial state '" + initial.name + "'" +
                (blocked ? " (the transitions that lead to it can never be taken)" : "") +
                ": add an 'on' or 'always' transition to it, or remove it");
      } else if (any_terminal && !st.terminal && !st.to_close.reachable) {
        add(Severity::Error, at(st),
            "a case in state '" + st.name +
                "' could never be closed: no terminal state can be reached from it; add a transition that "
                "leads towards a terminal state");
      }
    }
  }

  // A waiting state (not terminal, no `always` list: only an event or a timeout moves the case)
  // with no timeout and one way out: every event it accepts leads to the same other state (or
  // back to itself), and that state is not a close without agreement (which is the refusal).
  // The case waits for one answer; when the other side says no, or never answers, nothing can
  // move it. (No way out at all is the error above.) docs/analysis.md.
  // Only in a playbook that keeps time (it, a state or an action picks a calendar, or there is
  // any `within`, `every` or `after`): one without deadlines leaves all waiting to the CRM.
  bool keeps_time() const {
    for (const auto& st : pb_.states) {
      if (!st.after.empty() || st.calendar != 0) return true;  // 0: no calendar picked
      for (const auto& a : st.actions)
        if (a.within || a.every || a.calendar != 0) return true;
    }
    return false;
  }

  void check_waiting() {
    if (!keeps_time()) return;
    for (std::uint32_t s = 0; s < pb_.states.size(); ++s) {
      const auto& st = pb_.states[s];
      if (!reachable_[s] || st.terminal || !st.always.empty() || !st.after.empty()) continue;
      std::optional<std::uint32_t> out;
      std::string event;
      bool several = false;
      for (std::size_t e = 0; e < st.on.size() && !several; ++e)
        for (const auto& t : st.on[e]) {
          if (t.target == s) continue;
          if (out && *out != t.target) { several = true; break; }
          if (!out) event = pb_.events[e];
          out = t.target;
        }
      if (several || !out) continue;
      const auto& target = pb_.states[*out];
      if (target.terminal && target.outcome == detail::Outcome::ClosedWithoutAgreement) continue;  // the refusal itself
      add(Severity::Warning, at(st),
          "state '" + st.name + "' waits for one answer: its only way out is event '" + event + "' to '" + name(*out) +
              "', and it has no timeout, so a case whose answer is no, or never comes, stays here for ever; add a "
              "timeout ('after: [{within: 3bd, to: STATE}]') or an event for the refusal ('declined: STATE')");
    }
  }

  // ---- first-match lists ------------------------------------------------------------------

  std::string option_name(const OptionList& list, std::size_t k) const {
    return "option " + std::to_string(k + 1) + " (to '" + name((*list.options)[k].target) + "')";
  }

  void check_options() {
    for (const auto& list : m_.lists) {
      const auto& opts = *list.options;
      const std::string where =
          list.automatic ? "in the 'always' list of state '" + name(list.state) + "'"
                         : "of event '" + pb_.events[list.event] + "' in state '" + name(list.state) + "'";
      for (std::size_t k = 0; k < opts.size(); ++k) {
        const auto& t = opts[k];
        const std::string self = option_name(list, k) + " " + where;
        if (list.dead[k] == Dead::NeverHolds) {
          add(Severity::Warning, at(t),
              self + " is never taken: its condition " + quote(t.when->text()) + " can never hold" +
                  never_reason(*t.when) + "; correct the condition or remove the option");
        } else if (list.dead[k] == Dead::Shadowed) {
          add(Severity::Warning, at(t), self + " is never taken: " + shadow_reason(list, k));
        }
      }
      check_gap(list, where);
    }
  }

  // "option 1 (to 'credited', when "days_late >= 1")"
  std::string option_details(const OptionList& list, std::size_t k) const {
    const auto& t = (*list.options)[k];
    return "option " + std::to_string(k + 1) + " (to '" + name(t.target) + "'" +
           (t.when ? ", when " + quote(t.when->text()) : ", no 'when'") + ")";
  }

  std::string shadow_reason(const OptionList& list, std::size_t k) const {
    const auto& opts = *list.options;
    const auto& by = list.shadowed_by[k];
    if (by.size() == 1 && list.boxes[by[0]] && list.boxes[by[0]]->always()) {
      const auto& first = opts[by[0]];
      if (!first.when)
        return "the earlier " + option_name(list, by[0]) +
               " has no 'when', so it always matches first; move it to the end of the list or give it a "
               "'when'";
      return "the condition " + quote(first.when->text()) + " of the earlier " + option_name(list, by[0]) +
             " holds for every case, so it always matches first; narrow that condition or move it to the end";
    }
    std::string earlier;
    for (std::size_t i = 0; i < by.size(); ++i) earlier += (i ? ", " : "") + option_details(list, by[i]);
    if (!opts[k].when)
      return "the earlier options already cover every case (" + earlier +
             "); remove this option or narrow the conditions before it";
    return "whenever " + quote(opts[k].when->text()) + " holds, an earlier option matches first (" + earlier +
           "); put the narrower condition first or remove this option";
  }

  // An event whose options all fail is refused with an error (spec §4 step 2): when every option
  // compares one numeric fact with constants, look for values in the fact's declared range that
  // no option covers. Lists over enums and bools are left alone: refusing an event until a choice
  // has been made (`remedy == 'undecided'`) is a deliberate design. An `always` list that matches
  // nothing simply stays in its state, which is how a state waits, so it has no gaps either.
  void check_gap(const OptionList& list, const std::string& where) {
    if (list.automatic) return;
    std::optional<std::uint32_t> fact;
    std::vector<Box> boxes;
    for (const auto& b : list.boxes) {
      if (!b || b->always()) return;
      if (b->never) continue;
      if (b->sets.size() != 1) return;
      std::uint32_t slot = b->sets.begin()->first;
      const Var& var = m_.vars.by_slot[slot];
      if (!var.is_fact || var.kind == Var::Kind::Finite || var.kind == Var::Kind::Unknown) return;
      if (fact && *fact != slot) return;
      fact = slot;
      boxes.push_back(*b);
    }
    if (!fact) return;
    auto left = remainder(Box{}, boxes, m_.vars);
    if (!left || left->empty()) return;
    const auto& last = list.options->back();
    add(Severity::Warning, at(last),
        "no option " + where + " matches when " + describe(left->front(), m_.vars) +
            ": the event is then refused with an error; add a last option without 'when', or widen a "
            "condition");
  }

  // ---- loops of automatic transitions -----------------------------------------------------

  void check_always_cycles() {
    constexpr std::size_t kMaxCycles = 64;
    constexpr std::size_t kMaxReported = 10;
    LiveGraph automatic(m_.graph, LiveEdge{&m_.graph, true});
    std::vector<std::vector<Vertex>> cycles;
    try {
      boost::hawick_unique_circuits(automatic, CycleCollector{&cycles, kMaxCycles});
    } catch (const CycleLimit&) {
      // Enough to show the author; the rest share states with these.
    }
    std::size_t reported = 0;
    for (const auto& cycle : cycles) {
      if (reported == kMaxReported) break;
      if (!can_loop(automatic, cycle)) continue;
      std::string text;
      for (auto v : cycle) text += name(static_cast<std::uint32_t>(v)) + " -> ";
      text += name(static_cast<std::uint32_t>(cycle.front()));
      add(Severity::Warning, at(pb_.states[cycle.front()]),
          "the 'always' transitions can go round in a loop: " + text +
              "; an evaluation that enters it fails, so give one of them a 'when' that rules the loop out, "
              "or "
              "make one step wait for an event");
      ++reported;
    }
  }

  // Facts do not change during an evaluation: a loop whose conditions cannot all hold at once
  // never turns.
  bool can_loop(const LiveGraph& g, const std::vector<Vertex>& cycle) const {
    Box all;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      Vertex u = cycle[i], v = cycle[(i + 1) % cycle.size()];
      std::vector<const TransitionEdge*> steps;
      for (auto [e, end] = boost::out_edges(u, g); e != end; ++e)
        if (boost::target(*e, g) == v) steps.push_back(&m_.graph[*e]);
      if (steps.size() != 1) continue;
      auto box = guard_box(steps.front()->transition->when, m_.vars);
      if (box) all = intersect(all, *box);
    }
    return !all.never;
  }

  // ---- events, actions, escalation, compensation ------------------------------------------

  void check_events() {
    for (std::uint32_t e = 0; e < pb_.events.size(); ++e) {
      std::vector<std::uint32_t> accepting;
      bool used = false;
      for (std::uint32_t s = 0; s < pb_.states.size(); ++s) {
        const auto& on = pb_.states[s].on;
        if (e >= on.size() || on[e].empty()) continue;
        accepting.push_back(s);
        used = used || reachable_[s];
      }
      if (used || accepting.empty()) continue;
      std::string names;
      for (std::size_t i = 0; i < accepting.size(); ++i)
        names += (i ? ", '" : "'") + name(accepting[i]) + "'";
      add(Severity::Warning, pb_.states[accepting.front()].event_pos[e],
          "event '" + pb_.events[e] + "' can never be used: " +
              (accepting.size() == 1 ? "only state " + names + " accepts it, and no case can reach it"
                                     : "only states " + names + " accept it, and no case can reach them") +
              "; lead a transition there or remove the event");
    }
  }

  void check_actions() {
    for (const auto& st : pb_.states)
      for (const auto& a : st.actions) {
        if (!a.when) continue;
        auto box = guard_box(a.when, m_.vars);
        if (!box || !box->never) continue;
        add(Severity::Warning, at(*a.when),
            "action '" + a.id + "' in state '" + st.name + "' is never recommended" +
                (a.has_say ? " (nor is its 'say' script ever used)" : "") + ": its condition " +
                quote(a.when->text()) + " can never hold" + never_reason(*a.when) +
                "; correct the condition or remove the action");
      }
  }

  // Tracks the lowest and highest level a case can have before each rule (spec §4 step 5);
  // a rule that cannot move the level whatever came before it is reported.
  void check_escalation() {
    if (pb_.ladder.empty()) return;
    const int top = static_cast<int>(pb_.ladder.size()) - 1;
    int lo = pb_.start_rung, hi = pb_.start_rung;
    for (const auto& rule : pb_.escalation) {
      // A rule that never applies is pointed at by its condition; one without effect by itself.
      SourceLocation where = rule.pos;
      if (!where.line && rule.when) where = at(*rule.when);
      auto box = guard_box(rule.when, m_.vars);
      if (box && box->never) {
        add(Severity::Warning, at(*rule.when),
            "this escalation rule never applies: its condition " + quote(rule.when->text()) +
                " can never hold" + never_reason(*rule.when) + "; correct the condition or remove the rule");
        continue;
      }
      const bool surely = box && box->always();
      const auto level = [&](int r) {
        return "'" + pb_.ladder[static_cast<std::size_t>(std::clamp(r, 0, top))] + "'";
      };
      switch (rule.kind) {
        case detail::EscalationRule::Kind::AtLeast:
          if (rule.rung <= lo) {
            add(Severity::Warning, where,
                "this escalation rule can never change the level: 'at_least: " +
                    pb_.ladder[static_cast<std::size_t>(std::clamp(rule.rung, 0, top))] +
                    "' but every case is already at " + level(lo) + " or higher here (escalation starts at " +
                    level(pb_.start_rung) + "); ask for a higher level or remove the rule");
          }
          hi = std::max(hi, rule.rung);
          if (surely) lo = std::max(lo, rule.rung);
          break;
        case detail::EscalationRule::Kind::Raise:
          if (lo >= top) {
            add(Severity::Warning, where,
                "this escalation rule can never change the level: every case is already at the top level " +
                    level(top) + " here; remove the rule");
          }
          hi = std::min(top, hi + rule.rung);
          if (surely) lo = std::min(top, lo + rule.rung);
          break;
        case detail::EscalationRule::Kind::Set:
          if (lo == hi && hi == rule.rung) {
            add(Severity::Warning, where,
                "this escalation rule can never change the level: 'set: " +
                    pb_.ladder[static_cast<std::size_t>(std::clamp(rule.rung, 0, top))] +
                    "' but every case is already at that level here; remove the rule");
          }
          if (surely) {
            lo = hi = rule.rung;
          } else {
            lo = std::min(lo, rule.rung);
            hi = std::max(hi, rule.rung);
          }
          break;
      }
    }
    // A state's own lift comes after every rule (spec §4 step 5).
    for (const auto& st : pb_.states) {
      if (!st.escalate) continue;
      const auto& e = *st.escalate;
      const std::string rung = pb_.ladder[static_cast<std::size_t>(std::clamp(e.rung, 0, top))];
      if (e.kind == detail::EscalationRule::Kind::AtLeast && e.rung <= lo)
        add(Severity::Warning, e.pos,
            "'escalate' of state '" + st.name + "' can never change the level: 'at_least: " + rung +
                "' but every case is already at '" + pb_.ladder[static_cast<std::size_t>(lo)] +
                "' or higher after the escalation rules; ask for a higher level or remove it");
      if (e.kind == detail::EscalationRule::Kind::Raise && lo >= top)
        add(Severity::Warning, e.pos,
            "'escalate' of state '" + st.name + "' can never change the level: every case is already at the top level '" +
                pb_.ladder[static_cast<std::size_t>(top)] + "' after the escalation rules; remove it");
    }
  }

  void check_compensation() {
    for (const auto& rule : pb_.compensation) {
      if (!rule.when) continue;
      auto box = guard_box(rule.when, m_.vars);
      if (!box || !box->never) continue;
      add(Severity::Warning, at(*rule.when),
          "compensation rule '" + rule.id + "' never applies: its condition " + quote(rule.when->text()) +
              " can never hold" + never_reason(*rule.when) + "; correct the condition or remove the rule");
    }
    if (pb_.hold) {
      auto box = guard_box(pb_.hold->when, m_.vars);
      if (box && box->never)
        add(Severity::Warning, at(pb_.hold->when),
            "the compensation hold never applies: its condition " + quote(pb_.hold->when.text()) +
                " can never hold" + never_reason(pb_.hold->when) +
                "; correct the condition or remove the hold");
    }
    if (pb_.match) {
      auto box = guard_box(pb_.match, m_.vars);
      if (box && box->never)
        add(Severity::Warning, at(*pb_.match),
            "triage can never pick this playbook: its 'match' condition " + quote(pb_.match->text()) +
                " can never hold" + never_reason(*pb_.match) + "; correct the condition");
    }
  }

  const detail::Playbook& pb_;
  const Model& m_;
  LiveGraph live_;
  std::vector<bool> reachable_;
  std::vector<Diagnostic> found_;
};

}  // namespace

void analyse(const detail::Playbook& pb, const Model& model, std::vector<Diagnostic>& diags) {
  Analyser(pb, model).run(diags);
}

Diagnostic finding(const detail::Playbook& pb, Severity severity, const SourceLocation& at, std::string message) {
  Diagnostic d;
  d.severity = severity;
  d.location = at;
  if (!d.location.file) d.location.file = pb.file_id;
  d.message = std::move(message);
  return d;
}

}  // namespace redress::analysis
