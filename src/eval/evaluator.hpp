// One evaluation: the frame of slot values, the scratch space and the Decision being filled.
// Lives on the caller's stack; the compiled pack is only read. The frame and scratch space are
// the thread's (kept from one evaluation to the next), the Decision is the caller's: filled in
// place, every field written, its strings and lists reused (Pack::evaluate_into).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compile/compiled.hpp"
#include "redress/compound.hpp"
#include "redress/decision.hpp"
#include "redress/pack.hpp"

namespace redress::detail {

// The Evaluator is also the expressions' Clock (expr::Clock, spec §3 "Time"): it knows the
// state the case is in at each step, when it entered it, the pauses and the actions done.
class Evaluator final : private expr::Clock {
 public:
  // The options' trace and strict_facts (unset: each playbook's own default) apply; `now` is
  // the evaluation time already chosen from the case and the options' clock.
  // `into` receives the Decision; what it held before only lends its storage.
  Evaluator(Timestamp now, const EvaluateOptions& options, Decision& into)
      : now_(now), trace_(options.trace), strict_facts_(options.strict_facts), work_(claim(spare_)), decision_(into) {}
  ~Evaluator() {
    if (!spare_) work_.busy = false;
  }
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Fill `into` for this case. After an EvaluationError it holds a partial result.
  void evaluate(const CompiledPack& pack, const Case& c);
  void evaluate(const CompiledPack& pack, const BoundCase& c);
  // Triage only: the playbook this case goes to.
  const Playbook& pick(const CompiledPack& pack, const Case& c);
  // After evaluate(): the facts, lets and compensation values it computed, by slot (views into
  // the Case and this Evaluator: valid while both live). For explaining (src/explain).
  const std::vector<Val>& frame() const { return slots_; }
  // After evaluate(): the time names (age, since(), overdue()) as the resulting state reads them.
  expr::Clock& clock() { return *this; }

  // Triage of one playbook (spec §4): its facts validate and its `match` holds. `why`, when
  // given, says why not (and what the `match` read); the Decision being built is left as it was.
  bool matches(const Playbook& pb, const Case& c, TriageResult* why = nullptr);
  // Triage of a compound case (spec §4.1): every playbook that matches, best first — the highest
  // `rank` first, equal ranks (and every match of a pack without ranks) in triage order. `why`,
  // when given, gets every playbook's result in that order, then those that do not match in
  // triage order. `views`, when given, is the Case each playbook reads, by playbook index (a
  // compound case's facts written PLAYBOOK.FACT).
  std::vector<const Playbook*> ranked_matches(const CompiledPack& pack, const Case& c,
                                              std::vector<TriageResult>* why = nullptr,
                                              const std::vector<Case>* views = nullptr);

  // Where the parts of the last Decision came from, by index, for the compound merge
  // (src/eval/compound.cpp): the state reached, each action's place in that state's `do`, each
  // item's rule, the approval rung.
  struct Origin {
    std::uint32_t state = 0;
    std::vector<std::uint32_t> actions, items;
    std::optional<int> approval;
  };
  const Origin& origin() const { return origin_; }

  // A part of a compound case (spec §4.1 step 4): its actions read the compound's money and
  // level, not its own. Set before evaluate(); null: a case of its own.
  struct CompoundView {
    int rung = 0;                  // the compound's escalation level
    std::optional<int> approval;   // the compound's approval rung
    bool approved = true, signed_off = true, held = false, capped = false;
    Decimal goodwill, total, remaining, payable;  // the part's items as the compound pays them
  };
  void set_view(const CompoundView* view) { view_ = view; }

 private:
  static constexpr std::uint32_t kUnknownEvent = 0xFFFFFFFFu;

