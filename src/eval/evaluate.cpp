// Evaluation of a Case against a compiled playbook: spec §4, steps 1–7, in that order.
// Reads only the compiled pack; every name was resolved at load time except the Case's own
// input names, which are bound once here (fact names, state, event, playbook id).
// (Over 500 lines on purpose: the seven steps stay in one file, in order, so that one case can
// be followed from its input to its Decision without leaving it.)
#include <algorithm>

#include "compile/compiled.hpp"
#include "eval/evaluator.hpp"
#include "util/text.hpp"

namespace redress::detail {

namespace {

[[noreturn]] void fail(std::string message, const SourceLocation& location = {}) {
  throw EvaluationError(std::move(message), location);
}

// "fact 'x' is in USD but playbook 'p' works in EUR (currencies are never converted)".
std::string not_in_currency(const std::string& what, const Currency& got, const Playbook& pb) {
  return what + " is in " + std::string(got.code()) + " but playbook '" + pb.id + "' works in " +
         std::string(pb.currency.code()) + " (currencies are never converted)";
}

// Converts a caller's value to the declared type of a fact (spec §4 step 1).
bool convert(const Playbook& pb, const FactDecl& f, const Value& v, Val& out, std::string& err) {
  using K = Value::Kind;
  const std::string& text = v.as_string();
  auto wrong = [&](const char* expected) {
    err = "fact '" + f.name + "' must be " + expected + ", got ";
    const bool number = v.kind() == K::Int || v.kind() == K::Number;
    err += number ? "the number " + v.to_display() : v.to_display();
    // A JSON number for a text fact (an id sent unquoted): an error naming the fact, spec §4.
    if (number && (f.type.kind == VType::String || f.type.kind == VType::Enum))
      err += " (write it in quotes, \"" + v.to_display() + "\", if it is meant as text)";
    return false;
  };
  switch (f.type.kind) {
    case VType::Bool:
      if (v.kind() == K::Bool) { out = Val::boolean(v.as_bool()); return true; }
      if (v.kind() == K::String && (text == "true" || text == "false")) { out = Val::boolean(text == "true"); return true; }
      return wrong("true or false");
    case VType::Int: {
      std::optional<Decimal> d;
      if (v.kind() == K::Int || v.kind() == K::Number) d = v.as_decimal();
      else if (v.kind() == K::String) d = Decimal::parse(text);
      if (!d || !d->is_integer()) return wrong("a whole number");
      out = Val::integer(*d);
      return true;
    }
    case VType::Number: {
      std::optional<Decimal> d;
      if (v.kind() == K::Int || v.kind() == K::Number) d = v.as_decimal();
      else if (v.kind() == K::String) d = Decimal::parse(text);
      if (!d) return wrong("a number");
      out = Val::number(*d);
      return true;
    }
    case VType::Money: {
      std::optional<Money> m;
      if (v.kind() == K::Money) m = v.as_money();
      else if (v.kind() == K::Int || v.kind() == K::Number) m = Money{v.as_decimal(), pb.currency};
      else if (v.kind() == K::String) {
        if (auto d = Decimal::parse(text)) m = Money{*d, pb.currency};
        else m = Money::parse(text);
      }
      if (!m) {
        err = "fact '" + f.name + "' must be money like \"12.50 " + std::string(pb.currency.code()) + "\", got " + v.to_display();
        return false;
      }
      if (m->currency != pb.currency) {
        err = not_in_currency("fact '" + f.name + "'", m->currency, pb);
        return false;
      }
      out = Val::money(m->amount, pb.currency.index());
      return true;
    }
    case VType::String:
      if (v.kind() == K::String) { out = Val::string(text); return true; }
      return wrong("text");
    case VType::Enum: {
      if (v.kind() != K::String) return wrong(("one of " + util::join(f.values)).c_str());
      for (std::size_t i = 0; i < f.values.size(); ++i)
        if (f.values[i] == text) { out = Val::enumeration(static_cast<std::int64_t>(i), f.values[i]); return true; }
      err = "fact '" + f.name + "': '" + text + "' is not one of " + util::join(f.values) + util::did_you_mean(text, f.values);
      return false;
    }
    case VType::Datetime: {
      if (v.kind() == K::Datetime) { out = Val::datetime(v.as_datetime().micros); return true; }
      if (v.kind() == K::String) {
        if (auto t = Timestamp::parse(text)) { out = Val::datetime(t->micros); return true; }
      }
      return wrong("an ISO 8601 date-time with a zone (e.g. 2026-11-23T10:00:00Z)");
    }
    case VType::Duration: {
      if (v.kind() == K::Duration) { out = Val::duration(v.as_duration().micros); return true; }
      if (v.kind() == K::String) {
        if (auto d = Duration::parse(text)) { out = Val::duration(d->micros); return true; }
      }
      return wrong("a duration (e.g. 3h30m or PT3H30M)");
    }
    case VType::List:
      if (v.kind() == K::List) { out = Val::list_of(&v.as_list()); return true; }
      return wrong("a list of text");
    default:
      return wrong("a value");
  }
}

// The element at `n` of `v`, reused (its strings keep their storage) or appended; n advances.
// The caller resizes `v` to the final n once done.
template <typename T>
T& next_element(std::vector<T>& v, std::size_t& n) {
  if (n == v.size()) v.emplace_back();
  return v[n++];
}

}  // namespace

Value to_value(const Val& v) {
  switch (v.type) {
    case VType::Bool: return Value::boolean(v.b);
    case VType::Int:
    case VType::Number: return Value::number(v.d);
    case VType::Money: return Value::money(Money{v.d, Currency::from_index(v.currency)});
    case VType::String:
    case VType::Enum: return Value::string(std::string(v.s));
    case VType::Datetime: return Value::datetime(Timestamp{v.i});
    case VType::Duration: return Value::duration(Duration{v.i});
    case VType::List: return Value::list(v.list ? *v.list : std::vector<std::string>{});
    default: return Value::null();
  }
}

Val Evaluator::run(const Program& p, const char* what) {
  Val out;
  expr::EvalError err;
  if (!expr::evaluate(p, slots_.data(), now_, scratch_, out, err, this)) {
    fail(err.message + " (in " + what + " '" + p.text() + "')", err.at);
  }
  if (trace_) record(p.location(), what, p.text(), out);
  return out;
}

void Evaluator::record(const SourceLocation& at, const char* what, const std::string& expr, const Val& value) {
  TraceStep& step = next_element(decision_.trace, trace_size_);
  step.at = at;
  step.what = what;
  step.expr = expr;
  step.value = to_value(value);
  step.name.clear();
}

bool Evaluator::holds(const std::optional<Program>& when, const char* what) {
  if (!when) return true;
  return truth(run(*when, what), *when);
}

// A condition that gives null (an absent optional fact used as the whole condition) is an
// error, never a silent false (spec §3).
bool Evaluator::truth(const Val& v, const Program& p) {
  if (v.type != VType::Null) return v.b;
  fail("the condition '" + p.text() + "' is null because an optional fact is absent; compare it with null first (e.g. 'x != null and x')",
       p.location());
}

// Step 1 for a Case given by name: each name is bound to its fact once, here. Names the playbook
// does not declare are warned about (with a "did you mean"), or are errors under strict_facts;
// `report_unknown` is false while triage only probes a playbook.
std::string Evaluator::bind(const Playbook& pb, const Case& c, bool report_unknown) {
  given_.clear();
  given_.reserve(c.facts.size());
  unknown_.clear();
  for (const auto& [name, value] : c.facts) {
    auto it = pb.fact_index.find(name);
    if (it != pb.fact_index.end()) given_.emplace_back(it->second, &value);
    else unknown_.push_back(&name);
  }
  std::string problems;
  if (report_unknown && (!unknown_.empty() || !c.done.empty())) {
    const bool strict = strict_facts_.value_or(pb.strict_facts);
    std::vector<std::string> lines = unknown_fact_lines(pb, strict);
    for (auto& line : unknown_done_lines(pb, c, strict)) lines.push_back(std::move(line));
    if (!strict) {
      for (auto& line : lines) decision_.warnings.push_back(std::move(line));
    } else {
      for (const auto& line : lines) problems += (problems.empty() ? "" : "\n") + line;
    }
  }
  std::string checked = check_facts(pb);
  if (!checked.empty()) problems += (problems.empty() ? "" : "\n") + checked;
  if (!problems.empty()) return problems;
  compute_lets(pb);
  return "";
}

// The unknown facts of unknown_, as warnings (or, strict, as errors): one line each with a
// "did you mean" when few; when many, those with a hint one a line and the rest in one line,
// so 85 000 stray fields do not print 85 000 lines. Hints are looked for among the first
// kHinted names only, to bound the cost.
std::vector<std::string> Evaluator::unknown_fact_lines(const Playbook& pb, bool strict) const {
  constexpr std::size_t kHinted = 16, kOneEach = 10, kListed = 5;
  std::vector<std::string> declared;
  declared.reserve(pb.facts.size());
  for (const auto& f : pb.facts) declared.push_back(f.name);
  const std::string tail = strict ? ": playbook '" + pb.id + "' does not declare it (strict_facts is on)" : " ignored";
  std::vector<std::string> lines;
  std::vector<const std::string*> rest;
  for (std::size_t i = 0; i < unknown_.size(); ++i) {
    const std::string& name = *unknown_[i];
    std::optional<std::string> near;
    if (i < kHinted) near = util::nearest(name, declared);
    if (near || unknown_.size() <= kOneEach) {
      std::string line = "unknown fact '" + name + "'";
      if (near) line += " (did you mean '" + *near + "'?)";
      lines.push_back(line + tail);
    } else {
      rest.push_back(&name);
    }
  }
  if (!rest.empty()) {
    std::string line = std::to_string(rest.size()) + (lines.empty() ? "" : " other") + " unknown facts" +
                       (strict ? " (strict_facts is on): " : " ignored: ");
    for (std::size_t i = 0; i < rest.size() && i < kListed; ++i) line += (i ? ", '" : "'") + *rest[i] + "'";
    if (rest.size() > kListed) line += " and " + std::to_string(rest.size() - kListed) + " more";
    lines.push_back(std::move(line));
  }
  return lines;
}

// Step 1: facts (in given_, by index) checked, defaults filled, lets computed. Returns "" or
// the problems, one a line.
std::string Evaluator::bind_values(const Playbook& pb) {
  unknown_.clear();
  std::string problems = check_facts(pb);
  if (problems.empty()) compute_lets(pb);
  return problems;
}

std::string Evaluator::check_facts(const Playbook& pb) {
  slots_.assign(pb.slot_count, Val{});
  seen_.assign(pb.facts.size(), 0);
  std::string problems;
  auto problem = [&](const std::string& p) { problems += (problems.empty() ? "" : "\n") + p; };
  for (const auto& [index, value] : given_) {
    const FactDecl& f = pb.facts[index];
    if (seen_[index]) { problem("fact '" + f.name + "' is given twice"); continue; }
    seen_[index] = 1;
    if (value->is_null()) {
      if (f.has_default) { slots_[f.slot] = f.default_value; continue; }
      if (f.optional) continue;
      problem("fact '" + f.name + "' is required and cannot be null");
      continue;
    }
    Val v;
    std::string err;
    if (!convert(pb, f, *value, v, err)) { problem(err); continue; }
    if (f.min && v.d < *f.min) problem("fact '" + f.name + "' is " + expr::display(v) + ", below its minimum " + f.min->to_string());
    else if (f.max && v.d > *f.max) problem("fact '" + f.name + "' is " + expr::display(v) + ", above its maximum " + f.max->to_string());
    slots_[f.slot] = v;
  }
  std::vector<std::string> unknown_names;  // filled on the first missing fact only
  for (std::size_t i = 0; i < pb.facts.size(); ++i) {
    if (seen_[i]) continue;
    const FactDecl& f = pb.facts[i];
    if (f.has_default) { slots_[f.slot] = f.default_value; continue; }
    if (f.optional) continue;
    std::string msg = "missing required fact '" + f.name + "' (" + f.type_name + ")";
    // `days_lat` given, `days_late` missing: say so.
    if (!unknown_.empty() && unknown_names.empty())
      for (std::size_t k = 0; k < unknown_.size() && k < 64; ++k) unknown_names.push_back(*unknown_[k]);
    if (auto near = util::nearest(f.name, unknown_names))
      msg += "; the case gives '" + *near + "' (did you mean '" + f.name + "'?)";
    problem(msg);
  }
  return problems;
}

void Evaluator::compute_lets(const Playbook& pb) {
  clock_playbook_ = &pb;
  enter(nullptr, std::nullopt);  // no state yet: lets read business_time_between() at most
  for (const auto& let : pb.lets) {
    slots_[let.slot] = run(let.program, "let");
    if (trace_) decision_.trace[trace_size_ - 1].name = let.name;
  }
}

const Playbook& Evaluator::pick(const CompiledPack& pack, const Case& c) {
  if (!c.playbook.empty()) {
    auto it = pack.playbook_index.find(c.playbook);
    if (it != pack.playbook_index.end()) return pack.playbooks[it->second];
    std::vector<std::string> ids;
    for (const auto& pb : pack.playbooks) ids.push_back(pb.id);
    fail("unknown playbook '" + c.playbook + "'" + util::did_you_mean_or_list(c.playbook, ids, "the pack has:"));
  }
  if (pack.playbooks.size() == 1) return pack.playbooks.front();
  if (pack.playbooks.empty()) fail("the pack has no playbooks");
  // Triage (spec §4): of the playbooks whose facts validate and whose match holds, the one with
  // the highest rank (what the case is about); on a tie, or without ranks, by priority then id.
  const Playbook* best = nullptr;
  std::optional<Val> best_rank;
  for (std::uint32_t i : pack.triage_order) {
    const Playbook& pb = pack.playbooks[i];
    if (!matches(pb, c)) continue;
    if (!pack.ranked) return pb;  // no playbook ranks: the first match by priority is the pick
    std::optional<Val> rank = rank_of(pb);
    // Triage order is priority order, so a later match wins only with a strictly higher rank.
    if (!best || outranks(rank, best_rank, pb, *best)) {
      best = &pb;
      best_rank = rank;
    }
  }
  if (best) return *best;
  fail("no playbook matches this case (triage tried every playbook with a 'match')");
}

std::vector<const Playbook*> Evaluator::ranked_matches(const CompiledPack& pack, const Case& c,
                                                       std::vector<TriageResult>* why,
                                                       const std::vector<Case>* views) {
  struct Match {
    const Playbook* pb;
    std::optional<Val> rank;
    TriageResult result;
  };
  std::vector<Match> matched;
  std::vector<TriageResult> unmatched;
  for (std::uint32_t i : pack.triage_order) {
    const Playbook& pb = pack.playbooks[i];
    TriageResult result;
    if (!matches(pb, views ? (*views)[i] : c, why ? &result : nullptr)) {
      if (why) unmatched.push_back(std::move(result));
      continue;
    }
    std::optional<Val> rank = rank_of(pb);  // read now: the next playbook's facts replace these
    if (why && rank) result.rank = expr::display(*rank);
    matched.push_back(Match{&pb, rank, std::move(result)});
  }
  // Stable: equal ranks keep triage order (priority, then id).
  std::stable_sort(matched.begin(), matched.end(),
                   [&](const Match& a, const Match& b) { return outranks(a.rank, b.rank, *a.pb, *b.pb); });
  std::vector<const Playbook*> out;
  for (Match& m : matched) {
    out.push_back(m.pb);
    if (why) why->push_back(std::move(m.result));
  }
  if (why) for (auto& r : unmatched) why->push_back(std::move(r));
  return out;
}

std::optional<Val> Evaluator::rank_of(const Playbook& pb) {
  if (!pb.rank) return std::nullopt;
  Val v = run(*pb.rank, "rank");
  if (v.type == VType::Null) return std::nullopt;
  return v;
}

// Whether rank `a` (of playbook `pa`) is strictly above `b` (of `pb`); no rank counts as zero.
// Money ranks compare within one currency, numbers with numbers: anything else is refused
// rather than ordered by a meaningless comparison.
bool Evaluator::outranks(const std::optional<Val>& a, const std::optional<Val>& b, const Playbook& pa,
                         const Playbook& pb) {
  Decimal x = a ? a->d : Decimal(), y = b ? b->d : Decimal();
  if (a && b) {
    bool ma = a->type == VType::Money, mb = b->type == VType::Money;
    if (ma != mb || (ma && a->currency != b->currency)) {
      auto show = [](const Val& v) {
        return v.d.to_string() + (v.type == VType::Money ? " " + std::string(Currency::at(v.currency).code()) : "");
      };
      fail("triage cannot rank playbook '" + pa.id + "' (" + show(*a) + ") against '" + pb.id + "' (" + show(*b) +
               "): give every 'rank' of a pack in one currency, or every one as a number",
           pa.rank->location());
    }
  }
  return y < x;
}

bool Evaluator::matches(const Playbook& pb, const Case& c, TriageResult* why) {
  if (why) why->playbook = pb.id;
  if (!pb.match) {
    if (why) why->why = "it has no 'match', so triage never picks it";
    return false;
  }
  std::size_t trace_mark = trace_size_;
  std::string problems = bind(pb, c, false);
  trace_size_ = trace_mark;  // lets are traced again for the playbook picked
  if (!problems.empty()) {
    if (why) why->why = "its facts do not validate: " + problems;
    return false;
  }
  if (holds(pb.match, "match")) {
    if (why) why->matched = true;
    return true;
  }
  if (why) {
    why->why = "its 'match' is false";
    why->at = pb.match->location();
    why->expr = pb.match->text();
    for (const auto& use : expr::names_read(*pb.match)) {
      const std::string line = pb.scope.symbols[use.slot].name + " = " + expr::display(slots_[use.slot]);
      if (std::find(why->read.begin(), why->read.end(), line) == why->read.end()) why->read.push_back(line);
    }
  }
  return false;
}

void Evaluator::set_time_input(const std::vector<Pause>& pauses,
                               const std::vector<std::pair<std::string, Timestamp>>* done,
                               const std::string& timezone) {
  pauses_.clear();
  for (const Pause& p : pauses) pauses_.push_back(Interval{p.from, p.to ? *p.to : end_of_time()});
  if (!pauses_.empty()) pauses_ = normalize(std::move(pauses_));
  done_ = done;
  zone_.reset();
  if (timezone.empty()) return;
  zone_ = TimeZone::locate(timezone);
  if (zone_) return;
  fail(TimeZone::unknown(timezone) + " in the case");  // a Case built in code; readers check it
}

void Evaluator::consider(Timestamp t) {
  if (t < now_ || !(t < end_of_time())) return;
  if (!decision_.next_change_at || t < *decision_.next_change_at) decision_.next_change_at = t;
}

std::string Evaluator::show_time(Timestamp t, const TimeZone& calendar_zone, TemplatePart::TimeFormat f) const {
  const TimeZone& zone = zone_ ? *zone_ : calendar_zone;
  switch (f) {
    case TemplatePart::TimeFormat::Iso: return format_iso_local(t, zone);
    case TemplatePart::TimeFormat::Utc: return t.to_string();
    case TemplatePart::TimeFormat::Human: break;
  }
  return format_human(t, zone, now_);
}

// Every field of the Decision is written by this evaluation: what it held before (an earlier
// evaluation into the same Decision) only lends its storage. Fields filled step by step start
// empty here.
void Evaluator::begin() {
  scratch_.clear();
  path_size_ = 0;
  trace_size_ = 0;
  decision_.warnings.clear();
  decision_.next_change_at.reset();
}

void Evaluator::add_to_path(const std::string& state) { next_element(decision_.path, path_size_) = state; }

void Evaluator::start(const Playbook& pb) {
  decision_.playbook = pb.id;
  decision_.version = pb.version;
  decision_.fingerprint = pb.fingerprint;
  decision_.has_trace = trace_;
}

void Evaluator::evaluate(const CompiledPack& pack, const Case& c) {
  begin();
  // One Decision cannot answer several conflicts; picking one of them would hide the others.
  if (c.compound() || !c.states.empty()) {
    if (c.compound())
      fail("this case is compound (spec §4.1: 'playbooks' or 'triage: all'): it is answered by a compound "
           "decision (Pack::evaluate_compound), not by a single one");
    fail("'states' gives a compound case's states (spec §4.1); a single case gives its 'state'");
  }
  set_time_input(c.pauses, &c.done, c.timezone);  // lets and match may read business time
  const Playbook& pb = pick(pack, c);
  start(pb);
  sign_offs_ = &c.sign_offs;
  paid_ = &c.paid;
  if (std::string problems = bind(pb, c, true); !problems.empty()) fail(problems);

  std::uint32_t state = pb.initial;
  if (!c.state.empty()) {
    auto it = pb.state_index.find(c.state);
    if (it == pb.state_index.end()) {
      std::vector<std::string> names;
      for (const auto& s : pb.states) names.push_back(s.name);
      fail("playbook '" + pb.id + "' has no state '" + c.state + "'" + util::did_you_mean_or_list(c.state, names, "states:"));
    }
    state = it->second;
  }
  std::optional<std::uint32_t> event;
  if (!c.event.empty()) {
    auto it = pb.event_index.find(c.event);
    // An event no state of the playbook knows is refused like one this state does not accept.
    event = it != pb.event_index.end() ? it->second : kUnknownEvent;
  }
  run_machine(pb, state, event, c.event, c.entered_at);
}

// A ref of another load, even of the same files, would silently read another fact: refused.
static void check_pack(const CompiledPack& pack, std::uint64_t ref_pack, const char* what) {
  if (ref_pack != pack.id)
    fail(std::string("the BoundCase's ") + what + " was resolved on another Pack (another pack, or an earlier load of "
         "these files): resolve refs with this pack's playbook_ref, fact_ref, state_ref and event_ref");
}

void Evaluator::evaluate(const CompiledPack& pack, const BoundCase& c) {
  begin();
  if (c.playbook.index >= pack.playbooks.size()) fail("the BoundCase's playbook does not belong to this pack");
  check_pack(pack, c.playbook.pack, "PlaybookRef");
  const Playbook& pb = pack.playbooks[c.playbook.index];
  start(pb);
  sign_offs_ = &c.sign_offs;
  paid_ = &c.paid;
  given_.clear();
  given_.reserve(c.facts.size());
  for (const auto& [ref, value] : c.facts) {
    if (ref.playbook != c.playbook.index || ref.index >= pb.facts.size())
      fail("a FactRef of the BoundCase belongs to another playbook (resolve it with Pack::fact_ref for '" + pb.id + "')");
    check_pack(pack, ref.pack, "FactRef");
    given_.emplace_back(ref.index, &value);
  }
  set_time_input(c.pauses, nullptr, std::string());
  if (std::string problems = bind_values(pb); !problems.empty()) fail(problems);
  std::uint32_t state = pb.initial;
  if (c.state) {
    if (c.state->playbook != c.playbook.index || c.state->index >= pb.states.size())
      fail("the BoundCase's StateRef belongs to another playbook");
    check_pack(pack, c.state->pack, "StateRef");
    state = c.state->index;
  }
  std::optional<std::uint32_t> event;
  if (c.event) {
    if (c.event->playbook != c.playbook.index || c.event->index >= pb.events.size())
      fail("the BoundCase's EventRef belongs to another playbook");
    check_pack(pack, c.event->pack, "EventRef");
    event = c.event->index;
  }
  static const std::string kNoEvent;
  run_machine(pb, state, event, event ? pb.events[*event] : kNoEvent, c.entered_at);
}

// Steps 2–6 from a bound state and event.
void Evaluator::run_machine(const Playbook& pb, std::uint32_t state, std::optional<std::uint32_t> event,
                            const std::string& event_name, std::optional<Timestamp> entered_at) {
  add_to_path(pb.states[state].name);
  // When the case entered the state it is in: moved by an event or `always` now, by a timeout
  // at the instant it fell due.
  std::optional<Timestamp> entered = entered_at;
  enter(&pb.states[state], entered);
  // Guards or escalation rules read the compensation: it (and so the escalation, which
  // `compensation.approved` needs) comes first. It never depends on the state.
  if (pb.money_early) {
    compensate(pb);
    escalate(pb);
    approve(pb);
  }

  // Step 2: the event.
  if (event) {
    const State& st = pb.states[state];
    const std::vector<Transition>* options =
        *event < st.on.size() && !st.on[*event].empty() ? &st.on[*event] : nullptr;
    if (!options) {
      std::vector<std::string> accepted;
      for (std::size_t e = 0; e < st.on.size(); ++e)
        if (!st.on[e].empty()) accepted.push_back(pb.events[e]);
      std::string msg = "state '" + st.name + "' does not accept event '" + event_name + "'";
      if (accepted.empty()) msg += " (it accepts no events)";
      else msg += util::did_you_mean_or_list(event_name, accepted, "it accepts:");
      fail(msg);
    }
    const Transition* taken = nullptr;
    for (const auto& t : *options)
      if (holds(t.when, "on")) { taken = &t; break; }
    if (!taken) fail("event '" + event_name + "' in state '" + st.name + "': no option's 'when' holds, so nothing changes", st.pos);
    state = taken->target;
    add_to_path(pb.states[state].name);
    entered = now_;
    enter(&pb.states[state], entered);
  }

  // Step 3: `always` transitions while one holds, then the first timeout past due (spec §1.6);
  // more steps than states is a loop.
  std::size_t steps = 0;
  std::size_t loop_start = path_size_ - 1;
  for (;;) {
    const State& here = pb.states[state];
    enter(&here, entered);
    std::uint32_t target = 0;
    std::optional<Timestamp> entered_next = now_;
    const Transition* taken = nullptr;
    for (const auto& t : here.always)
      if (holds(t.when, "always")) { taken = &t; break; }
    if (taken) {
      target = taken->target;
    } else {
      const Timeout* fired = nullptr;
      std::optional<Timestamp> pending;
      if (entered) {
        for (const auto& t : here.after) {
          const Timestamp due = advance(pb.calendars[here.calendar].calendar, *entered, t.span, pauses_);
          if (!(due < end_of_time())) continue;  // an open pause stopped the clock
          if (!(due < now_)) {
            if (!pending || due < *pending) pending = due;
            continue;
          }
          if (trace_) record(t.transition.pos, "after", "after " + t.span.to_string(), Val::datetime(due.micros));
          if (!holds(t.transition.when, "after")) continue;
          fired = &t;
          entered_next = due;
          break;
        }
      }
      if (!fired) {
        if (pending) consider(*pending);
        break;
      }
      target = fired->transition.target;
    }
    if (++steps > pb.states.size()) {
      std::string loop;
      for (std::size_t i = loop_start; i < path_size_; ++i) loop += (i > loop_start ? " -> " : "") + decision_.path[i];
      fail("'always' transitions loop: " + loop + " -> … (more automatic steps than the playbook has states)",
           pb.states[state].pos);
    }
    state = target;
    entered = entered_next;
    add_to_path(pb.states[state].name);
  }
  decision_.path.resize(path_size_);
  const State& st = pb.states[state];
  origin_.state = state;
  decision_.state = st.name;
  decision_.terminal = st.terminal;
  if (st.to_close.reachable) {
    if (!decision_.to_close) decision_.to_close.emplace();
    decision_.to_close->steps = static_cast<int>(st.to_close.steps);
    decision_.to_close->events = st.to_close.events;
    decision_.to_close->states = st.to_close.states;
  } else {
    decision_.to_close.reset();
  }

  if (!pb.money_early) {
    escalate(pb);
    lift(pb, st);
    compensate(pb);
    approve(pb);
  } else if (st.escalate) {
    lift(pb, st);
    approve(pb);  // guards saw the level before the state's lift (spec §4 step 5)
  }

  // Step 4: actions of the resulting state (rendered last: `say` may use level and total).
  if (view_) apply_view(pb);
  approval_name_ = &approval_level(pb);
  level_name_ = view_ ? &pb.ladder[static_cast<std::size_t>(view_->rung)] : &decision_.escalation.level;
  std::size_t actions = 0;
  origin_.actions.clear();
  for (const auto& a : st.actions) {
    if (!holds(a.when, "action")) continue;
    origin_.actions.push_back(static_cast<std::uint32_t>(&a - st.actions.data()));
    ActionOut& out = next_element(decision_.actions, actions);
    out.action = a.id;
    std::optional<Timestamp> done_at;
    const std::optional<Timestamp> due = due_of(pb, a, entered, done_at);
    const Calendar& cal = pb.calendars[a.calendar].calendar;
    out.due_at.reset();
    if (due && *due < end_of_time()) out.due_at = due;
    clock_stopped_ = due && !out.due_at;  // an open pause: no deadline until the clock runs again
    out.done = done_at && !a.every;
    out.overdue = !out.done && out.due_at && *out.due_at < now_;
    if (!out.done && out.due_at) consider(*out.due_at);
    if (a.has_say) {
      if (!out.say) out.say.emplace();
      render(a, out, cal.zone(), *out.say);
    } else {
      out.say.reset();
    }
    out.options = a.options;  // into the element's own list and strings when it has them
    // `to: "{level}"`: the escalation level reached.
    if (a.to_level) out.to = *level_name_;
    else if (a.to_approval) out.to = approval_level(pb);
    else out.to = a.to;
  }
  decision_.actions.resize(actions);
  decision_.trace.resize(trace_size_);
}

// Step 5: escalation.
void Evaluator::escalate(const Playbook& pb) {
  int rung = pb.start_rung;
  const int top = static_cast<int>(pb.ladder.size()) - 1;
  std::size_t reasons = 0;
  for (const auto& rule : pb.escalation) {
    if (!holds(rule.when, "escalation")) continue;
    switch (rule.kind) {
      case EscalationRule::Kind::AtLeast: rung = std::max(rung, rule.rung); break;
      case EscalationRule::Kind::Raise: rung = std::min(top, rung + rule.rung); break;
      case EscalationRule::Kind::Set: rung = rule.rung; break;
    }
    if (rule.why) next_element(decision_.escalation.reasons, reasons) = *rule.why;
  }
  decision_.escalation.reasons.resize(reasons);
  decision_.escalation.level = pb.ladder[static_cast<std::size_t>(rung)];
  decision_.escalation.rank = rung;
  rung_ = rung;
}

// `{approval}`: the higher of the level the compensation needs and the case's level; the case's
// level when no approval is needed.
const std::string& Evaluator::approval_level(const Playbook& pb) const {
  const int rung = approval_ ? std::max(*approval_, rung_) : rung_;
  return pb.ladder[static_cast<std::size_t>(rung)];
}

// Step 5, last: the resulting state's own lift (`escalate` of a state), above the rules' level.
void Evaluator::lift(const Playbook& pb, const State& st) {
  if (!st.escalate) return;
  const EscalationRule& e = *st.escalate;
  const int top = static_cast<int>(pb.ladder.size()) - 1;
  const int rung = e.kind == EscalationRule::Kind::Raise ? std::min(top, rung_ + e.rung) : std::max(rung_, e.rung);
  if (trace_) record(e.pos, "escalation", "state '" + st.name + "' escalate", Val::boolean(true));
  if (rung == rung_) return;  // its why is a reason only when it moves the level
  std::size_t reasons = decision_.escalation.reasons.size();
  if (e.why) next_element(decision_.escalation.reasons, reasons) = *e.why;
  decision_.escalation.reasons.resize(reasons);
  decision_.escalation.level = pb.ladder[static_cast<std::size_t>(rung)];
  decision_.escalation.rank = rung;
  rung_ = rung;
}

// Step 6: items, combine, cap, approval, hold, sign-off and payouts. Owed items are outside the
// cap, the hold, the approval and `combine` unless the playbook says `limits: all`.
void Evaluator::compensate(const Playbook& pb) {
  Compensation& comp = decision_.compensation;
  const Money zero{Decimal(), pb.currency};
  comp.total = comp.owed = comp.goodwill = comp.paid = comp.remaining = comp.payable = zero;
  comp.capped = false;
  comp.held = false;
  origin_.items.clear();  // an Evaluator may be reused (evaluate_into)
  const int minor = pb.currency.minor_digits();
  // Messages and locations are built only on failure: this runs for every rule that holds.
  auto rounded = [&](const Val& v, const char* what, const std::string* id, const Program& p) {
    Decimal r;
    bool ok = Decimal::round(v.d, minor, Rounding::HalfAwayFromZero, r);
    if (ok && r.sign() >= 0) return r;
    std::string name = id ? std::string(what) + " '" + *id + "'" : std::string(what);
    if (!ok) fail(name + " is out of range", p.location());
    fail(name + " is negative (" + Money{r, pb.currency}.to_string() + "): compensation cannot take money back", p.location());
  };
  auto limited = [&](const CompensationItem& item) { return pb.limits_cover_owed || item.basis == Basis::Goodwill; };
  std::size_t items = 0;
  bool first_taken = false;
  for (const auto& rule : pb.compensation) {
    if (pb.combine == Combine::First && first_taken && (pb.limits_cover_owed || rule.basis == Basis::Goodwill)) continue;
    if (!holds(rule.when, "compensation")) continue;
    Val amount = run(rule.amount, "amount");
    if (amount.type == VType::Null) fail("amount of compensation '" + rule.id + "' is null", rule.amount.location());
    Decimal a = rounded(amount, "amount of compensation", &rule.id, rule.amount);
    CompensationItem& item = next_element(comp.items, items);
    item.id = rule.id;
    item.kind = rule.kind;
    item.basis = rule.basis;
    item.amount = Money{a, pb.currency};
    item.paid = item.remaining = zero;
    origin_.items.push_back(static_cast<std::uint32_t>(&rule - pb.compensation.data()));
    if (limited(item)) first_taken = true;
  }
  comp.items.resize(items);
  if (pb.combine == Combine::Max) {
    // The largest limited item alone (the earlier one on a tie); owed items all stay.
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < comp.items.size(); ++i)
      if (limited(comp.items[i]) && (!best || comp.items[i].amount.amount > comp.items[*best].amount.amount)) best = i;
    std::size_t kept = 0;  // in place, in order: the dropped items end up past `kept`
    for (std::size_t i = 0; i < comp.items.size(); ++i)
      if (!limited(comp.items[i]) || i == best) {
        std::swap(comp.items[kept], comp.items[i]);
        origin_.items[kept++] = origin_.items[i];
      }
    comp.items.resize(kept);
    origin_.items.resize(kept);
  }
  Decimal controlled;  // what the cap, the approval and the hold cover
  for (const auto& item : comp.items)
    if (limited(item) && !Decimal::add(controlled, item.amount.amount, controlled)) fail("compensation total is out of range");
  if (pb.cap) {
    Val cap_val = run(*pb.cap, "cap");
    if (cap_val.type == VType::Null) fail("the compensation cap is null", pb.cap->location());
    Decimal cap = rounded(cap_val, "the compensation cap", nullptr, *pb.cap);
    if (cap < controlled) {
      comp.capped = true;
      Decimal excess;
      Decimal::sub(controlled, cap, excess);
      for (auto it = comp.items.rbegin(); it != comp.items.rend() && excess.sign() > 0; ++it) {
        if (!limited(*it)) continue;
        Decimal cut = std::min(it->amount.amount, excess);
        Decimal::sub(it->amount.amount, cut, it->amount.amount);
        Decimal::sub(excess, cut, excess);
      }
      controlled = cap;
    }
  }
  Decimal owed, goodwill;
  for (const auto& item : comp.items) {
    Decimal& sum = item.basis == Basis::Owed ? owed : goodwill;
    if (!Decimal::add(sum, item.amount.amount, sum)) fail("compensation total is out of range");
  }
  Decimal total;
  if (!Decimal::add(owed, goodwill, total)) fail("compensation total is out of range");
  comp.owed = Money{owed, pb.currency};
  comp.goodwill = Money{goodwill, pb.currency};
  comp.total = Money{total, pb.currency};

