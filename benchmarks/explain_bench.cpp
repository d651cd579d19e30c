// The cost of explaining a typical case (issue #17: target 1 ms), with Google Benchmark; timing
// lives here, never in the tests.
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DREDRESS_BUILD_BENCHMARKS=ON
//   cmake --build build-bench -j2 --target redress_explain_bench
//   build-bench/benchmarks/redress_explain_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// The pack is the frozen first edition of delivery_delay (tests/explain/delivery_delay), so the
// figure does not move when the bundled pack is rewritten; the case is the README's gold customer.
#include <benchmark/benchmark.h>

#include <string>

#include "redress/redress.hpp"

namespace {

const redress::Pack& pack() {
  static const redress::Pack p = redress::Pack::load(std::string(REDRESS_SOURCE_DIR) + "/tests/explain/delivery_delay");
  return p;
}

redress::Case gold() {
  redress::Case c;
  c.playbook = "delivery_delay";
  c.state = "investigating";
  c.entered_at = redress::Timestamp::parse("2026-11-23T08:00:00Z");
  c.now = redress::Timestamp::parse("2026-11-23T10:00:00Z");
  c.fact("category", redress::Value::string("delivery"))
      .fact("order_id", redress::Value::string("A-1001"))
      .fact("order_value", redress::Value::string("200.00 EUR"))
      .fact("shipping_fee", redress::Value::string("4.99 EUR"))
      .fact("days_late", redress::Value::integer(2))
      .fact("tier", redress::Value::string("standard"));
  return c;
}

// The baseline: one evaluation of the same case.
void BM_Evaluate(benchmark::State& state) {
  const redress::Case c = gold();
  for (auto _ : state) benchmark::DoNotOptimize(pack().evaluate(c));
}
BENCHMARK(BM_Evaluate);

// Why only: every part of the Decision with its conditions and facts.
void BM_ExplainWhy(benchmark::State& state) {
  const redress::Case c = gold();
  for (auto _ : state) benchmark::DoNotOptimize(redress::explain(pack(), c));
}
BENCHMARK(BM_ExplainWhy);

// A typical agent question: why, why not three targets with their counterfactuals (each one
// re-evaluated), and a what-if; then the JSON.
void BM_ExplainTypical(benchmark::State& state) {
  const redress::Case c = gold();
  redress::ExplainOptions o;
  o.why_not = {"level=manager", "item=delay_credit", "item=goodwill"};
  o.what_if = {{"days_late", redress::Value::integer(7)}};
  for (auto _ : state) {
    redress::Explanation e = redress::explain(pack(), c, o);
    benchmark::DoNotOptimize(redress::to_json(e));
  }
}
BENCHMARK(BM_ExplainTypical);

}  // namespace

BENCHMARK_MAIN();
