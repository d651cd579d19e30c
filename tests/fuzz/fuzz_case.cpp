// libFuzzer target: any bytes as a case file (JSON or YAML) against the bundled pack must give
// a Decision or an EvaluationError — never a crash, a hang or another exception.
#include <cstdint>
#include <string>

#include "redress/redress.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const redress::Pack pack = redress::Pack::load(REDRESS_SOURCE_DIR "/playbooks");
  try {
    redress::Case c = redress::parse_case(std::string(reinterpret_cast<const char*>(data), size));
    if (!c.now) c.now = redress::Timestamp::from_civil(2026, 11, 23, 10);
    redress::EvaluateOptions traced;
    traced.trace = true;
    (void)redress::to_json(pack.evaluate(c, traced));
  } catch (const redress::EvaluationError&) {
  }
  return 0;
}
