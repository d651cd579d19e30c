// Compound cases (spec §4.1): one customer, several conflicts. Each part is evaluated by the
// single-playbook Evaluator, unchanged, from its own state; then the parts are merged by the
// indices the loader resolved (load/compound.cpp): actions by step, items by overlap group,
// levels by rung. The only names looked up here are the Case's own, bound once at the start.
#include <algorithm>

#include "eval/evaluator.hpp"
#include "redress/pack.hpp"
#include "util/text.hpp"

namespace redress::detail {

namespace {

[[noreturn]] void fail(std::string message) { throw EvaluationError(std::move(message)); }

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

struct Part {
  const Playbook* pb = nullptr;
  Case input;
  Decision decision;
  Evaluator::Origin origin;
};

std::vector<std::string> ids_of(const CompiledPack& pack) {
  std::vector<std::string> ids;
  for (const auto& pb : pack.playbooks) ids.push_back(pb.id);
  return ids;
}

// The facts of `c` as playbook `pb` reads them: the shared ones, with "PB.FACT" (pb's own value,
// spec §4.1) in place of FACT; other playbooks' own values left out.
std::vector<std::pair<std::string, Value>> own_facts(const Case& c, const Playbook& pb) {
  std::vector<std::pair<std::string, Value>> facts;
  for (const auto& f : c.facts)
    if (f.first.find('.') == std::string::npos) facts.push_back(f);
  for (const auto& [name, value] : c.facts) {
    const auto dot = name.find('.');
    if (dot == std::string::npos || name.compare(0, dot, pb.id) != 0 || dot != pb.id.size()) continue;
    const std::string fact = name.substr(dot + 1);
    auto shared = std::find_if(facts.begin(), facts.end(), [&](const auto& f) { return f.first == fact; });
    if (shared == facts.end()) facts.emplace_back(fact, value);
    else shared->second = value;
  }
  return facts;
}

bool has_own_facts(const Case& c) {
  return std::any_of(c.facts.begin(), c.facts.end(), [](const auto& f) { return f.first.find('.') != std::string::npos; });
}

// The playbooks of the case (spec §4.1): those it names, else its one playbook, else every one
// triage matches.
std::vector<Part> choose_parts(const CompiledPack& pack, const Case& c, Timestamp now) {
  std::vector<Part> parts;
  auto add = [&](const std::string& id) {
    auto it = pack.playbook_index.find(id);
    if (it == pack.playbook_index.end())
      fail("unknown playbook '" + id + "'" + util::did_you_mean_or_list(id, ids_of(pack), "the pack has:"));
    const Playbook* pb = &pack.playbooks[it->second];
    for (const auto& p : parts)
      if (p.pb == pb) fail("playbook '" + id + "' is named twice in the case's 'playbooks'");
    parts.push_back(Part{pb, {}, {}, {}});
  };
  if (!c.playbooks.empty()) {
    if (!c.playbook.empty()) fail("the case gives both 'playbook' and 'playbooks': name its playbooks in one of them");
    for (const auto& id : c.playbooks) add(id);
    return parts;
  }
  if (!c.playbook.empty()) {
    add(c.playbook);
    return parts;
  }
  if (pack.playbooks.size() == 1) {
    add(pack.playbooks.front().id);
    return parts;
  }
  EvaluateOptions untraced;
  Decision unused;
  Evaluator probe(now, untraced, unused);
  const std::vector<Case> views = fact_views(pack, c);  // each playbook's `match` reads its own facts
  for (const Playbook* pb : probe.ranked_matches(pack, c, nullptr, views.empty() ? nullptr : &views))
    parts.push_back(Part{pb, {}, {}, {}});
  if (parts.empty()) fail("no playbook matches this case (triage tried every playbook with a 'match')");
  return parts;
}

std::string listed(const std::vector<Part>& parts) {
  std::vector<std::string> ids;
  for (const auto& p : parts) ids.push_back("'" + p.pb->id + "'");
  return util::join(ids);
}

// Each part's own Case: its state, the event if its state accepts it, the facts it declares,
// what was paid for its items. Facts no part declares are warned about once, or refused.
void route(const CompiledPack& pack, std::vector<Part>& parts, const Case& c, const EvaluateOptions& options, std::vector<Tagged>& warnings) {
  if (!c.state.empty() && parts.size() > 1)
    fail("a compound case gives each playbook's state in 'states' ({playbook: state}), not one 'state'");
  for (const auto& [id, state] : c.states) {
    auto p = std::find_if(parts.begin(), parts.end(), [&](const Part& x) { return x.pb->id == id; });
    if (p == parts.end())
      fail("'states' gives a state for '" + id + "', which is not a playbook of this case (" + listed(parts) + ")");
    if (!p->input.state.empty()) fail("'states' gives playbook '" + id + "' twice");
    p->input.state = state;
  }
  bool strict = false;
  for (auto& part : parts) {
    const Playbook& pb = *part.pb;
    Case& in = part.input;
    in.playbook = pb.id;
    if (in.state.empty()) in.state = c.state;
    in.entered_at = c.entered_at;
    in.now = c.now;
    in.sign_offs = c.sign_offs;
    in.pauses = c.pauses;
    in.done = c.done;
    in.timezone = c.timezone;
    for (auto& f : own_facts(c, pb))
      if (pb.fact_index.count(f.first)) in.facts.push_back(std::move(f));
    strict = strict || options.strict_facts.value_or(pb.strict_facts);
  }
  // "PLAYBOOK.FACT" names a playbook of the case (of the pack, for `triage: all`, which may not
  // have picked it) and a fact it declares.
  const bool named = !c.playbooks.empty() || !c.playbook.empty();  // else triage: all chose the parts
  for (const auto& [name, value] : c.facts) {
    const auto dot = name.find('.');
    if (dot == std::string::npos) continue;
    const std::string id = name.substr(0, dot), fact = name.substr(dot + 1);
    const Playbook* pb = nullptr;
    for (const auto& part : parts)
      if (part.pb->id == id) pb = part.pb;
    if (!pb && !named)
      if (auto it = pack.playbook_index.find(id); it != pack.playbook_index.end()) pb = &pack.playbooks[it->second];
    if (!pb) {
      std::vector<std::string> ids;
      if (named) for (const auto& part : parts) ids.push_back(part.pb->id);
      fail("fact '" + name + "' is for playbook '" + id + "', which is not a playbook of this " +
           (named ? "case (" + listed(parts) + ")" : std::string("pack")) + util::did_you_mean(id, named ? ids : ids_of(pack)));
    }
    if (!pb->fact_index.count(fact)) {
      std::vector<std::string> declared;
      for (const auto& f : pb->facts) declared.push_back(f.name);
      fail("fact '" + name + "': playbook '" + id + "' declares no fact '" + fact + "'" +
           util::did_you_mean(fact, declared));
    }
  }
  // Facts no playbook of the case declares.
  for (const auto& [name, value] : c.facts) {
    if (name.find('.') != std::string::npos) continue;  // a part's own, checked above
    bool known = false;
    for (const auto& part : parts) known = known || part.pb->fact_index.count(name);
    if (known) continue;
    std::vector<std::string> declared;
    for (const auto& part : parts)
      for (const auto& f : part.pb->facts) declared.push_back(f.name);
    std::string line = "unknown fact '" + name + "'" + util::did_you_mean(name, declared);
    if (strict) fail(line + ": no playbook of this case declares it (strict_facts is on)");
    warnings.push_back(Tagged{std::nullopt, line + " ignored: no playbook of this case declares it"});
  }
  // The event goes to the parts whose state accepts it.
  if (!c.event.empty()) {
    bool taken = false;
    for (auto& part : parts) {
      const Playbook& pb = *part.pb;
      auto e = pb.event_index.find(c.event);
      if (e == pb.event_index.end()) continue;
      std::uint32_t state = pb.initial;
      if (!part.input.state.empty()) {
        auto s = pb.state_index.find(part.input.state);
        if (s == pb.state_index.end()) continue;  // the part's own evaluation says so
        state = s->second;
      }
      const auto& on = pb.states[state].on;
      if (e->second < on.size() && !on[e->second].empty()) {
        part.input.event = c.event;
        taken = true;
      }
    }
    if (!taken) fail("no playbook of this case (" + listed(parts) + ") accepts event '" + c.event + "' in its state");
  }
  // What was paid, to the part with that item: "ITEM", or "PLAYBOOK.ITEM" when several have it.
  for (const Payment& pay : c.paid) {
    std::vector<Part*> owners;
    std::string item = pay.item;
    const auto dot = pay.item.find('.');
    for (auto& part : parts) {
      const Playbook& pb = *part.pb;
      std::string id = pay.item;
      if (dot != std::string::npos && pay.item.compare(0, dot, pb.id) == 0 && dot == pb.id.size()) id = pay.item.substr(dot + 1);
      for (const auto& r : pb.compensation)
        if (r.id == id) { owners.push_back(&part); item = id; }
    }
    if (owners.empty()) {
      std::vector<std::string> ids;
      for (const auto& part : parts)
        for (const auto& r : part.pb->compensation) ids.push_back(r.id);
      fail("paid: no playbook of this case has a compensation item '" + pay.item + "'" +
           util::did_you_mean_or_list(pay.item, ids, "their items:"));
    }
    if (owners.size() > 1)
      fail("paid: '" + pay.item + "' is an item of " + std::to_string(owners.size()) +
           " playbooks of this case; name it as PLAYBOOK.ITEM (e.g. '" + owners.front()->pb->id + "." + pay.item + "')");
    owners.front()->input.paid.push_back(Payment{item, pay.amount});
  }
}

// One part, as §4 evaluates a case; with a view, its actions read the compound's money and level.
void evaluate_part(const CompiledPack& pack, Part& part, Timestamp now, const EvaluateOptions& options,
                   const Evaluator::CompoundView* view) {
  Evaluator ev(now, options, part.decision);
  ev.set_view(view);
  try {
    ev.evaluate(pack, part.input);
  } catch (const EvaluationError& e) {
    // Said once: "playbook 'X': …", not "playbook 'X': playbook 'X' has no state …".
    const std::string tag = "playbook '" + part.pb->id + "'";
    if (e.message().compare(0, tag.size(), tag) == 0) throw;
    throw EvaluationError(tag + ": " + e.message(), e.location());
  }
  part.origin = ev.origin();
}

void add(Decimal& sum, const Decimal& x) {
  if (!Decimal::add(sum, x, sum)) fail("compound compensation is out of range");
}

// One step per pack step (Action::step): the earliest deadline stands for it; done when any is.
std::vector<CompoundAction> merge_actions(const CompiledPack& pack, const std::vector<Part>& parts) {
  std::vector<CompoundAction> out;
  std::vector<std::size_t> at(pack.compound.steps.size(), kNone);
  for (const auto& part : parts) {
    const State& st = part.pb->states[part.origin.state];
    for (std::size_t k = 0; k < part.decision.actions.size(); ++k) {
      const Action& a = st.actions[part.origin.actions[k]];
      const ActionOut& got = part.decision.actions[k];
      std::size_t& i = at[a.step];
      if (i == kNone) {
        i = out.size();
        out.push_back(CompoundAction{got, {ActionSource{part.pb->id, a.id}}});
        out.back().step.action = pack.compound.steps[a.step];
        continue;
      }
      CompoundAction& m = out[i];
      m.from.push_back(ActionSource{part.pb->id, a.id});
      const bool done = m.step.done || got.done;
      if (got.due_at && (!m.step.due_at || *got.due_at < *m.step.due_at)) {
        m.step = got;
        m.step.action = pack.compound.steps[a.step];
      }
      m.step.done = done;
    }
  }
  for (auto& m : out)
    if (m.step.done) m.step.overdue = false;
  return out;
}

}  // namespace

std::vector<Case> fact_views(const CompiledPack& pack, const Case& c) {
  std::vector<Case> views;
  if (!has_own_facts(c)) return views;
  for (const auto& pb : pack.playbooks) {
    views.push_back(c);
    views.back().facts = own_facts(c, pb);
  }
  return views;
}

CompoundDecision evaluate_compound(const CompiledPack& pack, const Case& c, Timestamp now, const EvaluateOptions& options) {
  CompoundDecision out;
  std::vector<Part> parts = choose_parts(pack, c, now);
  route(pack, parts, c, options, out.warnings);
  for (auto& part : parts) evaluate_part(pack, part, now, options, nullptr);
  const Playbook& first = *parts.front().pb;
  const auto& rules = pack.compound;
  for (const auto& part : parts) {
    if (rules.ladder_class[&*part.pb - pack.playbooks.data()] != rules.ladder_class[&first - pack.playbooks.data()])
      fail("playbooks '" + first.id + "' and '" + part.pb->id +
           "' have different escalation ladders; a compound case needs one ladder to compare levels");
  }
  // One currency for the money: the parts' (those with money), else the pack's.
  Currency currency = rules.currency;
  const Playbook* currency_of = nullptr;
  for (const auto& part : parts) {
    if (!part.pb->has_currency) continue;
    if (currency_of && part.pb->currency != currency_of->currency)
      fail("playbooks '" + currency_of->id + "' and '" + part.pb->id + "' work in " + std::string(currency_of->currency.code()) +
           " and " + std::string(part.pb->currency.code()) + "; a compound case pays in one currency");
    if (!currency_of) currency = part.pb->currency;
    currency_of = part.pb;
  }
  if (currency_of && (rules.cap || !rules.approvals.empty()) && rules.currency != currency)
    fail("the pack's compound cap and approval are in " + std::string(rules.currency.code()) + " but playbook '" +
         currency_of->id + "' works in " + std::string(currency.code()) + " (currencies are never converted)");

  for (const auto& part : parts) out.states.push_back(PlaybookState{part.pb->id, part.decision.state});

  // Escalation: the highest level, every reason with its playbook.
  for (const auto& part : parts) {
    const Escalation& e = part.decision.escalation;
    if (&part == &parts.front() || e.rank > out.escalation.rank) {
      out.escalation.level = e.level;
      out.escalation.rank = e.rank;
    }
    for (const auto& why : e.reasons) out.escalation.reasons.push_back(Tagged{part.pb->id, why});
  }

  // Compensation: every part's items; one loss paid once; the pack's cap over the goodwill.
  CompoundCompensation& comp = out.compensation;
  const Money zero{Decimal(), currency};
  std::vector<std::uint32_t> group;  // per item: its overlap group
  for (const auto& part : parts) {
    const auto& items = part.decision.compensation.items;
    for (std::size_t k = 0; k < items.size(); ++k) {
      const CompensationRule& rule = part.pb->compensation[part.origin.items[k]];
      const CompensationItem& it = items[k];
      CompoundItem ci;
      ci.playbook = part.pb->id;
      ci.id = it.id;
      ci.kind = it.kind;
      ci.basis = it.basis;
      if (!rule.covers.empty()) ci.covers = rule.covers;
      ci.claimed = ci.amount = it.amount;
      ci.paid = it.paid;
      ci.remaining = zero;
      comp.items.push_back(std::move(ci));
      group.push_back(rule.overlap);
    }
  }
  // Items that pay one loss: owed ones in full; the largest goodwill one (the earlier on a tie)
  // only above what the owed ones pay; the other goodwill ones nothing.
  std::vector<std::vector<std::size_t>> members(rules.overlaps.size());
  for (std::size_t i = 0; i < group.size(); ++i)
    if (group[i] != CompoundRules::kNoOverlap) members[group[i]].push_back(i);
  for (std::size_t g = 0; g < members.size(); ++g) {
    const auto& m = members[g];
    if (m.size() < 2) continue;
    // Owed items of two conflicts for one loss are both paid in full: if the case counted one
    // amount in both (a charge that is the invoice's overcharge too), it is paid twice. Said.
    std::vector<std::string> owed_items;
    const std::string* first_conflict = nullptr;
    bool two_conflicts = false;
    for (std::size_t i : m) {
      const CompoundItem& it = comp.items[i];
      if (it.basis != Basis::Owed || it.claimed.amount.sign() <= 0) continue;
      owed_items.push_back(it.playbook + "." + it.id);
      if (!first_conflict) first_conflict = &it.playbook;
      two_conflicts = two_conflicts || it.playbook != *first_conflict;
    }
    if (two_conflicts)
      out.warnings.push_back(Tagged{std::nullopt, util::join(owed_items) + " pay back one loss" +
                                                      (rules.overlaps[g].empty() ? std::string() : " ('" + rules.overlaps[g] + "')") +
                                                      " and are owed, so each is paid in full: check that the case does not count one amount in both"});
    Decimal owed;
    std::size_t payer = kNone, best_goodwill = kNone, first_owed = kNone;
    for (std::size_t i : m) {
      const CompoundItem& it = comp.items[i];
      if (it.basis == Basis::Owed) {
        add(owed, it.claimed.amount);
        if (first_owed == kNone) first_owed = i;
      } else if (best_goodwill == kNone || it.claimed.amount > comp.items[best_goodwill].claimed.amount) {
        best_goodwill = i;
      }
      // Who pays the loss: the largest item, an owed one on a tie, else the earlier.
      if (payer == kNone || it.claimed.amount > comp.items[payer].claimed.amount ||
          (it.claimed.amount == comp.items[payer].claimed.amount && it.basis == Basis::Owed &&
           comp.items[payer].basis != Basis::Owed))
        payer = i;
    }
    for (std::size_t i : m) {
      CompoundItem& it = comp.items[i];
      if (it.basis == Basis::Owed) continue;
      const CompoundItem& by = comp.items[i == best_goodwill && first_owed != kNone ? first_owed : payer];
      if (i == best_goodwill) {
        Decimal above;
        Decimal::sub(it.claimed.amount, owed, above);
        if (above.sign() < 0) above = Decimal();
        it.amount.amount = above;
        if (first_owed != kNone) it.covered_by = ItemRef{by.playbook, by.id};
      } else {
        it.amount.amount = Decimal();
        it.covered_by = ItemRef{by.playbook, by.id};
      }
    }
  }
  Decimal owed, goodwill;
  for (const auto& it : comp.items) add(it.basis == Basis::Owed ? owed : goodwill, it.amount.amount);
  if (rules.cap && *rules.cap < goodwill) {
    comp.capped = true;
    Decimal excess;
    Decimal::sub(goodwill, *rules.cap, excess);
    for (auto it = comp.items.rbegin(); it != comp.items.rend() && excess.sign() > 0; ++it) {
      if (it->basis == Basis::Owed) continue;
      Decimal cut = std::min(it->amount.amount, excess);
      Decimal::sub(it->amount.amount, cut, it->amount.amount);
      Decimal::sub(excess, cut, excess);
    }
    goodwill = *rules.cap;
  }
  Decimal total;
  add(total, owed);
  add(total, goodwill);
  comp.owed = Money{owed, currency};
  comp.goodwill = Money{goodwill, currency};
  comp.total = Money{total, currency};

  // Approval: the highest of the pack's threshold over the combined goodwill and each part's
  // own (a held part's hold level among them).
  std::optional<int> approval;
  for (const auto& a : rules.approvals)
    if (goodwill > a.above) approval = a.rung;
  for (const auto& part : parts) {
    if (part.origin.approval && (!approval || *part.origin.approval > *approval)) approval = part.origin.approval;
    if (part.decision.compensation.held) {
      comp.held = true;
      comp.hold_reasons.push_back(Tagged{part.pb->id, part.decision.compensation.hold_reason.value_or("held for review")});
    }
  }
  if (approval) comp.approval = first.ladder[static_cast<std::size_t>(*approval)];
  comp.approved = !approval || out.escalation.rank >= *approval;
  comp.signed_off = !approval;
  if (approval) {
    for (const SignOff& s : c.sign_offs) {
      auto rung = std::find(first.ladder.begin(), first.ladder.end(), s.level);  // checked by every part
      if (rung == first.ladder.end() || rung - first.ladder.begin() < *approval || s.at.micros > now.micros) continue;
      if (s.amount && (s.amount->currency != currency || s.amount->amount < goodwill)) continue;
      comp.signed_off = true;
      comp.sign_off = s;
      break;
    }
  }
  comp.paid = comp.remaining = comp.payable = zero;
  for (auto& it : comp.items) {
    if (it.amount.amount > it.paid.amount) Decimal::sub(it.amount.amount, it.paid.amount, it.remaining.amount);
    else if (it.paid.amount > it.amount.amount && !(it.paid.amount > it.claimed.amount))
      out.warnings.push_back(Tagged{it.playbook, "'" + it.id + "' was paid " + it.paid.to_string() + ", more than the " +
                                                     it.amount.to_string() + " this compound case pays for it"});
    add(comp.paid.amount, it.paid.amount);
    add(comp.remaining.amount, it.remaining.amount);
    if (it.basis == Basis::Owed || comp.signed_off) add(comp.payable.amount, it.remaining.amount);
  }

  // Each part's actions once more, reading the compound's money and level (spec §4.1 step 4):
  // the same state, items and trace, since only the actions read them.
  std::size_t first_item = 0;
  for (auto& part : parts) {
    Evaluator::CompoundView view;
    view.rung = out.escalation.rank;
    view.approval = approval;
    view.approved = comp.approved;
    view.signed_off = comp.signed_off;
    view.held = comp.held;
    view.capped = comp.capped;
    const std::size_t n = part.decision.compensation.items.size();
    for (std::size_t i = first_item; i < first_item + n; ++i) {
      const CompoundItem& it = comp.items[i];
      const bool owed = it.basis == Basis::Owed;
      add(owed ? view.total : view.goodwill, it.amount.amount);
      add(view.remaining, it.remaining.amount);
      if (owed || comp.signed_off) add(view.payable, it.remaining.amount);
    }
    add(view.total, view.goodwill);
    first_item += n;
    evaluate_part(pack, part, now, options, &view);
  }
  out.actions = merge_actions(pack, parts);

  for (const auto& part : parts) {
    out.to_close.push_back(PartToClose{part.pb->id, part.decision.to_close});
    const auto& next = part.decision.next_change_at;
    if (next && (!out.next_change_at || *next < *out.next_change_at)) out.next_change_at = next;
    for (const auto& w : part.decision.warnings) out.warnings.push_back(Tagged{part.pb->id, w});
  }
  for (auto& part : parts) out.parts.push_back(std::move(part.decision));
  return out;
}

}  // namespace redress::detail
