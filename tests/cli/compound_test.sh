#!/usr/bin/env bash
# Compound cases through the CLI (issue #12), as a user runs them on tests/compound/pack: the
# Done-when case's JSON equals its golden byte for byte, the text shows the merged answer,
# triage lists and explains every part, and `redress test` runs pack.test.yaml: passing as it
# is, exit 1 with expected vs got when an expectation is wrong, exit 2 with a located error when
# a test names what the pack lacks.
#   compound_test.sh REDRESS_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.sh"

pack="$src/tests/compound/pack"
case_file="$src/tests/compound/late_and_overcharged.json"
golden="$src/tests/compound/late_and_overcharged.decision.json"

# The golden answer, byte for byte; in a pipe without --pretty, the same on one line.
if "$bin" eval "$pack" --case "$case_file" --json --pretty >"$tmp/got.json" && cmp -s "$tmp/got.json" "$golden"; then
  pass=$((pass+1))
else
  echo "FAIL: eval --json --pretty differs from $golden"; diff "$golden" "$tmp/got.json" | head -n 20; fail=$((fail+1))
fi
"$bin" eval "$pack" --case "$case_file" --json >"$tmp/line.json"
if [ "$(wc -l <"$tmp/line.json")" -eq 1 ] &&
   python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' "$tmp/line.json" "$golden"; then
  pass=$((pass+1))
else
  echo "FAIL: eval --json in a pipe is not the golden on one line"; fail=$((fail+1))
fi
# A YAML case with `playbooks:` gives the same decision as `triage: all` here.
printf 'playbooks: [delivery_delay, wrong_invoice]\nnow: "2026-11-23T10:00:00Z"\nentered_at: "2026-11-23T09:00:00Z"\nfacts: {days_late: 3, order_value: "200.00 EUR", shipping_fee: "4.99 EUR", overcharge: "500.00 EUR", tier: gold}\n' >"$tmp/named.yaml"
if "$bin" eval "$pack" --case "$tmp/named.yaml" --json --pretty | cmp -s - "$golden"; then pass=$((pass+1)); else
  echo "FAIL: the case naming its playbooks differs from the golden"; fail=$((fail+1)); fi

# The text a support lead reads: both conflicts, the highest level with both reasons, one
# compensation (owed in full, goodwill capped, the covered credit), one apology, one call-back.
expect 0 "^conflicts$" "^  delivery_delay: open, 1 step to close$" "^  wrong_invoice: open, 1 step to close$" \
  "^escalation  manager$" "^  \[delivery_delay\] three or more days late$" "^  \[wrong_invoice\] overcharge of 100 EUR or more$" \
  "^compensation 554\.99 EUR \(owed 504\.99 EUR, goodwill 50\.00 EUR, capped\), needs supervisor sign-off$" \
  "^  \[wrong_invoice\] refund_overcharge 500\.00 EUR owed$" \
  "^  \[delivery_delay\] delay_credit 0\.00 EUR \(claimed 10\.00 EUR\), covered by wrong_invoice\.goodwill_credit$" \
  "^  \[wrong_invoice\] billing_voucher 10\.00 EUR \(claimed 20\.00 EUR\)$" \
  "^  apologise by 2026-11-23T10:00:00Z  <- delivery_delay\.apologise wrong_invoice\.apologise_invoice$" \
  "^  call_back by 2026-11-23T10:00:00Z  <- delivery_delay\.call_back wrong_invoice\.call_back_billing$" \
  -- "$bin" eval "$pack" --case "$case_file"
if [ "$("$bin" eval "$pack" --case "$case_file" | grep -c "apologise")" -eq 1 ]; then pass=$((pass+1)); else
  echo "FAIL: the apology is listed more than once"; fail=$((fail+1)); fi

# triage --all: one playbook a line; --explain: every playbook and why it does or does not match.
expect 0 "^delivery_delay$" "^wrong_invoice$" -- "$bin" triage "$pack" --all --case "$case_file"
printf '{"triage":"all","now":"2026-11-23T10:00:00Z","facts":{"days_late":2,"order_value":"80.00 EUR","overcharge":"0 EUR"}}\n' >"$tmp/late.json"
expect 0 "^delivery_delay$" "^  delivery_delay +matches" \
  "^  wrong_invoice +no: its 'match' is false: overcharge > 0 EUR \(wrong_invoice\.yaml:5:9\) with overcharge = 0\.00 EUR$" \
  -- "$bin" triage "$pack" --all --explain --case "$tmp/late.json"
if "$bin" triage "$pack" --all --case "$tmp/late.json" | grep -q wrong_invoice; then
  echo "FAIL: triage --all lists a playbook that does not match"; fail=$((fail+1)); else pass=$((pass+1)); fi

# redress test: the compound tests pass and cover both playbooks; --filter picks by name.
expect 0 "^[0-9]+ passed, 0 failed$" -- "$bin" test "$pack"
expect 0 "^coverage delivery_delay: 10/10" "^coverage wrong_invoice: 9/9" -- "$bin" test --require-coverage "$pack"
expect 0 "^1 passed, 0 failed$" -- "$bin" test "$pack" --filter "gold customer"
expect 0 "^[0-9]+ passed, 0 failed$" -- "$bin" test "$pack/pack.test.yaml"

# A broken copy fails with exit 1: where the test is, what was expected and what came out.
mkdir "$tmp/broken"
cp "$pack"/*.yaml "$tmp/broken/"
sed -i 's/delivery_delay.delay_credit: "0.00 EUR" /delivery_delay.delay_credit: "10.00 EUR"/; s/^      level: manager$/      level: director/' "$tmp/broken/pack.test.yaml"
line=$(grep -n "name: late and overcharged, gold customer" "$tmp/broken/pack.test.yaml" | cut -d: -f1)
expect 1 "^$tmp/broken/pack\.test\.yaml:$line: FAIL delivery_delay\+wrong_invoice: late and overcharged, gold customer$" \
  "^    level: expected director, got manager$" \
  "^    amounts\.delivery_delay\.delay_credit: expected 10\.00 EUR, got 0\.00 EUR \(claimed 10\.00 EUR\)$" \
  "^[0-9]+ passed, 1 failed$" -- "$bin" test "$tmp/broken"

# A test naming what the pack lacks is a load error, located, with a did-you-mean: exit 2.
mkdir "$tmp/bad"
cp "$pack"/pack.yaml "$pack"/delivery_delay.yaml "$pack"/wrong_invoice.yaml "$tmp/bad/"
printf 'tests:\n  - name: x\n    playbooks: [delivery_delay, wrong_invoce]\n    now: "2026-11-23T10:00:00Z"\n    expect: {level: manager}\n' >"$tmp/bad/pack.test.yaml"
expect 2 "pack\.test\.yaml:3:33: error: no playbook 'wrong_invoce' in the pack \(did you mean 'wrong_invoice'\?\)" -- "$bin" test "$tmp/bad"
expect 1 "pack\.test\.yaml:3:33: error: no playbook 'wrong_invoce'" -- "$bin" lint "$tmp/bad"

finish "compound CLI"
