// A compiled, immutable pack of playbooks (spec §2, §7).
//
// Pack is effectively immutable after load: every method is const and safe to call from any
// number of threads at once. Copies share the compiled pack.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "redress/case.hpp"
#include "redress/compound.hpp"
#include "redress/decision.hpp"
#include "redress/diagnostic.hpp"
#include "redress/limits.hpp"

namespace redress {

namespace detail {
struct CompiledPack;
struct PackAccess;  // redress's own tools only: src/eval/pack_internal.hpp
}

struct FactInfo {
  std::string name;
  std::string type;                  // "int", "money", "enum", …
  std::vector<std::string> values;   // enum values
  bool required = true;              // no default and not optional
  bool optional = false;
  std::optional<std::string> default_value;  // as written
  // `min` / `max` of an int, number or money fact, as exact decimal text (money as an amount in
  // the playbook's currency); unset when not declared.
  std::optional<std::string> min, max;
  std::string doc;
};

struct StateInfo {
  std::string name;
  bool initial = false;
  bool terminal = false;
  // A terminal state's `outcome`: "resolved" or "closed_without_agreement" (spec §1), so that
  // resolution figures count only what was resolved; "" for a state that is not terminal.
  std::string outcome;
};

// One example from `tests:` or NAME.test.yaml. Fields of `expect` left out are not checked.
struct PlaybookTest {
  std::string name;
  std::string file;
  unsigned line = 0;
  Case input;                        // playbook set to the owning playbook's id
  struct Expect {
    std::optional<std::string> playbook;       // the playbook triage picked
    std::optional<std::string> state;
    std::optional<std::string> level;
    std::optional<std::vector<std::string>> actions;
    std::optional<std::string> compensation;   // total, "17.99 EUR"
    bool approval_given = false;
    std::optional<std::string> approval;       // null when approval_given and empty
    std::optional<bool> approved;
    std::optional<bool> held;
    std::optional<bool> capped;
    // Money controls (issue #11): amounts as "120.00 EUR", compared by value.
    std::optional<std::string> owed, goodwill, paid, remaining, payable;
    std::optional<bool> signed_off;
    // The `say` of a recommended action, by action id (the first recommended with that id):
    // exactly this text, containing each text, containing none of them.
    std::vector<std::pair<std::string, std::string>> say, say_contains, say_lacks;
    std::optional<std::vector<std::string>> reasons;
    std::optional<std::vector<std::string>> items;   // item ids, in order
    std::optional<std::vector<std::string>> path;
    std::optional<std::string> error;          // a substring of the expected evaluation error
    // `do: {action: {due_at, overdue, done}}`: one recommended action's deadline.
    struct ActionDetail {
      std::string action;
      bool due_at_given = false;
      std::optional<Timestamp> due_at;         // null when due_at_given and absent
      std::optional<bool> overdue, done;
      std::optional<std::string> to;           // the action's `to` (the role it goes to)
    };
    std::vector<ActionDetail> actions_detail;
    bool next_change_given = false;
    std::optional<Timestamp> next_change_at;   // null when next_change_given and absent
  } expect;
};

struct PlaybookInfo {
  std::string id;
  std::string title;
  std::string version;
  std::string doc;
  std::string file;
  std::string currency;              // "" when none
  int priority = 0;
  bool has_match = false;
  std::vector<std::string> ladder;
  std::vector<StateInfo> states;
  std::vector<FactInfo> facts;
  std::vector<std::string> events;   // every event any state accepts, sorted
  std::vector<PlaybookTest> tests;
  std::string fingerprint;
};

struct LoadOptions {
  // Report the analysis' warnings (issue #5: always-loops, shadowed options, gaps, …) in
  // Pack::warnings(). Its errors (unreachable or unclosable states) are always reported.
  bool analyse = true;
  // Bounds on file size, YAML nodes and nesting, aliases, strings, expressions and counts
  // (docs/reliability.md, "Limits"); the defaults suit any hand-written pack.
  LoadLimits limits;
  // The default of EvaluateOptions::strict_facts for every playbook loaded; unset: what each
  // pack.yaml says (`strict_facts: true|false`), else false.
  std::optional<bool> strict_facts;
};

struct EvaluateOptions {
  bool trace = false;  // fill Decision::trace (spec §5)
  bool clock = false;  // a Case without `now` is evaluated at the wall clock (else an error)
  // A case fact the playbook does not declare: true, an error (a typo must not decide a case
  // silently); false, a warning in Decision::warnings. Unset: the playbook's default, from
  // `strict_facts` in its pack.yaml or LoadOptions::strict_facts (false when neither says).
  std::optional<bool> strict_facts;
};

// Pack::evaluate_many: how to evaluate a batch.
struct BatchOptions {
  // trace as for evaluate; clock: a case without `now` is evaluated at the wall clock, read
  // once when the batch starts (so the whole batch sees one time).
  EvaluateOptions evaluate;
  // At most this many threads at once, the caller's included (0: every core). The threads come
  // from the library's shared pool, which has one per core.
  unsigned threads = 0;
};

// One case of a batch: its Decision, or the error evaluate would have thrown for it.
struct EvaluationResult {
  std::optional<Decision> decision;
  std::optional<EvaluationError> error;
  bool ok() const { return decision.has_value(); }
};

// One compound case of a batch (Pack::evaluate_compound_many): its CompoundDecision, or the error
// evaluate_compound would have thrown for it.
struct CompoundResult {
  std::optional<CompoundDecision> decision;
  std::optional<EvaluationError> error;
  bool ok() const { return decision.has_value(); }
};

class Pack {
 public:
  // A directory (every *.yaml except pack.yaml and *.test.yaml) or one playbook file (with the
  // pack.yaml beside it). Throws LoadError with every diagnostic when any is an error.
  static Pack load(const std::string& path, const LoadOptions& options = {});
  // Several paths at once (files or directories), as `redress lint a.yaml b/` does.
  static Pack load(const std::vector<std::string>& paths, const LoadOptions& options = {});
  // The pack shipped with redress, found by bundled_pack_path() (redress/data.hpp): the
  // installed share/redress/playbooks, or $REDRESS_DATA_DIR/playbooks.
  static Pack bundled(const LoadOptions& options = {});

