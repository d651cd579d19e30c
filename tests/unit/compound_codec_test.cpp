// The CompoundDecision's equality and bytes (what Python's == and pickle use): walks of the one
// description of its fields (compound_fields.hpp), as the Decision's are.
#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "redress/redress.hpp"
#include "test_support.hpp"

using namespace redress;

TEST_CASE("a CompoundDecision compares field by field and round-trips through its bytes") {
  const std::filesystem::path dir = std::filesystem::path(REDRESS_SOURCE_DIR) / "tests" / "compound";
  const Pack pack = Pack::load((dir / "pack").string());
  const Case c = parse_case(test_support::read(dir / "late_and_overcharged.json"), "late_and_overcharged.json");
  EvaluateOptions traced;
  traced.trace = true;
  const CompoundDecision d = pack.evaluate_compound(c, traced);
  CHECK(d == pack.evaluate_compound(c, traced));
  CHECK(d != pack.evaluate_compound(c));  // the parts' traces differ
  CompoundDecision other = d;
  REQUIRE(other.compensation.items.size() > 1);
  REQUIRE(other.compensation.items[1].covered_by);
  other.compensation.items[1].covered_by.reset();
  CHECK(other != d);
  other = d;
  other.states[0].state = "resolved";
  CHECK(other != d);

  const std::string bytes = encode_compound_decision(d);
  const CompoundDecision back = decode_compound_decision(bytes);
  CHECK(back == d);
  CHECK(to_json(back) == to_json(d));
  // A Decision's bytes are not a CompoundDecision's, nor the other way round.
  CHECK_THROWS_WITH_AS(decode_compound_decision(encode_decision(d.parts[0])), doctest::Contains("no CompoundDecision header"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(decode_decision(bytes), doctest::Contains("no Decision header"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(decode_compound_decision(bytes + "x"), doctest::Contains("bytes left"), std::invalid_argument);
  for (std::size_t n = 0; n < bytes.size(); n += 7)
    CHECK_THROWS_AS(decode_compound_decision(bytes.substr(0, n)), std::invalid_argument);
}