  std::optional<int> approval;
  for (const auto& a : pb.approvals)
    if (controlled > a.above) approval = a.rung;  // ascending: the last one passed is the highest
  if (pb.hold && truth(run(pb.hold->when, "hold"), pb.hold->when)) {
    comp.held = true;
    approval = pb.hold->rung;
    static const std::string kHeld = "held for review";
    comp.hold_reason = pb.hold->why.empty() ? kHeld : pb.hold->why;
  } else {
    comp.hold_reason.reset();
  }
  if (approval) comp.approval = pb.ladder[static_cast<std::size_t>(*approval)];
  else comp.approval.reset();
  approval_ = approval;
  origin_.approval = approval;
  sign(pb, controlled);
  pay(pb);

  set_money(pb, MoneyName::Total, Val::money(total, pb.currency.index()));
  set_money(pb, MoneyName::Owed, Val::money(owed, pb.currency.index()));
  set_money(pb, MoneyName::Goodwill, Val::money(goodwill, pb.currency.index()));
  set_money(pb, MoneyName::Paid, Val::money(comp.paid.amount, pb.currency.index()));
  set_money(pb, MoneyName::Remaining, Val::money(comp.remaining.amount, pb.currency.index()));
  set_money(pb, MoneyName::Payable, Val::money(comp.payable.amount, pb.currency.index()));
  set_money(pb, MoneyName::Capped, Val::boolean(comp.capped));
  set_money(pb, MoneyName::Held, Val::boolean(comp.held));
  set_money(pb, MoneyName::SignedOff, Val::boolean(comp.signed_off));
  if (approval) {
    const std::string& level = pb.ladder[static_cast<std::size_t>(*approval)];
    set_money(pb, MoneyName::Approval, Val::enumeration(*approval, level));
  }
}

