// States (spec §1): the names first so transitions may point forward, then each state's
// actions (with their `say` templates), `on` events and `always` options.
#include "load/playbook_reader.hpp"

#include <algorithm>
#include <set>

#include "util/text.hpp"

namespace redress::load {

using detail::Playbook;
using expr::VType;

std::optional<std::uint32_t> PlaybookReader::state_ref(const YAML::Node& n, const Playbook& pb) {
  auto name = r_.scalar(n, "a target state");
  if (!name) return std::nullopt;
  auto it = pb.state_index.find(*name);
  if (it != pb.state_index.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& s : pb.states) names.push_back(s.name);
  r_.error(n, "unknown state '" + *name + "'" + util::did_you_mean_or_list(*name, names, "states:"));
  return std::nullopt;
}

void PlaybookReader::read_states(const YAML::Node& states, Playbook& pb) {
  if (!r_.expect_map(states, "'states'")) return;
  // First the names, so transitions may point forward.
  for (auto it = states.begin(); it != states.end(); ++it) {
    if (!it->first.IsScalar()) { r_.error(it->first, "a state name must be a plain name"); continue; }
    const std::string& name = it->first.Scalar();
    if (!r_.identifier(it->first, name, "state")) continue;
    if (pb.state_index.count(name)) continue;  // the duplicate is reported by check_keys-like logic below
    detail::State st;
    st.name = name;
    st.pos = r_.pos(it->first);
    pb.state_index[name] = static_cast<std::uint32_t>(pb.states.size());
    pb.states.push_back(std::move(st));
    collect_action_ids(it->second, pb);
  }
  std::set<std::string> seen;
  for (auto it = states.begin(); it != states.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string& name = it->first.Scalar();
    if (!seen.insert(name).second) { r_.error(it->first, "state '" + name + "' is declared twice"); continue; }
    auto idx = pb.state_index.find(name);
    if (idx == pb.state_index.end()) continue;
    read_state(it->second, pb.states[idx->second], pb);
    check_overdue_ids(pb.states[idx->second], pb);
  }
  // Event table: every state gets a slot per event.
  for (auto& st : pb.states) {
    st.on.resize(pb.events.size());
    st.event_pos.resize(pb.events.size());
  }
  std::vector<std::uint32_t> initials;
  for (std::uint32_t i = 0; i < pb.states.size(); ++i)
    if (pb.states[i].initial) initials.push_back(i);
  if (initials.empty() && !pb.states.empty())
    r_.error(states, "no initial state: mark the state a new case starts in with 'initial: true'");
  if (initials.size() > 1) {
    for (std::size_t i = 1; i < initials.size(); ++i) {
      // Point at the offending 'initial' key, not at whatever key the state happens to start with.
      const YAML::Node spec = states[pb.states[initials[i]].name];
      YAML::Node at;
      at.reset(spec);  // rebinding; operator= would overwrite the node `at` refers to
      for (auto it = spec.begin(); it != spec.end(); ++it) {
        const auto kv = *it;  // a copy: it-> yields a temporary proxy
        if (kv.first.IsScalar() && kv.first.Scalar() == "initial") at.reset(kv.first);
      }
      r_.error(at, "more than one initial state ('" + pb.states[initials[0]].name + "' and '" +
                                                        pb.states[initials[i]].name + "'): keep 'initial: true' on one");
    }
  }
  if (!initials.empty()) pb.initial = initials[0];
  if (pb.states.empty()) r_.error(states, "'states' is empty: add at least an initial and a terminal state");
}

// Every action id of a state's `do`, before any condition is compiled: overdue('id') in a guard
// or an escalation rule may name an action of a state read later (spec §3 "Time").
void PlaybookReader::collect_action_ids(const YAML::Node& spec, Playbook& pb) {
  pb.money_scope.state_clock = true;
  if (!spec.IsMap() || !spec["do"] || !spec["do"].IsSequence()) return;
  for (const auto& item : spec["do"]) {
    const YAML::Node id = item.IsMap() ? item["action"] : item;
    if (!id.IsScalar()) continue;
    auto& ids = pb.money_scope.actions;
    if (std::find(ids.begin(), ids.end(), id.Scalar()) == ids.end()) ids.push_back(id.Scalar());
  }
}

std::uint32_t PlaybookReader::action_index(const std::string& id, const Playbook& pb) {
  const auto& ids = pb.money_scope.actions;
  return static_cast<std::uint32_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

// overdue('id') in a state's own conditions must name one of that state's actions: another
// state's action is never overdue here.
void PlaybookReader::check_overdue_ids(const detail::State& st, const Playbook& pb) {
  std::vector<std::string> own;
  for (const auto& a : st.actions) own.push_back(a.id);
  auto check = [&](const std::optional<expr::Program>& p) {
    if (!p) return;
    for (const auto& use : expr::time_used(*p)) {
      if (use.kind != expr::TimeUse::Kind::Overdue || use.action >= pb.money_scope.actions.size()) continue;
      const std::string& id = pb.money_scope.actions[use.action];
      if (std::find(own.begin(), own.end(), id) != own.end()) continue;
      std::string msg = "overdue('" + id + "'): state '" + st.name + "' has no action '" + id + "'";
      msg += own.empty() ? " (it has no actions), so it is never overdue here"
                         : util::did_you_mean_or_list(id, own, "its actions:");
      r_.error_at(use.at, msg);
    }
  };
  for (const auto& a : st.actions) check(a.when);
  for (const auto& options : st.on)
    for (const auto& t : options) check(t.when);
  for (const auto& t : st.always) check(t.when);
  for (const auto& t : st.after) check(t.transition.when);
}

void PlaybookReader::refuse_early_clock(const Playbook& pb) {
  auto check = [&](const expr::Program* p, const char* what) {
    if (!p) return;
    auto uses = expr::time_used(*p);
    if (uses.empty()) return;
    r_.error_at(uses.front().at,
                std::string("this ") + what + " reads the state clock (entered_at, age, since() or overdue()), but a "
                "transition guard or an escalation rule reads a compensation value, so the escalation and the compensation "
                "are computed before the transitions, when the case has not reached its state yet (spec §4 step 6): read "
                "the compensation value or the time elsewhere");
  };
  auto opt = [](const std::optional<expr::Program>& p) { return p ? &*p : nullptr; };
  for (const auto& rule : pb.escalation) check(opt(rule.when), "escalation rule");
  for (const auto& rule : pb.compensation) {
    check(opt(rule.when), "compensation rule");
    check(&rule.amount, "compensation amount");
  }
  check(opt(pb.cap), "cap");
  if (pb.hold) check(&pb.hold->when, "hold");
}

void PlaybookReader::read_state(const YAML::Node& spec, detail::State& st, Playbook& pb) {
  if (spec.IsNull()) return;
  if (!r_.expect_map(spec, ("state '" + st.name + "'").c_str())) return;
  r_.check_keys(spec, {"initial", "terminal", "outcome", "doc", "do", "on", "always", "after", "calendar", "escalate"},
                ("state '" + st.name + "'").c_str());
  if (spec["initial"]) if (auto b = r_.boolean(spec["initial"], "'initial'")) st.initial = *b;
  if (spec["terminal"]) if (auto b = r_.boolean(spec["terminal"], "'terminal'")) st.terminal = *b;
  if (spec["outcome"]) read_outcome(spec["outcome"], st);
  if (spec["doc"]) (void)r_.scalar(spec["doc"], "'doc'");
  st.calendar = pb.calendar;
  if (spec["calendar"]) if (auto c = calendar_ref(spec["calendar"], pb)) st.calendar = *c;
  if (present(spec["escalate"])) read_state_escalation(spec["escalate"], st, pb);
  if (present(spec["do"])) read_actions(spec["do"], st, pb);
  if (present(spec["on"])) {
    const YAML::Node& on = spec["on"];
    if (st.terminal) r_.error(on, "terminal state '" + st.name + "' cannot have 'on' transitions: a terminal state is final");
    if (r_.expect_map(on, "'on'")) {
      for (auto it = on.begin(); it != on.end(); ++it) {
        if (!it->first.IsScalar()) { r_.error(it->first, "an event name must be a plain name"); continue; }
        const std::string& event = it->first.Scalar();
        if (!r_.identifier(it->first, event, "event")) continue;
        auto ev = pb.event_index.find(event);
        std::uint32_t id;
        if (ev == pb.event_index.end()) {
          id = static_cast<std::uint32_t>(pb.events.size());
          pb.event_index[event] = id;
          pb.events.push_back(event);
        } else {
          id = ev->second;
        }
        if (st.on.size() <= id) st.on.resize(id + 1);
        if (st.event_pos.size() <= id) st.event_pos.resize(id + 1);
        st.event_pos[id] = pos_of(it->first);
        if (!st.on[id].empty()) { r_.error(it->first, "event '" + event + "' is listed twice in state '" + st.name + "'"); continue; }
        if (it->second.IsScalar()) {
          if (auto target = state_ref(it->second, pb)) st.on[id].push_back(detail::Transition{*target, std::nullopt, pos_of(it->second), std::nullopt});
        } else {
          st.on[id] = read_options(it->second, pb, "an event's options");
          // `close: []` would accept the event and then refuse it at every evaluation.
          if (it->second.IsSequence() && it->second.size() == 0)
            r_.error(it->first, "event '" + event + "' has no target: give a state name or a list of {to, when}");
        }
      }
    }
  }
  if (present(spec["always"])) {
    if (st.terminal) r_.error(spec["always"], "terminal state '" + st.name + "' cannot have 'always' transitions: a terminal state is final");
    st.always = read_options(spec["always"], pb, "'always'");
  }
  if (present(spec["after"])) {
    if (st.terminal) r_.error(spec["after"], "terminal state '" + st.name + "' cannot have 'after' timeouts: a terminal state is final");
    read_timeouts(spec["after"], st, pb);
  }
}

// `outcome: resolved | closed_without_agreement` on a terminal state (spec §1): which way out
// `to_close` prefers.
void PlaybookReader::read_outcome(const YAML::Node& n, detail::State& st) {
  auto word = r_.scalar(n, "'outcome'");
  if (!word) return;
  if (!st.terminal) {
    r_.error(n, "'outcome' is for terminal states: add 'terminal: true' to state '" + st.name + "', or remove 'outcome'");
    return;
  }
  if (*word == "resolved") st.outcome = detail::Outcome::Resolved;
  else if (*word == "closed_without_agreement") st.outcome = detail::Outcome::ClosedWithoutAgreement;
  else
    r_.error(n, "unknown outcome '" + *word + "'" +
                    util::did_you_mean_or_list(*word, {"resolved", "closed_without_agreement"}, "an outcome is one of:"));
}

// `after: [{within: 3bd, to: closed_no_reply, when: …}]` (spec §1.6).
void PlaybookReader::read_timeouts(const YAML::Node& n, detail::State& st, Playbook& pb) {
  if (!r_.expect_seq(n, "'after'")) return;
  for (const auto& opt : n) {
    if (!opt.IsMap()) { r_.error(opt, "each timeout must be {within: 3bd, to: state} (optionally with 'when')"); continue; }
    r_.check_keys(opt, {"within", "to", "when", "why"}, "a timeout");
    if (!opt["within"]) { r_.error(opt, "this timeout has no 'within' (how long the case may wait, e.g. 3bd)"); continue; }
    if (!opt["to"]) { r_.error(opt, "this timeout has no 'to' (the state to go to)"); continue; }
    auto span = read_span(r_, opt["within"], "'within'");
    auto target = state_ref(opt["to"], pb);
    std::optional<expr::Program> when;
    if (opt["when"]) {
      when = r_.expression(opt["when"], pb.money_scope, VType::Bool, "a 'when' condition");
      if (!when) continue;
      if (reads_money(*when, pb)) pb.money_early = true;
    }
    if (!span || !target) continue;
    st.after.push_back(detail::Timeout{*span, detail::Transition{*target, std::move(when), pos_of(opt), read_why(opt)}});
  }
}

std::vector<detail::Transition> PlaybookReader::read_options(const YAML::Node& n, Playbook& pb, const char* what) {
  std::vector<detail::Transition> out;
  if (!r_.expect_seq(n, what)) return out;
  for (const auto& opt : n) {
    if (!opt.IsMap()) { r_.error(opt, "each option must be {to: state, when: condition}"); continue; }
    r_.check_keys(opt, {"to", "when", "why"}, "a transition");
    if (!opt["to"]) { r_.error(opt, "this option has no 'to' (the state to go to)"); continue; }
    auto target = state_ref(opt["to"], pb);
    std::optional<expr::Program> when;
    if (opt["when"]) {
      // Guards may read the compensation: it never depends on the state (spec §4 step 6).
      when = r_.expression(opt["when"], pb.money_scope, VType::Bool, "a 'when' condition");
      if (!when) continue;
      if (reads_money(*when, pb)) pb.money_early = true;
    }
    if (!target) continue;
    out.push_back(detail::Transition{*target, std::move(when), pos_of(opt), read_why(opt)});
  }
  return out;
}

std::vector<detail::TemplatePart> PlaybookReader::read_template(const YAML::Node& n, const Playbook& pb) {
  std::vector<detail::TemplatePart> parts;
  auto text = r_.scalar(n, "'say'");
  if (!text) return parts;
  expr::SourceMap map = r_.source().map_scalar(r_.offset(n), *text);
  std::string literal;
  const std::string& s = *text;
  auto flush = [&] {
    if (literal.empty()) return;
    detail::TemplatePart p;
    p.text = std::move(literal);
    parts.push_back(std::move(p));
    literal.clear();
  };
  std::vector<std::string> names = {"level", "state", "due_at"};
  for (const auto& sym : pb.money_scope.symbols) names.push_back(sym.name);
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '{' && i + 1 < s.size() && s[i + 1] == '{') { literal += '{'; ++i; continue; }
    if (c == '}' && i + 1 < s.size() && s[i + 1] == '}') { literal += '}'; ++i; continue; }
    if (c == '}') { r_.error_at(map.at(i), "a lone '}' in 'say': write '}}' for a brace"); continue; }
    if (c != '{') { literal += c; continue; }
    std::size_t end = s.find('}', i);
    if (end == std::string::npos) { r_.error_at(map.at(i), "'{' without a closing '}' in 'say' (write '{{' for a brace)"); break; }
    std::string name = s.substr(i + 1, end - i - 1);
    // "{due_at:iso}": a format after the name (spec §1.5).
    std::string format;
    if (auto colon = name.find(':'); colon != std::string::npos) {
      format = name.substr(colon + 1);
      name.erase(colon);
      while (!format.empty() && format.front() == ' ') format.erase(format.begin());
      while (!format.empty() && format.back() == ' ') format.pop_back();
    }
    // Trim spaces: "{ order_id }" is accepted.
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    detail::TemplatePart p;
    p.text = name;
    auto pos = map.at(i + 1);
    p.pos = pos;
    if (!format.empty()) {
      const expr::Symbol* sym = pb.scope.find(name);
      const bool is_time = name == "due_at" || (sym && sym->type.kind == VType::Datetime);
      if (!is_time) {
        r_.error_at(pos, "'{" + name + ":" + format + "}': a format applies to a date-time (due_at or a datetime fact) only");
        i = end;
        continue;
      }
      if (format == "iso") p.format = detail::TemplatePart::TimeFormat::Iso;
      else if (format == "utc") p.format = detail::TemplatePart::TimeFormat::Utc;
      else {
        std::string msg = "unknown format '" + format + "' in 'say'";
        if (auto near = util::nearest(format, {"iso", "utc"})) msg += " (did you mean '" + *near + "'?)";
        else msg += " (formats: iso, utc; without one a time reads like \"Mon 30 Nov, 12:30 (Moscow)\")";
        r_.error_at(pos, msg);
        i = end;
        continue;
      }
    }
    if (name == "level") p.kind = detail::TemplatePart::Kind::Level;
    else if (name == "approval") p.kind = detail::TemplatePart::Kind::Approval;
    else if (name == "state") p.kind = detail::TemplatePart::Kind::State;
    else if (name == "due_at") p.kind = detail::TemplatePart::Kind::DueAt;
    else if (const expr::Symbol* sym = pb.money_scope.find(name)) { p.kind = detail::TemplatePart::Kind::Slot; p.slot = sym->slot; }
    else {
      std::string hint = util::did_you_mean(name, names);
      if (hint.empty()) {
        std::vector<std::string> usable;
        for (const auto& sym : pb.scope.symbols) usable.push_back(sym.name);
        for (const char* special : {"level", "state", "due_at"}) usable.emplace_back(special);
        hint = " (the names you can use: " + util::join(usable) +
               ", compensation.total and the other compensation values)";
      }
      r_.error_at(pos, "unknown name '" + name + "' in 'say'" + hint);
      i = end;
      continue;
    }
    flush();
    parts.push_back(std::move(p));
    i = end;
  }
  flush();
  return parts;
}

