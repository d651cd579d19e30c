#!/usr/bin/env bash
# `redress batch` (and `eval --jsonl`) as a user sees it: one output line per input line, in
# order, errors in place with their line, blank lines kept, a stream larger than a chunk answered
# before its end, a line past the case limit refused in place.
#   batch_test.sh REDRESS_BINARY SOURCE_DIR
set -u
bin=$1
pb=$2/playbooks
. "$(dirname "$0")/lib.sh"
trap 'rm -rf "$tmp"; [ -n "${bg:-}" ] && kill "$bg" 2>/dev/null' EXIT

# N cases, order ids C-1..C-N, every one late so its Decision's offer names the order.
cases() {
  awk -v n="$1" 'BEGIN { for (i = 1; i <= n; ++i)
    printf "{\"playbook\":\"delivery_delay\",\"state\":\"investigating\",\"now\":\"2026-11-23T10:00:00Z\",\"facts\":{\"category\":\"delivery\",\"order_id\":\"C-%d\",\"order_value\":\"%d.50 EUR\",\"days_late\":%d,\"tier\":\"gold\"}}\n", i, i % 900, 1 + i % 20 }'
}
# Every output line I names order C-I (the order is kept).
in_order() {
  awk '{ if (index($0, "order C-" NR " ") == 0) { print "line " NR " is not case " NR ": " substr($0, 1, 120); bad = 1; exit } } END { exit bad }' "$1"
}

# Order over several chunks and threads; the summary on stderr.
cases 40000 >"$tmp/cases.jsonl"
"$bin" batch "$pb" "$tmp/cases.jsonl" -o "$tmp/out.jsonl" --threads 2 2>"$tmp/err"
check "40000 cases exit 0" test $? -eq 0
check "one line out per line in" test "$(wc -l <"$tmp/out.jsonl")" -eq 40000
check "decisions in input order" in_order "$tmp/out.jsonl"
check "summary on stderr" grep -Eq '^40,000 cases: 40,000 decided, 0 errors in [0-9.]+ s \([0-9,]+ cases/s, 2 threads\)' "$tmp/err"
check "no progress line when stderr is not a terminal" bash -c "! grep -q 'ETA' '$tmp/err'"
# The same bytes whatever the thread count, and through `eval --jsonl` and stdin.
"$bin" batch "$pb" "$tmp/cases.jsonl" --threads 1 -q >"$tmp/out1.jsonl" 2>/dev/null
check "1 thread gives the same bytes as 2" cmp -s "$tmp/out.jsonl" "$tmp/out1.jsonl"
"$bin" eval "$pb" --jsonl - <"$tmp/cases.jsonl" >"$tmp/out2.jsonl" 2>/dev/null
check "eval --jsonl - reads stdin, same bytes" cmp -s "$tmp/out.jsonl" "$tmp/out2.jsonl"
check "each line is the Decision of eval --json" bash -c \
  "head -n 1 '$tmp/cases.jsonl' >'$tmp/one.json' && '$bin' eval '$pb' --case '$tmp/one.json' --json | tr -d '\n' | sed 's/\": /\":/g; s/  *//g' >'$tmp/one.out' && head -n 1 '$tmp/out.jsonl' | sed 's/  *//g' | cmp -s - <(cat '$tmp/one.out'; echo)"

# Errors in place, with their line; blank lines kept; exit 1 for a finding.
{
  cases 1
  printf '{"playbook":"delivery_delay","facts":{"order_id":\n'
  printf '\n'
  printf '{"playbook":"delivery_delay","state":"investigating","now":"2026-11-23T10:00:00Z","facts":{"category":"delivery","days_late":2}}\n'
  printf '   \n'
  printf '[1, 2]\n'
  cases 2 | tail -n 1
} >"$tmp/mixed.jsonl"
"$bin" batch "$pb" "$tmp/mixed.jsonl" >"$tmp/mixed.out" 2>"$tmp/mixed.err"
check "errors exit 1" test $? -eq 1
check "7 lines in, 7 out" test "$(wc -l <"$tmp/mixed.out")" -eq 7
check "line 1 decided" bash -c "sed -n 1p '$tmp/mixed.out' | grep -q '\"state\": \"offer\"'"
check "line 2: malformed, located at its line" bash -c "sed -n 2p '$tmp/mixed.out' | grep -Eq '^\{\"line\":2,\"error\":\"[^\"]*mixed.jsonl:2:[0-9]+: '"
check "line 3 blank" test -z "$(sed -n 3p "$tmp/mixed.out")"
check "line 4: the missing fact named" bash -c "sed -n 4p '$tmp/mixed.out' | grep -Eq '^\{\"line\":4,\"error\":\".*order_id'"
check "line 5 blank" test -z "$(sed -n 5p "$tmp/mixed.out")"
check "line 6: not a case" bash -c "sed -n 6p '$tmp/mixed.out' | grep -Eq '^\{\"line\":6,\"error\"'"
check "line 7 decided" bash -c "sed -n 7p '$tmp/mixed.out' | grep -q 'order C-2 '"
check "summary counts errors and blanks" grep -q '5 cases: 2 decided, 3 errors, 2 blank lines' "$tmp/mixed.err"

# A line past the 4 MiB case limit is refused in place; the next line is still answered.
{ head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' 'x'; echo; cases 1; } >"$tmp/long.jsonl"
"$bin" batch "$pb" "$tmp/long.jsonl" -q >"$tmp/long.out" 2>&1
check "too long exit 1" test $? -eq 1
check "too long refused in place" bash -c "sed -n 1p '$tmp/long.out' | grep -q '^{\"line\":1,\"error\":\".*4 MiB'"
check "after a too long line" bash -c "sed -n 2p '$tmp/long.out' | grep -q 'order C-1 '"

# Streaming: answers come out while the input is still open (nothing waits for the end).
mkfifo "$tmp/fifo"
"$bin" batch "$pb" "$tmp/fifo" -o "$tmp/stream.out" -q &
bg=$!
exec 3>"$tmp/fifo"
cases 20000 >&3
streamed=0
for _ in $(seq 1 200); do
  if [ "$(wc -l <"$tmp/stream.out" 2>/dev/null || echo 0)" -ge 16384 ]; then streamed=1; break; fi
  sleep 0.1
done
exec 3>&-
wait "$bg"
rc=$?
bg=
check "a chunk is answered before the input ends" test "$streamed" -eq 1
check "stream exit 0" test "$rc" -eq 0
check "stream: every line answered" test "$(wc -l <"$tmp/stream.out")" -eq 20000

# Bad usage and unreadable input.
"$bin" batch "$pb" "$tmp/nope.jsonl" >/dev/null 2>"$tmp/nope.err"
check "missing input exit 2" test $? -eq 2
check "missing input named" grep -q "nope.jsonl" "$tmp/nope.err"
"$bin" eval "$pb" --jsonl - --case x.json </dev/null >/dev/null 2>&1
check "--jsonl and --case exclude each other" test $? -eq 2
"$bin" eval "$pb" >/dev/null 2>"$tmp/none.err"
check "eval with neither --case nor --jsonl exits 2" test $? -eq 2

finish
