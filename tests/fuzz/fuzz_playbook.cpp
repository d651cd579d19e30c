// libFuzzer target: any bytes as a playbook file must load or fail with diagnostics — never
// crash, hang or throw anything else. Loaded playbooks are evaluated once too.
//   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DREDRESS_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target fuzz_playbook && build-fuzz/tests/fuzz/fuzz_playbook -max_total_time=60
#include <cstdint>
#include <fstream>
#include <string>
#include <unistd.h>

#include "redress/redress.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/redress_fuzz_" + std::to_string(::getpid()) + ".yaml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    redress::Pack pack = redress::Pack::load(path);
    for (const auto& pb : pack.playbooks()) {
      redress::Case c;
      c.playbook = pb.id;
      c.now = redress::Timestamp::from_civil(2026, 11, 23, 10);
      for (const auto& f : pb.facts) c.fact(f.name, redress::Value::string("1"));
      try {
        (void)redress::to_json(pack.evaluate(c, redress::EvaluateOptions{true, false}));
      } catch (const redress::EvaluationError&) {
      }
    }
  } catch (const redress::LoadError& e) {
    if (e.diagnostics().empty()) __builtin_trap();  // a load error always says why
  }
  return 0;
}
