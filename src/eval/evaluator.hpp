// One evaluation: the frame of slot values, the scratch space and the Decision being built.
// Lives on the caller's stack; the compiled pack is only read.
#pragma once

#include <vector>

#include "compile/compiled.hpp"
#include "redress/decision.hpp"

namespace redress::detail {

class Evaluator {
 public:
  Evaluator(Timestamp now, bool trace) : now_(now), trace_(trace) {}

  Decision evaluate(const CompiledPack& pack, const Case& c);
  // Triage only: the playbook this case goes to.
  const Playbook& pick(const CompiledPack& pack, const Case& c);

 private:
  std::string bind(const Playbook& pb, const Case& c, bool collect_warnings);
  Val run(const Program& p, const char* what);
  bool holds(const std::optional<Program>& when, const char* what);
  bool truth(const Val& v, const Program& p);
  void compensate(const Playbook& pb, int rung);
  std::string render(const Playbook& pb, const Action& a, const ActionOut& out);

  Timestamp now_;
  bool trace_;
  std::vector<Val> slots_;
  expr::Scratch scratch_;
  Decision decision_;
};

}  // namespace redress::detail
