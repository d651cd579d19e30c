// Playbook analysis (issue #5): one invalid fixture per finding kind in tests/analysis/ with its
// expected findings (NAME.expected: "NAME.yaml:LINE:COL: severity: message", one a line), the
// bundled pack free of findings, to_close, and the DOT/Mermaid drawings.
// Set REDRESS_UPDATE_GOLDEN=1 to rewrite the .expected files (then review the diff).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "present/diagram.hpp"
#include "eval/pack_internal.hpp"
#include "redress/redress.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

const fs::path kFixtures = fs::path(REDRESS_SOURCE_DIR) / "tests" / "analysis";

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every diagnostic of loading `path`, errors (thrown) and warnings alike.
std::vector<Diagnostic> findings(const fs::path& path) {
  try {
    return Pack::load(path.string()).warnings();
  } catch (const LoadError& e) {
    return e.diagnostics();
  }
}

// The findings as the CLI prints them, with the file name instead of the full path.
std::string listing(const std::vector<Diagnostic>& diags) {
  std::string out;
  for (auto d : diags) {
    d.location.file = detail::intern_source_file(fs::path(d.file()).filename().string());
    out += d.to_string() + "\n";
  }
  return out;
}

void check_fixture(const std::string& name) {
  fs::path yaml = kFixtures / (name + ".yaml");
  fs::path expected = kFixtures / (name + ".expected");
  REQUIRE(fs::exists(yaml));
  std::string got = listing(findings(yaml));
  if (std::getenv("REDRESS_UPDATE_GOLDEN")) {
    std::ofstream(expected, std::ios::binary) << got;
    return;
  }
  REQUIRE_MESSAGE(fs::exists(expected), "missing " << expected.string());
  CHECK(got == read_text(expected));
  CHECK_FALSE(got.empty());
}

const detail::Playbook& only_playbook(const Pack& pack) {
  REQUIRE(detail::compiled(pack).playbooks.size() == 1);
  return detail::compiled(pack).playbooks.front();
}

const detail::ToClose& to_close_of(const detail::Playbook& pb, const std::string& state) {
  auto it = pb.state_index.find(state);
  REQUIRE(it != pb.state_index.end());
  return pb.states[it->second].to_close;
}

using Names = std::vector<std::string>;

Decision evaluate_delivery(const Pack& pack, const std::string& state, int days_late, bool delivered) {
  Case c;
  c.playbook = "delivery_delay";
  c.state = state;
  c.now = Timestamp::parse("2026-11-23T10:00:00Z");
  c.entered_at = Timestamp::parse("2026-11-23T09:00:00Z");  // `say` scripts may name {due_at}
  c.fact("order_id", Value::string("A-1")).fact("days_late", Value::integer(days_late));
  if (delivered) c.fact("delivered_at", Value::datetime(*Timestamp::parse("2026-11-22T10:00:00Z")));
  return pack.evaluate(c);
}

}  // namespace

// ---- one fixture per finding kind -----------------------------------------------------------

TEST_CASE("analysis: unreachable state (error)") { check_fixture("unreachable_state"); }
TEST_CASE("analysis: state from which no terminal state is reachable (error)") {
  check_fixture("stuck_state");
}
TEST_CASE("analysis: no terminal state (error)") { check_fixture("no_terminal"); }
TEST_CASE("analysis: loop of always transitions (warning)") { check_fixture("always_cycle"); }
TEST_CASE("analysis: option after an unguarded one (warning)") { check_fixture("shadowed_unguarded"); }
TEST_CASE("analysis: option implied by earlier ones (warning)") { check_fixture("shadowed_implied"); }
TEST_CASE("analysis: event only unreachable states accept (warning)") { check_fixture("unused_event"); }
TEST_CASE("analysis: conditions that can never hold (warning)") { check_fixture("never_holds"); }
TEST_CASE("analysis: escalation rules without effect (warning)") { check_fixture("escalation_noop"); }
TEST_CASE("analysis: values no option of an event covers (warning)") { check_fixture("gap"); }
TEST_CASE("analysis: unsafe money promises and an owed item under the cap (warning)") { check_fixture("unsafe_money"); }
TEST_CASE("analysis: a waiting state with no timeout and no refusal (warning)") { check_fixture("waiting_forever"); }

