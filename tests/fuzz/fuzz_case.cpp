// libFuzzer target: any bytes as a case file (JSON or YAML) against the bundled pack must give
// a Decision or an EvaluationError — never a crash, a hang or another exception.
// Every field parse_case reads reaches evaluation (spec §4, §6): playbook, state, entered_at,
// event, now, facts, and for money sign_offs and paid, for time pauses, done and timezone. The
// seeds in tests/fuzz/seeds/case/ give each of them (valid and broken), the dictionary names
// them, and each case is evaluated twice: as given, and with unknown facts as errors.
#include <cstdint>
#include <string>

#include "redress/redress.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const redress::Pack pack = redress::Pack::load(REDRESS_SOURCE_DIR "/playbooks");
  redress::Case c;
  try {
    c = redress::parse_case(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const redress::EvaluationError&) {
    return 0;
  }
  if (!c.now) c.now = redress::Timestamp::from_civil(2026, 11, 23, 10);
  for (bool strict : {false, true}) {
    try {
      redress::EvaluateOptions options;
      options.trace = !strict;
      options.strict_facts = strict;
      (void)redress::to_json(pack.evaluate(c, options));
    } catch (const redress::EvaluationError&) {
    }
  }
  return 0;
}
