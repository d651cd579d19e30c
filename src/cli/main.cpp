// The redress command-line tool (spec §6): wires each command's options to CLI11 and runs it.
// A command lives in its own file (cli/lint, eval, triage, test, graph, serve): an options
// struct and a run function. Exit codes: 0 ok, 1 a finding (lint error, test failure), 2 bad
// usage or bad input. Nothing escapes main: every failure is a message on stderr and an exit code.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "cli/batch.hpp"
#include "cli/common.hpp"
#include "cli/eval.hpp"
#include "cli/explain.hpp"
#include "cli/graph.hpp"
#include "cli/lint.hpp"
#include "cli/replay.hpp"
#include "cli/serve.hpp"
#include "cli/test.hpp"
#include "cli/triage.hpp"
#include "redress/redress.hpp"

namespace redress::cli {

namespace {

constexpr const char* kExitCodes =
    "\nExit codes: 0 ok; 1 a finding (a lint error, a failing test, missing coverage);\n"
    "2 bad usage or bad input (a load error, an unreadable case, an evaluation error).\n"
    "Without PATH a command uses the pack installed with redress (share/redress/playbooks,\n"
    "or $REDRESS_DATA_DIR/playbooks).";

std::string footer(const char* examples) { return std::string("\nExamples:\n") + examples + kExitCodes; }

// --playbook, --state, --event: what eval, explain and batch may override in the case(s) they
// read ("the case's", or "each case's" for a stream).
void add_overrides(CLI::App* cmd, const std::string& whose, std::string& playbook, std::string& state,
                   std::string& event) {
  cmd->add_option("--playbook", playbook, "Override " + whose + " playbook id");
  cmd->add_option("--state", state, "Override " + whose + " current state");
  cmd->add_option("--event", event, "Override " + whose + " event");
}

int main_impl(int argc, char** argv) {
  CLI::App app{"redress: YAML conflict playbooks evaluated into decisions", "redress"};
  app.set_version_flag("--version", std::string(version_string()));
  app.require_subcommand(1);
  app.footer(footer("  redress lint playbooks/\n"
                    "  redress eval playbooks/ --case case.json\n"
                    "  redress serve playbooks/ --port 8080\n"
                    "Run `redress COMMAND --help` for a command's options and examples."));

  LintOptions lint;
  auto* lint_cmd = app.add_subcommand("lint", "Load and check playbooks; print FILE:LINE:COL: error|warning: message");
  lint_cmd->add_option("paths", lint.paths, "Playbook files or pack directories (default: the bundled pack)");
  lint_cmd->add_flag("--strict", lint.strict, "Fail (exit 1) on warnings too");
  lint_cmd->add_option("--format", lint.format, "Output format")->check(CLI::IsMember({"text", "json"}));
  lint_cmd->footer(footer("  redress lint playbooks/                  # every problem, with a caret\n"
                          "  redress lint --strict playbooks/a.yaml   # warnings fail too\n"
                          "  redress lint --format json playbooks/    # findings as a JSON array"));

  EvalOptions eval;
  auto* eval_cmd = app.add_subcommand("eval", "Evaluate a case and print the decision");
  eval_cmd->add_option("path", eval.path, "A playbook file or a pack directory (default: the bundled pack)");
  auto* eval_case = eval_cmd->add_option("--case", eval.case_path, "The case as JSON or YAML ('-' reads stdin)");
  std::string eval_jsonl;
  eval_cmd->add_option("--jsonl", eval_jsonl, "Many cases, one JSON object per line ('-' reads stdin): as `redress batch`")
      ->excludes(eval_case);
  eval_cmd->add_option("--now", eval.now, "Evaluate at this time (2026-11-23T10:00:00Z), not the case's `now`");
  eval_cmd->add_flag("--json", eval.json,
                     "Print the decision as JSON (spec §5): one line when stdout is not a terminal");
  eval_cmd->add_flag("--pretty", eval.pretty, "With --json: indented, even in a pipe");
  eval_cmd->add_flag("--trace", eval.trace, "Include every guard and rule evaluated, with its location");
  eval_cmd->add_flag("--strict-facts", eval.strict_facts,
                     "A case fact the playbook does not declare is an error, not a warning");
  add_overrides(eval_cmd, "the case's", eval.playbook, eval.state, eval.event);
  eval_cmd->add_option("--triage", eval.triage,
                       "'all': evaluate every playbook that matches and merge them into one compound decision")
      ->check(CLI::IsMember({"first", "all"}));
  eval_cmd->footer(footer("  redress eval playbooks/ --case examples/cases/late_gold.json\n"
                          "  redress eval playbooks/ --case case.yaml --now 2026-11-24T09:00:00Z --trace\n"
                          "  redress eval playbooks/ --case - --json < case.json | jq .state\n"
                          "  redress eval playbooks/ --case case.json --state offer --event accepted\n"
                          "  redress eval playbooks/ --case two_conflicts.json --triage all   # one compound decision"));

  ExplainCommandOptions explain;
  auto* explain_cmd = app.add_subcommand("explain", "Explain a decision: why, why not, what would change it, what if");
  explain_cmd->add_option("path", explain.path, "A playbook file or a pack directory (default: the bundled pack)");
  explain_cmd->add_option("--case", explain.case_path, "The case as JSON or YAML ('-' reads stdin)")->required();
  explain_cmd->add_option("--why-not", explain.why_not,
                          "An outcome the decision lacks: level=L, item=ID, state=S or action=ID (repeatable)");
  explain_cmd->add_option("--what-if", explain.what_if, "Evaluate again with FACT=VALUE (or now=TIME) and show what changes (repeatable)");
  explain_cmd->add_option("--fixed", explain.fixed, "Facts the answers must not change (order_value,tier)")->delimiter(',');
  explain_cmd->add_option("--format", explain.format, "Output format")->check(CLI::IsMember({"text", "json"}));
  explain_cmd->add_flag("--pretty", explain.pretty, "With --format json: indented, even in a pipe");
  explain_cmd->add_option("--now", explain.now, "Evaluate at this time, not the case's `now`");
  add_overrides(explain_cmd, "the case's", explain.playbook, explain.state, explain.event);
  explain_cmd->footer(footer("  redress explain playbooks/ --case examples/cases/late_gold.json\n"
                             "  redress explain playbooks/ --case case.json --why-not level=director --why-not item=goodwill\n"
                             "  redress explain playbooks/ --case case.json --why-not state=escalated --fixed order_value,tier\n"
                             "  redress explain playbooks/ --case case.json --what-if days_late=7 --format json"));

  TriageOptions triage;
  auto* triage_cmd = app.add_subcommand("triage", "Print the playbook a case belongs to (the first whose `match` holds)");
  triage_cmd->add_option("paths", triage.paths, "Playbook files or pack directories (default: the bundled pack)");
  triage_cmd->add_option("--case", triage.case_path, "The case as JSON or YAML ('-' reads stdin)")->required();
  triage_cmd->add_option("--now", triage.now, "Evaluate the `match` guards at this time");
  triage_cmd->add_flag("--json", triage.json, "Print {\"playbook\", \"version\", \"fingerprint\"}");
  triage_cmd->add_flag("--all", triage.all, "Every playbook that matches, one a line (a compound case's parts)");
  triage_cmd->add_flag("--explain", triage.explain, "Every playbook's result and why: the `match` that failed and what it read");
  triage_cmd->footer(footer("  redress triage playbooks/ --case examples/cases/new_complaint.yaml\n"
                            "  redress triage playbooks/ --case case.json --all --explain\n"
                            "  redress triage --case - --json < case.json"));

  BatchCommandOptions batch;
  auto* batch_cmd = app.add_subcommand("batch", "Evaluate JSON Lines cases on every core: one Decision (or error) per line, in order");
  batch_cmd->add_option("path", batch.path, "A playbook file or a pack directory")->required();
  batch_cmd->add_option("cases", batch.cases, "The cases, one JSON object per line ('-' or absent reads stdin)");
  batch_cmd->add_option("-o,--output", batch.output, "Where the decisions go ('-': stdout)");
  batch_cmd->add_option("--threads", batch.threads, "Evaluation threads (0: every core)");
  batch_cmd->add_flag("--trace", batch.trace, "Include every guard and rule evaluated, with its location");
  batch_cmd->add_flag("-q,--quiet", batch.quiet, "No progress line and no summary on stderr");
  add_overrides(batch_cmd, "each case's", batch.playbook, batch.state, batch.event);
  batch_cmd->add_option("--triage", batch.triage,
                        "'all': every case is compound (the playbooks it names, or every one that matches), one "
                        "compound decision a line; 'first': the case's own triage is single")
      ->check(CLI::IsMember({"first", "all"}));

  ReplayCommandOptions replay;
  auto* replay_cmd = app.add_subcommand("replay", "Replay cases through an old and a new pack: what changes (docs/replay.md)");
  replay_cmd->add_option("--old", replay.old_path, "The pack in use (a playbook file or a pack directory)")->required();
  replay_cmd->add_option("--new", replay.new_path, "The changed pack")->required();
  replay_cmd->add_option("cases", replay.cases,
                         "The cases: JSON Lines, or CSV with a header, one case a line ('-' or absent reads stdin)");
  replay_cmd->add_option("--input", replay.input, "How CASES is written (auto: by its extension, else its first line)")
      ->check(CLI::IsMember({"auto", "jsonl", "csv"}));
  replay_cmd->add_option("--diff", replay.diff, "Write each changed or failed case's differences here, as JSON Lines");
  replay_cmd->add_option("--report", replay.report, "Write a self-contained HTML page of the impact here");
  replay_cmd->add_option("--format", replay.format, "The summary on stdout")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  replay_cmd->add_option("--threads", replay.threads, "Evaluation threads (0: every core)");
  replay_cmd->add_flag("-q,--quiet", replay.quiet, "No progress line on stderr");
  replay_cmd->add_flag("--fail-on-change", replay.fail_on_change, "Exit 1 when any case changed (for CI)");
  replay_cmd->footer(footer(
      "  redress replay --old playbooks/ --new playbooks-next/ cases.jsonl\n"
      "  redress replay --old v1/ --new v2/ cases.csv --diff changes.jsonl --report impact.html\n"
      "  redress replay --old v1/ --new v2/ - --format markdown < cases.jsonl >> $GITHUB_STEP_SUMMARY"));

  TestOptions test;
  auto* test_cmd = app.add_subcommand(
      "test", "Run playbook tests (NAME.test.yaml, tests:), then the compound tests of pack.test.yaml; the last line is "
              "'N passed, M failed'");
  test_cmd->add_option("paths", test.paths, "Playbook files or pack directories (default: the bundled pack)");
  test_cmd->add_option("--filter", test.filter,
                       "Run only tests whose playbook id or name contains this text (a compound test: one of its playbooks)");
  test_cmd->add_flag("--coverage", test.coverage, "Report the states, transitions and rules the tests exercise");
  test_cmd->add_flag("--require-coverage", test.require_coverage,
                     "Like --coverage, and fail (exit 1) when anything is not exercised");
  test_cmd->footer(footer("  redress test playbooks/\n"
                          "  redress test playbooks/ --filter delivery_delay\n"
                          "  redress test playbooks/pack.test.yaml           # the compound tests, with their pack\n"
                          "  redress test playbooks/ --require-coverage      # in CI"));

  GraphOptions graph;
  auto* graph_cmd = app.add_subcommand("graph", "Draw a playbook's state machine (dot, mermaid or svg)");
  graph_cmd->add_option("path", graph.path, "A playbook file or a pack directory (default: the bundled pack)");
  graph_cmd->add_option("--playbook", graph.playbook, "The playbook to draw (default: the pack's only one)");
  graph_cmd->add_option("--format", graph.format, "Output format")->check(CLI::IsMember({"dot", "mermaid", "svg"}));
  graph_cmd->add_option("--state", graph.state, "Highlight this state (e.g. a case's current state)");
  graph_cmd->footer(footer("  redress graph playbooks/ --playbook delivery_delay --format svg > dd.svg\n"
                           "  redress graph playbooks/delivery_delay.yaml --format mermaid --state offer"));

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Serve decisions over HTTP (docs/openapi.yaml)");
  serve_cmd->add_option("paths", serve.paths, "Playbook files or pack directories (default: the bundled pack)");
  serve_cmd->add_option("--host", serve.host, "The address to listen on (default 127.0.0.1: this machine only)");
  serve_cmd->add_option("--port", serve.port, "The port (default 8080; 0 picks a free one and prints it)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_flag("--watch", serve.watch, "Reload the pack when one of its files changes (as SIGHUP does)");
  serve_cmd->add_option("--max-case-bytes", serve.max_case_bytes, "The largest case accepted (default 4 MiB)")
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--max-body-bytes", serve.max_body_bytes,
                        "The largest request body, bulk included (default 64 MiB)")
      ->check(CLI::PositiveNumber);
  serve_cmd->footer(footer(
      "  redress serve playbooks/ --port 8080\n"
      "  curl -s localhost:8080/v1/evaluate -d @examples/cases/late_gold.json\n"
      "  curl -s localhost:8080/v1/evaluate -H 'Content-Type: application/x-ndjson' --data-binary @cases.jsonl\n"
      "  kill -HUP $(pidof redress)     # reload the pack; the old version serves until the new one loads\n"
      "SIGTERM or SIGINT stop the server after the requests in progress."));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kOk : kBadInput;
  }