// Issue #11, "Done when": the bundled wrong_invoice playbook as it was before the money
// controls promised an amount nobody had signed off; lint flags that script.
TEST_CASE("analysis: lint flags the unsafe script of wrong_invoice as it was before issue #11") {
  std::string got = listing(findings(kFixtures / "wrong_invoice_before_13"));
  CHECK(got.find("wrong_invoice.yaml:65:116: warning: action 'offer_options' in state 'offer' promises {compensation.total} "
                 "although nobody may have signed it off") != std::string::npos);
  CHECK(got.find("wrong_invoice.yaml:65:116: warning: action 'offer_options' in state 'offer' can say {compensation.total} "
                 "when it is 0.00 EUR") != std::string::npos);
}

TEST_CASE("analysis: every fixture has expected findings and a test") {
  Names tested = {"unreachable_state", "stuck_state",  "no_terminal", "always_cycle",    "shadowed_unguarded",
                  "shadowed_implied",  "unused_event", "never_holds", "escalation_noop", "gap", "unsafe_money",
                  "waiting_forever"};
  Names found;
  for (const auto& e : fs::directory_iterator(kFixtures))
    if (e.path().extension() == ".yaml") found.push_back(e.path().stem().string());
  std::sort(found.begin(), found.end());
  std::sort(tested.begin(), tested.end());
  CHECK(found == tested);
}

TEST_CASE("analysis: findings carry severity, location and the source line") {
  auto diags = findings(kFixtures / "unreachable_state.yaml");
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].severity == Severity::Error);
  CHECK(diags[0].line() == 10);
  CHECK(diags[0].column() == 3);
  CHECK(diags[0].source_line == "  orphan:");
  CHECK(diags[0].file() == (kFixtures / "unreachable_state.yaml").string());
}

TEST_CASE("analysis: the bundled pack has no findings (lint --strict is clean)") {
  fs::path dir = fs::path(REDRESS_SOURCE_DIR) / "playbooks";
  std::vector<Diagnostic> diags = findings(dir);
  CHECK_MESSAGE(diags.empty(), listing(diags));
}

// ---- to_close ------------------------------------------------------------------------------

TEST_CASE("analysis: to_close of the delivery_delay playbook, through Pack::evaluate") {
  Pack pack = Pack::load((fs::path(REDRESS_SOURCE_DIR) / "playbooks" / "delivery_delay.yaml").string());

  // The bundled pack (issue #13): the intended route is accept, deliver, confirm. The timeout to
  // closed_no_reply (one step) and the refusal are shorter, but their terminal states are
  // `outcome: closed_without_agreement`, so to_close does not suggest them.
  Decision offer = evaluate_delivery(pack, "offer", 3, false);
  CHECK(offer.state == "offer");
  REQUIRE(offer.to_close);
  CHECK(offer.to_close->steps == 3);
  CHECK(offer.to_close->events == Names{"accepted", "delivered", "confirmed"});
  CHECK(offer.to_close->states == Names{"delivering", "confirming", "resolved"});

  // Two ways of two steps: the first option of the file wins (the `always` to resolved).
  Decision reported = evaluate_delivery(pack, "reported", 3, false);
  CHECK(reported.state == "reported");
  REQUIRE(reported.to_close);
  CHECK(reported.to_close->steps == 2);
  CHECK(reported.to_close->events == Names{"acknowledged"});
  CHECK(reported.to_close->states == Names{"investigating", "resolved"});

  // An automatic step sends no event.
  Decision waiting = evaluate_delivery(pack, "investigating", 0, false);
  CHECK(waiting.state == "investigating");
  REQUIRE(waiting.to_close);
  CHECK(waiting.to_close->steps == 1);
  CHECK(waiting.to_close->events.empty());
  CHECK(waiting.to_close->states == Names{"resolved"});

  Decision escalated = evaluate_delivery(pack, "escalated", 3, false);
  REQUIRE(escalated.to_close);
  CHECK(escalated.to_close->steps == 3);
  CHECK(escalated.to_close->events == Names{"accepted", "delivered", "confirmed"});

  Decision resolved = evaluate_delivery(pack, "investigating", 0, true);
  CHECK(resolved.state == "resolved");
  CHECK(resolved.terminal);
  REQUIRE(resolved.to_close);
  CHECK(resolved.to_close->steps == 0);
  CHECK(resolved.to_close->events.empty());
  CHECK(resolved.to_close->states.empty());

  std::string json = to_json(offer);
  CHECK(json.find("\"to_close\"") != std::string::npos);
  CHECK(json.find("\"accepted\"") != std::string::npos);
}