// A compound part's actions (spec §4.1 step 4) read the compound's level, approval and sign-off,
// and the part's items as the compound pays them; `owed` and `paid` stay the part's. The
// Decision's own compensation and escalation are left as the part computed them.
void Evaluator::apply_view(const Playbook& pb) {
  const CompoundView& v = *view_;
  const auto cur = pb.currency.index();
  set_money(pb, MoneyName::Goodwill, Val::money(v.goodwill, cur));
  set_money(pb, MoneyName::Total, Val::money(v.total, cur));
  set_money(pb, MoneyName::Remaining, Val::money(v.remaining, cur));
  set_money(pb, MoneyName::Payable, Val::money(v.payable, cur));
  set_money(pb, MoneyName::Capped, Val::boolean(v.capped));
  set_money(pb, MoneyName::Held, Val::boolean(v.held));
  set_money(pb, MoneyName::Approved, Val::boolean(v.approved));
  set_money(pb, MoneyName::SignedOff, Val::boolean(v.signed_off));
  set_money(pb, MoneyName::Approval,
            v.approval ? Val::enumeration(*v.approval, pb.ladder[static_cast<std::size_t>(*v.approval)]) : Val::null());
  approval_ = v.approval;
  rung_ = v.rung;
}

// `approved`: the escalation level has the authority `approval` needs, whatever set it.
void Evaluator::approve(const Playbook& pb) {
  decision_.compensation.approved = !approval_ || rung_ >= *approval_;
  set_money(pb, MoneyName::Approved, Val::boolean(decision_.compensation.approved));
}

