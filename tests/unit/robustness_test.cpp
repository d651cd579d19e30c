// Hostile input never crashes, hangs or escapes as anything but LoadError / EvaluationError.
// Deterministic mutations of real playbooks and cases (a cheap, always-on cousin of fuzzing).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include "redress/redress.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

std::string mutate(std::string s, std::mt19937& rng) {
  std::uniform_int_distribution<int> op(0, 5);
  int edits = 1 + static_cast<int>(rng() % 4);
  static const char* tokens[] = {"{", "}", "[", "]", ":", "- ", "\"", "'", "&a ", "*a", "\n  ", "#", "!!str ",
                                 "when: ", "(", ")", " and ", "null", "1e999", "99999999999999999999999999999",
                                 "\xff", "\xc3", "{{", "}}", "{x}", "EUR", "%", "?"};
  for (int e = 0; e < edits && !s.empty(); ++e) {
    std::size_t pos = rng() % s.size();
    switch (op(rng)) {
      case 0: s.erase(pos, 1 + rng() % 8); break;
      case 1: s.insert(pos, tokens[rng() % (sizeof(tokens) / sizeof(*tokens))]); break;
      case 2: s[pos] = static_cast<char>(rng() % 256); break;
      case 3: s.resize(pos); break;
      case 4: s.insert(pos, s.substr(rng() % s.size(), 1 + rng() % 40)); break;
      default: std::swap(s[pos], s[rng() % s.size()]); break;
    }
  }
  return s;
}

}  // namespace

TEST_CASE("robustness: mutated playbooks load or fail with located diagnostics") {
  const std::string original =
      test_support::read(fs::path(REDRESS_SOURCE_DIR) / "tests" / "golden" / "ok" / "spec_example" / "delivery_delay.yaml");
  fs::path dir = fs::temp_directory_path() / ("redress_robust_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::mt19937 rng(20261123);
  int loaded = 0, rejected = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string text = mutate(original, rng);
    std::ofstream(dir / "p.yaml", std::ios::binary | std::ios::trunc) << text;
    try {
      Pack pack = Pack::load((dir / "p.yaml").string());
      ++loaded;
      // A playbook that still loads must still evaluate or fail cleanly.
      Case c;
      c.now = Timestamp::parse("2026-11-23T10:00:00Z");
      c.fact("category", Value::string("delivery")).fact("order_id", Value::string("X"))
          .fact("order_value", Value::string("200 EUR")).fact("days_late", Value::integer(3))
          .fact("reported_at", Value::string("2026-11-20T09:00:00Z"));
      try { (void)to_json(pack.evaluate(c)); } catch (const EvaluationError&) {}
    } catch (const LoadError& e) {
      ++rejected;
      REQUIRE_FALSE(e.diagnostics().empty());
      for (const auto& d : e.diagnostics()) {
        CHECK_FALSE(d.message.empty());
        (void)d.to_string_with_caret();
      }
    }
  }
  fs::remove_all(dir);
  CHECK(loaded + rejected == 1000);
  CHECK(rejected > 400);
}

TEST_CASE("robustness: mutated cases parse or fail with an EvaluationError") {
  const std::string original =
      test_support::read(fs::path(REDRESS_SOURCE_DIR) / "examples" / "cases" / "late_gold.json");
  Pack pack = Pack::load((fs::path(REDRESS_SOURCE_DIR) / "tests" / "golden" / "ok" / "spec_example").string());
  std::mt19937 rng(7);
  int ok = 0, failed = 0;
  for (int i = 0; i < 2000; ++i) {
    try {
      Case c = parse_case(mutate(original, rng));
      (void)to_json(pack.evaluate(c));
      ++ok;
    } catch (const EvaluationError& e) {
      CHECK(std::string(e.what()).size() > 0);
      ++failed;
    }
  }
  CHECK(ok + failed == 2000);
  CHECK(failed > 500);
}
