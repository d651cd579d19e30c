// Pack::evaluate_into (issue #14): one Decision reused case after case gives, each time, exactly
// what evaluate() gives — whatever the earlier case left in it (more actions or items, a hold,
// an approval, a sign-off, a path to close, a pending change, warnings, a trace, an error
// half-way).
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "redress/redress.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

struct Corpus {
  Pack pack;
  std::vector<Case> cases;
};

std::vector<Case> cases_in(const fs::path& dir) {
  std::vector<fs::path> files;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().find(".case.") != std::string::npos) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<Case> cases;
  for (const auto& f : files) cases.push_back(parse_case(test_support::read(f), f.filename().string()));
  return cases;
}

// Every pack with cases the tests know: the bundled pack (its playbooks' examples, the shared
// vectors, examples/cases), each golden pack with its cases, the money scenario's examples.
std::vector<Corpus> corpora() {
  const fs::path src = REDRESS_SOURCE_DIR;
  std::vector<Corpus> out;
  Corpus bundled{Pack::load((src / "playbooks").string()), {}};
  for (const auto& pb : bundled.pack.playbooks())
    for (const auto& t : pb.tests) bundled.cases.push_back(t.input);
  for (Case& c : cases_in(src / "tests" / "vectors")) bundled.cases.push_back(std::move(c));
  for (const auto& e : fs::directory_iterator(src / "examples" / "cases")) {
    if (!e.is_regular_file()) continue;
    bundled.cases.push_back(parse_case(test_support::read(e.path()), e.path().filename().string()));
  }
  out.push_back(std::move(bundled));
  for (const auto& dir : test_support::sorted_dirs(src / "tests" / "golden" / "ok"))
    out.push_back(Corpus{Pack::load(dir.string()), cases_in(dir / "cases")});
  Corpus money{Pack::load((src / "tests" / "money").string()), {}};
  for (const auto& pb : money.pack.playbooks())
    for (const auto& t : pb.tests) money.cases.push_back(t.input);
  out.push_back(std::move(money));
  return out;
}

// What evaluate() gives for one case, with and without the trace (none: it throws).
struct Expected {
  std::optional<Decision> decision[2];  // [0] untraced, [1] traced
  std::string json[2];
};

// What a Decision holds that the next one may not: each must be seen going away at least once.
struct Shrinks {
  int actions = 0, items = 0, reasons = 0, path = 0, say = 0, due_at = 0, to_close = 0, next_change = 0,
      approval = 0, hold = 0, sign_off = 0, warnings = 0, trace = 0;
  void saw(const Decision& a, const Decision& b) {
    actions += a.actions.size() > b.actions.size();
    items += a.compensation.items.size() > b.compensation.items.size();
    reasons += a.escalation.reasons.size() > b.escalation.reasons.size();
    path += a.path.size() > b.path.size();
    auto any = [](const Decision& d, auto has) {
      for (const auto& x : d.actions)
        if (has(x)) return true;
      return false;
    };
    say += any(a, [](const ActionOut& x) { return x.say.has_value(); }) &&
           !any(b, [](const ActionOut& x) { return x.say.has_value(); });
    due_at += any(a, [](const ActionOut& x) { return x.due_at.has_value(); }) &&
              !any(b, [](const ActionOut& x) { return x.due_at.has_value(); });
    // A loaded pack has no state that cannot be closed (a load error), so to_close is never
    // null: its lists shrink instead.
    to_close += a.to_close && (!b.to_close || a.to_close->events.size() > b.to_close->events.size());
    next_change += a.next_change_at && !b.next_change_at;
    approval += a.compensation.approval && !b.compensation.approval;
    hold += a.compensation.held && !b.compensation.held;
    sign_off += a.compensation.sign_off && !b.compensation.sign_off;
    warnings += !a.warnings.empty() && b.warnings.empty();
    trace += !a.trace.empty() && b.trace.empty();
  }
};

}  // namespace

