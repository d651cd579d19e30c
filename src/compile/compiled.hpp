// The compiled form of a pack: what the loader produces and evaluation reads.
//
// Everything here is built once by the loader and never changed afterwards (the Pack holds it
// through shared_ptr<const CompiledPack>). Names are resolved to indices: states, events,
// ladder rungs and fact slots. The only string maps are for binding a Case's input names
// (playbook id, state, event, fact names) once at the start of an evaluation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compile/compound_test.hpp"
#include "expr/expr.hpp"
#include "redress/decision.hpp"
#include "redress/pack.hpp"
#include "time/calendar.hpp"

namespace redress::detail {

using expr::Program;
using expr::Type;
using expr::Val;
using expr::VType;

struct FactDecl {
  std::string name;
  std::string type_name;         // as written: "int", "money", "enum", …
  Type type;
  bool optional = false;
  bool has_default = false;
  Val default_value;             // views point into default_text / default_list
  std::string default_text;      // owned storage for a string/enum default
  std::vector<std::string> default_list;
  std::optional<Decimal> min, max;
  std::vector<std::string> values;  // enum values (also in the Scope's EnumDef)
  std::string doc;
  std::string default_display;   // the default as written, for PlaybookInfo
  std::uint32_t slot = 0;
};

struct LetDecl {
  std::string name;
  Program program;
  std::uint32_t slot = 0;
};

// The compensation values that `when` conditions, transition guards, escalation rules and `say`
// may read (issue #11). Each lives in a frame slot after the facts and lets
// (Playbook::money_slot + its index), filled once the compensation is computed.
enum class MoneyName : std::uint8_t {
  Total, Owed, Goodwill, Paid, Remaining, Payable, Capped, Held, Approved, SignedOff, Approval, Count
};
struct MoneyNameInfo {
  const char* name;
  VType type;
};
inline constexpr MoneyNameInfo kMoneyNames[] = {
    {"compensation.total", VType::Money},     {"compensation.owed", VType::Money},
    {"compensation.goodwill", VType::Money},  {"compensation.paid", VType::Money},
    {"compensation.remaining", VType::Money}, {"compensation.payable", VType::Money},
    {"compensation.capped", VType::Bool},     {"compensation.held", VType::Bool},
    {"compensation.approved", VType::Bool},   {"compensation.signed_off", VType::Bool},
    {"compensation.approval", VType::Enum},   // over the ladder; null when none is needed
};
static_assert(sizeof(kMoneyNames) / sizeof(kMoneyNames[0]) == static_cast<std::size_t>(MoneyName::Count));

// Part of a `say` template: literal text, or a placeholder.
struct TemplatePart {
  enum class Kind : std::uint8_t { Text, Slot, Level, Approval, State, DueAt };
  // How a datetime placeholder reads (spec §1.5): "{due_at}" human local time, "{due_at:iso}"
  // ISO 8601 in local time with its offset, "{due_at:utc}" ISO 8601 in UTC.
  enum class TimeFormat : std::uint8_t { Human, Iso, Utc };
  Kind kind = Kind::Text;
  TimeFormat format = TimeFormat::Human;
  std::string text;          // Text: the literal; otherwise the placeholder's name
  std::uint32_t slot = 0;    // Slot
  SourceLocation pos;              // of the placeholder, for errors
};

// A named business calendar (spec §1.6). Playbook::calendars[0] is always the implicit one:
// open around the clock, in UTC.
struct NamedCalendar {
  std::string name;
  Calendar calendar;
  SourceLocation pos;
};

struct Action {
  std::string id;
  std::uint32_t id_index = 0;     // of `id` in Playbook::money_scope.actions, as overdue() names it
  SourceLocation pos;             // of the item in `do`
  std::optional<std::string> why; // `why:` text an agent may read out (src/explain)
  std::optional<Program> when;
  std::optional<Span> within;
  std::optional<Span> every;      // recurring: due `every` after the last time it was done
  std::uint32_t calendar = 0;     // index into Playbook::calendars (action, else state, else playbook)
  bool has_say = false;
  std::vector<TemplatePart> say;
  std::optional<std::vector<std::string>> options;
  std::optional<std::string> to;
  bool to_level = false;          // `to: "{level}"`: the rung the case is at (spec §1)
  bool to_approval = false;       // `to: "{approval}"`: who must sign off (spec §1)
  std::uint32_t step = 0;         // the step it is in a compound case (CompoundRules::steps)
};

// One option of an `on` event or an `always` list.
struct Transition {
  std::uint32_t target = 0;
  std::optional<Program> when;
  SourceLocation pos;             // of the option
  std::optional<std::string> why; // `why:` text an agent may read out (src/explain)
};

// The shortest way from a state to a terminal state (issue #5), computed at load time.
struct ToClose {
  bool reachable = false;
  std::uint32_t steps = 0;
  std::vector<std::string> events;   // events to send, in order ("always" steps send none)
  std::vector<std::string> states;   // states passed through, ending at the terminal one
};

// A timeout (spec §1.6): `span` after the case entered the state, if `when` holds, it moves.
struct Timeout {
  Span span;
  Transition transition;     // target, when, position of the option
};

// What a terminal state means for the case (spec §1, `outcome`): `to_close` heads for the
// nearest `resolved` one and takes another only when none can be reached, so that the way out
// it suggests is the intended route, not a refusal that happens to be shorter.
enum class Outcome : std::uint8_t { Resolved, ClosedWithoutAgreement };

struct EscalationRule {
  enum class Kind : std::uint8_t { AtLeast, Raise, Set };
  Kind kind = Kind::AtLeast;
  std::optional<Program> when;
  int rung = 0;              // AtLeast/Set: the rung; Raise: how many
  std::optional<std::string> why;
  SourceLocation pos;             // of the rule
};

struct State {
  std::string name;
  SourceLocation pos;             // of the state's key
  ToClose to_close;
  bool initial = false;
  bool terminal = false;
  Outcome outcome = Outcome::Resolved;   // terminal states only
  std::vector<Action> actions;
  // on[event id] -> options; empty when the state does not accept the event.
  std::vector<std::vector<Transition>> on;
  std::vector<SourceLocation> event_pos;    // per event id: the key in `on` (line 0 when absent)
  std::vector<Transition> always;
  std::vector<Timeout> after;          // in the order written; the first due (and holding) wins
  std::uint32_t calendar = 0;          // for its timeouts and, unless they pick one, its actions
  // `escalate: {raise|at_least: …, why: …}`: applied after the playbook's escalation rules when a
  // case ends here (spec §4 step 5); `when` is unused.
  std::optional<EscalationRule> escalate;
};

struct CompensationRule {
  std::string id;
  std::string kind;
  Basis basis = Basis::Goodwill;
  SourceLocation pos;            // of the rule
  std::optional<Program> when;
  Program amount;
  std::optional<std::string> why; // `why:` text an agent may read out (src/explain)
  std::string covers;            // the loss it pays for ("" none), spec §4.1
  SourceLocation covers_pos;
  // The items that pay one loss in a compound case (CompoundRules::overlaps), or kNoOverlap.
  std::uint32_t overlap = 0xFFFFFFFFu;
};

struct Approval {
  Decimal above;             // in the playbook currency
  int rung = 0;
  SourceLocation pos;
};

enum class Combine : std::uint8_t { Sum, Max, First };

struct Hold {
  Program when;
  int rung = 0;
  std::string why;
};

struct Playbook {
  std::string id, title, version, doc;
  std::string file;          // path as given to load
  FileId file_id = 0;        // of `file`, named as traces print it ("delivery_delay.yaml")
  std::string fingerprint;   // "sha256:…"
  int priority = 0;
  bool has_currency = false;
  Currency currency;
  std::optional<Program> match;
  // Triage orders the playbooks that match by this value (money or a number), highest first;
  // `priority` breaks ties (spec §4). None: ranks as zero.
  std::optional<Program> rank;