  void begin();  // before anything is recorded (triage's `match` goes to the trace too)
  void start(const Playbook& pb);
  void add_to_path(const std::string& state);  // the next state of the Decision's path
  void record(const SourceLocation& at, const char* what, const std::string& expr, const Val& value);
  // The Case's time input (spec §4): pauses, actions done, the zone `say` shows times in.
  void set_time_input(const std::vector<Pause>& pauses, const std::vector<std::pair<std::string, Timestamp>>* done,
                      const std::string& timezone);
  // A pending deadline, timeout or recurrence: next_change_at is the earliest at or after now.
  void consider(Timestamp t);
  // When action `a` is due (spec §4 step 4) for a case that entered its state at `entered`;
  // `done_at` gets the last time the Case says it was done. nullopt: no deadline.
  std::optional<Timestamp> due_of(const Playbook& pb, const Action& a, std::optional<Timestamp> entered,
                                  std::optional<Timestamp>& done_at) const;
  // The state the time names read from here on (case_clock.cpp).
  void enter(const State* state, std::optional<Timestamp> entered) {
    clock_state_ = state;
    clock_entered_ = entered;
  }
  // expr::Clock (case_clock.cpp).
  std::optional<Timestamp> entered_at() override { return clock_entered_; }
  Timestamp after(Timestamp from, Unit unit, std::int64_t amount) override;
  Duration business_time(Timestamp from, Timestamp to) override;
  bool overdue(std::uint32_t action) override;
  void changes_at(Timestamp t) override { consider(t); }
  std::string show_time(Timestamp t, const TimeZone& calendar_zone, TemplatePart::TimeFormat f) const;
  std::string bind(const Playbook& pb, const Case& c, bool report_unknown);
  std::string bind_values(const Playbook& pb);
  std::string check_facts(const Playbook& pb);
  void compute_lets(const Playbook& pb);
  std::vector<std::string> unknown_fact_lines(const Playbook& pb, bool strict) const;
  static void say_paused_due(std::string& s);
  std::vector<std::string> unknown_done_lines(const Playbook& pb, const Case& c, bool strict) const;
  void run_machine(const Playbook& pb, std::uint32_t state, std::optional<std::uint32_t> event,
                   const std::string& event_name, std::optional<Timestamp> entered_at);
  Val run(const Program& p, const char* what);
  // The rank of `pb` for the facts just bound (nullopt: none, or null; ranks as zero).
  std::optional<Val> rank_of(const Playbook& pb);
  bool outranks(const std::optional<Val>& a, const std::optional<Val>& b, const Playbook& pa, const Playbook& pb);
  bool holds(const std::optional<Program>& when, const char* what);
  bool truth(const Val& v, const Program& p);
  void escalate(const Playbook& pb);
  void lift(const Playbook& pb, const State& st);
  const std::string& approval_level(const Playbook& pb) const;
  void compensate(const Playbook& pb);
  void approve(const Playbook& pb);
  void pay(const Playbook& pb);
  void sign(const Playbook& pb, const Decimal& amount);
  void apply_view(const Playbook& pb);  // what a compound part's actions read (view_)
  void set_money(const Playbook& pb, MoneyName name, Val v) {
    slots_[pb.money_slot + static_cast<std::uint32_t>(name)] = v;
  }
  // `zone`: the action's calendar's, for times in `say` (the Case's timezone wins).
  // Into `text` (its storage reused).
  void render(const Action& a, const ActionOut& out, const TimeZone& zone, std::string& text);

  // The frame and scratch space, one per thread, kept between evaluations so that a stream of
  // evaluations allocates nothing for them once they have grown to the pack's size.
  struct Workspace {
    std::vector<Val> slots;
    std::vector<std::pair<std::uint32_t, const Value*>> given;  // facts by index, in input order
    std::vector<char> seen;
    std::vector<const std::string*> unknown;  // the Case's names the playbook does not declare
    std::vector<Interval> pauses;             // the Case's, normalized
    expr::Scratch scratch;
    Origin origin;                            // where the last Decision's parts came from
    bool busy = false;                        // an Evaluator of this thread is using it
  };
  // The thread's workspace, or (never in practice: evaluations do not nest) a spare one.
  static Workspace& claim(std::unique_ptr<Workspace>& spare) {
    thread_local Workspace mine;
    if (!mine.busy) {
      mine.busy = true;
      return mine;
    }
    spare = std::make_unique<Workspace>();
    return *spare;
  }

  Timestamp now_;
  bool trace_;
  std::optional<bool> strict_facts_;
  std::unique_ptr<Workspace> spare_;
  Workspace& work_;
  std::vector<Val>& slots_ = work_.slots;
  std::vector<std::pair<std::uint32_t, const Value*>>& given_ = work_.given;
  std::vector<char>& seen_ = work_.seen;
  std::vector<const std::string*>& unknown_ = work_.unknown;
  std::vector<Interval>& pauses_ = work_.pauses;
  expr::Scratch& scratch_ = work_.scratch;
  Decision& decision_;
  // How many elements of the Decision's path and trace this evaluation has written; the
  // elements past them are an earlier evaluation's, kept for their storage until the end.
  std::size_t path_size_ = 0;
  std::size_t trace_size_ = 0;
  int rung_ = 0;                                         // the escalation level reached
  const std::string* approval_name_ = nullptr;           // `{approval}` while actions render
  const std::string* level_name_ = nullptr;              // `{level}` while actions render
  const CompoundView* view_ = nullptr;
  std::optional<int> approval_;                          // the rung a sign-off needs
  const std::vector<SignOff>* sign_offs_ = nullptr;      // the Case's
  const std::vector<Payment>* paid_ = nullptr;
  const std::vector<std::pair<std::string, Timestamp>>* done_ = nullptr;
  std::optional<TimeZone> zone_;     // the Case's timezone, when given
  bool clock_stopped_ = false;       // the action being rendered waits for an open pause to end
  const Playbook* clock_playbook_ = nullptr;  // whose calendars the time names use
  const State* clock_state_ = nullptr;        // the state the case is in (null in lets and match)
  std::optional<Timestamp> clock_entered_;
  Origin& origin_ = work_.origin;
};

// A computed value as the public Value type (a trace step's value, a fact's value for a Case).
Value to_value(const Val& v);

// A compound case (spec §4.1, src/eval/compound.cpp): each part by an Evaluator, then merged.
CompoundDecision evaluate_compound(const CompiledPack& pack, const Case& c, Timestamp now, const EvaluateOptions& options);
// The Case each playbook of the pack reads, by playbook index, when `c` gives facts written
// PLAYBOOK.FACT (spec §4.1); empty when it gives none (every playbook reads `c`).
std::vector<Case> fact_views(const CompiledPack& pack, const Case& c);

}  // namespace redress::detail
