#include "cli/graph.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "eval/pack_internal.hpp"
#include "present/diagram.hpp"
#include "redress/redress.hpp"
#include "util/text.hpp"

namespace redress::cli {

namespace {


bool have_dot() { return std::system("command -v dot >/dev/null 2>&1") == 0; }

// Pipes DOT into `dot -Tsvg`, whose output goes straight to our stdout.
int run_dot(const std::string& dot) {
  std::cout.flush();
  std::fflush(stdout);
  // If dot stops reading early, a failed write is reported below instead of killing us.
  std::signal(SIGPIPE, SIG_IGN);
  FILE* p = popen("dot -Tsvg", "w");
  if (!p) {
    std::cerr << "error: could not start Graphviz's dot\n";
    return kBadInput;
  }
  bool written = std::fwrite(dot.data(), 1, dot.size(), p) == dot.size();
  int status = pclose(p);
  if (!written || status != 0) {
    std::cerr << "error: Graphviz's dot failed to draw this playbook\n";
    return kBadInput;
  }
  return kOk;
}

}  // namespace

int run_graph(const GraphOptions& options) {
  const std::string& path = options.path;
  const std::string& playbook = options.playbook;
  const std::string& format = options.format;
  const std::string& state = options.state;
  if (format != "dot" && format != "mermaid" && format != "svg") {
    std::cerr << "error: unknown format '" << format << "': use dot, mermaid or svg\n";
    return kBadInput;
  }
  // Check for dot before loading, so the message comes first and alone.
  if (format == "svg" && !have_dot()) {
    std::cerr << "error: 'svg' needs Graphviz's dot: install it with 'apt-get install graphviz', or use "
                 "--format dot\n";
    return kBadInput;
  }
  std::optional<Pack> pack;
  try {
    pack = Pack::load(path);
  } catch (const LoadError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string_with_caret() << "\n";
    return kBadInput;
  }

  const detail::CompiledPack& compiled = detail::compiled(*pack);
  std::vector<std::string> ids;
  for (const auto& pb : compiled.playbooks) ids.push_back(pb.id);
  const detail::Playbook* chosen = nullptr;
  if (playbook.empty()) {
    if (compiled.playbooks.size() != 1) {
      std::cerr << "error: " << path << " holds " << ids.size() << " playbooks: choose one with --playbook ("
                << util::join(ids) << ")\n";
      return kBadInput;
    }
    chosen = &compiled.playbooks.front();
  } else {
    for (const auto& pb : compiled.playbooks)
      if (pb.id == playbook) chosen = &pb;
    if (!chosen) {
      std::cerr << "error: no playbook '" << playbook << "' in " << path
                << util::did_you_mean_or_list(playbook, ids, "playbooks:") << "\n";
      return kBadInput;
    }
  }

  present::DiagramOptions diagram;
  if (!state.empty()) {
    std::vector<std::string> names;
    for (const auto& st : chosen->states) names.push_back(st.name);
    bool known = false;
    for (const auto& n : names) known = known || n == state;
    if (!known) {
      std::cerr << "error: playbook '" << chosen->id << "' has no state '" << state << "'"
                << util::did_you_mean_or_list(state, names, "states:") << "\n";
      return kBadInput;
    }
    diagram.highlight = state;
  }

  if (format == "mermaid") {
    std::cout << present::to_mermaid(*chosen, diagram);
    return kOk;
  }
  std::string dot = present::to_dot(*chosen, diagram);
  if (format == "dot") {
    std::cout << dot;
    return kOk;
  }
  return run_dot(dot);
}

}  // namespace redress::cli
