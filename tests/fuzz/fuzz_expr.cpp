// libFuzzer target: any bytes as an expression (spec §3), compiled against a scope with a fact
// of every type, then — when it compiles — evaluated against fact values the input picks. Must
// give a value or an EvalError: never a crash, a hang or an exception.
//
// Input: EXPRESSION [ '\0' VALUE-BYTES ]. Each value byte picks one of a few edge values for
// the fact of the same index (null for optional facts, 0, negative, huge, empty text, …);
// without value bytes every fact takes its first, ordinary value.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expr.hpp"
#include "redress/location.hpp"
#include "time/calendar.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"

namespace {

using namespace redress;
using namespace redress::expr;

Decimal dec(const char* s) { return *Decimal::parse(s); }

struct Fact {
  Symbol symbol;
  std::vector<Val> choices;  // choices[0] is the ordinary value
};

// The case's time over a Moscow office calendar, a closed pause and an open one (issue #10).
class FuzzClock final : public Clock {
 public:
  explicit FuzzClock(Timestamp now) : now_(now) {
    detail::Calendar::Week week;
    for (std::size_t d = 0; d < 5; ++d) week[d].push_back(detail::OpenHours{9 * 60, 18 * 60});
    calendar_ = detail::Calendar(*detail::TimeZone::locate("Europe/Moscow"), week, {});
    pauses_ = detail::normalize({{Timestamp{now.micros - 3600000000LL * 30}, Timestamp{now.micros - 3600000000LL * 20}},
                                 {Timestamp{now.micros + 3600000000LL * 500}, detail::end_of_time()}});
  }
  std::optional<Timestamp> entered_at() override { return Timestamp{now_.micros - 3600000000LL * 50}; }
  Timestamp after(Timestamp from, Unit unit, std::int64_t amount) override {
    detail::Span span;
    if (unit == Unit::BusinessDays) {
      span.unit = detail::Span::Unit::BusinessDays;
      span.days = amount;
    } else {
      span.unit = unit == Unit::Wall ? detail::Span::Unit::Wall : detail::Span::Unit::BusinessHours;
      span.amount = Duration{amount};
    }
    return detail::advance(calendar_, from, span, pauses_);
  }
  Duration business_time(Timestamp from, Timestamp to) override {
    if (to < from) return Duration{-calendar_.between(to, from, pauses_).micros};
    return calendar_.between(from, to, pauses_);
  }
  bool overdue(std::uint32_t action) override { return action == 0; }
  void changes_at(Timestamp) override {}

 private:
  Timestamp now_;
  detail::Calendar calendar_ = detail::Calendar::always_open();
  std::vector<detail::Interval> pauses_;
};

struct Env {
  Scope scope;
  std::vector<Fact> facts;
  std::vector<std::string> tags{"vip", "repeat"}, no_tags{};
  std::vector<std::string> many_tags = std::vector<std::string>(300, "x");
  std::string long_text = std::string(4096, 'a');
  Timestamp now = Timestamp::from_civil(2026, 11, 23, 10);

  void add(const char* name, Type t, std::vector<Val> choices, bool nullable = false) {
    Fact f;
    f.symbol.name = name;
    f.symbol.type = t;
    f.symbol.slot = static_cast<std::uint32_t>(facts.size());
    f.symbol.nullable = nullable;
    if (nullable) choices.push_back(Val::null());
    f.choices = std::move(choices);
    scope.symbols.push_back(f.symbol);
    facts.push_back(std::move(f));
  }

  Env() {
    scope.state_clock = true;
    scope.actions = {"acknowledge", "status_update"};
    scope.enums.push_back({"tier", {"standard", "silver", "gold"}});
    scope.enums.push_back({"emotion", {"calm", "upset", "aggressive"}});
    const std::uint16_t eur = Currency::find("EUR")->index(), usd = Currency::find("USD")->index(),
                        jpy = Currency::find("JPY")->index();
    Type eur_t{VType::Money}, usd_t{VType::Money}, jpy_t{VType::Money}, tier{VType::Enum},
        emotion{VType::Enum};
    eur_t.currency = eur;
    usd_t.currency = usd;
    jpy_t.currency = jpy;
    tier.enum_id = 0;
    emotion.enum_id = 1;
    const Decimal big = dec("99999999999999999999999999"), tiny = dec("0.0000000001");
    const std::int64_t max = INT64_MAX, min = INT64_MIN;
    add("days_late", {VType::Int},
        {Val::integer(Decimal::from_int(3)), Val::integer(Decimal::from_int(0)),
         Val::integer(Decimal::from_int(-1)), Val::integer(big)});
    add("contacts", {VType::Int}, {Val::integer(Decimal::from_int(1))}, true);
    add("outage_hours", {VType::Number},
        {Val::number(dec("2.5")), Val::number(Decimal::from_int(0)), Val::number(tiny),
         Val::number(big)});
    add("order_value", eur_t,
        {Val::money(dec("200.00"), eur), Val::money(Decimal::from_int(0), eur),
         Val::money(dec("-0.01"), eur), Val::money(big, eur)});
    add("shipping_fee", eur_t, {Val::money(dec("4.99"), eur)}, true);
    add("usd_value", usd_t, {Val::money(dec("50"), usd)});
    add("yen", jpy_t, {Val::money(dec("1000"), jpy)});
    add("tier", tier, {Val::enumeration(2, "gold"), Val::enumeration(0, "standard")});
    add("emotion", emotion, {Val::enumeration(1, "upset")}, true);
    add("category", {VType::String},
        {Val::string("delivery"), Val::string(""), Val::string("Привет, Ёжик"),
         Val::string(long_text), Val::string("2026-11-23T10:00:00Z")});
    add("note", {VType::String}, {Val::string("Hello")}, true);
    add("reported_at", {VType::Datetime},
        {Val::datetime(now.micros - 3600000000LL * 72), Val::datetime(max), Val::datetime(min),
         Val::datetime(0)});
    add("delivered_at", {VType::Datetime}, {Val::datetime(now.micros)}, true);
    add("wait", {VType::Duration},
        {Val::duration(7200000000LL), Val::duration(0), Val::duration(max), Val::duration(min)});
    add("legal_threat", {VType::Bool}, {Val::boolean(false), Val::boolean(true)});
    add("tags", {VType::List},
        {Val::list_of(&tags), Val::list_of(&no_tags), Val::list_of(&many_tags)});
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Env env;
  static const FileId file = redress::detail::intern_source_file("fuzz.yaml");
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view text = input.substr(0, input.find('\0'));
  std::string_view picks = text.size() < input.size() ? input.substr(text.size() + 1) : std::string_view();

  std::vector<Diagnostic> diags;
  auto program = compile(text, SourceMap::single_line(file, 1, 1, text.size()), env.scope, diags);
  if (!program) {
    if (diags.empty()) __builtin_trap();  // a refused expression always says why
    return 0;
  }
  std::vector<Val> slots;
  for (std::size_t i = 0; i < env.facts.size(); ++i) {
    const auto& choices = env.facts[i].choices;
    std::size_t pick = i < picks.size() ? static_cast<unsigned char>(picks[i]) % choices.size() : 0;
    slots.push_back(choices[pick]);
  }
  Scratch scratch;
  Val out;
  EvalError err;
  static FuzzClock clock(env.now);  // one thread: libFuzzer runs one input at a time
  if (evaluate(*program, slots.data(), env.now, scratch, out, err, &clock)) {
    (void)display(out);
  } else if (err.message.empty()) {
    __builtin_trap();  // an evaluation error always says why
  }
  return 0;
}