TEST_CASE("evaluate_into: after every other case, a reused Decision equals evaluate's, byte for byte") {
  const std::vector<Corpus> all = corpora();
  EvaluateOptions options[2];
  options[1].trace = true;
  Shrinks shrinks;
  int pairs = 0;
  for (const Corpus& corpus : all) {
    const Pack& pack = corpus.pack;
    std::vector<Expected> want;
    std::vector<const Case*> cases;
    for (const Case& c : corpus.cases) {
      Expected e;
      const auto start = std::chrono::steady_clock::now();
      for (int t = 0; t < 2; ++t) {
        try {
          e.decision[t] = pack.evaluate(c, options[t]);
          e.json[t] = to_json(*e.decision[t]);
        } catch (const EvaluationError&) {
        }
        // A case whose evaluation takes seconds (tests/golden/ok/business_hours' open pause)
        // would make the pairs below take minutes: the golden test covers it.
        if (std::chrono::steady_clock::now() - start > std::chrono::milliseconds(300)) break;
      }
      if (std::chrono::steady_clock::now() - start > std::chrono::milliseconds(300)) continue;
      want.push_back(std::move(e));
      cases.push_back(&c);
    }
    // Every ordered pair: the Decision holds the first case's when the second is evaluated into
    // it; the trace on for one of the two, the other way round for the next pair (and both on,
    // both off, on the diagonal).
    for (std::size_t i = 0; i < cases.size(); ++i) {
      for (std::size_t j = 0; j < cases.size(); ++j) {
        for (int t = 0; t < 4; ++t) {
          const int first = t / 2, second = t % 2;
          if (i != j && (first == second || (first == 1) != ((i + j) % 2 == 0))) continue;
          CAPTURE(i);
          CAPTURE(j);
          CAPTURE(t);
          Decision reused;
          if (want[i].decision[first]) {
            pack.evaluate_into(*cases[i], reused, options[first]);
          } else {
            CHECK_THROWS_AS(pack.evaluate_into(*cases[i], reused, options[first]), EvaluationError);
          }
          const Decision before = reused;  // partial after an error: the next one must not care
          if (!want[j].decision[second]) {
            CHECK_THROWS_AS(pack.evaluate_into(*cases[j], reused, options[second]), EvaluationError);
            continue;
          }
          pack.evaluate_into(*cases[j], reused, options[second]);
          CHECK(to_json(reused) == want[j].json[second]);
          CHECK(reused == *want[j].decision[second]);  // every field, the JSON's and the rest
          if (want[i].decision[first]) shrinks.saw(before, reused);
          ++pairs;
        }
      }
    }
  }
  CHECK(pairs > 10000);
  // The corpus exercises each way a Decision can hold less than the one before it.
  CHECK(shrinks.actions > 0);
  CHECK(shrinks.items > 0);
  CHECK(shrinks.reasons > 0);
  CHECK(shrinks.path > 0);
  CHECK(shrinks.say > 0);
  CHECK(shrinks.due_at > 0);
  CHECK(shrinks.to_close > 0);
  CHECK(shrinks.next_change > 0);
  CHECK(shrinks.approval > 0);
  CHECK(shrinks.hold > 0);
  CHECK(shrinks.sign_off > 0);
  CHECK(shrinks.warnings > 0);
  CHECK(shrinks.trace > 0);
}

TEST_CASE("evaluate_into: more actions then fewer, trace on then off, leaves nothing behind") {
  const Pack pack = Pack::load(std::string(REDRESS_SOURCE_DIR) + "/playbooks");
  const PlaybookRef pb = *pack.playbook_ref("delivery_delay");
  auto late = [&](int days, const char* tier, const char* state, bool delivered, int claims) {
    BoundCase c;
    c.playbook = pb;
    c.state = pack.state_ref(pb, state);
    c.now = Timestamp::parse("2026-11-23T10:00:00Z");
    c.entered_at = Timestamp::parse("2026-11-23T08:00:00Z");
    c.fact(*pack.fact_ref(pb, "category"), Value::string("delivery"))
        .fact(*pack.fact_ref(pb, "order_id"), Value::string("A-" + std::to_string(days)))
        .fact(*pack.fact_ref(pb, "order_value"), Value::money(*Money::parse(std::to_string(20 + days * 150) + ".00 EUR")))
        .fact(*pack.fact_ref(pb, "shipping_fee"), Value::money(*Money::parse("4.99 EUR")))
        .fact(*pack.fact_ref(pb, "days_late"), Value::integer(days))
        .fact(*pack.fact_ref(pb, "claims_90d"), Value::integer(claims))
        .fact(*pack.fact_ref(pb, "tier"), Value::string(tier));
    if (claims > 0) c.fact(*pack.fact_ref(pb, "jurisdiction"), Value::string("RU"));  // a penalty is owed
    if (delivered) c.fact(*pack.fact_ref(pb, "delivered_at"), Value::datetime(*Timestamp::parse("2026-11-22T10:00:00Z")));
    return c;
  };
  EvaluateOptions traced;
  traced.trace = true;
  const BoundCase many = late(9, "gold", "investigating", false, 4);  // to offer: three actions and items, held
  const BoundCase few = late(5, "standard", "offer", true, 0);        // two actions, one item
  const Decision a = pack.evaluate(many, traced), b = pack.evaluate(few);
  REQUIRE(a.actions.size() > b.actions.size());
  REQUIRE(a.compensation.items.size() > b.compensation.items.size());
  REQUIRE(a.compensation.held);
  REQUIRE_FALSE(b.compensation.held);
  REQUIRE(!a.trace.empty());
  REQUIRE(b.trace.empty());

  Decision reused;
  pack.evaluate_into(many, reused, traced);
  CHECK(reused == a);
  pack.evaluate_into(few, reused);
  CHECK(reused == b);
  CHECK(to_json(reused) == to_json(b));
  CHECK_FALSE(reused.has_trace);
  CHECK(reused.trace.empty());
  pack.evaluate_into(many, reused, traced);  // and back: the storage grows again
  CHECK(to_json(reused) == to_json(a));

  // A case that fails half-way leaves a partial Decision; the next one is whole.
  BoundCase bad = late(3, "gold", "investigating", false, 0);
  bad.fact(*pack.fact_ref(pb, "tier"), Value::string("platinum"));  // not one of the tier's values
  CHECK_THROWS_AS(pack.evaluate_into(bad, reused), EvaluationError);
  pack.evaluate_into(few, reused);
  CHECK(reused == b);
}
