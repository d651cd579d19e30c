// Replay's core (include/redress/replay.hpp): a summary is the same however the stream is split,
// threaded or merged, it survives bytes losslessly, hostile bytes are refused; CSV rows read as
// the case they describe.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "redress/csv_cases.hpp"
#include "redress/redress.hpp"
#include "redress/replay.hpp"

using namespace redress;

namespace {

const Pack& fixture() {
  static const Pack pack = Pack::load(std::string(REDRESS_SOURCE_DIR) + "/tests/fixtures/pack_first_edition");
  return pack;
}

// Delivery-delay cases over a range of values and days late, with a malformed line every 97.
std::string stream(int n) {
  std::string text;
  for (int i = 1; i <= n; ++i) {
    if (i % 97 == 0) {
      text += "{\"facts\": \n";
      continue;
    }
    text += "{\"playbook\":\"delivery_delay\",\"state\":\"investigating\",\"now\":\"2026-11-23T10:00:00Z\",\"entered_at\":\"2026-11-23T08:00:00Z\","
            "\"facts\":{\"order_id\":\"C-" + std::to_string(i) + "\",\"order_value\":\"" + std::to_string(i * 37 % 9000) +
            ".25 EUR\",\"days_late\":" + std::to_string(i % 25) + ",\"tier\":\"" + (i % 7 == 0 ? "gold" : "standard") +
            "\"}}\n";
  }
  return text;
}

// The first edition with the delivery-delay cap raised from 100 to 150 EUR, in a temporary directory.
const Pack& raised_cap() {
  static const Pack pack = [] {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("redress_replay_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const auto& entry : fs::directory_iterator(std::string(REDRESS_SOURCE_DIR) + "/tests/fixtures/pack_first_edition")) {
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const std::string from = "min(order_value, 100 EUR) : 100 EUR", to = "min(order_value, 150 EUR) : 150 EUR";
      if (std::size_t at = text.find(from); at != std::string::npos) text.replace(at, from.size(), to);
      std::ofstream(dir / entry.path().filename()) << text;
    }
    Pack p = Pack::load(dir.string());
    fs::remove_all(dir);
    return p;
  }();
  return pack;
}

}  // namespace

TEST_CASE("replay: the summary of a stream does not depend on threads, chunks or merge order") {
  const std::string text = stream(1500);
  ReplayOptions options;
  options.threads = 1;
  ReplaySummary whole;
  std::string diff1;
  replay_lines(fixture(), fixture(), text, 1, options, nullptr, whole, diff1);
  CHECK(whole.cases == 1500);
  CHECK(whole.errors == 15);
  CHECK(whole.changed == 0);
  CHECK(whole.first_errors.size() == ReplaySummary::kKeptErrors);
  CHECK(whole.first_errors.front().line == 97);

  options.threads = 2;
  ReplaySummary threaded;
  replay_lines(fixture(), fixture(), text, 1, options, nullptr, threaded, diff1);
  CHECK(threaded == whole);

  // Two halves, merged second-first.
  std::size_t cut = text.find('\n', text.size() / 2) + 1;
  std::uint64_t first_of_second = 1 + static_cast<std::uint64_t>(std::count(text.begin(), text.begin() + cut, '\n'));
  ReplaySummary a, b;
  replay_lines(fixture(), fixture(), std::string_view(text).substr(0, cut), 1, options, nullptr, a, diff1);
  replay_lines(fixture(), fixture(), std::string_view(text).substr(cut), first_of_second, options, nullptr, b, diff1);
  b.merge(a);
  CHECK(b == whole);
}

TEST_CASE("replay: a summary survives its bytes; other bytes are refused") {
  const std::string text = stream(400);
  ReplayOptions options;
  options.diff = true;
  ReplaySummary s;
  std::string diff;
  replay_lines(fixture(), raised_cap(), text, 1, options, nullptr, s, diff);
  CHECK(s.errors == 4);
  CHECK(s.changed > 0);
  CHECK(s.top_cases.size() == ReplaySummary::kKeptCases);
  const std::string bytes = encode_summary(s);
  CHECK(decode_summary(bytes) == s);
  CHECK(to_json(decode_summary(bytes)) == to_json(s));
  CHECK_THROWS_AS(decode_summary(""), std::invalid_argument);
  CHECK_THROWS_AS(decode_summary(bytes.substr(0, bytes.size() / 2)), std::invalid_argument);
  CHECK_THROWS_AS(decode_summary(bytes + "x"), std::invalid_argument);
  std::string flipped = bytes;
  flipped[4] = 9;  // another version
  CHECK_THROWS_AS(decode_summary(flipped), std::invalid_argument);
  for (std::size_t i = 5; i < bytes.size(); i += 7) {  // corrupt bytes: refused or read, never a crash
    std::string corrupt = bytes;
    corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
    try {
      (void)decode_summary(corrupt);
    } catch (const std::invalid_argument&) {
    }
  }
}

TEST_CASE("replay: merging adds money exactly") {
  ReplaySummary a, b;
  a.currencies["EUR"].before = *Decimal::parse("0.10");
  b.currencies["EUR"].before = *Decimal::parse("0.20");
  a.merge(b);
  CHECK(a.currencies["EUR"].before == *Decimal::parse("0.3"));
}

TEST_CASE("replay: CSV rows are cases") {
  CsvCases csv("case_id,playbook,state,now,order_value,note,days_late", "cases.csv");
  Case c = csv.read("c1,delivery_delay,,2026-11-23T10:00:00Z,\"1,200.00 EUR\",\"say \"\"hi\"\"\",3", 2);
  CHECK(c.playbook == "delivery_delay");
  CHECK(c.state.empty());
  CHECK(c.now == Timestamp::parse("2026-11-23T10:00:00Z"));
  REQUIRE(c.facts.size() == 3);
  CHECK(c.facts[0].first == "order_value");
  CHECK(c.facts[0].second.as_string() == "1,200.00 EUR");
  CHECK(c.facts[1].second.as_string() == "say \"hi\"");
  CHECK(c.facts[2].second.as_string() == "3");

  auto error_of = [&](const char* row) {
    try {
      csv.read(row, 7);
    } catch (const EvaluationError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("c1,delivery_delay") == "cases.csv:7:1: the row has 2 fields; the header has 7");
  CHECK(error_of("c1,x,,yesterday,,,") == "cases.csv:7:7: 'now' is 'yesterday', not a time like 2026-11-23T10:00:00Z");
  CsvCases zoned("case_id,timezone", "zoned.csv");
  CHECK(zoned.read("c1,Europe/Moscow", 2).timezone == "Europe/Moscow");
  try {
    zoned.read("c1,Europe/Moskow", 3);
    FAIL("an unknown zone reads");
  } catch (const EvaluationError& e) {
    CHECK(std::string(e.what()) == "zoned.csv:3:4: 'timezone': unknown time zone 'Europe/Moskow' (did you mean 'Europe/Moscow'?)");
  }
  CHECK(error_of("c1,\"x,,,,,") == "cases.csv:7:4: a quoted field is not closed on its line (a case is one line)");
  CHECK_THROWS_AS(CsvCases("a,,b", "h.csv"), EvaluationError);
  CHECK_THROWS_AS(CsvCases("", "h.csv"), EvaluationError);
}
