// Compound cases (issue #12) on the purpose-built pack tests/compound/pack: a parcel 3 days late
// and an invoice overcharged by 500 EUR, for one customer.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "redress/redress.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

const fs::path kPack = fs::path(REDRESS_SOURCE_DIR) / "tests" / "compound" / "pack";

Case late_and_overcharged() {
  Case c;
  c.triage = Triage::All;
  c.now = Timestamp::parse("2026-11-23T10:00:00Z");
  c.entered_at = Timestamp::parse("2026-11-23T09:00:00Z");
  c.fact("days_late", Value::integer(3))
      .fact("order_value", Value::string("200.00 EUR"))
      .fact("shipping_fee", Value::string("4.99 EUR"))
      .fact("overcharge", Value::string("500.00 EUR"))
      .fact("tier", Value::string("gold"));
  return c;
}

std::string money(const Money& m) { return m.to_string(); }

const CompoundItem& item(const CompoundDecision& d, const std::string& playbook, const std::string& id) {
  for (const auto& i : d.compensation.items)
    if (i.playbook == playbook && i.id == id) return i;
  FAIL("no item " << playbook << "." << id);
  throw 0;
}

// Replaces the first `from` in a file by `to`.
void edit(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = test_support::read(file);
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

// A copy of the pack in a temporary directory, with `edit` applied to one file's text.
fs::path edited_pack(const std::string& name, const std::string& file, const std::string& from, const std::string& to) {
  fs::path dir = fs::temp_directory_path() / ("redress_compound_" + name);
  fs::remove_all(dir);
  fs::copy(kPack, dir);
  fs::remove(dir / "pack.test.yaml");  // its tests name the actions and items these edits rename
  edit(dir / file, from, to);
  return dir;
}

std::vector<std::string> step_ids(const CompoundDecision& d) {
  std::vector<std::string> ids;
  for (const auto& a : d.actions) ids.push_back(a.step.action);
  return ids;
}

// The first error of a pack that must not load.
Diagnostic load_error(const fs::path& dir) {
  try {
    Pack::load(dir.string());
  } catch (const LoadError& e) {
    for (const auto& d : e.diagnostics())
      if (d.severity == Severity::Error) return d;
  }
  FAIL("no load error in " << dir);
  throw 0;
}

}  // namespace

