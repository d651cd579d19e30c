#!/usr/bin/env bash
# `redress replay` throughput and memory (issue #16): N generated cases (tools/casegen.py, seed 1)
# through two versions of the bundled pack, under /usr/bin/time -v; prints wall time, cases/s
# and max RSS for N/10 and N cases (flat memory: the two RSS figures stay alike). Not part of CI.
#   benchmarks/replay_bench.sh [BUILD_DIR] [N]      (defaults: build 1000000)
# docs/scaling.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-1000000}
old=tests/fixtures/pack_first_edition   # the bundled pack's first edition
new=playbooks                           # the bundled pack now
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PYTHONPATH=$build/python /usr/bin/python3 tools/casegen.py --pack "$old" --cases "$n" --seed 1 -o "$tmp/cases.jsonl"
head -n $((n / 10)) "$tmp/cases.jsonl" >"$tmp/tenth.jsonl"
for input in tenth cases; do
  /usr/bin/time -v "$build/redress" replay --old "$old" --new "$new" "$tmp/$input.jsonl" -q \
    --diff "$tmp/$input.diff" >"$tmp/$input.summary" 2>"$tmp/$input.time" || test $? -eq 1  # 1: some cases gave errors
  cases=$(wc -l <"$tmp/$input.jsonl")
  wall=$(awk -F': ' '/Elapsed/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + t[i]; print s }' "$tmp/$input.time")
  rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$tmp/$input.time")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$tmp/$input.time")
  awk -v c="$cases" -v w="$wall" -v r="$rss" -v u="$cpu" \
    'BEGIN { printf "%9d cases  %7.1f s wall  %8.0f cases/s  %6.1f s CPU  max RSS %d KiB\n", c, w, c / w, u, r }'
done
head -2 "$tmp/cases.summary"