  expr::Scope scope;         // facts then lets; slot = index in scope.symbols
  std::vector<FactDecl> facts;
  std::vector<LetDecl> lets;
  // Facts, lets, then the compensation values (kMoneyNames) from money_slot on.
  std::uint32_t slot_count = 0;
  std::uint32_t money_slot = 0;
  // `scope` plus the compensation values: actions' `when`, transition guards and escalation
  // rules are compiled against it.
  expr::Scope money_scope;
  // A transition guard or an escalation rule reads a compensation value: the compensation is
  // then computed before the transitions (spec §4 step 6).
  bool money_early = false;
  std::unordered_map<std::string, std::uint32_t> fact_index;  // input binding only
  bool strict_facts = false;  // an unknown case fact is an error (pack.yaml `strict_facts`)

  std::vector<std::string> ladder;
  int start_rung = 0;
  std::vector<EscalationRule> escalation;

  bool has_compensation = false;
  Combine combine = Combine::Sum;
  // `limits: all`: cap, hold, approval and combine cover owed items too (default: goodwill only).
  bool limits_cover_owed = false;
  std::vector<CompensationRule> compensation;
  std::optional<Program> cap;
  std::vector<Approval> approvals;   // sorted by `above`, ascending
  std::optional<Hold> hold;

  std::vector<NamedCalendar> calendars{NamedCalendar{"", Calendar::always_open(), {}}};
  std::uint32_t calendar = 0;        // the playbook's own pick

  std::vector<State> states;
  std::uint32_t initial = 0;
  std::vector<std::string> events;   // event id -> name
  std::unordered_map<std::string, std::uint32_t> state_index;  // input binding only
  std::unordered_map<std::string, std::uint32_t> event_index;  // input binding only

  PlaybookInfo info;
};

// What the pack says about compound cases (spec §4.1, pack.yaml `compound:`), every name
// resolved to an index at load: actions to steps, items to overlap groups, levels to rungs.
struct CompoundRules {
  static constexpr std::uint32_t kNoOverlap = 0xFFFFFFFFu;
  std::vector<std::string> steps;       // step -> its id (the first of its `same_step` group)
  std::vector<std::string> overlaps;    // overlap group -> the loss it is ("" for an `exclusive` group)
  std::optional<Decimal> cap;           // over the combined goodwill, in `currency`
  Currency currency;
  std::vector<std::string> ladder;      // the ladder `approve` levels are rungs of
  std::vector<Approval> approvals;      // sorted by `above`, ascending
  // Per playbook: playbooks with the same number name their rungs alike (one ladder).
  std::vector<std::uint32_t> ladder_class;
};

struct CompiledPack {
  std::vector<Playbook> playbooks;
  std::vector<std::uint32_t> triage_order;  // by priority (higher first), then id
  bool ranked = false;  // some playbook has a `rank`: triage weighs every match (spec §4)
  std::unordered_map<std::string, std::uint32_t> playbook_index;
  std::vector<PlaybookInfo> infos;
  std::vector<Diagnostic> warnings;
  std::vector<std::string> sources;
  std::string fingerprint;
  std::uint64_t id = 0;  // this load's identity, carried by its refs (redress/case.hpp)
  CompoundRules compound;
  std::vector<CompoundTest> compound_tests;  // pack.test.yaml, in file order
};

}  // namespace redress::detail
