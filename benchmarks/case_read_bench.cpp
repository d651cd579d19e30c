// Reading a case from JSON text (issue #14 item 1): redress's reader (simdjson On Demand) against
// the YAML path it replaced for JSON and against nlohmann-json, the other Debian JSON library,
// each building the same redress::Case. The figures behind the choice in src/case/json_case.cpp.
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DREDRESS_BUILD_BENCHMARKS=ON
//   cmake --build build-bench -j2 --target redress_case_bench && build-bench/benchmarks/redress_case_bench
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "redress/redress.hpp"

namespace {

// The bundled example cases (JSON), then 5 000 generated delivery cases of 12 facts.
const std::vector<std::string>& bundled() {
  static const std::vector<std::string> cases = [] {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(std::string(REDRESS_SOURCE_DIR) + "/examples/cases")) {
      if (e.path().extension() != ".json") continue;
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
    return out;
  }();
  return cases;
}

const std::vector<std::string>& generated() {
  static const std::vector<std::string> cases = [] {
    std::vector<std::string> out;
    std::mt19937 rng(42);
    const char* tiers[] = {"standard", "silver", "gold"};
    for (int i = 0; i < 5000; ++i) {
      char b[1024];
      std::snprintf(b, sizeof b,
                    R"({"playbook":"delivery_delay","state":"investigating","now":"2026-11-23T10:00:00Z",)"
                    R"("entered_at":"2026-11-23T08:%02d:00Z","facts":{"category":"delivery","order_id":"A-%d",)"
                    R"("order_value":"%d.%02d EUR","shipping_fee":%d.%02d,"days_late":%d,"tier":"%s","contacts":%d,)"
                    R"("claims_90d":%d,"reported_at":"2026-11-20T09:00:00Z","emotion":"calm","note":null,"express":%s}})",
                    static_cast<int>(rng() % 60), static_cast<int>(rng() % 100000), static_cast<int>(rng() % 2000),
                    static_cast<int>(rng() % 100), static_cast<int>(rng() % 10), static_cast<int>(rng() % 100),
                    static_cast<int>(rng() % 15), tiers[rng() % 3], static_cast<int>(rng() % 5),
                    static_cast<int>(rng() % 4), rng() % 2 ? "true" : "false");
      out.emplace_back(b);
    }
    return out;
  }();
  return cases;
}

const std::vector<std::string>& inputs(const benchmark::State& state) { return state.range(0) == 0 ? bundled() : generated(); }

// nlohmann's SAX interface (its fastest), keeping each number's text like redress does.
struct Sax : nlohmann::json_sax<nlohmann::json> {
  redress::Case& c;
  int depth = 0;
  std::string key_;
  bool in_facts = false;
  explicit Sax(redress::Case& out) : c(out) {}
  void put(redress::Value v) {
    if (in_facts) c.facts.emplace_back(key_, std::move(v));
  }
  bool null() override { put(redress::Value::null()); return true; }
  bool boolean(bool b) override { put(redress::Value::boolean(b)); return true; }
  bool number_integer(number_integer_t v) override { put(redress::Value::integer(v)); return true; }
  bool number_unsigned(number_unsigned_t v) override { put(redress::Value::number(*redress::Decimal::parse(std::to_string(v)))); return true; }
  bool number_float(number_float_t, const string_t& s) override {
    if (auto d = redress::Decimal::parse(s)) put(redress::Value::number(*d));
    return true;
  }
  bool string(string_t& s) override {
    if (in_facts) { put(redress::Value::string(s)); return true; }
    if (key_ == "playbook") c.playbook = s;
    else if (key_ == "state") c.state = s;
    else if (key_ == "event") c.event = s;
    else if (key_ == "now") c.now = redress::Timestamp::parse(s);
    else if (key_ == "entered_at") c.entered_at = redress::Timestamp::parse(s);
    return true;
  }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    if (++depth == 2 && key_ == "facts") in_facts = true;
    return true;
  }
  bool end_object() override {
    if (depth-- == 2) in_facts = false;
    return true;
  }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool key(string_t& k) override { key_ = k; return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
};

void BM_redress_json(benchmark::State& state) {
  const auto& cases = inputs(state);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(redress::parse_case(cases[i++ % cases.size()], "c.json"));
}
BENCHMARK(BM_redress_json)->Arg(0)->Arg(1);

void BM_yaml_path(benchmark::State& state) {
  const auto& cases = inputs(state);
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(redress::parse_case(cases[i++ % cases.size()], "c.json", redress::CaseFormat::Yaml));
}
BENCHMARK(BM_yaml_path)->Arg(0)->Arg(1);

void BM_nlohmann_sax(benchmark::State& state) {
  const auto& cases = inputs(state);
  std::size_t i = 0;
  for (auto _ : state) {
    redress::Case c;
    Sax sax(c);
    nlohmann::json::sax_parse(cases[i++ % cases.size()], &sax);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_nlohmann_sax)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