TEST_CASE("a late and overcharged case gets one coherent compound Decision") {
  Pack pack = Pack::load(kPack.string());
  CompoundDecision d = pack.evaluate_compound(late_and_overcharged());

  // Both conflicts, each with its own state (triage order: priority, then id).
  REQUIRE(d.parts.size() == 2);
  CHECK(d.parts[0].playbook == "delivery_delay");
  CHECK(d.parts[1].playbook == "wrong_invoice");
  REQUIRE(d.states.size() == 2);
  CHECK(d.states[1].playbook == "wrong_invoice");
  CHECK(d.states[1].state == "open");

  // Both conflicts' next steps; one apology and one call-back (the earliest deadline).
  std::vector<std::string> ids;
  for (const auto& a : d.actions) ids.push_back(a.step.action);
  CHECK(ids == std::vector<std::string>{"apologise", "check_carrier", "call_back", "correct_invoice"});
  const CompoundAction& apology = d.actions[0];
  REQUIRE(apology.from.size() == 2);
  CHECK(apology.from[1].action == "apologise_invoice");
  CHECK(apology.step.due_at == Timestamp::parse("2026-11-23T10:00:00Z"));  // delivery's 1h, not invoice's 2h
  CHECK(apology.step.say == std::optional<std::string>("We are sorry your parcel is 3 days late."));
  const CompoundAction& call = d.actions[2];
  REQUIRE(call.from.size() == 2);
  CHECK(call.step.due_at == Timestamp::parse("2026-11-23T10:00:00Z"));  // billing's 1h beats delivery's 4h
  CHECK(call.step.say == std::optional<std::string>("Call back about the corrected invoice."));

  // The highest escalation, with both reasons, each from its playbook.
  CHECK(d.escalation.level == "manager");
  REQUIRE(d.escalation.reasons.size() == 2);
  CHECK(d.escalation.reasons[0].playbook == std::optional<std::string>("delivery_delay"));
  CHECK(d.escalation.reasons[0].text == "three or more days late");
  CHECK(d.escalation.reasons[1].playbook == std::optional<std::string>("wrong_invoice"));

  // The overcharge refund owed in full; the delay credit and the invoice goodwill cover the same
  // inconvenience, so only the larger is paid; goodwill of both playbooks under the pack's cap.
  const CompoundCompensation& comp = d.compensation;
  CHECK(money(item(d, "wrong_invoice", "refund_overcharge").amount) == "500.00 EUR");
  CHECK(money(item(d, "delivery_delay", "refund_shipping").amount) == "4.99 EUR");
  const CompoundItem& credit = item(d, "delivery_delay", "delay_credit");
  CHECK(money(credit.claimed) == "10.00 EUR");
  CHECK(money(credit.amount) == "0.00 EUR");
  REQUIRE(credit.covered_by);
  CHECK(credit.covered_by->item == "goodwill_credit");
  CHECK(money(item(d, "wrong_invoice", "goodwill_credit").amount) == "25.00 EUR");
  CHECK(money(item(d, "delivery_delay", "loyalty_voucher").amount) == "15.00 EUR");
  CHECK(money(item(d, "wrong_invoice", "billing_voucher").amount) == "10.00 EUR");  // cut by the cap
  CHECK(comp.capped);
  CHECK(money(comp.owed) == "504.99 EUR");
  CHECK(money(comp.goodwill) == "50.00 EUR");
  CHECK(money(comp.total) == "554.99 EUR");
  CHECK(comp.approval == std::optional<std::string>("supervisor"));
  CHECK(comp.approved);
  CHECK_FALSE(comp.signed_off);
  CHECK(money(comp.payable) == "504.99 EUR");  // owed now; goodwill once signed off

  REQUIRE(d.to_close.size() == 2);
  CHECK(d.to_close[1].to_close->steps == 1);
  CHECK(d.warnings.empty());
}

TEST_CASE("without a covers rule both credits are paid, still under one cap") {
  fs::path dir = edited_pack("no_covers", "delivery_delay.yaml", "covers: inconvenience, ", "");
  Pack pack = Pack::load(dir.string());
  CompoundDecision d = pack.evaluate_compound(late_and_overcharged());
  CHECK(money(item(d, "delivery_delay", "delay_credit").amount) == "10.00 EUR");
  CHECK_FALSE(item(d, "delivery_delay", "delay_credit").covered_by);
  CHECK(money(d.compensation.goodwill) == "50.00 EUR");  // 10 + 15 + 25 + 20 = 70, capped
  CHECK(money(item(d, "wrong_invoice", "billing_voucher").amount) == "0.00 EUR");
  // lint: both can match one case and nothing relates their goodwill.
  bool warned = false;
  for (const auto& w : pack.warnings())
    warned = warned || w.message.find("'delivery_delay' and 'wrong_invoice' can both match one case") != std::string::npos;
  CHECK(warned);
  fs::remove_all(dir);
}

TEST_CASE("an owed item and a goodwill item covering one loss: owed in full, goodwill only above it") {
  fs::path dir = edited_pack("owed_covers", "wrong_invoice.yaml", "basis: owed,", "basis: owed, covers: inconvenience,");
  Pack pack = Pack::load(dir.string());
  CompoundDecision d = pack.evaluate_compound(late_and_overcharged());
  CHECK(money(item(d, "wrong_invoice", "refund_overcharge").amount) == "500.00 EUR");
  CHECK(money(item(d, "wrong_invoice", "goodwill_credit").amount) == "0.00 EUR");
  CHECK(money(item(d, "delivery_delay", "delay_credit").amount) == "0.00 EUR");
  CHECK(item(d, "delivery_delay", "delay_credit").covered_by->item == "refund_overcharge");
  fs::remove_all(dir);
}

