#!/usr/bin/env bash
# CLI behaviour as a user sees it: exit codes (0 ok, 1 finding, 2 bad usage or input), messages
# on stderr with locations, and no crash on hostile input.
#   cli_test.sh REDRESS_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.sh"

pb="$src/playbooks"
cases="$src/examples/cases"

# --help for each command, version, usage errors.
expect 0 "lint" -- "$bin" --help
expect 0 "--strict" -- "$bin" lint --help
expect 0 "--case" -- "$bin" eval --help
expect 0 "--filter" -- "$bin" test --help
expect 0 "[0-9]+\.[0-9]+\.[0-9]+" -- "$bin" --version
expect 2 "" -- "$bin"
expect 2 "" -- "$bin" frobnicate
expect 2 "case" -- "$bin" eval "$pb"
expect 2 "" -- "$bin" lint --format xml "$pb"

# lint
expect 0 "ok: [0-9]+ playbooks?, 0 errors" -- "$bin" lint "$pb"
expect 0 "^\[" -- "$bin" lint --format json "$pb"
expect 2 "no such file" -- "$bin" lint "$tmp/nope.yaml"
expect 2 "no such file" -- "$bin" lint "$pb" "$tmp/nope_dir"
printf 'redress: 1\nplaybook: x\nstates:\n  a: {initial: true, on: {go: bb}}\n  b: {terminal: true}\n' > "$tmp/typo.yaml"
expect 1 "typo.yaml:4:31: error: unknown state 'bb' \(did you mean 'b'\?\)" -- "$bin" lint "$tmp/typo.yaml"
expect 1 "\^" -- "$bin" lint "$tmp/typo.yaml"

# eval
# --json in a pipe is one line; --pretty indents it.
expect 0 "^\{\"playbook\": ?\"delivery_delay\",.*\"state\": ?\"offer\"" -- "$bin" eval "$pb" --case "$cases/late_gold.json" --json
lines=$("$bin" eval "$pb" --case "$cases/late_gold.json" --json | wc -l)
if [ "$lines" -eq 1 ]; then pass=$((pass+1)); else echo "FAIL: eval --json in a pipe gave $lines lines"; fail=$((fail+1)); fi
expect 0 "^  \"state\": \"offer\"" -- "$bin" eval "$pb" --case "$cases/late_gold.json" --json --pretty
# The text a support lead reads: aligned columns, inputs with the defaults filled in, the
# approval as a sign-off, no zero-amount items, named lets in the trace, no colour in a pipe.
expect 0 "^compensation  4.99 EUR" -- "$bin" eval "$pb" --case "$cases/late_gold.json"
expect 0 "^  refund_shipping  refund  4.99 EUR$" -- "$bin" eval "$pb" --case "$cases/late_gold.json"
expect 0 "^  order_value +200.00 EUR$" -- "$bin" eval "$pb" --case "$cases/late_gold.json"
expect 0 "^  shipping_fee +0 EUR \(default\)$" -- "$bin" eval "$pb" --case "$cases/new_complaint.yaml"
out=$("$bin" eval "$pb" --case "$cases/new_complaint.yaml")
if grep -q "refund_shipping" <<<"$out"; then echo "FAIL: a zero-amount item is shown"; fail=$((fail+1)); else pass=$((pass+1)); fi
if grep -q $'\033' <<<"$out"; then echo "FAIL: colour in a pipe"; fail=$((fail+1)); else pass=$((pass+1)); fi
expect 0 "needs [a-z]+ sign-off" -- "$bin" eval "$pb" --case "$cases/declined_vip.json"
expect 0 "^  [^ ]+\.yaml:[0-9]+:[0-9]+ +let [a-z_]+ " -- "$bin" eval "$pb" --case "$cases/late_gold.json" --trace
# --now replaces the case's `now`; a bad one is bad usage.
expect 0 "^  now +2026-12-01T00:00:00Z$" -- "$bin" eval "$pb" --case "$cases/late_gold.json" --now 2026-12-01T00:00:00Z
expect 2 "--now 'yesterday'" -- "$bin" eval "$pb" --case "$cases/late_gold.json" --now yesterday
# --help names examples and exit codes for every command.
for cmd in lint eval triage test graph; do
  expect 0 "Examples:.*" -- "$bin" $cmd --help
  expect 0 "Exit codes: 0 ok" -- "$bin" $cmd --help
