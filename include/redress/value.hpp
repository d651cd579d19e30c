// A fact value as a caller hands it to redress (a Case's facts).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "redress/decimal.hpp"
#include "redress/money.hpp"
#include "redress/time.hpp"

namespace redress {

class Value {
 public:
  enum class Kind : std::uint8_t { Null, Bool, Int, Number, Money, String, Datetime, Duration, List };

  Value() = default;  // null
  static Value null() { return Value(); }
  static Value boolean(bool b) { Value v; v.kind_ = Kind::Bool; v.bool_ = b; return v; }
  static Value integer(std::int64_t i) { Value v; v.kind_ = Kind::Int; v.number_ = Decimal::from_int(i); return v; }
  // An exact decimal. Integral decimals are accepted where an `int` fact is declared.
  static Value number(Decimal d) { Value v; v.kind_ = Kind::Number; v.number_ = d; return v; }
  static Value money(Money m) { Value v; v.kind_ = Kind::Money; v.number_ = m.amount; v.currency_ = m.currency; return v; }
  // Strings also carry values of other fact types in text form ("12.50 EUR", "2026-11-23T10:00:00Z",
  // "3h", "42"); they are converted against the fact's declaration.
  static Value string(std::string s) { Value v; v.kind_ = Kind::String; v.text_ = std::move(s); return v; }
  static Value datetime(Timestamp t) { Value v; v.kind_ = Kind::Datetime; v.time_ = t.micros; return v; }
  static Value duration(Duration d) { Value v; v.kind_ = Kind::Duration; v.time_ = d.micros; return v; }
  static Value list(std::vector<std::string> items) { Value v; v.kind_ = Kind::List; v.list_ = std::move(items); return v; }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool as_bool() const { return bool_; }
  Decimal as_decimal() const { return number_; }  // Int, Number, Money amount
  Money as_money() const { return Money{number_, currency_}; }
  const std::string& as_string() const { return text_; }
  Timestamp as_datetime() const { return Timestamp{time_}; }
  Duration as_duration() const { return Duration{time_}; }
  const std::vector<std::string>& as_list() const { return list_; }

  // A short text of the value for messages and traces: 42, 12.50 EUR, 'text', [a, b], null.
  std::string to_display() const;

 private:
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  Currency currency_;
  Decimal number_;
  std::int64_t time_ = 0;
  std::string text_;
  std::vector<std::string> list_;
};

const char* to_string(Value::Kind kind);

}  // namespace redress
