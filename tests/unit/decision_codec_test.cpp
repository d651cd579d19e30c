// One codec of the Decision (issue #8): equality field by field, lossless bytes, and the JSON
// events a binding builds from -- all walks of one description of the fields.
#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "redress/redress.hpp"
#include "test_support.hpp"

using namespace redress;

namespace {

const Pack& bundled() {
  static const Pack pack = Pack::load(std::string(REDRESS_SOURCE_DIR) + "/playbooks");
  return pack;
}

// Every example case of the repository, evaluated with a trace: decisions of every shape.
std::vector<Decision> decisions() {
  std::vector<Decision> out;
  EvaluateOptions traced;
  traced.trace = true;
  for (const auto& dir : {"/examples/cases", "/tests/vectors"})
    for (const auto& e : std::filesystem::directory_iterator(std::string(REDRESS_SOURCE_DIR) + dir)) {
      std::string name = e.path().filename().string();
      if (name.find(".expected") != std::string::npos || e.path().extension() == ".error") continue;
      try {
        Case c = parse_case(test_support::read(e.path()), name);
        if (!c.now) c.now = Timestamp::parse("2026-11-23T10:00:00Z");
        out.push_back(bundled().evaluate(c, traced));
        out.push_back(bundled().evaluate(c));
      } catch (const EvaluationError&) {
      }
    }
  return out;
}

// Rebuilds the JSON text from the events, to prove they carry everything to_json prints.
class Echo final : public JsonSink {
 public:
  void begin_object() override { value("{"); first_ = true; }
  void key(std::string_view name) override { sep(); text_ += "\"" + std::string(name) + "\": "; after_key_ = true; }
  void end_object() override { text_ += "}"; first_ = false; }
  void begin_array() override { value("["); first_ = true; }
  void end_array() override { text_ += "]"; first_ = false; }
  void string(std::string_view s) override { value(quoted(s)); first_ = false; }
  void number(std::string_view t) override { value(std::string(t)); first_ = false; }
  void boolean(bool b) override { value(b ? "true" : "false"); first_ = false; }
  void null() override { value("null"); first_ = false; }
  std::string text_;

 private:
  static std::string quoted(std::string_view s) {
    std::string q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') q += '\\';
      if (c == '\n') { q += "\\n"; continue; }
      q += c;
    }
    return q + "\"";
  }
  void sep() {
    if (!first_) text_ += ", ";
    first_ = false;
  }
  void value(const std::string& v) {
    if (!after_key_ && !text_.empty()) sep();
    after_key_ = false;
    text_ += v;
  }
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace

TEST_CASE("decision codec: equal to itself and its copy, unequal after any one change") {
  const auto all = decisions();
  REQUIRE(all.size() >= 6);
  const Decision& d = all.front();
  REQUIRE(d.has_trace);
  REQUIRE_FALSE(d.actions.empty());
  REQUIRE_FALSE(d.compensation.items.empty());
  REQUIRE_FALSE(d.trace.empty());
  Decision copy = d;
  CHECK(copy == d);
  CHECK_FALSE(copy != d);
  CHECK(all[1] != d);  // the same case without its trace

  std::vector<std::pair<const char*, std::function<void(Decision&)>>> changes = {
      {"state", [](Decision& x) { x.state += "x"; }},
      {"terminal", [](Decision& x) { x.terminal = !x.terminal; }},
      {"path", [](Decision& x) { x.path.push_back("again"); }},
      {"action due_at", [](Decision& x) { x.actions[0].due_at = Timestamp{1}; }},
      {"action overdue", [](Decision& x) { x.actions[0].overdue = !x.actions[0].overdue; }},
      {"escalation rank", [](Decision& x) { x.escalation.rank += 1; }},
      {"item amount", [](Decision& x) { x.compensation.items[0].amount.amount = Decimal::from_int(12345); }},
      {"item basis", [](Decision& x) {
         auto& b = x.compensation.items[0].basis;
         b = b == Basis::Owed ? Basis::Goodwill : Basis::Owed;
       }},
      {"sign_off", [](Decision& x) { x.compensation.sign_off = SignOff{"manager", "ana", Timestamp{0}, std::nullopt}; }},
      {"payable", [](Decision& x) { x.compensation.payable.amount = Decimal::from_int(1); }},
      {"to_close", [](Decision& x) { x.to_close.reset(); }},
      {"warnings", [](Decision& x) { x.warnings.push_back("w"); }},
      {"has_trace", [](Decision& x) { x.has_trace = false; }},
      {"trace location", [](Decision& x) { x.trace[0].at.column += 1; }},
      // Same JSON ("3"), another kind: equality is by field, not by text.
      {"trace value kind", [](Decision& x) { x.trace[0].value = Value::integer(3); }},
  };
  for (auto& [what, change] : changes) {
    CAPTURE(what);
    Decision changed = d;
    change(changed);
    CHECK(changed != d);
  }
  Decision three = d, three_again = d;
  three.trace[0].value = Value::integer(3);
  three_again.trace[0].value = Value::number(Decimal::from_int(3));
  CHECK(to_json(three) == to_json(three_again));
  CHECK(three != three_again);
}

TEST_CASE("decision codec: bytes round-trip every field, JSON and equality alike") {
  for (const auto& d : decisions()) {
    std::string bytes = encode_decision(d);
    Decision back = decode_decision(bytes);
    CHECK(back == d);
    CHECK(to_json(back) == to_json(d));
    CHECK(encode_decision(back) == bytes);
  }
  Decision empty;
  CHECK(decode_decision(encode_decision(empty)) == empty);
}

TEST_CASE("decision codec: bytes it did not make are refused, never misread") {
  const Decision d = decisions().front();
  const std::string bytes = encode_decision(d);
  CHECK_THROWS_WITH_AS(decode_decision(""), doctest::Contains("no Decision header"), std::invalid_argument);
  CHECK_THROWS_AS(decode_decision("{\"playbook\": \"x\"}"), std::invalid_argument);
  std::string other_version = bytes;
  other_version[4] = 9;
  CHECK_THROWS_WITH_AS(decode_decision(other_version), doctest::Contains("version 9"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(decode_decision(bytes + "x"), doctest::Contains("bytes left"), std::invalid_argument);
  // Bytes of a library whose Decision has other fields (the description's hash differs).
  std::string other_fields = bytes;
  other_fields[5] = static_cast<char>(other_fields[5] ^ 0x01);
  CHECK_THROWS_WITH_AS(decode_decision(other_fields), doctest::Contains("other fields"), std::invalid_argument);
  for (std::size_t n = 0; n < bytes.size(); ++n) CHECK_THROWS_AS(decode_decision(bytes.substr(0, n)), std::invalid_argument);
  // Any single byte changed: refused, or read as some other valid Decision; never a crash.
  std::size_t refused = 0;
  for (std::size_t i = 5; i < bytes.size(); ++i)
    for (unsigned char flip : {0x01, 0x80, 0xFF}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ flip);
      try {
        (void)to_json(decode_decision(bad));
      } catch (const std::invalid_argument&) {
        ++refused;
      }
    }
  CHECK(refused > 0);
}

TEST_CASE("decision codec: the JSON events carry exactly what to_json prints") {
  for (const auto& d : decisions()) {
    Echo echo;
    write_json(d, echo);
    CHECK(echo.text_ == to_json(d));
  }
}
