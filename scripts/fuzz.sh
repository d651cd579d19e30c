#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) and fuzzes one of them, seeded from the
# repository's playbooks, golden files, examples, vectors and earlier regressions.
#   scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags…]   TARGET: playbook | case | expr
# Findings (crash-*, timeout-*, oom-*) land in build-fuzz/findings/TARGET/; copy each one, once
# fixed, into tests/fuzz/regressions/TARGET/ so that CTest replays it (fuzz.regressions.TARGET).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh playbook|case|expr [seconds] [libFuzzer flags]}
seconds=${2:-600}
shift $(( $# < 2 ? $# : 2 ))
build=${REDRESS_FUZZ_BUILD_DIR:-build-fuzz}

CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DREDRESS_BUILD_FUZZERS=ON -DREDRESS_BUILD_TESTS=OFF -DREDRESS_BUILD_CLI=OFF \
  -DREDRESS_BUILD_EXAMPLES=OFF -DREDRESS_INSTALL=OFF >/dev/null
nice -n 10 cmake --build "$build" -j2 --target "fuzz_$target" >/dev/null

corpus="$build/corpus/$target"
findings="$build/findings/$target"
seeds="$build/seeds/$target"
mkdir -p "$corpus" "$findings" "$seeds"
rm -f "$seeds"/*
seed() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$seeds/$(echo "$f" | tr / _)"; done; true; }
shopt -s globstar nullglob
case "$target" in
  playbook)
    seed playbooks/*.yaml tests/golden/**/*.yaml tests/analysis/**/*.yaml examples/**/*.yaml \
         tests/cli/fixtures/*.yaml tests/money/*.yaml
    dict=tests/fuzz/dict/yaml.dict ;;
  case)
    # tests/fuzz/seeds/case: every case field (sign_offs, paid, pauses, done, timezone, …) against
    # the bundled pack, valid and broken.
    seed examples/cases/* tests/vectors/*.case.* tests/golden/**/*.case.* tests/fuzz/seeds/case/*
    dict=tests/fuzz/dict/yaml.dict ;;
  expr)
    # Every scalar of the repository's YAML, one file each: the expressions among them are seeds.
    python3 - "$seeds" playbooks/*.yaml tests/golden/**/*.yaml examples/**/*.yaml <<'PY'
import hashlib, sys, yaml
out = sys.argv[1]
def walk(n):
    if isinstance(n, dict):
        for v in n.values(): yield from walk(v)
    elif isinstance(n, list):
        for v in n: yield from walk(v)
    elif isinstance(n, str) and n.strip():
        yield n
for path in sys.argv[2:]:
    try:
        docs = list(yaml.safe_load_all(open(path, encoding="utf-8")))
    except Exception:
        continue
    for s in walk(docs):
        name = hashlib.sha1(s.encode()).hexdigest()[:16]
        open(f"{out}/{name}", "w", encoding="utf-8").write(s)
PY
    dict=tests/fuzz/dict/expr.dict ;;
  *) echo "unknown target '$target' (playbook, case or expr)" >&2; exit 2 ;;
esac
cp tests/fuzz/regressions/"$target"/* "$seeds"/ 2>/dev/null || true

echo "fuzz_$target: $(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) corpus files, ${seconds}s"
nice -n 15 "$build/tests/fuzz/fuzz_$target" "$corpus" "$seeds" -dict="$dict" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$findings/" -print_final_stats=1 "$@"
