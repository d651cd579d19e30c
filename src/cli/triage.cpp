#include "cli/triage.hpp"

#include <iostream>

#include "cli/common.hpp"
#include "redress/pack.hpp"
#include "util/json_writer.hpp"

namespace redress::cli {

int run_triage(const TriageOptions& options) {
  Pack pack = Pack::load(options.paths);
  Case c;
  if (int rc = read_case(options.case_path, options.now, c); rc != kOk) return rc;
  EvaluateOptions evaluate;
  evaluate.clock = true;
  const std::string id = pack.triage(c, evaluate);
  if (!options.json) {
    std::cout << id << "\n";
    return kOk;
  }
  util::JsonWriter w(false);
  w.begin_object().key("playbook").string(id);
  for (const auto& p : pack.playbooks())
    if (p.id == id) w.key("version").string(p.version).key("fingerprint").string(p.fingerprint);
  w.end_object();
  std::cout << w.str() << "\n";
  return kOk;
}

}  // namespace redress::cli
