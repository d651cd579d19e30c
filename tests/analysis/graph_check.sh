#!/usr/bin/env bash
# CTest checks of `redress graph` (issue #5).
#   graph_check.sh REDRESS SOURCE_DIR dot  every bundled playbook (and the fixtures in valid/) drawn
#                                          as DOT is accepted by Graphviz's `dot -Tsvg`; skipped
#                                          (exit 77) where Graphviz is not installed
#   graph_check.sh REDRESS SOURCE_DIR cli  formats, --state, and the errors of `redress graph`
set -u
redress=$1
src=$2
mode=$3
if [ "$mode" = dot ] && ! command -v dot >/dev/null 2>&1; then
  echo "skipped: Graphviz's dot is not installed (apt-get install graphviz)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Playbook files: every *.yaml but pack.yaml and NAME.test.yaml.
playbook_files() {
  for f in "$src"/playbooks/*.yaml "$src"/tests/analysis/valid/*.yaml; do
    case $(basename "$f") in pack.yaml | *.test.yaml) ;; *) echo "$f" ;; esac
  done
}

# Runs redress; stdout to $tmp/out, stderr to $tmp/err; returns its exit code.
run() { "$redress" "$@" >"$tmp/out" 2>"$tmp/err"; }

expect_error() {  # expect_error TEXT ARGS...: exit 2 and TEXT on stderr
  local text=$1
  shift
  run "$@"
  local rc=$?
  [ $rc -eq 2 ] || fail "redress $* exited $rc, expected 2"
  grep -qF -- "$text" "$tmp/err" || { fail "redress $*: stderr lacks '$text'"; cat "$tmp/err"; }
}

if [ "$mode" = dot ]; then
  count=0
  while IFS= read -r f; do
    count=$((count + 1))
    if ! run graph "$f" --format dot; then fail "redress graph $f"; cat "$tmp/err"; continue; fi
    if ! dot -Tsvg "$tmp/out" >"$tmp/svg" 2>"$tmp/dot_err"; then fail "dot rejected the drawing of $f"; cat "$tmp/dot_err"; continue; fi
    # dot also warns about what it could parse but not understand.
    [ -s "$tmp/dot_err" ] && { fail "dot warned about the drawing of $f"; cat "$tmp/dot_err"; }
    grep -q "<svg" "$tmp/svg" || fail "no <svg> drawn for $f"
  done < <(playbook_files)
  [ $count -ge 2 ] || fail "found only $count playbooks to draw"
  run graph "$src/playbooks" --playbook delivery_delay --format svg --state offer || fail "redress graph --format svg"
  grep -q "<svg" "$tmp/out" || fail "--format svg printed no <svg>"
  echo "$count drawings accepted by dot; $failures failures"
  [ $failures -eq 0 ]
  exit
fi

dd="$src/playbooks/delivery_delay.yaml"
run graph "$dd" --format mermaid || fail "mermaid"
head -1 "$tmp/out" | grep -qx -- "---" || fail "mermaid output starts with front matter"
grep -qx "flowchart LR" "$tmp/out" || fail "mermaid output is a flowchart"
run graph "$dd" || fail "dot is the default format"
grep -q '^digraph "delivery_delay" {' "$tmp/out" || fail "default format is DOT"
run graph "$dd" --state escalated || fail "--state escalated"
grep -q '"escalated" \[.*fillcolor="#ffe08a"' "$tmp/out" || fail "--state highlights the state"

expect_error "did you mean 'offer'?" graph "$dd" --state ofer
expect_error "has no state 'zzz' (states: reported, investigating, offer, delivering, confirming, escalated, resolved, closed_without_agreement, closed_no_reply)" graph "$dd" --state zzz
expect_error "did you mean 'delivery_delay'?" graph "$src/playbooks" --playbook delivery_dela
expect_error "choose one with --playbook (labels, to_close_outcome, to_close_ties)" graph "$src/tests/analysis/valid"
expect_error "unreachable_state.yaml:10:3: error: state 'orphan' can never be reached" graph "$src/tests/analysis/unreachable_state.yaml"
grep -qx "    ^" "$tmp/err" || fail "a load error shows a caret under the column"
# Without Graphviz on the PATH, svg says how to get it.
PATH=/nonexistent "$redress" graph "$dd" --format svg >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "svg without dot exited $rc, expected 2"
grep -qF "error: 'svg' needs Graphviz's dot: install it with 'apt-get install graphviz', or use --format dot" "$tmp/err" ||
  fail "svg without dot: message"

echo "$failures failures"
[ $failures -eq 0 ]
