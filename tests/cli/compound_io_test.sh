#!/usr/bin/env bash
# Compound cases (issue #12, spec §4.1) through every CLI entry point besides `eval --case`:
# batch and eval --jsonl (one answer a line, mixed single and compound, in order, errors in
# place), the overrides, and the commands that refuse a compound case with a reason (explain,
# replay, a CSV compound column), on tests/compound/pack.
#   compound_io_test.sh REDRESS_BINARY SOURCE_DIR
set -u
bin=$1
dir=$2/tests/compound
pack=$dir/pack
. "$(dirname "$0")/lib.sh"

golden_case=$(tr '\n' ' ' <"$dir/late_and_overcharged.json")
single='{"playbook":"delivery_delay","now":"2026-11-23T10:00:00Z","facts":{"days_late":3,"order_value":"200.00 EUR"}}'
named='{"playbooks":["delivery_delay","wrong_invoice"],"now":"2026-11-23T10:00:00Z","entered_at":"2026-11-23T09:00:00Z","facts":{"days_late":3,"order_value":"200.00 EUR","shipping_fee":"4.99 EUR","overcharge":"500.00 EUR","tier":"gold"}}'
{
  echo "$single"
  echo "$golden_case"
  echo '{"playbooks":5,"now":"2026-11-23T10:00:00Z"}'
  echo ''
  echo '{"playbooks":["delivery_delay","wrong_invoce"],"now":"2026-11-23T10:00:00Z","facts":{"days_late":3,"overcharge":"5 EUR"}}'
  echo "$named"
  echo "$single"
} >"$tmp/mixed.jsonl"

# 1. batch: one line out per line in, in order; the golden compound decision on one line.
"$bin" batch "$pack" "$tmp/mixed.jsonl" -o "$tmp/mixed.out" --threads 2 2>"$tmp/mixed.err"
check "errors exit 1" test $? -eq 1
check "7 lines in, 7 out" test "$(wc -l <"$tmp/mixed.out")" -eq 7
"$bin" eval "$pack" --case "$dir/late_and_overcharged.json" --json >"$tmp/golden.line"
check "eval --json of the golden case is one line" test "$(wc -l <"$tmp/golden.line")" -eq 1
check "line 2 is the golden compound decision, byte for byte as eval --json" \
  cmp -s <(sed -n 2p "$tmp/mixed.out") "$tmp/golden.line"
check "line 2 equals tests/compound/late_and_overcharged.decision.json" python3 -c "
import json, sys
got = open(sys.argv[1]).read().split('\n')[1]
want = json.load(open(sys.argv[2]))
assert json.loads(got) == want
assert got == json.dumps(want, ensure_ascii=False), 'not the golden JSON on one line'
" "$tmp/mixed.out" "$dir/late_and_overcharged.decision.json"
check "line 6 (playbooks named) is the same decision" cmp -s <(sed -n 6p "$tmp/mixed.out") "$tmp/golden.line"
check "line 1 and 7: the single decision" bash -c \
  "[ \"\$(sed -n 1p '$tmp/mixed.out')\" = \"\$(sed -n 7p '$tmp/mixed.out')\" ] && sed -n 1p '$tmp/mixed.out' | grep -q '^{\"playbook\": \"delivery_delay\"'"
check "line 3: playbooks: 5 is an error in place, located" bash -c \
  "sed -n 3p '$tmp/mixed.out' | grep -Eq '^\{\"line\":3,\"error\":\"[^\"]*mixed.jsonl:3:[0-9]+: .playbooks. must be a list'"
check "line 4 blank" test -z "$(sed -n 4p "$tmp/mixed.out")"
check "line 5: an unknown part, with a did-you-mean" bash -c \
  "sed -n 5p '$tmp/mixed.out' | grep -q '^{\"line\":5,\"error\":.*unknown playbook .wrong_invoce. (did you mean .wrong_invoice.'"
