// A Case: what the caller knows about one customer conflict (spec §4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redress/limits.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"
#include "redress/value.hpp"

namespace redress {

// Someone with authority signed the compensation off (spec §4 step 6): a sign-off is
// sufficient when its level is at or above the approval the Decision needs, it was given at or
// before `now`, and its amount (when given) covers the amount that needs approval.
struct SignOff {
  std::string level;                 // a rung of the playbook's ladder
  std::string by;                    // who signed (free text: a name, an id)
  Timestamp at;
  std::optional<Money> amount;       // the most it covers; absent: any amount
};
bool operator==(const SignOff& a, const SignOff& b);
inline bool operator!=(const SignOff& a, const SignOff& b) { return !(a == b); }

// What was already paid out for one compensation item (by the rule's id), so that a case
// evaluated again after a payout never pays it twice (spec §4 step 6).
struct Payment {
  std::string item;
  Money amount;
};

// A period the case's clock stood still, e.g. while the team waited for the customer
// (spec §4): deadlines, timeouts and ages do not count it. No `to`: still paused.
struct Pause {
  Timestamp from;
  std::optional<Timestamp> to;
};

// How a Case without a named playbook is triaged (spec §4): First, the first playbook that
// matches (one Decision); All, every playbook that matches (a compound case, spec §4.1).
enum class Triage : std::uint8_t { First, All };

struct Case {
  std::string playbook;                  // "" = the pack's only playbook, or triage
  // A compound case (spec §4.1, Pack::evaluate_compound): the playbooks it is about, in the
  // caller's order; empty = `playbook`, or triage as `triage` says.
  std::vector<std::string> playbooks;
  Triage triage = Triage::First;
  // Each playbook's state in a compound case, by playbook id ("" state: the initial one).
  std::vector<std::pair<std::string, std::string>> states;
  std::string state;                     // "" = the initial state
  std::optional<Timestamp> entered_at;   // when the case entered `state`
  std::string event;                     // "" = no event
  std::optional<Timestamp> now;          // the evaluation time (required unless
                                         // EvaluateOptions::clock is set)
  std::vector<std::pair<std::string, Value>> facts;  // by name, in the caller's order
  std::vector<SignOff> sign_offs;        // in the caller's order; the first sufficient one counts
  std::vector<Payment> paid;             // already paid, per compensation item
  std::vector<Pause> pauses;
  // Actions done, with when (the last time, for a recurring action).
  std::vector<std::pair<std::string, Timestamp>> done;
  // The IANA zone `say` shows times in ("Europe/Berlin"); "" = the calendar's zone.
  std::string timezone;

  Case& fact(std::string name, Value v) {
    facts.emplace_back(std::move(name), std::move(v));
    return *this;
  }
  // A compound case (spec §4.1): it names `playbooks` or asks `triage: all`. Pack::evaluate
  // refuses one; Pack::evaluate_compound answers it.
  bool compound() const { return !playbooks.empty() || triage == Triage::All; }
};

// Names resolved ahead of time (Pack::playbook_ref, fact_ref, state_ref, event_ref): a CRM
// resolves its field names once at start-up and then evaluates BoundCases, with no name looked
// up at evaluation time.
//
// A ref belongs to the pack (and playbook) that gave it. `pack` is that load's identity: unique
// to each Pack::load in the process (copies of a Pack share it). A ref used with any other pack
// -- another pack, or the same files loaded again (a reload) -- is an EvaluationError that says
// so, never a silent read of whatever sits at the same index there.
struct PlaybookRef { std::uint32_t index = 0; std::uint64_t pack = 0; };
struct FactRef { std::uint32_t playbook = 0, index = 0; std::uint64_t pack = 0; };
struct StateRef { std::uint32_t playbook = 0, index = 0; std::uint64_t pack = 0; };
struct EventRef { std::uint32_t playbook = 0, index = 0; std::uint64_t pack = 0; };

// A Case whose names are already bound. Typed values (Value::integer, Value::money, …) are
// used as they are; text values are still converted against the declaration.
struct BoundCase {
  PlaybookRef playbook;
  std::optional<StateRef> state;         // absent: the initial state
  std::optional<EventRef> event;
  std::optional<Timestamp> entered_at;
  std::optional<Timestamp> now;
  std::vector<std::pair<FactRef, Value>> facts;
  std::vector<SignOff> sign_offs;        // as in Case (levels and item ids by name: a handful,
  std::vector<Payment> paid;             // bound once at the start of the evaluation)
  std::vector<Pause> pauses;

  BoundCase& fact(FactRef f, Value v) {
    facts.emplace_back(f, std::move(v));
    return *this;
  }
};

// The text a case is written in. Auto: JSON for an origin ending in .json, .jsonl or .ndjson,
// YAML for .yaml or .yml, otherwise JSON when the text starts with '{' or '[' (stdin), else YAML.
enum class CaseFormat : std::uint8_t { Auto, Json, Yaml };

// Reads one Case from JSON or YAML text (spec §6):
// {"playbook":…, "state":…, "entered_at":…, "event":…, "now":…, "facts":{…},
//  "sign_offs":[{"level":…, "by":…, "at":…, "amount":…}], "paid":{"item id": "50.00 EUR"},
//  "pauses":[{"from":…, "to":…}], "done":{"action":…}, "timezone":…}.
// JSON is read by a JSON parser (simdjson): invalid JSON, such as a trailing comma, is an error
// saying "invalid JSON". Fact values: text stays text; a number (JSON, or a plain YAML number)
// becomes an exact Value::number read from its own digits, never a double, and one a Decimal
// cannot hold is an error; true/false are booleans; null is null; a list holds text. They are
// converted against the declarations when the case is evaluated. More than one case in the
// text (JSON Lines, YAML '---' documents) is an error that counts them and points at the
// second. Throws EvaluationError located at origin:line:column.
Case parse_case(std::string_view text, const std::string& origin = "<case>", CaseFormat format = CaseFormat::Auto);
// The same within `limits` (the text's size, its nesting, one string's length, the number of
// facts; for YAML also nodes and aliases); the overload above uses the defaults.
Case parse_case(std::string_view text, const std::string& origin, const LoadLimits& limits,
                CaseFormat format = CaseFormat::Auto);

}  // namespace redress