TEST_CASE("a compound case names its playbooks, routes events and states, and refuses what fits none") {
  Pack pack = Pack::load(kPack.string());
  Case c = late_and_overcharged();
  c.triage = Triage::First;
  c.playbooks = {"wrong_invoice", "delivery_delay"};
  c.states = {{"delivery_delay", "open"}};
  c.event = "corrected";  // only wrong_invoice accepts it
  CompoundDecision d = pack.evaluate_compound(c);
  REQUIRE(d.parts.size() == 2);
  CHECK(d.parts[0].playbook == "wrong_invoice");  // the caller's order
  CHECK(d.parts[0].state == "resolved");
  CHECK(d.parts[1].state == "open");
  CHECK(d.to_close[0].to_close->steps == 0);

  c.event = "refunded";
  CHECK_THROWS_WITH_AS(pack.evaluate_compound(c), doctest::Contains("accepts event 'refunded'"), EvaluationError);
  c.event.clear();
  c.playbooks = {"wrong_invoice", "wrong_invoce"};
  CHECK_THROWS_WITH_AS(pack.evaluate_compound(c), doctest::Contains("did you mean 'wrong_invoice'"), EvaluationError);
  c.playbooks = {"wrong_invoice"};
  c.states = {{"delivery_delay", "open"}};
  CHECK_THROWS_WITH_AS(pack.evaluate_compound(c), doctest::Contains("not a playbook of this case"), EvaluationError);
  c.states.clear();
  c.paid = {Payment{"refund_overcharg", Money{Decimal::from_int(1), Currency::find("EUR").value()}}};
  CHECK_THROWS_WITH_AS(pack.evaluate_compound(c), doctest::Contains("did you mean 'refund_overcharge'"), EvaluationError);
}

TEST_CASE("a fact written PLAYBOOK.FACT is that part's own value") {
  Pack pack = Pack::load(kPack.string());
  Case c = late_and_overcharged();
  c.fact("wrong_invoice.overcharge", Value::string("120.00 EUR"));  // the invoice's own reading
  CompoundDecision d = pack.evaluate_compound(c);
  CHECK(money(item(d, "wrong_invoice", "refund_overcharge").amount) == "120.00 EUR");
  CHECK(d.warnings.empty());

  Case typo = late_and_overcharged();
  typo.fact("wrong_invoce.overcharge", Value::string("1 EUR"));
  CHECK_THROWS_WITH_AS(pack.evaluate_compound(typo),
                       "fact 'wrong_invoce.overcharge' is for playbook 'wrong_invoce', which is not a playbook of "
                       "this pack (did you mean 'wrong_invoice'?)",  // triage: all; named parts say "this case (…)"
                       EvaluationError);
  // triage: all reads each playbook's `match` with its own value: no overcharge shared, one for
  // the invoice, and the invoice is a part; a playbook's own value is ignored when it is not.
  Case own = late_and_overcharged();
  own.facts[3].second = Value::string("0 EUR");
  CHECK(pack.triage_all(own) == std::vector<std::string>{"delivery_delay"});
  own.fact("wrong_invoice.overcharge", Value::string("80.00 EUR"));
  CHECK(pack.triage_all(own) == std::vector<std::string>{"delivery_delay", "wrong_invoice"});
  CHECK(money(item(pack.evaluate_compound(own), "wrong_invoice", "refund_overcharge").amount) == "80.00 EUR");
  own.facts.back().second = Value::string("0 EUR");
  own.fact("wrong_invoice.shipping_fee", Value::string("1 EUR"));  // not declared: an error even so
  CHECK_THROWS_WITH_AS(pack.evaluate_compound(own),
                       "fact 'wrong_invoice.shipping_fee': playbook 'wrong_invoice' declares no fact 'shipping_fee'",
                       EvaluationError);
  own.facts.pop_back();
  CHECK(pack.evaluate_compound(own).states.size() == 1);  // wrong_invoice not picked: its own value ignored

  Case named = late_and_overcharged();
  named.triage = Triage::First;
  named.playbooks = {"delivery_delay"};
  named.fact("wrong_invoice.overcharge", Value::string("1 EUR"));
  CHECK_THROWS_WITH_AS(pack.evaluate_compound(named),
                       "fact 'wrong_invoice.overcharge' is for playbook 'wrong_invoice', which is not a playbook of "
                       "this case ('delivery_delay')",
                       EvaluationError);

  Case undeclared = late_and_overcharged();
  undeclared.fact("delivery_delay.overcharge", Value::string("1 EUR"));
  CHECK_THROWS_WITH_AS(pack.evaluate_compound(undeclared),
                       "fact 'delivery_delay.overcharge': playbook 'delivery_delay' declares no fact 'overcharge'",
                       EvaluationError);
}