// The first of the Case's sign-offs at or above the approval needed, given by now, covering
// `amount`. Every sign-off is checked, needed or not.
void Evaluator::sign(const Playbook& pb, const Decimal& amount) {
  Compensation& comp = decision_.compensation;
  comp.signed_off = !approval_;
  const SignOff* counted = nullptr;
  for (const SignOff& s : *sign_offs_) {
    auto rung = std::find(pb.ladder.begin(), pb.ladder.end(), s.level);
    if (rung == pb.ladder.end()) {
      fail("sign-off by '" + s.by + "': unknown level '" + s.level + "'" +
           util::did_you_mean_or_list(s.level, pb.ladder, "the ladder is"));
    }
    if (s.amount && s.amount->currency != pb.currency)
      fail(not_in_currency("sign-off by '" + s.by + "'", s.amount->currency, pb));
    if (comp.signed_off) continue;  // checked, not needed
    if (rung - pb.ladder.begin() < *approval_ || s.at.micros > now_.micros) continue;
    if (s.amount && s.amount->amount < amount) continue;
    comp.signed_off = true;
    counted = &s;
  }
  if (counted) comp.sign_off = *counted;
  else comp.sign_off.reset();
}

// What the Case says was paid, per item; what remains, never negative; what may be paid now.
void Evaluator::pay(const Playbook& pb) {
  Compensation& comp = decision_.compensation;
  for (const Payment& p : *paid_) {
    auto rule = std::find_if(pb.compensation.begin(), pb.compensation.end(), [&](const CompensationRule& r) { return r.id == p.item; });
    if (rule == pb.compensation.end()) {
      std::vector<std::string> ids;
      for (const auto& r : pb.compensation) ids.push_back(r.id);
      std::string msg = "paid: playbook '" + pb.id + "' has no compensation item '" + p.item + "'";
      if (!ids.empty()) msg += util::did_you_mean_or_list(p.item, ids, "its items:");
      fail(msg);
    }
    if (p.amount.currency != pb.currency)
      fail(not_in_currency("paid '" + p.item + "'", p.amount.currency, pb));
    if (p.amount.amount.sign() < 0) fail("paid '" + p.item + "' is negative (" + p.amount.to_string() + "): record refunds taken back as a lower amount paid");
    // A payout is in the currency's minor unit, like the items it pays.
    Decimal minor;
    if (!Decimal::round(p.amount.amount, pb.currency.minor_digits(), Rounding::TowardZero, minor) || minor != p.amount.amount)
      fail("paid '" + p.item + "' is " + p.amount.amount.to_string() + " " + std::string(pb.currency.code()) + ", finer than " +
           std::string(pb.currency.code()) + "'s minor unit (" + std::to_string(pb.currency.minor_digits()) + " digits): give what was actually paid");
    auto item = std::find_if(comp.items.begin(), comp.items.end(), [&](const CompensationItem& i) { return i.id == p.item; });
    if (item == comp.items.end()) {
      decision_.warnings.push_back("paid '" + p.item + "' " + p.amount.to_string() + ", but it gives no compensation now");
      continue;
    }
    if (!Decimal::add(item->paid.amount, p.amount.amount, item->paid.amount)) fail("paid '" + p.item + "' is out of range");
  }
  for (auto& item : comp.items) {
    if (item.paid.amount > item.amount.amount)
      decision_.warnings.push_back("'" + item.id + "' was paid " + item.paid.to_string() + ", more than its " + item.amount.to_string());
    else
      Decimal::sub(item.amount.amount, item.paid.amount, item.remaining.amount);
    bool payable = (item.basis == Basis::Owed && !pb.limits_cover_owed) || comp.signed_off;
    if (!Decimal::add(comp.paid.amount, item.paid.amount, comp.paid.amount) ||
        !Decimal::add(comp.remaining.amount, item.remaining.amount, comp.remaining.amount) ||
        (payable && !Decimal::add(comp.payable.amount, item.remaining.amount, comp.payable.amount)))
      fail("compensation paid is out of range");
  }
}

