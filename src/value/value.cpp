// Display text of fact values (see value.hpp).
#include "redress/value.hpp"

#include <string>

namespace redress {

std::string Value::to_display() const {
  switch (kind_) {
    case Kind::Null: return "null";
    case Kind::Bool: return bool_ ? "true" : "false";
    case Kind::Int:
    case Kind::Number: return number_.to_string();
    case Kind::Money: return as_money().to_string();
    case Kind::String: return "'" + text_ + "'";
    case Kind::Datetime: return as_datetime().to_string();
    case Kind::Duration: return as_duration().to_string();
    case Kind::List: {
      std::string out = "[";
      for (std::size_t i = 0; i < list_.size(); ++i) {
        if (i != 0) out += ", ";
        out += list_[i];
      }
      out += ']';
      return out;
    }
  }
  return "null";
}

const char* to_string(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::Null: return "null";
    case Value::Kind::Bool: return "bool";
    case Value::Kind::Int: return "int";
    case Value::Kind::Number: return "number";
    case Value::Kind::Money: return "money";
    case Value::Kind::String: return "string";
    case Value::Kind::Datetime: return "datetime";
    case Value::Kind::Duration: return "duration";
    case Value::Kind::List: return "list";
  }
  return "null";
}

}  // namespace redress