TEST_CASE("evaluate_compound_many answers each compound case in its place, errors included") {
  Pack pack = Pack::load(kPack.string());
  std::vector<Case> cases(40, late_and_overcharged());
  cases[7].playbooks = {"delivery_delay", "wrong_invoce"};  // an error in its place
  cases[7].triage = Triage::First;
  cases[9].facts[0].second = Value::integer(0);  // not late: the invoice alone
  cases[11].now.reset();  // the batch's clock
  BatchOptions options;
  options.threads = 3;
  options.evaluate.clock = true;
  std::vector<CompoundResult> results = pack.evaluate_compound_many(cases, options);
  REQUIRE(results.size() == cases.size());
  const CompoundDecision alone = pack.evaluate_compound(late_and_overcharged());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(i);
    if (i == 7) {
      REQUIRE_FALSE(results[i].ok());
      CHECK(results[i].error->message() == "unknown playbook 'wrong_invoce' (did you mean 'wrong_invoice'?)");
      continue;
    }
    REQUIRE(results[i].ok());
    if (i == 9) CHECK(results[i].decision->states.size() == 1);
    else if (i != 11) CHECK(*results[i].decision == alone);
  }
  CHECK(results[11].decision->states.size() == 2);
  options.evaluate.clock = false;  // no clock: the case without `now` is its error
  results = pack.evaluate_compound_many(cases, options);
  CHECK_FALSE(results[11].ok());
  CHECK(results[12].ok());
}

TEST_CASE("payouts and sign-offs apply to the merged compensation") {
  Pack pack = Pack::load(kPack.string());
  Case c = late_and_overcharged();
  const Currency eur = Currency::find("EUR").value();
  c.paid = {Payment{"refund_overcharge", Money{Decimal::from_int(500), eur}}};
  c.sign_offs = {SignOff{"supervisor", "a.berg", *Timestamp::parse("2026-11-23T09:30:00Z"), std::nullopt}};
  CompoundDecision d = pack.evaluate_compound(c);
  CHECK(d.compensation.signed_off);
  CHECK(money(d.compensation.paid) == "500.00 EUR");
  CHECK(money(d.compensation.payable) == "54.99 EUR");  // 4.99 owed + 50.00 goodwill
}

TEST_CASE("triage explains every playbook's result and finds every match") {
  Pack pack = Pack::load(kPack.string());
  Case c = late_and_overcharged();
  CHECK(pack.triage_all(c) == std::vector<std::string>{"delivery_delay", "wrong_invoice"});
  c.facts[3].second = Value::string("0 EUR");  // no overcharge
  auto results = pack.explain_triage(c);
  REQUIRE(results.size() == 2);
  CHECK(results[0].matched);
  CHECK_FALSE(results[1].matched);
  CHECK(results[1].expr == "overcharge > 0 EUR");
  CHECK(results[1].read == std::vector<std::string>{"overcharge = 0.00 EUR"});
}

