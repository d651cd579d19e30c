// The cost of redress's paths, measured with Google Benchmark. Timing lives here, never in tests.
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DREDRESS_BUILD_BENCHMARKS=ON
//   cmake --build build-bench -j2 --target redress_bench
//   build-bench/benchmarks/redress_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//
// Every benchmark reports `allocs`: heap allocations per iteration, counted by the operator new
// of this binary (a thread-local count, so threads do not share a counter).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>
#include <unistd.h>
#include <string>

#include "redress/redress.hpp"

namespace {

thread_local std::size_t t_allocations = 0;
// Bytes held by live allocations (malloc_usable_size), across threads: the pack's footprint.
std::atomic<long long> g_live_bytes{0};

}  // namespace

void* operator new(std::size_t size) {
  void* p = std::malloc(size ? size : 1);
  if (!p) throw std::bad_alloc();
  ++t_allocations;
  g_live_bytes.fetch_add(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed);
  return p;
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return operator new(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p) noexcept {
  if (!p) return;
  g_live_bytes.fetch_sub(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }

namespace {

const std::string kPackDir = std::string(REDRESS_SOURCE_DIR) + "/playbooks";

const redress::Pack& pack() {
  static const redress::Pack p = redress::Pack::load(kPackDir);
  return p;
}

// Counts this thread's allocations over the benchmark loop; reports them per iteration.
class AllocationCounter {
 public:
  explicit AllocationCounter(benchmark::State& state) : state_(state), start_(t_allocations) {}
  ~AllocationCounter() {
    state_.counters["allocs"] =
        benchmark::Counter(static_cast<double>(t_allocations - start_), benchmark::Counter::kAvgIterations);
  }

 private:
  benchmark::State& state_;
  std::size_t start_;
};

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

const char* const kLateGoldJson =
    R"({"playbook":"delivery_delay","state":"investigating","now":"2026-11-23T10:00:00Z",)"
    R"("entered_at":"2026-11-23T08:00:00Z","facts":{"category":"delivery","order_id":"A-1001",)"
    R"("order_value":"200.00 EUR","shipping_fee":"4.99 EUR","days_late":3,"tier":"gold"}})";

// Names bound once: no lookup by name, no parsing of typed values.
redress::BoundCase late_gold_bound(const redress::Pack& p = pack()) {
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
  return c;
}

void BM_evaluate_bound(benchmark::State& state) {
  const redress::BoundCase c = late_gold_bound();
  const redress::Pack& p = pack();
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(p.evaluate(c));
}
BENCHMARK(BM_evaluate_bound)->Threads(1)->Threads(2)->UseRealTime();

// One Decision reused (Pack::evaluate_into): sized by a first evaluation, then counted.
template <class AnyCase>
void evaluate_into_loop(benchmark::State& state, const redress::Pack& p, const AnyCase& c,
                        const redress::EvaluateOptions& options = {}) {
  redress::Decision d;
  p.evaluate_into(c, d, options);  // the first evaluation sizes the Decision's storage
  AllocationCounter allocs(state);
  for (auto _ : state) {
    p.evaluate_into(c, d, options);
    benchmark::DoNotOptimize(d);
  }
}

// After the first evaluation, no allocation at all but the business calendar's (below).
void BM_evaluate_into_bound(benchmark::State& state) { evaluate_into_loop(state, pack(), late_gold_bound()); }
BENCHMARK(BM_evaluate_into_bound)->Threads(1)->Threads(2)->UseRealTime();

// The same decision without business hours: the peers' frozen first edition (benchmarks/peers/
// pack), whose deadlines are plain durations. The bundled second edition's business-hour
// deadlines walk src/time's calendar, whose Calendar::day_hours returns a vector per day it
// looks at: a few allocations per evaluation that are not the Decision's.
void BM_evaluate_into_bound_24h(benchmark::State& state) {
  static const redress::Pack p = redress::Pack::load(std::string(REDRESS_SOURCE_DIR) + "/benchmarks/peers/pack");
  evaluate_into_loop(state, p, late_gold_bound(p));
}
BENCHMARK(BM_evaluate_into_bound_24h);

void BM_evaluate_into_bound_trace(benchmark::State& state) {
  redress::EvaluateOptions options;
  options.trace = true;
  evaluate_into_loop(state, pack(), late_gold_bound(), options);
}
BENCHMARK(BM_evaluate_into_bound_trace);

void BM_evaluate_into_case(benchmark::State& state) { evaluate_into_loop(state, pack(), late_gold(true)); }
BENCHMARK(BM_evaluate_into_case);

void BM_evaluate_bound_trace(benchmark::State& state) {
  const redress::BoundCase c = late_gold_bound();
  const redress::Pack& p = pack();
  redress::EvaluateOptions options;
  options.trace = true;
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(p.evaluate(c, options));
}
BENCHMARK(BM_evaluate_bound_trace);

void BM_evaluate_case(benchmark::State& state) {
  const redress::Case c = late_gold(true);
  const redress::Pack& p = pack();
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(p.evaluate(c));
}
BENCHMARK(BM_evaluate_case)->Threads(1)->Threads(2)->UseRealTime();

void BM_evaluate_case_trace(benchmark::State& state) {
  const redress::Case c = late_gold(true);
  const redress::Pack& p = pack();
  redress::EvaluateOptions options;
  options.trace = true;
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(p.evaluate(c, options));
}
BENCHMARK(BM_evaluate_case_trace);

// An event: the customer accepts the offer (offer -> resolved).
void BM_evaluate_event(benchmark::State& state) {
  redress::Case c = late_gold(true);
  c.state = "offer";
  c.event = "accepted";
  const redress::Pack& p = pack();
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(p.evaluate(c));
}
BENCHMARK(BM_evaluate_event);

// No playbook named: triage tries each playbook's `match` in priority order.
void BM_evaluate_triage(benchmark::State& state) {
  const redress::Case c = late_gold(false);
  const redress::Pack& p = pack();
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(p.evaluate(c));
}
BENCHMARK(BM_evaluate_triage);

// What a CRM integration and the CLI do per case: JSON text in, JSON text out.
void BM_json_text_to_json(benchmark::State& state) {
  const std::string text = kLateGoldJson;
  const redress::Pack& p = pack();
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(redress::to_json(p.evaluate(redress::parse_case(text))));
}
BENCHMARK(BM_json_text_to_json)->Threads(1)->Threads(2)->UseRealTime();

// One JSON Lines line (redress batch, eval --jsonl, Python's evaluate_jsonl): a single case,
// read, evaluated into the thread's reused Decision and written.
void BM_json_line(benchmark::State& state) {
  const std::string text = kLateGoldJson;
  const redress::Pack& p = pack();
  const redress::JsonLinesOptions options;
  std::string out;
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(redress::evaluate_json_line(p, text, 1, options, out));
}
BENCHMARK(BM_json_line);

void BM_parse_case_json(benchmark::State& state) {
  const std::string text = kLateGoldJson;
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(redress::parse_case(text));
}
BENCHMARK(BM_parse_case_json);

// Hot reload: readers of a LivePack copy one shared_ptr (std::atomic_load, a striped lock in
// libstdc++) per evaluation. Compare with BM_evaluate_case: readers must not serialize.
redress::LivePack& live() {
  static redress::LivePack l(std::string(REDRESS_SOURCE_DIR) + "/playbooks");
  return l;
}

void BM_live_evaluate(benchmark::State& state) {
  const redress::Case c = late_gold(true);
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(live().evaluate(c));
}
BENCHMARK(BM_live_evaluate)->Threads(1)->Threads(2)->UseRealTime();

void BM_live_current(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(live().current());
}
BENCHMARK(BM_live_current)->Threads(1)->Threads(2)->UseRealTime();

void BM_to_json(benchmark::State& state) {
  const redress::Decision d = pack().evaluate(late_gold(true));
  AllocationCounter allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(redress::to_json(d));
}
BENCHMARK(BM_to_json);

std::uintmax_t yaml_bytes(const std::string& dir) {
  std::uintmax_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".yaml") n += e.file_size();
  return n;
}

// Loading the bundled pack, with the memory the compiled pack keeps against its YAML's size.
void BM_load_bundled_pack(benchmark::State& state) {
  long long kept = 0;
  AllocationCounter allocs(state);
  for (auto _ : state) {
    long long before = g_live_bytes.load();
    redress::Pack p = redress::Pack::load(kPackDir);
    kept = g_live_bytes.load() - before;
    benchmark::DoNotOptimize(p);
  }
  state.counters["pack_bytes"] = static_cast<double>(kept);
  state.counters["yaml_bytes"] = static_cast<double>(yaml_bytes(kPackDir));
  state.counters["pack_per_yaml_byte"] = static_cast<double>(kept) / static_cast<double>(yaml_bytes(kPackDir));
}
BENCHMARK(BM_load_bundled_pack)->Unit(benchmark::kMillisecond);

// 1 000 playbooks: the bundled delivery_delay under 1 000 ids, beside the bundled pack.yaml.
const std::string& generated_pack_dir() {
  static const std::string dir = [] {
    namespace fs = std::filesystem;
    fs::path d = fs::temp_directory_path() / ("redress-bench-1000-" + std::to_string(::getpid()));
    fs::create_directories(d);
    fs::copy_file(kPackDir + "/pack.yaml", d / "pack.yaml", fs::copy_options::overwrite_existing);
    std::ifstream in(kPackDir + "/delivery_delay.yaml");
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    const std::string id = "playbook: delivery_delay";
    for (int i = 0; i < 1000; ++i) {
      std::string copy = text;
      copy.replace(copy.find(id), id.size(), id + "_" + std::to_string(i));
      std::ofstream(d / ("delivery_delay_" + std::to_string(i) + ".yaml")) << copy;
    }
    std::atexit([] { std::filesystem::remove_all(generated_pack_dir()); });
    return d.string();
  }();
  return dir;
}

void BM_load_1000_playbooks(benchmark::State& state) {
  const std::string& dir = generated_pack_dir();
  long long kept = 0;
  for (auto _ : state) {
    long long before = g_live_bytes.load();
    redress::Pack p = redress::Pack::load(dir);
    kept = g_live_bytes.load() - before;
    benchmark::DoNotOptimize(p);
  }
  state.counters["pack_bytes"] = static_cast<double>(kept);
  state.counters["yaml_bytes"] = static_cast<double>(yaml_bytes(dir));
}
BENCHMARK(BM_load_1000_playbooks)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
