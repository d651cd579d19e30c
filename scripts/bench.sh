#!/usr/bin/env bash
# The issue #14 table in one command (docs/performance.md): every path, its target, what this
# machine measures (median of 3, CPU time, the load average beside each figure) and whether the
# target is met. Takes a few minutes; not part of CI.
#
#   scripts/bench.sh              # build/ (configured with -DREDRESS_BUILD_BENCHMARKS=ON
#                                 #         -DREDRESS_BUILD_PYTHON=ON)
#   BUILD=build-release scripts/bench.sh
#   QUICK=1 scripts/bench.sh      # fewer cases: a smoke run in about a minute
#
# Raw outputs go to $OUT (default /tmp/redress-bench). The peers need node >= 20 and
# `npm install` in benchmarks/peers once (skipped with a note when they are missing).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(cd "${BUILD:-$ROOT/build}" && pwd)"
OUT="${OUT:-/tmp/redress-bench}"
PYTHON="${PYTHON:-/usr/bin/python3}"
QUICK="${QUICK:-0}"
mkdir -p "$OUT"

if [[ "$QUICK" == 1 ]]; then
  CASES=20000; PY_CASES=10000; PEER_CASES=5000; MIN_TIME=0.05
else
  CASES=200000; PY_CASES=50000; PEER_CASES=20000; MIN_TIME=0.5
fi

say() { printf '%s\n' "$*" >&2; }
load() { cut -d' ' -f1 /proc/loadavg; }

for exe in benchmarks/redress_bench benchmarks/redress_peer redress; do
  [[ -x "$BUILD/$exe" ]] || { say "bench.sh: $BUILD/$exe is missing: configure with -DREDRESS_BUILD_BENCHMARKS=ON and build"; exit 2; }
done

# 1. Google Benchmark: the C++ paths (CPU time, allocations per evaluation).
say "1/4 Google Benchmark (load $(load))"
echo "$(load)" > "$OUT/gbench.load"
nice -n 5 "$BUILD/benchmarks/redress_bench" \
  --benchmark_filter='BM_evaluate_bound/|BM_evaluate_into_bound/|BM_evaluate_into_bound_24h|BM_evaluate_case/|BM_json_text_to_json/|BM_parse_case_json|BM_to_json' \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true --benchmark_min_time="$MIN_TIME" \
  --benchmark_format=json --benchmark_out="$OUT/gbench.json" --benchmark_out_format=json > /dev/null
echo "$(load)" >> "$OUT/gbench.load"

# 2. Python: evaluate() in a loop, evaluate_many, evaluate_columns, evaluate_jsonl.
say "2/4 Python (load $(load))"
echo "$(load)" > "$OUT/python.load"
PYTHONPATH="$BUILD/python" nice -n 5 "$PYTHON" "$ROOT/benchmarks/python_bench.py" --cases "$PY_CASES" --runs 3 > "$OUT/python.txt"
echo "$(load)" >> "$OUT/python.load"

# 3. The bulk CLI, file to file, on 1 and 2 threads (wall and the process's CPU time).
say "3/4 redress batch, $CASES cases (load $(load))"
node "$ROOT/benchmarks/peers/generate.js" --cases "$CASES" > "$OUT/cases.jsonl" 2>/dev/null ||
  "$PYTHON" - "$CASES" > "$OUT/cases.jsonl" <<'EOF'
import json, random, sys
rng = random.Random(1)
for i in range(int(sys.argv[1])):
    print(json.dumps({"playbook": "delivery_delay", "state": "investigating", "now": "2026-11-23T10:00:00Z",
        "entered_at": "2026-11-23T08:00:00Z", "facts": {"category": "delivery", "order_id": f"C-{i}",
        "order_value": f"{rng.randint(0, 300000) / 100:.2f} EUR", "shipping_fee": f"{rng.randint(0, 1500) / 100:.2f} EUR",
        "days_late": rng.randint(0, 20), "tier": rng.choice(["standard", "silver", "gold"]),
        "emotion": rng.choice(["calm", "upset", "aggressive"]), "contacts": rng.randint(1, 5),
        "public": rng.random() < 0.1, "claims_90d": rng.randint(0, 4)}}, separators=(",", ":")))
EOF
: > "$OUT/batch.txt"
for threads in 1 2; do
  for run in 1 2 3; do
    l0=$(load)
    /usr/bin/time -f "%e %U %S" -o "$OUT/time.txt" nice -n 5 "$BUILD/redress" batch "$ROOT/playbooks" "$OUT/cases.jsonl" \
      -o "$OUT/decisions.jsonl" --threads "$threads" 2> /dev/null
    echo "$threads $run $(cat "$OUT/time.txt") $l0 $(load)" >> "$OUT/batch.txt"
  done
done

# 4. The peers (GoRules ZEN, json-rules-engine) beside redress, over the same seeded cases.
say "4/4 peers, $PEER_CASES cases (load $(load))"
echo "$(load)" > "$OUT/peers.load"
if command -v node > /dev/null && [[ -d "$ROOT/benchmarks/peers/node_modules/@gorules" ]]; then
  (cd "$ROOT/benchmarks/peers" && nice -n 5 node run.js --redress "$BUILD/benchmarks/redress_peer" \
    --cases "$PEER_CASES" --runs 3) > "$OUT/peers.txt" 2>&1 || true
else
  echo "peers skipped: run 'npm install' in benchmarks/peers (node >= 20)" > "$OUT/peers.txt"
fi
echo "$(load)" >> "$OUT/peers.load"

"$PYTHON" "$ROOT/benchmarks/bench_table.py" "$OUT" "$CASES"
