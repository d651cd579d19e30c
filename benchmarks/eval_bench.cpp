// Evaluation cost on the bundled pack. Timing lives here, never in tests.
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DREDRESS_BUILD_BENCHMARKS=ON
//   cmake --build build-bench -j2 --target redress_bench && build-bench/benchmarks/redress_bench
#include <benchmark/benchmark.h>

#include "redress/redress.hpp"

namespace {

const redress::Pack& pack() {
  static const redress::Pack p = redress::Pack::load(std::string(REDRESS_SOURCE_DIR) + "/playbooks");
  return p;
}

// The decision of spec §1's test: three days late, gold customer, `always` to offer.
redress::Case late_gold(bool named) {
  redress::Case c;
  if (named) c.playbook = "delivery_delay";
  c.state = "investigating";
  c.now = redress::Timestamp::parse("2026-11-23T10:00:00Z");
  c.entered_at = redress::Timestamp::parse("2026-11-23T08:00:00Z");
  c.fact("category", redress::Value::string("delivery"))
      .fact("order_id", redress::Value::string("A-1001"))
      .fact("order_value", redress::Value::money(*redress::Money::parse("200.00 EUR")))
      .fact("shipping_fee", redress::Value::money(*redress::Money::parse("4.99 EUR")))
      .fact("days_late", redress::Value::integer(3))
      .fact("tier", redress::Value::string("gold"));
  return c;
}

void BM_evaluate(benchmark::State& state) {
  const redress::Case c = late_gold(true);
  for (auto _ : state) benchmark::DoNotOptimize(pack().evaluate(c));
}
BENCHMARK(BM_evaluate);

// Names bound once: no lookup by name, no parsing of typed values.
void BM_evaluate_bound(benchmark::State& state) {
  const redress::Pack& p = pack();
  const auto pb = *p.playbook_ref("delivery_delay");
  redress::BoundCase c;
  c.playbook = pb;
  c.state = p.state_ref(pb, "investigating");
  c.now = redress::Timestamp::parse("2026-11-23T10:00:00Z");
  c.entered_at = redress::Timestamp::parse("2026-11-23T08:00:00Z");
  c.fact(*p.fact_ref(pb, "category"), redress::Value::string("delivery"))
      .fact(*p.fact_ref(pb, "order_id"), redress::Value::string("A-1001"))
      .fact(*p.fact_ref(pb, "order_value"), redress::Value::money(*redress::Money::parse("200.00 EUR")))
      .fact(*p.fact_ref(pb, "shipping_fee"), redress::Value::money(*redress::Money::parse("4.99 EUR")))
      .fact(*p.fact_ref(pb, "days_late"), redress::Value::integer(3))
      .fact(*p.fact_ref(pb, "tier"), redress::Value::string("gold"));
  for (auto _ : state) benchmark::DoNotOptimize(p.evaluate(c));
}
BENCHMARK(BM_evaluate_bound);

void BM_evaluate_triage(benchmark::State& state) {
  const redress::Case c = late_gold(false);
  for (auto _ : state) benchmark::DoNotOptimize(pack().evaluate(c));
}
BENCHMARK(BM_evaluate_triage);

void BM_evaluate_to_json(benchmark::State& state) {
  const redress::Case c = late_gold(true);
  for (auto _ : state) benchmark::DoNotOptimize(redress::to_json(pack().evaluate(c)));
}
BENCHMARK(BM_evaluate_to_json);

void BM_evaluate_threads(benchmark::State& state) {
  const redress::Case c = late_gold(true);
  for (auto _ : state) benchmark::DoNotOptimize(pack().evaluate(c));
}
BENCHMARK(BM_evaluate_threads)->Threads(1)->Threads(2)->UseRealTime();

// Hot reload: readers of a LivePack copy one shared_ptr (std::atomic_load, a striped lock in
// libstdc++) per evaluation. Compare with BM_evaluate_threads: readers must not serialize.
redress::LivePack& live() {
  static redress::LivePack l(std::string(REDRESS_SOURCE_DIR) + "/playbooks");
  return l;
}

void BM_live_evaluate(benchmark::State& state) {
  const redress::Case c = late_gold(true);
  for (auto _ : state) benchmark::DoNotOptimize(live().evaluate(c));
}
BENCHMARK(BM_live_evaluate)->Threads(1)->Threads(2)->UseRealTime();

void BM_live_current(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(live().current());
}
BENCHMARK(BM_live_current)->Threads(1)->Threads(2)->UseRealTime();

void BM_load_pack(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(redress::Pack::load(std::string(REDRESS_SOURCE_DIR) + "/playbooks"));
}
BENCHMARK(BM_load_pack)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