void Evaluator::render(const Action& a, const ActionOut& out, const TimeZone& zone, std::string& s) {
  s.clear();
  for (const auto& part : a.say) {
    switch (part.kind) {
      case TemplatePart::Kind::Text: s += part.text; break;
      case TemplatePart::Kind::Level: s += *level_name_; break;
      case TemplatePart::Kind::Approval: s += *approval_name_; break;
      case TemplatePart::Kind::State: s += decision_.state; break;
      case TemplatePart::Kind::DueAt:
        if (clock_stopped_) { say_paused_due(s); break; }
        if (!out.due_at) fail("'say' of action '" + a.id + "' uses {due_at}, but the deadline is unknown (no entered_at)", part.pos);
        s += show_time(*out.due_at, zone, part.format);
        break;
      case TemplatePart::Kind::Slot: {
        const Val& v = slots_[part.slot];
        if (v.type == VType::Null)
          fail("'say' of action '" + a.id + "' uses {" + part.text + "}, which is null (absent) in this case", part.pos);
        // Times and durations read as people write them (spec §1.5).
        if (v.type == VType::Datetime) s += show_time(Timestamp{v.i}, zone, part.format);
        else if (v.type == VType::Duration) s += format_human(Duration{v.i});
        else s += expr::display(v);
        break;
      }
    }
  }
}

}  // namespace redress::detail
