// Compound cases (issue #12, spec §4.1 and §5.1): one customer, several conflicts at once. Each
// playbook of the case is evaluated on its own (a Decision per playbook, its own state), and the
// parts are merged into one answer: one list of next steps (the same step once), the highest
// escalation with every reason, and one compensation in which the same loss is never paid twice
// and the combined goodwill sits under the pack's cap and approval.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redress/decision.hpp"

namespace redress {

// A text that one playbook of a compound case produced: an escalation reason, a hold reason, a
// warning. No `playbook` (JSON null) for what the merge itself says.
struct Tagged {
  std::optional<std::string> playbook;
  std::string text;
};

// One recommended action of one playbook, by id.
struct ActionSource {
  std::string playbook;
  std::string action;
};

// One next step of the compound case: every part's action that is the same step (the same id,
// or ids the pack's `same_step` groups together) merged into one. `step` is the one whose
// deadline comes first (a null deadline counts as the latest; a tie goes to the earlier part);
// its id is the step's (the first id of its `same_step` group). It is done when any of them is.
struct CompoundAction {
  ActionOut step;
  std::vector<ActionSource> from;  // every action merged into it, in part order
};

struct CompoundEscalation {
  std::string level;                // the highest level of the parts
  int rank = 0;
  std::vector<Tagged> reasons;      // every part's reasons, in part order
};

struct ItemRef {
  std::string playbook;
  std::string item;
};

// One compensation item of one part. `claimed` is what its playbook gave (after that playbook's
// own combine and cap); `amount` is what the compound case pays: less when another item pays
// the same loss (`covered_by`), or when the pack's cap cut it.
struct CompoundItem {
  std::string playbook;
  std::string id;
  std::string kind;
  Basis basis = Basis::Goodwill;
  std::optional<std::string> covers;     // the loss the item pays for (its rule's `covers`)
  Money claimed;
  Money amount;
  std::optional<ItemRef> covered_by;     // the item that pays this loss instead (or on top)
  Money paid;
  Money remaining;
};

struct CompoundCompensation {
  Money total;                           // owed + goodwill
  Money owed;                            // every owed item, in full
  Money goodwill;                        // after the overlaps and the pack's cap
  bool capped = false;                   // the pack's cap cut the combined goodwill
  std::optional<std::string> approval;   // the highest of the pack's threshold and the parts'
  bool approved = true;                  // the compound level is at or above `approval`
  bool signed_off = true;
  std::optional<SignOff> sign_off;
  bool held = false;                     // a part is held
  std::vector<Tagged> hold_reasons;
  Money paid;
  Money remaining;
  Money payable;
  std::vector<CompoundItem> items;       // in part order, each part's in its own order
};

// A playbook's way to close, in the merged view.
struct PartToClose {
  std::string playbook;
  std::optional<ToClose> to_close;       // null when its state cannot reach a terminal state
};

struct PlaybookState {
  std::string playbook;
  std::string state;
};

struct CompoundDecision {
  std::vector<PlaybookState> states;     // each part's resulting state, in part order
  std::vector<CompoundAction> actions;   // in order of first appearance (part order, then the
                                         // part's own order)
  CompoundEscalation escalation;
  CompoundCompensation compensation;
  std::vector<PartToClose> to_close;
  std::optional<Timestamp> next_change_at;  // the earliest of the parts'
  std::vector<Tagged> warnings;
  std::vector<Decision> parts;           // every playbook's own Decision, in part order
};

// The JSON of spec §5.1 (one line unless options.pretty), and as events for Python's to_dict.
std::string to_json(const CompoundDecision& d, const JsonOptions& options = {});
void write_json(const CompoundDecision& d, JsonSink& sink);

// Every field equal, the parts' Decisions by their own operator== (traces included).
bool operator==(const CompoundDecision& a, const CompoundDecision& b);
inline bool operator!=(const CompoundDecision& a, const CompoundDecision& b) { return !(a == b); }
// Losslessly as bytes, as encode_decision (redress/decision.hpp) does a Decision: what Python
// pickles. decode_compound_decision throws std::invalid_argument for bytes it did not make.
std::string encode_compound_decision(const CompoundDecision& d);
CompoundDecision decode_compound_decision(std::string_view bytes);

// Why triage did or did not pick a playbook (`redress triage`, Pack::explain_triage).
struct TriageResult {
  std::string playbook;
  bool matched = false;
  // Why not: "no 'match'", the facts that do not validate, or the `match` that is false.
  std::string why;
  std::optional<SourceLocation> at;      // of the `match` that was false
  std::string expr;                      // its text
  // The values its `match` read, "name = value", in the order it names them.
  std::vector<std::string> read;
  // Its rank (spec §1 `rank`), when it matched and has one that is not null: "500.00 EUR".
  std::string rank;
};

}  // namespace redress