TEST_CASE("triage all puts the conflict with the most at stake first, by rank") {
  // delivery_delay ranks by the order's value (200 EUR), wrong_invoice by the overcharge.
  fs::path dir = edited_pack("ranked", "delivery_delay.yaml", "match: ", "rank: \"order_value\"\nmatch: ");
  {
    std::string text = test_support::read(dir / "wrong_invoice.yaml");
    text.replace(text.find("match: "), 7, "rank: \"overcharge\"\nmatch: ");
    std::ofstream(dir / "wrong_invoice.yaml", std::ios::binary | std::ios::trunc) << text;
  }
  Pack pack = Pack::load(dir.string());
  Case c = late_and_overcharged();  // overcharged by 500 EUR: the invoice is what it is about
  CHECK(pack.triage_all(c) == std::vector<std::string>{"wrong_invoice", "delivery_delay"});
  CompoundDecision d = pack.evaluate_compound(c);
  REQUIRE(d.states.size() == 2);
  CHECK(d.states[0].playbook == "wrong_invoice");
  CHECK(d.escalation.reasons.front().playbook == std::optional<std::string>("wrong_invoice"));
  // The cap (50 EUR over 25 + 20 + 15) now cuts the late parcel's voucher, the last part's.
  CHECK(money(item(d, "wrong_invoice", "billing_voucher").amount) == "20.00 EUR");
  CHECK(money(item(d, "delivery_delay", "loyalty_voucher").amount) == "5.00 EUR");
  CHECK(money(d.compensation.goodwill) == "50.00 EUR");
  auto results = pack.explain_triage(c);
  REQUIRE(results.size() == 2);
  CHECK(results[0].playbook == "wrong_invoice");
  CHECK(results[0].rank == "500.00 EUR");
  CHECK(results[1].rank == "200.00 EUR");

  c.facts[3].second = Value::string("50.00 EUR");  // a small overcharge: the parcel comes first
  CHECK(pack.triage_all(c) == std::vector<std::string>{"delivery_delay", "wrong_invoice"});
  CHECK(pack.evaluate_compound(c).states[0].playbook == "delivery_delay");
  c.facts[3].second = Value::string("0 EUR");  // no overcharge: one match, the other explained
  results = pack.explain_triage(c);
  REQUIRE(results.size() == 2);
  CHECK(results[0].matched);
  CHECK(results[0].rank == "200.00 EUR");
  CHECK_FALSE(results[1].matched);
  CHECK(results[1].rank.empty());
}

TEST_CASE("the compound JSON has the merged view, then every part") {
  Pack pack = Pack::load(kPack.string());
  std::string json = to_json(pack.evaluate_compound(late_and_overcharged()));
  CHECK(json.rfind("{\"states\": {\"delivery_delay\": \"open\", \"wrong_invoice\": \"open\"}, \"actions\": [", 0) == 0);
  CHECK(json.find("\"covered_by\": {\"playbook\": \"wrong_invoice\", \"item\": \"goodwill_credit\"}") != std::string::npos);
  CHECK(json.find("\"parts\": [{\"playbook\": \"delivery_delay\"") != std::string::npos);
}

TEST_CASE("pack.yaml compound rules are checked at load, located") {
  fs::path dir = edited_pack("bad_step", "pack.yaml", "[call_back, call_back_billing]", "[call_back, call_bak_billing]");
  try {
    Pack::load(dir.string());
    FAIL("loaded");
  } catch (const LoadError& e) {
    auto error = std::find_if(e.diagnostics().begin(), e.diagnostics().end(),
                              [](const Diagnostic& d) { return d.severity == Severity::Error; });
    REQUIRE(error != e.diagnostics().end());
    const Diagnostic& d = *error;
    CHECK(d.message.find("no playbook of the pack has an action 'call_bak_billing' (did you mean 'call_back_billing'?)") !=
          std::string::npos);
    CHECK(d.location.line == 11);
  }
  fs::remove_all(dir);
  dir = edited_pack("bad_loss", "wrong_invoice.yaml", "covers: inconvenience", "covers: inconvenence");
  Pack pack = Pack::load(dir.string());
  const std::string text = test_support::read(dir / "wrong_invoice.yaml");
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.find("covers: inconvenence")), '\n');
  bool warned = false;
  for (const auto& w : pack.warnings())
    warned = warned || (w.message.find("did you mean 'inconvenience'") != std::string::npos && w.location.line == line);
  CHECK(warned);
  fs::remove_all(dir);
}

