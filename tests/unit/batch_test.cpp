// Pack::evaluate_many (issue #15): one result per case, in order, errors in place, equal to
// one-by-one evaluation whatever the thread count.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "redress/redress.hpp"

using namespace redress;

namespace {

const Pack& bundled() {
  static const Pack pack = Pack::load(std::string(REDRESS_SOURCE_DIR) + "/playbooks");
  return pack;
}

Timestamp T(const char* s) { return *Timestamp::parse(s); }

// Cases of every shape: plain, with an event, triaged, and two that fail.
std::vector<Case> mixed_cases(std::size_t n) {
  std::vector<Case> cases;
  for (std::size_t i = 0; i < n; ++i) {
    Case c;
    c.playbook = "delivery_delay";
    c.now = T("2026-11-23T10:00:00Z");
    c.fact("category", Value::string("delivery"))
        .fact("order_id", Value::string("C-" + std::to_string(i)))
        .fact("order_value", Value::string(std::to_string(10 + i % 300) + ".00 EUR"))
        .fact("shipping_fee", Value::string("4.99 EUR"))
        .fact("days_late", Value::integer(static_cast<std::int64_t>(i % 9)))
        .fact("tier", Value::string(i % 3 == 0 ? "gold" : "standard"));
    switch (i % 5) {
      case 1: c.state = "offer"; c.event = i % 2 ? "accepted" : "declined"; break;
      case 2: c.playbook.clear(); break;                        // triage
      case 3: c.facts.erase(c.facts.begin() + 1); break;         // missing order_id: an error
      case 4: c.state = "resolved"; c.event = "nonsense"; break;  // an event nobody takes
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

// What evaluate gives, case by case: the JSON, or "error: " + what().
std::string one_by_one(const Pack& pack, const Case& c, const EvaluateOptions& options) {
  try {
    return to_json(pack.evaluate(c, options));
  } catch (const EvaluationError& e) {
    return std::string("error: ") + e.what();
  }
}

std::string shown(const EvaluationResult& r) {
  REQUIRE(r.ok() != r.error.has_value());
  return r.ok() ? to_json(*r.decision) : std::string("error: ") + r.error->what();
}

}  // namespace

TEST_CASE("evaluate_many: in order, errors in place, equal to evaluate with 1 and N threads") {
  const Pack& pack = bundled();
  const auto cases = mixed_cases(700);
  EvaluateOptions traced;
  traced.trace = true;
  std::vector<std::string> want;
  for (const auto& c : cases) want.push_back(one_by_one(pack, c, traced));

  for (unsigned threads : {1u, 2u, 8u, 0u}) {
    CAPTURE(threads);
    BatchOptions options;
    options.evaluate = traced;
    options.threads = threads;
    auto got = pack.evaluate_many(cases, options);
    REQUIRE(got.size() == cases.size());
    std::size_t differ = 0, refused = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      differ += shown(got[i]) != want[i];
      refused += i % 5 >= 3 && !got[i].ok();
    }
    CHECK(differ == 0);
    CHECK(refused == 280);  // shapes 3 and 4
    CHECK(got[3].error->message().find("order_id") != std::string::npos);
    CHECK(got[4].error->message().find("does not accept event 'nonsense'") != std::string::npos);
    CHECK(got[2].decision->playbook == "delivery_delay");
  }
  CHECK(pack.evaluate_many(std::vector<Case>{}).empty());
}

TEST_CASE("evaluate_many: a case without now is an error, unless the clock is asked for, read once") {
  const Pack& pack = bundled();
  std::vector<Case> cases(10);
  for (auto& c : cases) {
    c.playbook = "delivery_delay";
    c.state = "reported";
    c.event = "acknowledged";
    c.fact("category", Value::string("delivery")).fact("order_id", Value::string("X")).fact("days_late", Value::integer(2));
  }
  cases[0].now = T("2026-11-23T10:00:00Z");
  auto refused = pack.evaluate_many(cases);
  REQUIRE(refused[0].ok());
  for (std::size_t i = 1; i < refused.size(); ++i)
    CHECK(refused[i].error->message().find("no 'now'") != std::string::npos);

  BatchOptions clock;
  clock.evaluate.clock = true;
  auto got = pack.evaluate_many(cases, clock);
  REQUIRE(got[0].ok());
  CHECK(to_json(*got[0].decision) == to_json(pack.evaluate(cases[0])));  // its own now
  std::optional<Timestamp> due;
  for (std::size_t i = 1; i < got.size(); ++i) {
    REQUIRE(got[i].ok());
    if (!due) due = got[i].decision->actions.front().due_at;
    CHECK(got[i].decision->actions.front().due_at == due);  // one clock for the batch
  }
}

TEST_CASE("evaluate_many: bound cases too") {
  const Pack& pack = bundled();
  auto pb = *pack.playbook_ref("delivery_delay");
  std::vector<BoundCase> cases(50);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    cases[i].playbook = pb;
    cases[i].now = T("2026-11-23T10:00:00Z");
    cases[i].fact(*pack.fact_ref(pb, "category"), Value::string("delivery"))
        .fact(*pack.fact_ref(pb, "order_value"), Value::string("200.00 EUR"))
        .fact(*pack.fact_ref(pb, "days_late"), Value::integer(static_cast<std::int64_t>(i % 4)));
    if (i % 10 != 7) cases[i].fact(*pack.fact_ref(pb, "order_id"), Value::string("B"));
  }
  BatchOptions options;
  options.threads = 4;
  auto got = pack.evaluate_many(cases, options);
  REQUIRE(got.size() == cases.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i].ok() == (i % 10 != 7));
    if (got[i].ok()) CHECK(to_json(*got[i].decision) == to_json(pack.evaluate(cases[i])));
  }
}