void PlaybookReader::read_actions(const YAML::Node& n, detail::State& st, Playbook& pb) {
  if (!r_.expect_seq(n, "'do'")) return;
  for (const auto& item : n) {
    detail::Action a;
    if (item.IsScalar()) {
      a.id = item.Scalar();
      a.calendar = st.calendar;
      a.pos = pos_of(item);
      if (!r_.identifier(item, a.id, "action")) continue;
      a.id_index = action_index(a.id, pb);
      st.actions.push_back(std::move(a));
      continue;
    }
    if (!item.IsMap()) { r_.error(item, "an action is a name or {action: name, within: 15m, say: \"…\"}"); continue; }
    r_.check_keys(item, {"action", "when", "within", "every", "calendar", "say", "options", "to", "doc", "why"}, "an action");
    a.calendar = st.calendar;
    a.pos = pos_of(item);
    a.why = read_why(item);
    if (!item["action"]) { r_.error(item, "this action has no 'action' (its name)"); continue; }
    auto id = r_.scalar(item["action"], "'action'");
    if (!id) continue;
    a.id = *id;
    if (!r_.identifier(item["action"], a.id, "action")) continue;
    a.id_index = action_index(a.id, pb);
    if (item["when"]) a.when = r_.expression(item["when"], pb.money_scope, VType::Bool, "a 'when' condition");
    if (item["within"]) a.within = read_span(r_, item["within"], "'within'");
    if (item["every"]) {
      a.every = read_span(r_, item["every"], "'every'");
      if (a.every && a.every->unit == detail::Span::Unit::Wall && a.every->amount.micros == 0)
        r_.error(item["every"], "'every' must be longer than zero");
    }
    if (item["calendar"]) if (auto c = calendar_ref(item["calendar"], pb)) a.calendar = *c;
    if (item["say"]) {
      a.has_say = true;
      a.say = read_template(item["say"], pb);
      // {due_at} without `within` could never be filled: every evaluation would fail.
      if (!item["within"] && !item["every"])
        for (const auto& part : a.say)
          if (part.kind == detail::TemplatePart::Kind::DueAt) {
            r_.error_at(part.pos, "'say' of action '" + a.id + "' uses {due_at}, but the action has no 'within' or 'every', so it never has a deadline (add e.g. 'within: 4h')");
            break;
          }
    }
    if (present(item["options"])) if (auto o = r_.string_list(item["options"], "'options'")) a.options = *o;
    if (item["to"]) if (auto t = r_.scalar(item["to"], "'to'")) {
      a.to = *t;
      a.to_level = *t == "{level}";  // the role follows the escalation level
      a.to_approval = *t == "{approval}";  // the role that signs the compensation off
    }
    if (item["doc"]) (void)r_.scalar(item["doc"], "'doc'");
    st.actions.push_back(std::move(a));
  }
}

}  // namespace redress::load
