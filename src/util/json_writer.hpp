// A small JSON writer with a fixed key order, so the same Decision gives the same bytes.
#pragma once

#include <string>
#include <string_view>

namespace redress::util {

class JsonWriter {
 public:
  explicit JsonWriter(bool pretty) : pretty_(pretty) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& string(std::string_view s);
  JsonWriter& raw(std::string_view literal);  // a number, true, false, null
  JsonWriter& boolean(bool b) { return raw(b ? "true" : "false"); }
  JsonWriter& null() { return raw("null"); }

  const std::string& str() const { return out_; }

  static void escape(std::string& out, std::string_view s);

 private:
  void before_value();
  void newline();

  std::string out_;
  bool pretty_;
  int depth_ = 0;
  bool first_ = true;      // no element yet in the current container
  bool after_key_ = false;
};

}  // namespace redress::util
