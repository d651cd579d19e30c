// The redress command-line tool (spec §6): lint, eval, test, graph.
// Exit codes: 0 ok, 1 a finding (lint error, test failure), 2 bad usage or bad input.
// Nothing escapes main: every failure is a message on stderr and an exit code.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"
#include "redress/redress.hpp"

namespace redress::cli {

namespace {

int print_load_error(const LoadError& e) {
  std::size_t errors = 0;
  for (const auto& d : e.diagnostics()) {
    std::cerr << d.to_string_with_caret() << "\n";
    errors += d.severity == Severity::Error;
  }
  std::cerr << errors << (errors == 1 ? " error" : " errors") << "\n";
  return 2;
}

bool read_input(const std::string& path, std::string& text) {
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return !in.bad();
}

void print_human(const Decision& d) {
  std::cout << "playbook    " << d.playbook << (d.version.empty() ? "" : " (" + d.version + ")") << "\n";
  std::cout << "state       " << d.state << (d.terminal ? " (terminal)" : "") << "\n";
  if (d.path.size() > 1) {
    std::cout << "path        ";
    for (std::size_t i = 0; i < d.path.size(); ++i) std::cout << (i ? " -> " : "") << d.path[i];
    std::cout << "\n";
  }
  std::cout << "escalation  " << d.escalation.level;
  for (std::size_t i = 0; i < d.escalation.reasons.size(); ++i)
    std::cout << (i ? "; " : " — ") << d.escalation.reasons[i];
  std::cout << "\n";
  const Compensation& c = d.compensation;
  std::cout << "compensation " << c.total.to_string() << (c.capped ? " (capped)" : "");
  if (c.approval) std::cout << ", needs " << *c.approval << (c.approved ? " (approved by level)" : " approval");
  if (c.held) std::cout << ", HELD: " << c.hold_reason.value_or("");
  std::cout << "\n";
  for (const auto& item : c.items) std::cout << "  " << item.id << " (" << item.kind << ") " << item.amount.to_string() << "\n";
  std::cout << "actions\n";
  for (const auto& a : d.actions) {
    std::cout << "  " << a.action;
    if (a.due_at) std::cout << " by " << a.due_at->to_string() << (a.overdue ? " OVERDUE" : "");
    if (a.to) std::cout << " [" << *a.to << "]";
    std::cout << "\n";
    if (a.options) {
      std::cout << "    options:";
      for (const auto& o : *a.options) std::cout << " " << o;
      std::cout << "\n";
    }
    if (a.say) std::cout << "    say: " << *a.say << "\n";
  }
  for (const auto& w : d.warnings) std::cout << "warning: " << w << "\n";
  for (const auto& t : d.trace) std::cout << "trace " << t.at << " " << t.what << " " << t.expr << " = " << t.value.to_display() << "\n";
}

}  // namespace

int run_lint(const std::vector<std::string>& paths, bool strict, const std::string& format) {
  std::vector<Diagnostic> diags;
  std::size_t playbooks = 0;
  try {
    Pack pack = Pack::load(paths);
    diags = pack.warnings();
    playbooks = pack.playbooks().size();
  } catch (const LoadError& e) {
    diags = e.diagnostics();
  }
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : diags) (d.severity == Severity::Error ? errors : warnings)++;
  if (format == "json") {
    std::cout << diagnostics_json(diags) << "\n";
  } else {
    for (const auto& d : diags) std::cerr << d.to_string_with_caret() << "\n";
    if (errors == 0) std::cout << "ok: " << playbooks << (playbooks == 1 ? " playbook" : " playbooks") << ", ";
    std::cout << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
              << (warnings == 1 ? " warning" : " warnings") << "\n";
  }
  return errors || (strict && warnings) ? 1 : 0;
}