done
# triage: the playbook a case belongs to.
expect 0 "^delivery_delay$" -- "$bin" triage "$pb" --case "$cases/new_complaint.yaml"
expect 0 "^\{\"playbook\": ?\"delivery_delay\", ?\"version\":" -- "$bin" triage "$pb" --case "$cases/new_complaint.yaml" --json
# triage --all: every match, the most at stake first (rank), each with its rank; a playbook whose
# facts do not validate is one line with every missing fact.
cat >"$tmp/billing.json" <<'CASE'
{"now": "2026-11-23T10:00:00Z", "facts": {"category": "billing", "account_id": "A1", "monthly_fee": "30.00 EUR",
 "undisclosed_fees": "12.00 EUR", "invoice_id": "I-1", "order_value": "600.00 EUR", "correct": "100.00 EUR"}}
CASE
got=$("$bin" triage "$pb" --case "$tmp/billing.json" --all --explain | head -n 4 | sed 's/  */ /g')
want=$(printf '%s\n' "wrong_invoice" "hidden_fees" " wrong_invoice matches, rank 500.00 EUR" " hidden_fees matches, rank 12.00 EUR")
if [ "$got" = "$want" ]; then pass=$((pass+1)); else echo "FAIL: triage --all --explain order/rank:"; echo "$got" | sed 's/^/    /'; fail=$((fail+1)); fi
expect 0 "delivery_delay +no: its facts do not validate: missing required fact 'order_id' \(string\); missing required fact 'days_late'" -- "$bin" triage "$pb" --case "$tmp/billing.json" --all --explain
expect 0 "\"results\": \[\{\"playbook\": \"wrong_invoice\", \"matched\": true, \"rank\": \"500.00 EUR\"" -- "$bin" triage "$pb" --case "$tmp/billing.json" --all --explain --json
expect 0 "\"trace\"" -- "$bin" eval "$pb" --case "$cases/late_gold.json" --json --trace
expect 0 "delivery_delay" -- "$bin" eval "$pb" --case "$cases/new_complaint.yaml" --json
expect 0 "escalated" -- "$bin" eval "$pb" --case "$cases/declined_vip.json" --json
expect 0 "\"state\": ?\"offer\"" -- bash -c "cat '$cases/late_gold.json' | '$bin' eval '$pb' --case - --json"
# Same input, same bytes.
a=$("$bin" eval "$pb" --case "$cases/late_gold.json" --json --trace)
b=$("$bin" eval "$pb" --case "$cases/late_gold.json" --json --trace)
if [ "$a" = "$b" ]; then pass=$((pass+1)); else echo "FAIL: eval output differs between runs"; fail=$((fail+1)); fi

# bad input: exit 2, a located message, never a crash
expect 2 "cannot read" -- "$bin" eval "$pb" --case "$tmp/missing.json"
printf '{"facts": {"category": "delivery", "days_late": "many"}}' > "$tmp/bad_fact.json"
expect 2 "error: .*days_late" -- "$bin" eval "$pb" --case "$tmp/bad_fact.json" --playbook delivery_delay
printf '{"playbook": "delivery_delay", "facts": {"order_id": "X", "days_late": 2, "order_value": "10 USD"}}' > "$tmp/usd.json"
expect 2 "USD" -- "$bin" eval "$pb" --case "$tmp/usd.json"
printf '{"playbook": "delivery_delay", "facts": {"order_id": "X", "days_late": 2, "tier": "platinum"}}' > "$tmp/enum.json"
expect 2 "platinum" -- "$bin" eval "$pb" --case "$tmp/enum.json"
printf '{"playbook": "delivery_delay", "facts": {"order_id": "X"}}' > "$tmp/missing_fact.json"
expect 2 "missing required fact 'days_late'" -- "$bin" eval "$pb" --case "$tmp/missing_fact.json"
printf '{"playbook": "delivery_delay", "state": "offer", "event": "teleport", "facts": {"order_id": "X", "days_late": 2}}' > "$tmp/event.json"
expect 2 "does not accept event 'teleport'" -- "$bin" eval "$pb" --case "$tmp/event.json"
printf '{"playbook": "delivery_delay", "state": "ofer", "facts": {"order_id": "X", "days_late": 2}}' > "$tmp/state.json"
expect 2 "did you mean 'offer'" -- "$bin" eval "$pb" --case "$tmp/state.json"
printf '{"playbook": "delivery_delay", "facts": {' > "$tmp/malformed.json"
expect 2 "malformed.json:[0-9]+:[0-9]+" -- "$bin" eval "$pb" --case "$tmp/malformed.json"
mkdir -p "$tmp/two"
printf 'redress: 1\nplaybook: a\nmatch: "k == 1"\nfacts: {k: int}\nstates: {s: {initial: true, on: {x: t}}, t: {terminal: true}}\n' > "$tmp/two/a.yaml"
printf 'redress: 1\nplaybook: b\nmatch: "k == 2"\nfacts: {k: int}\nstates: {s: {initial: true, on: {x: t}}, t: {terminal: true}}\n' > "$tmp/two/b.yaml"
printf '{"facts": {"k": 2}}' > "$tmp/match.json"
expect 0 "playbook +b" -- "$bin" eval "$tmp/two" --case "$tmp/match.json"
printf '{"facts": {"k": 3}}' > "$tmp/nomatch.json"
expect 2 "no playbook matches" -- "$bin" eval "$tmp/two" --case "$tmp/nomatch.json"
# triage --explain with no match: each playbook's reason on stdout, and an error line on stderr.
if [ "$("$bin" triage "$tmp/two" --case "$tmp/nomatch.json" --all --explain 2>&1 >/dev/null)" = \
     "error: no playbook matches this case (the explanation says why for each)" ]; then pass=$((pass+1))
