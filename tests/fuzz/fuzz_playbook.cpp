// libFuzzer target: any bytes as a playbook file must load or fail with diagnostics — never
// crash, hang or throw anything else. Loaded playbooks are evaluated once too.
// Built and run as docs/reliability.md describes; tests/fuzz/regressions/playbook/ replays
// every input that once failed, in the normal test suite.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "redress/redress.hpp"
#include "redress/testing.hpp"

namespace {
// A directory of our own, so that no pack.yaml lying in /tmp joins the playbook.
const std::string& playbook_path() {
  static const std::string path = [] {
    std::string dir = "/tmp/redress_fuzz_XXXXXX";
    if (!::mkdtemp(dir.data())) std::abort();
    return dir + "/playbook.yaml";
  }();
  return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = playbook_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    redress::Pack pack = redress::Pack::load(path);
    // The playbook's own `tests:` carry whole cases (state, event, now, facts, pauses, done,
    // timezone, sign_offs, paid) and expectations: run them as `redress test` does.
    (void)redress::run_tests(pack);
    for (const auto& pb : pack.playbooks()) {
      redress::Case c;
      c.playbook = pb.id;
      c.now = redress::Timestamp::from_civil(2026, 11, 23, 10);
      for (const auto& f : pb.facts) c.fact(f.name, redress::Value::string("1"));
      try {
        redress::EvaluateOptions traced;
        traced.trace = true;
        (void)redress::to_json(pack.evaluate(c, traced));
      } catch (const redress::EvaluationError&) {
      }
    }
  } catch (const redress::LoadError& e) {
    if (e.diagnostics().empty()) __builtin_trap();  // a load error always says why
  }
  return 0;
}
