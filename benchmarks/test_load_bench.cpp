// Loading a pack's tests (issue #12): a test file of N tests must load in time linear in N. Each
// test used to be read from a new YAML map of its case keys, and every node copied into it
// merged its whole document's node set along: 5000 compound tests took 414 s to load, 5000
// single tests over a minute. Now (RelWithDebInfo, 2 cores, load 7) 4000 of each load in 0.32 s of
// CPU (2000: 0.15 s), and the complexity fit says O(N).
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DREDRESS_BUILD_BENCHMARKS=ON
//   cmake --build build-bench -j2 --target redress_test_load_bench && build-bench/benchmarks/redress_test_load_bench
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "redress/redress.hpp"

namespace fs = std::filesystem;

namespace {

// tests/compound/pack's playbooks with `n` compound tests (pack.test.yaml) and `n` single tests
// of delivery_delay, in a fresh directory.
fs::path pack_with_tests(long n) {
  const fs::path src = fs::path(REDRESS_SOURCE_DIR) / "tests" / "compound" / "pack";
  const fs::path dir = fs::temp_directory_path() / ("redress_test_load_bench_" + std::to_string(n));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* f : {"pack.yaml", "delivery_delay.yaml", "wrong_invoice.yaml"}) fs::copy(src / f, dir / f);
  std::ofstream compound(dir / "pack.test.yaml"), single(dir / "delivery_delay.test.yaml");
  compound << "tests:\n";
  single << "tests:\n";
  for (long i = 0; i < n; ++i) {
    compound << "  - {name: t" << i << ", triage: all, now: \"2026-11-23T10:00:00Z\", facts: {days_late: " << i % 5
             << ", order_value: \"80.00 EUR\", overcharge: \"" << i % 7 << " EUR\"}, expect: {level: agent}}\n";
    single << "  - {name: t" << i << ", now: \"2026-11-23T10:00:00Z\", facts: {days_late: " << i % 5
           << ", order_value: \"80.00 EUR\"}, expect: {state: open}}\n";
  }
  return dir;
}

void BM_LoadTests(benchmark::State& state) {
  const fs::path dir = pack_with_tests(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(redress::Pack::load(dir.string()));
  state.SetComplexityN(state.range(0));
  fs::remove_all(dir);
}
BENCHMARK(BM_LoadTests)->Arg(500)->Arg(1000)->Arg(2000)->Arg(4000)->Unit(benchmark::kMillisecond)->Complexity();

}  // namespace

BENCHMARK_MAIN();