TEST_CASE("an action id two playbooks share is one step, unless 'separate' keeps one per playbook") {
  // Both conflicts call their own first check 'investigate': the carrier's status, the invoice.
  fs::path dir = edited_pack("separate", "delivery_delay.yaml", "action: check_carrier", "action: investigate");
  edit(dir / "wrong_invoice.yaml", "action: correct_invoice", "action: investigate");
  {
    CompoundDecision d = Pack::load(dir.string()).evaluate_compound(late_and_overcharged());
    CHECK(step_ids(d) == std::vector<std::string>{"apologise", "investigate", "call_back"});
    CHECK(d.actions[1].from.size() == 2);
  }
  edit(dir / "pack.yaml", "  same_step:", "  separate: [investigate]\n  same_step:");
  {
    CompoundDecision d = Pack::load(dir.string()).evaluate_compound(late_and_overcharged());
    CHECK(step_ids(d) == std::vector<std::string>{"apologise", "investigate", "call_back", "investigate"});
    REQUIRE(d.actions[3].from.size() == 1);
    CHECK(d.actions[1].from[0].playbook == "delivery_delay");
    CHECK(d.actions[3].from[0].playbook == "wrong_invoice");
    CHECK(d.actions[1].step.due_at == Timestamp::parse("2026-11-23T11:00:00Z"));  // the carrier's 2h
    CHECK(d.actions[3].step.due_at == Timestamp::parse("2026-11-24T09:00:00Z"));  // the invoice's 1d
    // The parts' own Decisions are unchanged.
    CHECK(d.parts[1].actions[1].action == "investigate");
  }
  edit(dir / "pack.yaml", "separate: [investigate]", "separate: [investigat]");
  Diagnostic e = load_error(dir);
  CHECK(e.message == "no playbook of the pack has an action 'investigat' (did you mean 'investigate'?)");
  CHECK(e.location.line == 9);
  edit(dir / "pack.yaml", "separate: [investigat]", "separate: [call_back]");
  e = load_error(dir);
  CHECK(e.message.find("action 'call_back' is in a 'same_step' group, so it cannot also be 'separate'") == 0);
  CHECK(e.location.column == 14);
  fs::remove_all(dir);
}

TEST_CASE("each part's actions read the compound's money and level: no offer of what is covered or not signed off") {
  fs::path dir = edited_pack("view", "wrong_invoice.yaml", "      - {action: call_back_billing",
                             "      - {action: offer_goodwill, when: \"compensation.goodwill > 0 EUR and compensation.signed_off\",\n"
                             "         say: \"We add {compensation.goodwill} ({compensation.total} in all).\"}\n"
                             "      - {action: request_sign_off, when: \"compensation.goodwill > 0 EUR and not compensation.signed_off\",\n"
                             "         to: \"{approval}\"}\n"
                             "      - {action: call_back_billing");
  edit(dir / "delivery_delay.yaml", "      - {action: call_back",
       "      - {action: delay_goodwill, when: \"compensation.goodwill > 0 EUR and compensation.signed_off\",\n"
       "         say: \"For the delay: {compensation.goodwill}.\"}\n"
       "      - {action: senior_call, to: \"{level}\", say: \"Our {level} will call you.\"}\n"
       "      - {action: call_back");
  Pack pack = Pack::load(dir.string());
  auto step = [](const CompoundDecision& d, const std::string& id) -> const CompoundAction* {
    for (const auto& a : d.actions)
      if (a.step.action == id) return &a;
    return nullptr;
  };

  // Gold: 50 EUR of goodwill (capped) needs a supervisor; the invoice part alone needs nobody.
  CompoundDecision d = pack.evaluate_compound(late_and_overcharged());
  CHECK(money(d.parts[1].compensation.goodwill) == "45.00 EUR");  // the part's own Decision
  CHECK_FALSE(d.parts[1].compensation.approval);
  CHECK_FALSE(step(d, "offer_goodwill"));
  CHECK_FALSE(step(d, "delay_goodwill"));
  REQUIRE(step(d, "request_sign_off"));
  CHECK(step(d, "request_sign_off")->step.to == std::optional<std::string>("manager"));  // the case is at manager
  // The senior call goes to the compound's level, not the delivery part's supervisor.
  CHECK(d.parts[0].escalation.level == "supervisor");
  REQUIRE(step(d, "senior_call"));
  CHECK(step(d, "senior_call")->step.to == std::optional<std::string>("manager"));
  CHECK(step(d, "senior_call")->step.say == std::optional<std::string>("Our manager will call you."));

  // Signed off: each part offers what the compound pays for its items, adding up to the goodwill.
  Case signed_case = late_and_overcharged();
  signed_case.sign_offs.push_back(SignOff{"supervisor", "Sam", *Timestamp::parse("2026-11-23T09:30:00Z"), std::nullopt});
  d = pack.evaluate_compound(signed_case);
  CHECK(d.compensation.signed_off);
  REQUIRE(step(d, "offer_goodwill"));
  CHECK(step(d, "offer_goodwill")->step.say == std::optional<std::string>("We add 35.00 EUR (535.00 EUR in all)."));
  REQUIRE(step(d, "delay_goodwill"));
  CHECK(step(d, "delay_goodwill")->step.say == std::optional<std::string>("For the delay: 15.00 EUR."));  // its credit is covered
  CHECK_FALSE(step(d, "request_sign_off"));

  // Standard tier: the delay credit is covered by the invoice goodwill, so the delivery part
  // offers nothing; 25 EUR needs no sign-off.
  Case standard = late_and_overcharged();
  standard.facts.erase(std::remove_if(standard.facts.begin(), standard.facts.end(),
                                      [](const auto& f) { return f.first == "tier"; }),
                       standard.facts.end());
  d = pack.evaluate_compound(standard);
  CHECK(money(d.parts[0].compensation.goodwill) == "10.00 EUR");
  CHECK_FALSE(step(d, "delay_goodwill"));
  REQUIRE(step(d, "offer_goodwill"));
  CHECK(step(d, "offer_goodwill")->step.say == std::optional<std::string>("We add 25.00 EUR (525.00 EUR in all)."));
  fs::remove_all(dir);
}