  // No path: the pack installed with redress (share/redress/playbooks, or $REDRESS_DATA_DIR).
  if (*lint_cmd && lint.paths.empty()) lint.paths.push_back(bundled_pack_path());
  if (*test_cmd && test.paths.empty()) test.paths.push_back(bundled_pack_path());
  if (*triage_cmd && triage.paths.empty()) triage.paths.push_back(bundled_pack_path());
  if (*serve_cmd && serve.paths.empty()) serve.paths.push_back(bundled_pack_path());
  if (*eval_cmd && eval.path.empty()) eval.path = bundled_pack_path();
  if (*explain_cmd && explain.path.empty()) explain.path = bundled_pack_path();
  if (*graph_cmd && graph.path.empty()) graph.path = bundled_pack_path();

  try {
    if (*lint_cmd) return run_lint(lint);
    if (*eval_cmd && !eval_jsonl.empty()) {
      batch.path = eval.path;
      batch.cases = eval_jsonl;
      batch.trace = eval.trace;
      batch.playbook = eval.playbook;
      batch.state = eval.state;
      batch.event = eval.event;
      batch.triage = eval.triage;
      return run_batch(batch);
    }
    if (*eval_cmd && eval.case_path.empty()) {
      std::cerr << "error: eval needs --case FILE (or --jsonl CASES for many cases)\n";
      return kBadInput;
    }
    if (*eval_cmd) return run_eval(eval);
    if (*explain_cmd) return run_explain(explain);
    if (*batch_cmd) return run_batch(batch);
    if (*replay_cmd) return run_replay(replay);
    if (*triage_cmd) return run_triage(triage);
    if (*test_cmd) return run_test(test);
    if (*graph_cmd) return run_graph(graph);
    if (*serve_cmd) return run_serve(serve);
  } catch (const LoadError& e) {
    return print_load_error(e);
  } catch (const EvaluationError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kBadInput;
  }
  return kBadInput;
}

}  // namespace

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
  return redress::cli::kBadInput;
}
