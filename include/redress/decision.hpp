// The Decision: what redress answers for a Case (spec §5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redress/case.hpp"
#include "redress/location.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"
#include "redress/value.hpp"

namespace redress {

struct ActionOut {
  std::string action;
  std::optional<Timestamp> due_at;
  bool overdue = false;              // not done, and `now` is past due_at
  bool done = false;                 // the Case says it is done (never for a recurring action)
  std::optional<std::string> say;
  std::optional<std::vector<std::string>> options;
  std::optional<std::string> to;
};

struct Escalation {
  std::string level;
  int rank = 0;                      // 0 = the lowest rung
  std::vector<std::string> reasons;
};

// Owed: the customer's by law or contract (a refund of an overcharge, a statutory penalty, an
// SLA credit); never capped, held or subject to approval unless the playbook says
// `limits: all`. Goodwill: a gesture (a voucher, a credit); the cap, hold and approval apply.
enum class Basis : std::uint8_t { Owed, Goodwill };
const char* to_string(Basis b);  // "owed", "goodwill"

struct CompensationItem {
  std::string id;
  std::string kind;
  Basis basis = Basis::Goodwill;
  Money amount;
  Money paid;                        // already paid (Case::paid)
  Money remaining;                   // amount - paid, never negative
};

struct Compensation {
  Money total;                       // owed + goodwill
  Money owed;                        // owed items: never cut by the cap
  Money goodwill;                    // goodwill items, after the cap
  bool capped = false;
  std::optional<std::string> approval;  // the level a sign-off needs (null: none needed)
  bool approved = true;              // the escalation level is at or above `approval`
  bool signed_off = true;            // a sufficient sign-off is on record (or none is needed)
  std::optional<SignOff> sign_off;   // the sign-off that counts
  bool held = false;
  std::optional<std::string> hold_reason;
  Money paid;                        // sum of what the items already had paid
  Money remaining;                   // sum of the items' remaining
  Money payable;                     // what may be paid now: remaining owed, plus remaining
                                     // goodwill once signed off
  std::vector<CompensationItem> items;
};

// One guard or rule evaluated, with the YAML location of its expression.
struct TraceStep {
  SourceLocation at; // of the expression; to_string(at) is "delivery_delay.yaml:41:28"
  std::string what;  // "match", "fact", "let", "on", "always", "action", "escalation", "compensation", "cap", "hold"
  std::string expr;  // the expression's source text
  Value value;       // what it gave
  std::string name;  // the `let` it computed ("" for the others); not in the JSON of spec §5
};

// The fewest transitions from the resulting state to a terminal state.
struct ToClose {
  int steps = 0;
  std::vector<std::string> events;   // the events on that path, in order
  std::vector<std::string> states;   // the states it passes, ending at a terminal state
};

struct Decision {
  std::string playbook;
  std::string version;
  std::string fingerprint;
  std::string state;
  bool terminal = false;
  std::vector<std::string> path;     // states entered by this evaluation, in order
  std::vector<ActionOut> actions;
  Escalation escalation;
  Compensation compensation;
  std::optional<ToClose> to_close;   // null when no terminal state can be reached
  // The earliest deadline, timeout or recurrence at or after `now`: past it, time alone may
  // change this Decision (spec §5). Null when nothing is pending.
  std::optional<Timestamp> next_change_at;
  std::vector<std::string> warnings;
  bool has_trace = false;
  std::vector<TraceStep> trace;
};

// Field by field: every member equal (trace values by kind and value, locations by file, line,
// column and span). Replaying a case compares its new Decision with the stored one this way.
bool operator==(const ActionOut& a, const ActionOut& b);
bool operator==(const Escalation& a, const Escalation& b);
bool operator==(const CompensationItem& a, const CompensationItem& b);
bool operator==(const Compensation& a, const Compensation& b);
bool operator==(const TraceStep& a, const TraceStep& b);
bool operator==(const ToClose& a, const ToClose& b);
bool operator==(const Decision& a, const Decision& b);
inline bool operator!=(const ActionOut& a, const ActionOut& b) { return !(a == b); }
inline bool operator!=(const Escalation& a, const Escalation& b) { return !(a == b); }
inline bool operator!=(const CompensationItem& a, const CompensationItem& b) { return !(a == b); }
inline bool operator!=(const Compensation& a, const Compensation& b) { return !(a == b); }
inline bool operator!=(const TraceStep& a, const TraceStep& b) { return !(a == b); }
inline bool operator!=(const ToClose& a, const ToClose& b) { return !(a == b); }
inline bool operator!=(const Decision& a, const Decision& b) { return !(a == b); }

// One field that differs between two Decisions: `field` is its path in the JSON of spec §5
// ("compensation.items[delay_credit].amount", "state"; list elements with an id or action name
// are matched by it), `before`/`after` its values as text ("absent" when only one side has it).
// The trace is not compared.
struct DecisionChange {
  std::string field;
  std::string before;
  std::string after;
};
std::vector<DecisionChange> diff(const Decision& before, const Decision& after);

// Every form of a Decision comes from one description of its fields: the JSON, the events a
// JsonSink receives, the bytes of encode_decision, and equality.

struct JsonOptions {
  bool pretty = false;  // two-space indentation instead of one line
};

// Exactly the JSON of spec §5; byte-identical for the same Decision.
std::string to_json(const Decision& d, const JsonOptions& options = {});

// The JSON of spec §5 as events, for building another representation of it without printing
// and parsing text (Python's Decision.to_dict is one). Keys come in the JSON's order.
class JsonSink {
 public:
  virtual ~JsonSink() = default;
  virtual void begin_object() = 0;
  virtual void key(std::string_view name) = 0;  // the next value is this member's
  virtual void end_object() = 0;
  virtual void begin_array() = 0;
  virtual void end_array() = 0;
  virtual void string(std::string_view text) = 0;
  virtual void number(std::string_view text) = 0;  // exact decimal text: "3", "-1.25" (no exponent)
  virtual void boolean(bool value) = 0;
  virtual void null() = 0;
};
void write_json(const Decision& d, JsonSink& sink);

// Every field of a Decision, losslessly (a trace value keeps its kind, a location its file), as
// bytes to keep or send to another process and read back with decode_decision: what Python
// pickles. Not an exchange format (that is the JSON): the layout is versioned and may change
// between releases, and decode_decision refuses bytes of another version.
std::string encode_decision(const Decision& d);
// Throws std::invalid_argument for bytes encode_decision did not make (truncated, corrupt, or
// of another version).
Decision decode_decision(std::string_view bytes);

}  // namespace redress