TEST_CASE("a playbook loaded alone inherits pack.yaml but not its compound rules, which name the others") {
  // pack.yaml's same_step names wrong_invoice's actions: read, they would be unknown here.
  Pack alone = Pack::load((kPack / "delivery_delay.yaml").string());
  CHECK(alone.warnings().empty());  // nor is its lone `covers:` a loss "no other item covers"
  Case c = late_and_overcharged();
  c.triage = Triage::First;
  CompoundDecision d = alone.evaluate_compound(c);
  CHECK_FALSE(d.compensation.capped);  // no pack cap: 10 + 15 = 25 EUR, under the playbook's 50
  CHECK(money(d.compensation.goodwill) == "25.00 EUR");
  CHECK_FALSE(d.compensation.approval);
}

TEST_CASE("owed items of two conflicts that pay one loss are both paid in full, with a warning to check the case") {
  // The delivery refund and the invoice overcharge declared as one loss: the law's money is
  // never reduced, so the merge says it, for the agent to check nothing was counted twice.
  fs::path dir = edited_pack("owed_twice", "delivery_delay.yaml", "basis: owed,", "basis: owed, covers: charge,");
  edit(dir / "wrong_invoice.yaml", "basis: owed,", "basis: owed, covers: charge,");
  CompoundDecision d = Pack::load(dir.string()).evaluate_compound(late_and_overcharged());
  CHECK(money(item(d, "delivery_delay", "refund_shipping").amount) == "4.99 EUR");
  CHECK(money(item(d, "wrong_invoice", "refund_overcharge").amount) == "500.00 EUR");
  REQUIRE(d.warnings.size() == 1);
  CHECK_FALSE(d.warnings[0].playbook);
  CHECK(d.warnings[0].text ==
        "delivery_delay.refund_shipping, wrong_invoice.refund_overcharge pay back one loss ('charge') and are owed, so "
        "each is paid in full: check that the case does not count one amount in both");
  fs::remove_all(dir);
}

TEST_CASE("a part's error names its playbook once") {
  Case c = late_and_overcharged();
  c.states = {{"wrong_invoice", "opne"}};
  try {
    Pack::load(kPack.string()).evaluate_compound(c);
    FAIL("evaluated");
  } catch (const EvaluationError& e) {
    CHECK(std::string(e.message()).rfind("playbook 'wrong_invoice' has no state 'opne' (did you mean 'open'?)", 0) == 0);
  }
}

