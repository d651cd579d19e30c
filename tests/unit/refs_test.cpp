// Refs know their pack (issue #8): a ref taken from one pack and used with another -- or with
// the same files loaded again -- is refused with an EvaluationError, never misread.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "redress/live_pack.hpp"
#include "redress/redress.hpp"

namespace fs = std::filesystem;
using namespace redress;

namespace {

// Two facts of one type, so a ref misread by index would bind silently to the other one.
std::string playbook(const char* first, const char* second) {
  return std::string("redress: 1\nplaybook: orders\nfacts:\n  ") + first + ": int\n  " + second +
         ": int\nstates:\n  open:\n    initial: true\n    always: [{to: big, when: \"late > 5\"}]\n"
         "    on: {close: done}\n  big: {on: {close: done}}\n  done: {terminal: true}\n";
}

struct Dir {
  fs::path path;
  explicit Dir(const std::string& text) {
    static int counter = 0;
    path = fs::temp_directory_path() / ("redress_refs_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
    std::ofstream(path / "orders.yaml") << text;
  }
  ~Dir() { fs::remove_all(path); }
};

BoundCase bound(const Pack& pack, std::int64_t late, std::int64_t items) {
  auto pb = *pack.playbook_ref("orders");
  BoundCase c;
  c.playbook = pb;
  c.now = Timestamp::parse("2026-11-23T10:00:00Z");
  c.fact(*pack.fact_ref(pb, "late"), Value::integer(late)).fact(*pack.fact_ref(pb, "items"), Value::integer(items));
  return c;
}

}  // namespace

TEST_CASE("refs: used with their own pack (or a copy of it) they work") {
  Dir a(playbook("late", "items"));
  const Pack pack = Pack::load(a.path.string());
  const Pack copy = pack;
  CHECK(pack.evaluate(bound(pack, 9, 1)).state == "big");
  CHECK(copy.evaluate(bound(pack, 9, 1)).state == "big");
  CHECK(pack.evaluate(bound(copy, 1, 9)).state == "open");
}

TEST_CASE("refs: a ref from a pack whose facts are in another order is refused, not swapped") {
  Dir a(playbook("late", "items"));
  Dir b(playbook("items", "late"));
  const Pack pack_a = Pack::load(a.path.string());
  const Pack pack_b = Pack::load(b.path.string());
  // late = 1, items = 9: read by index on pack B this would be late = 9, and state "big".
  const BoundCase from_a = bound(pack_a, 1, 9);
  CHECK(pack_a.evaluate(from_a).state == "open");
  CHECK_THROWS_WITH_AS(pack_b.evaluate(from_a), doctest::Contains("PlaybookRef was resolved on another Pack"),
                       EvaluationError);

  // Only the fact refs foreign: still refused.
  BoundCase mixed = bound(pack_b, 1, 9);
  mixed.facts[0].first = from_a.facts[0].first;
  CHECK_THROWS_WITH_AS(pack_b.evaluate(mixed), doctest::Contains("FactRef was resolved on another Pack"), EvaluationError);

  BoundCase state = bound(pack_b, 1, 9);
  state.state = pack_a.state_ref(from_a.playbook, "big");
  CHECK_THROWS_WITH_AS(pack_b.evaluate(state), doctest::Contains("StateRef was resolved on another Pack"), EvaluationError);
  BoundCase event = bound(pack_b, 1, 9);
  event.event = pack_a.event_ref(from_a.playbook, "close");
  CHECK_THROWS_WITH_AS(pack_b.evaluate(event), doctest::Contains("EventRef was resolved on another Pack"), EvaluationError);

  // Resolving names through another pack's PlaybookRef is refused too.
  CHECK_THROWS_WITH_AS(pack_b.fact_ref(from_a.playbook, "late"), doctest::Contains("resolved on another Pack"),
                       EvaluationError);

  // In a batch the refusal is that case's error, in its place.
  auto results = pack_b.evaluate_many(std::vector<BoundCase>{bound(pack_b, 9, 1), from_a, bound(pack_b, 1, 9)});
  REQUIRE(results.size() == 3);
  CHECK(results[0].decision->state == "big");
  CHECK(results[1].error->message().find("resolved on another Pack") != std::string::npos);
  CHECK(results[2].decision->state == "open");
}

TEST_CASE("refs: the same files loaded again are another pack") {
  Dir a(playbook("late", "items"));
  const Pack first = Pack::load(a.path.string());
  const Pack again = Pack::load(a.path.string());
  CHECK(first.fingerprint() == again.fingerprint());
  CHECK_THROWS_WITH_AS(again.evaluate(bound(first, 9, 1)), doctest::Contains("an earlier load of these files"),
                       EvaluationError);

  // A hot reload publishes a new Pack: refs of the old version do not carry over.
  LivePack live(a.path.string());
  const auto v1 = live.current();
  const BoundCase old = bound(v1->pack, 9, 1);
  CHECK(v1->pack.evaluate(old).state == "big");
  REQUIRE(live.reload().swapped);
  CHECK_THROWS_AS(live.current()->pack.evaluate(old), EvaluationError);
  CHECK(v1->pack.evaluate(old).state == "big");  // the old version still answers its own refs
}

TEST_CASE("refs: made by hand, they belong to no pack") {
  Dir a(playbook("late", "items"));
  const Pack pack = Pack::load(a.path.string());
  BoundCase c = bound(pack, 9, 1);
  c.playbook = PlaybookRef{0};
  CHECK_THROWS_WITH_AS(pack.evaluate(c), doctest::Contains("resolved on another Pack"), EvaluationError);
}