check "summary counts compound lines as cases" grep -q '^6 cases: 4 decided, 2 errors, 1 blank line' "$tmp/mixed.err"
"$bin" batch "$pack" "$tmp/mixed.jsonl" --threads 1 -q >"$tmp/mixed1.out" 2>/dev/null
check "1 thread gives the same bytes" cmp -s "$tmp/mixed.out" "$tmp/mixed1.out"
"$bin" eval "$pack" --jsonl "$tmp/mixed.jsonl" >"$tmp/mixed2.out" 2>/dev/null
check "eval --jsonl FILE: the same bytes" cmp -s "$tmp/mixed.out" "$tmp/mixed2.out"
"$bin" batch "$pack" - -q <"$tmp/mixed.jsonl" >"$tmp/stdin1.out"
"$bin" eval "$pack" --jsonl - <"$tmp/mixed.jsonl" >"$tmp/stdin2.out" 2>/dev/null
check "eval --jsonl - (stdin): the same bytes as batch -" cmp -s "$tmp/stdin1.out" "$tmp/stdin2.out"
check "stdin: the errors name <stdin>" grep -q '^{"line":3,"error":"<stdin>:3:' "$tmp/stdin1.out"

# 2. Overrides: --triage all makes every line compound; --playbook/--state refuse compound lines.
sed 's/"triage": "all", //' "$dir/late_and_overcharged.json" | tr '\n' ' ' >"$tmp/untriaged.jsonl"
echo >>"$tmp/untriaged.jsonl"
"$bin" batch "$pack" "$tmp/untriaged.jsonl" -q --triage all >"$tmp/all.out"
check "batch --triage all: the golden compound decision" cmp -s "$tmp/all.out" "$tmp/golden.line"
"$bin" eval "$pack" --jsonl "$tmp/untriaged.jsonl" --triage all >"$tmp/all2.out" 2>/dev/null
check "eval --jsonl --triage all: the same" cmp -s "$tmp/all.out" "$tmp/all2.out"
"$bin" batch "$pack" "$tmp/mixed.jsonl" -q --playbook delivery_delay >"$tmp/pb.out"
check "--playbook with compound lines exits 1" test $? -eq 1
check "--playbook: a single line takes it" bash -c "sed -n 1p '$tmp/pb.out' | grep -q '^{\"playbook\": \"delivery_delay\"'"
check "--playbook: a compound line is an error that says why" bash -c \
  "sed -n 2p '$tmp/pb.out' | grep -q '^{\"line\":2,\"error\":\".*the playbook override (.delivery_delay.) is for single cases'"
"$bin" eval "$pack" --case "$dir/late_and_overcharged.json" --state open >/dev/null 2>"$tmp/state.err"
check "eval --state with a compound case exits 2" test $? -eq 2
check "eval --state: says why" grep -q "the state override ('open') is for single cases" "$tmp/state.err"
"$bin" eval "$pack" --case "$dir/late_and_overcharged.json" --event delivered --json >"$tmp/event.out"
check "eval --event: routed to the part that accepts it" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['states'] == {'delivery_delay': 'resolved', 'wrong_invoice': 'open'}, d['states']
" "$tmp/event.out"

# 3. Commands that answer one conflict refuse a compound case, saying what to do instead.
"$bin" explain "$pack" --case "$dir/late_and_overcharged.json" >/dev/null 2>"$tmp/explain.err"
check "explain of a compound case exits 2" test $? -eq 2
check "explain says to explain one conflict at a time" grep -q "explain takes a single case" "$tmp/explain.err"
"$bin" replay --old "$pack" --new "$pack" "$tmp/mixed.jsonl" --format json -q --diff "$tmp/replay.diff" \
  >"$tmp/replay.json" 2>/dev/null
check "replay with compound lines exits 1" test $? -eq 1
check "replay: singles replayed, compound lines errors in place" python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))
assert s['evaluated'] == 2, s['evaluated']
diff = [json.loads(l) for l in open(sys.argv[2])]
lines = {d['line']: d for d in diff}
assert 'is not replayed' in lines[2]['error'] and 'is not replayed' in lines[6]['error'], lines
" "$tmp/replay.json" "$tmp/replay.diff"
printf 'playbooks,now,days_late\n"delivery_delay;wrong_invoice",2026-11-23T10:00:00Z,3\n' >"$tmp/cases.csv"
"$bin" replay --old "$pack" --new "$pack" "$tmp/cases.csv" -q >/dev/null 2>"$tmp/csv.err"
check "a CSV playbooks column exits 2" test $? -eq 2
check "a CSV playbooks column: located, says why" grep -q "cases.csv:1:1: .*column 'playbooks': a CSV row is a single case" "$tmp/csv.err"

finish