namespace {

// The overlap warnings of a fresh pack of two playbooks, `a` and `b`, each with one goodwill
// item, no `covers`, and the given facts and `match`; pack.yaml declares `category: string`.
std::vector<std::string> overlap_warnings(const std::string& name, const std::string& facts_a, const std::string& match_a,
                                          const std::string& facts_b, const std::string& match_b) {
  fs::path dir = fs::temp_directory_path() / ("redress_overlap_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "pack.yaml") << "redress: 1\ncurrency: EUR\nfacts:\n  category: {type: string, default: \"\"}\n";
  auto playbook = [&dir](const std::string& id, const std::string& facts, const std::string& match) {
    std::ofstream(dir / (id + ".yaml")) << "redress: 1\nplaybook: " << id << "\nversion: \"1\"\ntitle: " << id
                                        << "\nmatch: \"" << match << "\"\nfacts:\n" << facts
                                        << "states:\n  open:\n    initial: true\n    on: {done: closed}\n"
                                           "  closed:\n    terminal: true\n"
                                           "compensation:\n  rules:\n    - {id: gesture, kind: credit, amount: \"5 EUR\"}\n";
  };
  playbook("a", facts_a, match_a);
  playbook("b", facts_b, match_b);
  std::vector<std::string> out;
  Pack pack = Pack::load(dir.string());
  for (const auto& w : pack.warnings())
    if (w.message.find("can both match one case") != std::string::npos) out.push_back(w.message);
  return out;
}

}  // namespace

TEST_CASE("an enum of one name with different values in two playbooks: one case has one value") {
  const std::string a = "  channel: {type: enum, values: [email, phone]}\n";
  const std::string b = "  channel: {type: enum, values: [phone, chat, letter]}\n";
  auto both = overlap_warnings("enum_shared", a, "channel == 'phone'", b, "channel != 'letter'");
  REQUIRE(both.size() == 1);
  CHECK(both[0].find("'a' and 'b' can both match one case (channel is 'phone')") != std::string::npos);
  // 'email' is not among b's values, and b asks for 'chat' or 'letter': no case matches both.
  CHECK(overlap_warnings("enum_apart", a, "channel in ['email', 'phone'] and channel != 'phone'", b,
                         "channel in ['chat', 'letter']")
            .empty());
  // An enum and a string fact of one name: compared by the values' names.
  const std::string text = "  channel: string\n";
  auto mixed = overlap_warnings("enum_string", a, "channel == 'phone'", text, "channel in ['phone', 'web']");
  REQUIRE(mixed.size() == 1);
  CHECK(mixed[0].find("(channel is 'phone')") != std::string::npos);
  CHECK(overlap_warnings("enum_string_apart", a, "channel == 'email'", text, "not (channel == 'email' or channel == 'fax')")
            .empty());
  // Facts of one name but different kinds are not one fact: silent.
  CHECK(overlap_warnings("kinds", a, "channel == 'phone'", "  channel: int\n", "channel > 0").empty());
}

TEST_CASE("a match read in part: what is not analysed is taken as possibly true, and said") {
  const std::string a = "  amount: money\n  paid: money\n";
  const std::string b = "  fee: {type: money, min: 0 EUR}\n";
  auto both = overlap_warnings("partly", a, "category == 'billing' and amount != paid", b,
                               "category in ['billing', 'fees'] and fee > 0 EUR");
  REQUIRE(both.size() == 1);
  CHECK(both[0].find("(category is 'billing' and fee is more than 0 EUR, if 'amount != paid' also holds)") !=
        std::string::npos);
  // The parts it reads rule the overlap out, whatever the rest says.
  CHECK(overlap_warnings("partly_apart", a, "category == 'billing' and amount != paid", b,
                         "category not in ['billing'] and fee > 0 EUR")
            .empty());
  CHECK(overlap_warnings("partly_never", a, "amount < 0 EUR and amount > 0 EUR and amount != paid", b, "fee > 0 EUR")
            .empty());
  // Nothing read at all: both parts are named.
  auto blind = overlap_warnings("blind", a, "amount != paid", a, "amount > paid");
  REQUIRE(blind.size() == 1);
  CHECK(blind[0].find("(if 'amount != paid' and 'amount > paid' also hold)") != std::string::npos);
}