TEST_CASE("to_close is the compile stage's: loading without the analysis keeps it") {
  const std::string path = (fs::path(REDRESS_SOURCE_DIR) / "playbooks" / "delivery_delay.yaml").string();
  LoadOptions quiet;
  quiet.analyse = false;
  Pack with = Pack::load(path);
  Pack without = Pack::load(path, quiet);
  for (const char* state : {"offer", "reported", "investigating", "escalated"}) {
    Decision a = evaluate_delivery(with, state, 3, false);
    Decision b = evaluate_delivery(without, state, 3, false);
    INFO(state);
    REQUIRE(b.to_close);
    CHECK(b.to_close->steps == a.to_close->steps);
    CHECK(b.to_close->events == a.to_close->events);
    CHECK(b.to_close->states == a.to_close->states);
    CHECK(to_json(a) == to_json(b));
  }
  Decision offer = evaluate_delivery(without, "offer", 3, false);
  REQUIRE(offer.to_close);
  CHECK(offer.to_close->events == Names{"accepted", "delivered", "confirmed"});
}

TEST_CASE("analysis: to_close breaks ties by file order and skips options never taken") {
  Pack pack = Pack::load((kFixtures / "valid" / "to_close_ties.yaml").string());
  REQUIRE(pack.warnings().size() == 1);  // the never-taken shortcut
  CHECK(pack.warnings()[0].line() == 25);
  const auto& pb = only_playbook(pack);

  const auto& start = to_close_of(pb, "start");
  CHECK(start.reachable);
  CHECK(start.steps == 2);
  CHECK(start.events == Names{"b_first", "finish"});
  CHECK(start.states == Names{"mid_b", "closed"});

  const auto& detour = to_close_of(pb, "detour");
  CHECK(detour.steps == 2);
  CHECK(detour.events == Names{"shortcut", "finish"});
  CHECK(detour.states == Names{"mid_a", "closed"});

  const auto& waiting = to_close_of(pb, "waiting");
  CHECK(waiting.steps == 1);
  CHECK(waiting.events.empty());
  CHECK(waiting.states == Names{"closed"});

  const auto& closed = to_close_of(pb, "closed");
  CHECK(closed.reachable);
  CHECK(closed.steps == 0);
  CHECK(closed.events.empty());
}

TEST_CASE("analysis: to_close heads for an 'outcome: resolved' state, not the quickest way out") {
  Pack pack = Pack::load((kFixtures / "valid" / "to_close_outcome.yaml").string());
  CHECK(pack.warnings().empty());
  const auto& pb = only_playbook(pack);

  const auto& offer = to_close_of(pb, "offer");  // not `declined`, not the 3bd timeout
  CHECK(offer.steps == 2);
  CHECK(offer.events == Names{"accepted", "delivered"});
  CHECK(offer.states == Names{"delivering", "resolved"});

  const auto& stuck = to_close_of(pb, "stuck_offer");  // no resolved state left: the honest close
  CHECK(stuck.reachable);
  CHECK(stuck.events == Names{"declined"});
  CHECK(stuck.states == Names{"refused"});
}

// ---- drawings ------------------------------------------------------------------------------