else echo "FAIL: triage --explain with no match says nothing on stderr"; fail=$((fail+1)); fi
expect 2 "a +no: its 'match' is false: k == 1" -- "$bin" triage "$tmp/two" --case "$tmp/nomatch.json" --explain

# an empty pack.yaml shares nothing and is no error; a pack.yaml that is not a mapping says so first
mkdir -p "$tmp/emptypack"
: > "$tmp/emptypack/pack.yaml"
printf 'redress: 1\nplaybook: p\ncurrency: EUR\nstates:\n  a: {initial: true, on: {go: b}}\n  b: {terminal: true}\n' > "$tmp/emptypack/p.yaml"
expect 0 "ok: 1 playbook, 0 errors" -- "$bin" lint "$tmp/emptypack"
printf -- '- 1\n- 2\n' > "$tmp/emptypack/pack.yaml"
expect 1 "pack.yaml:1:1: error: pack.yaml must be a mapping" -- "$bin" lint "$tmp/emptypack"

# hostile playbooks: empty, binary, deep nesting, alias bombs, huge keys
: > "$tmp/empty.yaml"
expect 1 "empty.yaml:1:1: error: empty file" -- "$bin" lint "$tmp/empty.yaml"
head -c 4096 /dev/urandom > "$tmp/binary.yaml"
expect 1 "error" -- "$bin" lint "$tmp/binary.yaml"
python3 -c "print('a: ' + '[' * 100000)" > "$tmp/deep.yaml"
expect 1 "nesting too deep" -- "$bin" lint "$tmp/deep.yaml"
python3 -c "
print('a: &a [x, x, x, x, x, x, x, x, x, x]')
for i in range(1, 12): print(f'a{i}: &a{i} [' + ', '.join(['*a' + (str(i-1) if i > 1 else '')] * 10) + ']')
" > "$tmp/bomb.yaml"
expect 1 "bomb.yaml:4:5: error: aliases expand to more than 10000 nodes \(limits.max_alias_nodes\)" -- "$bin" lint "$tmp/bomb.yaml"
python3 -c "print('# padding\\n' * 600000)" > "$tmp/huge.yaml"
expect 1 "huge.yaml: error: file is [0-9]+ bytes; the limit is 4194304" -- "$bin" lint "$tmp/huge.yaml"
python3 -c 'import json; print(json.dumps({"facts": {f"f{i}": i for i in range(400000)}}))' > "$tmp/huge_case.json"
expect 2 "limit is 4194304" -- "$bin" eval "$pb" --case "$tmp/huge_case.json"
printf 'redress: 1\nplaybook: x\nstates: [1, 2\n' > "$tmp/unclosed.yaml"
expect 1 "unclosed.yaml:[0-9]+:[0-9]+: error: malformed YAML" -- "$bin" lint "$tmp/unclosed.yaml"
printf '{"facts": %s}' "$(python3 -c "print('[' * 50000)")" > "$tmp/deep_case.json"
expect 2 "deep_case.json:1:11: 'facts' must be a mapping" -- "$bin" eval "$pb" --case "$tmp/deep_case.json"
python3 -c "print('{\"facts\": {\"a\": ' + '[' * 50000 + ']' * 50000 + '}}')" > "$tmp/deep_fact.json"
expect 2 "deep_fact.json:1:18: fact 'a': a list fact holds text only" -- "$bin" eval "$pb" --case "$tmp/deep_fact.json"
printf 'facts: %s\n' "$(python3 -c "print('[' * 50000)")" > "$tmp/deep_case.yaml"
expect 2 "nesting too deep" -- "$bin" eval "$pb" --case "$tmp/deep_case.yaml"