  // Spec §4. Throws EvaluationError; a compound case (Case::compound(), spec §4.1) is one:
  // evaluate_compound answers it.
  Decision evaluate(const Case& c, const EvaluateOptions& options = {}) const;
  // The same for a case whose names were bound ahead of time: no name is looked up.
  Decision evaluate(const BoundCase& c, const EvaluateOptions& options = {}) const;
  // The same, written into a Decision the caller keeps: every field is written, and its strings
  // and lists keep their storage from one evaluation to the next, so evaluating case after case
  // into one Decision allocates nothing once it has held a decision of the same shape (a `say`
  // with a time in it, a traced text value and warnings still allocate). The result, and its
  // JSON, equal evaluate()'s whatever `into` held. After an EvaluationError `into` holds a
  // partial result: evaluate into it again before reading it. evaluate() is this, into a fresh
  // Decision.
  void evaluate_into(const Case& c, Decision& into, const EvaluateOptions& options = {}) const;
  void evaluate_into(const BoundCase& c, Decision& into, const EvaluateOptions& options = {}) const;

  // Many cases at once, on the library's shared thread pool: one result per case, in the order
  // of `cases`, each a Decision or the EvaluationError that case gave (one bad case does not
  // lose the others). Results equal evaluate()'s, whatever the thread count. Never throws for
  // a case; an unexpected failure inside one becomes its error ("internal error: …").
  std::vector<EvaluationResult> evaluate_many(const std::vector<Case>& cases, const BatchOptions& options = {}) const;
  std::vector<EvaluationResult> evaluate_many(const std::vector<BoundCase>& cases, const BatchOptions& options = {}) const;

  // Resolve names once, outside the hot path (nullopt when the name does not exist). The refs
  // belong to this pack (redress/case.hpp); a PlaybookRef of another pack throws EvaluationError.
  std::optional<PlaybookRef> playbook_ref(const std::string& id) const;
  std::optional<FactRef> fact_ref(PlaybookRef playbook, const std::string& fact) const;
  std::optional<StateRef> state_ref(PlaybookRef playbook, const std::string& state) const;
  std::optional<EventRef> event_ref(PlaybookRef playbook, const std::string& event) const;

  // The id of the playbook triage picks for these facts (spec §4), ignoring c.playbook.
  // Throws EvaluationError when none matches. Needs c.now unless options.clock is set.
  std::string triage(const Case& c, const EvaluateOptions& options = {}) const;

  // A compound case (spec §4.1): each playbook of c.playbooks, or (none named) c.playbook, or
  // (neither) every playbook triage matches, is evaluated on its own as evaluate() would, from
  // its state in c.states; then the parts are merged into one CompoundDecision (spec §5.1).
  // Throws EvaluationError (the part's error names its playbook).
  CompoundDecision evaluate_compound(const Case& c, const EvaluateOptions& options = {}) const;
  // Many compound cases at once, as evaluate_many does single ones (the shared pool, one result
  // per case in order, one clock for the batch, never throws for a case): each as
  // evaluate_compound() would answer it.
  std::vector<CompoundResult> evaluate_compound_many(const std::vector<Case>& cases,
                                                     const BatchOptions& options = {}) const;
  // Every playbook triage matches for these facts, best first: the highest `rank` first, equal
  // ranks by priority then id (spec §4.1; ignoring c.playbook). A compound case's parts.
  std::vector<std::string> triage_all(const Case& c, const EvaluateOptions& options = {}) const;
  // Every playbook's triage result (`redress triage`): those that match in triage_all's order,
  // each with its rank, then those that do not in triage order, each with why not.
  std::vector<TriageResult> explain_triage(const Case& c, const EvaluateOptions& options = {}) const;

  const std::vector<PlaybookInfo>& playbooks() const;
  // Warnings found while loading (errors throw instead).
  const std::vector<Diagnostic>& warnings() const;
  // Hash over every source of the pack.
  const std::string& fingerprint() const;
  // The paths the pack was loaded from, as given.
  const std::vector<std::string>& sources() const;

 private:
  friend struct detail::PackAccess;
  explicit Pack(std::shared_ptr<const detail::CompiledPack> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const detail::CompiledPack> impl_;
};

}  // namespace redress