TEST_CASE("analysis: DOT drawing of delivery_delay") {
  Pack pack = Pack::load((fs::path(REDRESS_SOURCE_DIR) / "playbooks" / "delivery_delay.yaml").string());
  const auto& pb = only_playbook(pack);
  std::string dot = present::to_dot(pb, {"offer"});
  CHECK(dot.rfind("digraph \"delivery_delay\" {", 0) == 0);
  CHECK(dot.find("\"__start\" -> \"reported\"") != std::string::npos);
  CHECK(dot.find("<B>reported</B>") != std::string::npos);
  CHECK(dot.find("penwidth=2.5") != std::string::npos);              // initial
  CHECK(dot.find("peripheries=2") != std::string::npos);             // terminal
  CHECK(dot.find("fillcolor=\"#e8e8e8\"") != std::string::npos);     // closed without agreement: grey
  CHECK(dot.find("acknowledge (within 15m)") != std::string::npos);  // actions listed
  CHECK(dot.find("\"offer\" -> \"escalated\" [label=\"declined\"]") != std::string::npos);
  CHECK(dot.find("\"offer\" -> \"closed_no_reply\" [label=\"after 3bd\", style=dashed]") != std::string::npos);
  CHECK(dot.find("\"investigating\" -> \"offer\" [label=\"(2) if days_late >= 1\", style=dashed]") !=
        std::string::npos);
  CHECK(dot.find("fillcolor=\"#ffe08a\"") != std::string::npos);  // --state offer
  CHECK(present::to_dot(pb).find("#ffe08a") == std::string::npos);
}

TEST_CASE("analysis: Mermaid drawing of delivery_delay") {
  Pack pack = Pack::load((fs::path(REDRESS_SOURCE_DIR) / "playbooks" / "delivery_delay.yaml").string());
  std::string m = present::to_mermaid(only_playbook(pack), {"offer"});
  CHECK(m.find("flowchart LR") != std::string::npos);
  CHECK(m.find("start_ --> s_reported") != std::string::npos);
  CHECK(m.find("s_investigating -.->|\"(2) if days_late #gt;= 1\"| s_offer") != std::string::npos);
  CHECK(m.find("s_offer -->|\"declined\"| s_escalated") != std::string::npos);
  CHECK(m.find("s_resolved([\"<b>resolved</b>") != std::string::npos);
  CHECK(m.find("class s_resolved terminal") != std::string::npos);
  CHECK(m.find("class s_closed_no_reply closed") != std::string::npos);
  CHECK(m.find("class s_offer current") != std::string::npos);
}

TEST_CASE("analysis: drawings escape quotes, backslashes and markup") {
  Pack pack = Pack::load((kFixtures / "valid" / "labels.yaml").string());
  const auto& pb = only_playbook(pack);
  std::string dot = present::to_dot(pb);
  CHECK(dot.find(
            "label=\"Quotes \\\"here\\\", a back\\\\slash, {braces} <b>not bold</b> & #1 — café (labels)") !=
        std::string::npos);
  CHECK(dot.find("by Team &lt;B&amp;C&gt; &quot;lead&quot; {x} #2") != std::string::npos);
  CHECK(dot.find("if note == 'a\\\\\\\\b \\\"c\\\" <d> & #e'") != std::string::npos);
  std::string m = present::to_mermaid(pb);
  CHECK(m.find("title: \"Quotes \\\"here\\\", a back\\\\slash") != std::string::npos);
  CHECK(m.find("by Team #lt;B#amp;C#gt; #quot;lead#quot; {x} #35;2") != std::string::npos);
  CHECK(m.find("if note == 'a\\\\b #quot;c#quot; #lt;d#gt; #amp; #35;e'") != std::string::npos);
  // State ids never collide with Mermaid's keywords (`end` here).
  CHECK(m.find("s_end([\"<b>end</b>\"])") != std::string::npos);
}

TEST_CASE("analysis: never-taken options are drawn grey") {
  Pack pack = Pack::load((kFixtures / "valid" / "to_close_ties.yaml").string());
  const auto& pb = only_playbook(pack);
  std::string dot = present::to_dot(pb);
  CHECK(dot.find("\"detour\" -> \"closed\" [label=\"shortcut (1)\\nif x < 0\\n(never taken)\", style=dotted, "
                 "color=\"gray60\"") != std::string::npos);
  std::string m = present::to_mermaid(pb);
  CHECK(m.find("(never taken)") != std::string::npos);
  CHECK(m.find("linkStyle") != std::string::npos);
}