# Case input (issue #9): JSON is read as JSON, one case per input, numbers are numbers.
printf '{"facts": {"days_late": 3,}}' > "$tmp/trailing.json"
expect 2 "trailing.json:1:26: invalid JSON: a trailing comma before '}'" -- "$bin" eval "$pb" --case "$tmp/trailing.json"
printf 'this is not json {' > "$tmp/notjson.json"
expect 2 "notjson.json:1:1: invalid JSON: unexpected 'this'" -- "$bin" eval "$pb" --case "$tmp/notjson.json"
for i in 1 2 3; do tr -d '\n' < "$cases/late_gold.json"; echo; done > "$tmp/cases.jsonl"
expect 2 "<stdin>:2:1: 3 cases in one input" -- bash -c "head -3 '$tmp/cases.jsonl' | '$bin' eval '$pb' --case - --json"
expect 2 "cases.jsonl:2:1: 3 cases in one input" -- "$bin" eval "$pb" --case "$tmp/cases.jsonl" --json
expect 0 "\"state\": \"offer\"" -- bash -c "head -1 '$tmp/cases.jsonl' | '$bin' eval '$pb' --case - --json"
{ cat "$cases/new_complaint.yaml"; echo "---"; cat "$cases/new_complaint.yaml"; } > "$tmp/two_docs.yaml"
expect 2 "two_docs.yaml:[0-9]+:1: 2 cases in one input" -- "$bin" eval "$pb" --case "$tmp/two_docs.yaml"
sed 's/"order_id": "A-1001"/"order_id": 1001/' "$cases/late_gold.json" > "$tmp/number_id.json"
expect 2 "fact 'order_id' must be text, got the number 1001" -- "$bin" eval "$pb" --case "$tmp/number_id.json"
sed 's/"tier": "gold"/"teir": "gold"/' "$cases/late_gold.json" > "$tmp/teir.json"
expect 0 "warning: unknown fact 'teir' \(did you mean 'tier'\?\) ignored" -- "$bin" eval "$pb" --case "$tmp/teir.json"
expect 2 "error: unknown fact 'teir' \(did you mean 'tier'\?\): playbook 'delivery_delay' does not declare it" -- "$bin" eval "$pb" --case "$tmp/teir.json" --strict-facts
sed 's/"days_late": 3/"days_lat": 3/' "$cases/late_gold.json" > "$tmp/days_lat.json"
expect 2 "missing required fact 'days_late' \(int\); the case gives 'days_lat'" -- "$bin" eval "$pb" --case "$tmp/days_lat.json"

mkdir -p "$tmp/casepack"; cp "$pb/pack.yaml" "$pb/delivery_delay.yaml" "$cases/new_complaint.yaml" "$tmp/casepack/"
expect 1 "looks like a case file" -- "$bin" lint "$tmp/casepack"

# `to: "{level}"`: the senior call goes to the level the case is at (issue #13)
cat > "$tmp/refused.json" <<'JSON'
{"playbook": "delivery_delay", "state": "offer", "event": "declined", "now": "2026-11-23T10:00:00Z",
 "facts": {"order_id": "R-1", "days_late": 2, "refusals": 1}}
JSON
expect 0 '"action": "senior_call", [^}]*"to": "supervisor"' -- "$bin" eval "$pb" --case "$tmp/refused.json" --json

# test
expect 0 "[0-9]+ passed, 0 failed$" -- "$bin" test "$pb"
mkdir -p "$tmp/broken_test"
# pack.yaml's shared keys; its compound: (last) names playbooks this one-playbook copy lacks.
sed '/^compound:/,$d' "$pb/pack.yaml" > "$tmp/broken_test/pack.yaml"
sed 's/compensation: "4.99 EUR"/compensation: "5.00 EUR"/' "$pb/delivery_delay.yaml" > "$tmp/broken_test/delivery_delay.yaml"
expect 1 "expected 5.00 EUR, got 4.99 EUR" -- "$bin" test "$tmp/broken_test"
expect 1 "0 passed, 1 failed" -- "$bin" test "$tmp/broken_test" --filter "three days"
expect 0 "0 passed, 0 failed" -- "$bin" test "$tmp/broken_test" --filter "no such test"

# coverage: what the tests exercise
expect 0 "coverage delivery_delay: ([0-9]+)/\\1" -- "$bin" test "$pb" --coverage
expect 0 "partly_tested.yaml:19:17: not exercised: hold seven" -- "$bin" test "$src/tests/cli/fixtures/partly_tested.yaml" --coverage
expect 1 "not exercised: transition a -\\(stop\\)-> c" -- "$bin" test "$src/tests/cli/fixtures/partly_tested.yaml" --require-coverage

finish
