// The JsonSink that writes a Decision's JSON (spec §5) into a JsonWriter: to_json's, and the
// explanation's, where the Decision nests inside a larger document.
#pragma once

#include "redress/decision.hpp"
#include "util/json_writer.hpp"

namespace redress::detail {

class WriterSink final : public JsonSink {
 public:
  explicit WriterSink(util::JsonWriter& w) : w_(w) {}
  void begin_object() override { w_.begin_object(); }
  void key(std::string_view name) override { w_.key(name); }
  void end_object() override { w_.end_object(); }
  void begin_array() override { w_.begin_array(); }
  void end_array() override { w_.end_array(); }
  void string(std::string_view text) override { w_.string(text); }
  void number(std::string_view text) override { w_.raw(text); }
  void boolean(bool value) override { w_.boolean(value); }
  void null() override { w_.null(); }

 private:
  util::JsonWriter& w_;
};

}  // namespace redress::detail