int run_eval(const std::string& path, const std::string& case_path, bool json, bool trace,
             const std::string& playbook, const std::string& state, const std::string& event) {
  Pack pack = Pack::load(path);
  std::string text;
  if (!read_input(case_path, text)) {
    std::cerr << "error: " << case_path << ": cannot read the case file\n";
    return 2;
  }
  Case c = parse_case(text, case_path == "-" ? "<stdin>" : case_path);
  if (!playbook.empty()) c.playbook = playbook;
  if (!state.empty()) c.state = state;
  if (!event.empty()) c.event = event;
  EvaluateOptions options;
  options.trace = trace;
  options.clock = true;  // spec §6: a case without `now` is evaluated at the current time
  Decision d = pack.evaluate(c, options);
  if (json) std::cout << to_json(d, JsonOptions{true}) << "\n";
  else print_human(d);
  return 0;
}

int main_impl(int argc, char** argv) {
  CLI::App app{"redress: YAML conflict playbooks evaluated into decisions", "redress"};
  app.set_version_flag("--version", std::string(version_string()));
  app.require_subcommand(1);

  auto* lint = app.add_subcommand("lint", "Load and check playbooks; print FILE:LINE:COL: error|warning: message");
  std::vector<std::string> lint_paths;
  bool strict = false;
  std::string format = "text";
  lint->add_option("paths", lint_paths, "Playbook files or pack directories")->required();
  lint->add_flag("--strict", strict, "Fail (exit 1) on warnings too");
  lint->add_option("--format", format, "Output format")->check(CLI::IsMember({"text", "json"}));

  auto* eval = app.add_subcommand("eval", "Evaluate a case and print the decision");
  std::string eval_path, case_path, playbook, state, event;
  bool json = false, trace = false;
  eval->add_option("path", eval_path, "A playbook file or a pack directory")->required();
  eval->add_option("--case", case_path, "The case as JSON or YAML ('-' reads stdin)")->required();
  eval->add_flag("--json", json, "Print the decision as JSON (spec §5)");
  eval->add_flag("--trace", trace, "Include every guard and rule evaluated, with its location");
  eval->add_option("--playbook", playbook, "Override the case's playbook id");
  eval->add_option("--state", state, "Override the case's current state");
  eval->add_option("--event", event, "Override the case's event");

  auto* test = app.add_subcommand("test", "Run playbook tests; the last line is 'N passed, M failed'");
  std::vector<std::string> test_paths;
  std::string filter;
  test->add_option("paths", test_paths, "Playbook files or pack directories")->required();
  test->add_option("--filter", filter, "Run only tests whose playbook id or name contains this text");
  bool coverage = false, require_coverage = false;
  test->add_flag("--coverage", coverage, "Report the states, transitions and rules the tests exercise");
  test->add_flag("--require-coverage", require_coverage, "Like --coverage, and fail (exit 1) when anything is not exercised");

  auto* graph = app.add_subcommand("graph", "Draw a playbook's state machine (dot, mermaid or svg)");
  std::string graph_path, graph_playbook, graph_format = "dot", graph_state;
  graph->add_option("path", graph_path, "A playbook file or a pack directory")->required();
  graph->add_option("--playbook", graph_playbook, "The playbook to draw (default: the pack's only one)");
  graph->add_option("--format", graph_format, "Output format")->check(CLI::IsMember({"dot", "mermaid", "svg"}));
  graph->add_option("--state", graph_state, "Highlight this state (e.g. a case's current state)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    if (*lint) return run_lint(lint_paths, strict, format);
    if (*eval) return run_eval(eval_path, case_path, json, trace, playbook, state, event);
    if (*test) return run_test(test_paths, filter, coverage, require_coverage);
    if (*graph) return run_graph(graph_path, graph_playbook, graph_format, graph_state);
  } catch (const LoadError& e) {
    return print_load_error(e);
  } catch (const EvaluationError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  return 2;
}

}  // namespace redress::cli

int main(int argc, char** argv) {
  try {
    return redress::cli::main_impl(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("error: out of memory\n", stderr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  } catch (...) {
    std::fputs("error: unexpected failure\n", stderr);
  }
  return 2;
}
