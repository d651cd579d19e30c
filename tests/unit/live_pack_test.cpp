// Hot reload (issue #9): a LivePack serves many threads while its playbook is rewritten and
// reloaded hundreds of times, valid and broken versions alternating. Every decision must be
// exactly its version's answer; a broken version never serves. Run under the tsan preset too.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "redress/live_pack.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

using test_support::TempDir;

// A playbook whose every answer carries its version number k: version "k", and a refund of
// k EUR per unit of the fact n.
std::string valid_version(int k) {
  return "redress: 1\nplaybook: live\nversion: \"" + std::to_string(k) +
         "\"\ncurrency: EUR\nfacts:\n  n: int\nstates:\n"
         "  open: {initial: true, on: {close: closed}}\n  closed: {terminal: true}\n"
         "compensation:\n  rules:\n    - {id: refund, kind: refund, amount: \"" +
         std::to_string(k) + " EUR * n\"}\n";
}

// Broken in two ways, in turn: an unknown name (a checker error) and malformed YAML.
std::string broken_version(int k) {
  if ((k / 2) % 2) return valid_version(k).replace(valid_version(k).find("* n"), 3, "* nn");
  return valid_version(k) + "states: [unclosed\n";
}

// Replaces the file in one rename, as a deployment would.
void publish(const fs::path& file, const std::string& text) {
  fs::path tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
  }
  fs::rename(tmp, file);
}

Case unit_case(long long n) {
  Case c;
  c.now = Timestamp::parse("2026-11-23T10:00:00Z");
  c.fact("n", Value::integer(n));
  return c;
}

}  // namespace

TEST_CASE("LivePack: a reload swaps in the new version and a failed one keeps the old and says why") {
  TempDir dir("live");
  const fs::path file = dir.path / "live.yaml";
  publish(file, valid_version(1));
  LivePack live(dir.path.string());
  auto first = live.current();
  CHECK(first->generation == 1);
  CHECK(live.evaluate(unit_case(2)).compensation.total.to_string() == "2.00 EUR");

  publish(file, valid_version(7));
  ReloadResult ok = live.reload();
  CHECK(ok.swapped);
  CHECK(ok.generation == 2);
  CHECK(ok.fingerprint == live.current()->pack.fingerprint());
  CHECK(ok.fingerprint != first->pack.fingerprint());
  Decision d = live.evaluate(unit_case(2));
  CHECK(d.version == "7");
  CHECK(d.compensation.total.to_string() == "14.00 EUR");
  // A version held by a reader stays whole after the swap.
  CHECK(first->pack.evaluate(unit_case(2)).version == "1");

  publish(file, broken_version(3));
  ReloadResult bad = live.reload();
  CHECK_FALSE(bad.swapped);
  CHECK(bad.generation == 2);
  CHECK(bad.fingerprint == ok.fingerprint);
  REQUIRE_FALSE(bad.diagnostics.empty());
  CHECK(bad.diagnostics[0].severity == Severity::Error);
  CHECK(bad.diagnostics[0].line() > 0);
  CHECK(bad.diagnostics[0].message.find("'nn'") != std::string::npos);
  CHECK(live.evaluate(unit_case(2)).version == "7");

  // reload(paths) moves to another directory only when it loads.
  TempDir other("live");
  publish(other.path / "live.yaml", valid_version(9));
  CHECK_FALSE(live.reload({(dir.path / "missing").string()}).swapped);
  CHECK(live.sources() == std::vector<std::string>{dir.path.string()});
  ReloadResult moved = live.reload({other.path.string()});
  CHECK(moved.swapped);
  CHECK(moved.generation == 3);
  CHECK(live.sources() == std::vector<std::string>{other.path.string()});
  CHECK(live.evaluate(unit_case(1)).version == "9");
}

TEST_CASE("LivePack: the first load fails like Pack::load") {
  TempDir dir("live");
  publish(dir.path / "live.yaml", broken_version(1));
  CHECK_THROWS_AS(LivePack(dir.path.string()), LoadError);
}

TEST_CASE("LivePack stress: 8 threads evaluate while the pack is reloaded hundreds of times") {
  TempDir dir("live");
  const fs::path file = dir.path / "live.yaml";
  publish(file, valid_version(1));
  LivePack live(dir.path.string());

  std::atomic<bool> stop{false};
  std::atomic<long> evaluations{0}, wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&, t] {
      std::uint64_t last_generation = 0;
      const long long n = t + 1;
      while (!stop.load(std::memory_order_relaxed)) {
        // Half the readers hold a version explicitly, half use the convenience call.
        std::shared_ptr<const LiveVersion> v = live.current();
        Decision d = t % 2 ? v->pack.evaluate(unit_case(n)) : live.evaluate(unit_case(n));
        const long long k = std::atoll(d.version.c_str());
        const std::string expected = std::to_string(k * n) + ".00 EUR";
        bool good = k > 0 && k % 2 == 1 && d.compensation.total.to_string() == expected &&
                    v->generation >= last_generation;
        // A held version answers with its own playbook: same version and fingerprint.
        if (t % 2) good = good && d.version == v->pack.playbooks()[0].version &&
                          d.fingerprint == v->pack.playbooks()[0].fingerprint;
        if (!good) wrong.fetch_add(1);
        last_generation = v->generation;
        evaluations.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }

  // Odd k: valid versions; even k: broken ones, which must never serve.
  int reloads = 0, swapped = 0, refused = 0;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::steady_clock::now() - start; };
  for (int k = 2; (elapsed() < std::chrono::seconds(2) || reloads < 200) &&
                  elapsed() < std::chrono::seconds(60);
       ++k) {
    const bool valid = k % 2 == 1;
    publish(file, valid ? valid_version(k) : broken_version(k));
    ReloadResult r = live.reload();
    ++reloads;
    if (r.swapped != valid) wrong.fetch_add(1);
    if (r.swapped) {
      ++swapped;
      if (live.current()->pack.playbooks()[0].version != std::to_string(k)) wrong.fetch_add(1);
    } else {
      ++refused;
      if (r.diagnostics.empty() || r.diagnostics[0].line() == 0) wrong.fetch_add(1);
    }
  }
  stop = true;
  for (auto& t : readers) t.join();

  MESSAGE(reloads << " reloads (" << swapped << " swapped, " << refused << " refused), "
                  << evaluations.load() << " evaluations");
  CHECK(wrong.load() == 0);
  CHECK(reloads >= 200);
  CHECK(swapped >= 100);
  CHECK(refused >= 100);
  CHECK(evaluations.load() > 0);
  CHECK(live.current()->generation == static_cast<std::uint64_t>(swapped + 1));
}
