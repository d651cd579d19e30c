# What the CLI test scripts share: a scratch directory removed on exit, the pass/fail counts and
# the ways to check. Each script sources it first:  . "$(dirname "$0")/lib.sh"
# (a script that needs more on exit sets its own trap and removes "$tmp" there too).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
  local what=$1
  shift
  if "$@"; then pass=$((pass+1)); else echo "FAIL: $what"; fail=$((fail+1)); fi
}

# expect CODE PATTERN... -- COMMAND...: the command (stdin empty, at most 60 s — generous, for a
# loaded machine) exits CODE, and every extended regex PATTERN matches a line of its stdout and
# stderr together, NULs left out ("" matches anything).
expect() {
  local code=$1
  shift
  local patterns=()
  while [ "$1" != "--" ]; do patterns+=("$1"); shift; done
  shift
  timeout 60 "$@" >"$tmp/.raw" 2>&1 </dev/null
  local rc=$?
  tr -d '\000' <"$tmp/.raw" >"$tmp/.out"
  if [ "$rc" -ne "$code" ]; then
    echo "FAIL: $* -> exit $rc, expected $code"; head -n 30 "$tmp/.out" | sed 's/^/    /'; fail=$((fail+1)); return
  fi
  local p
  for p in "${patterns[@]}"; do
    if [ -n "$p" ] && ! grep -Eq -- "$p" "$tmp/.out"; then
      echo "FAIL: $* -> output does not match /$p/"; head -n 30 "$tmp/.out" | sed 's/^/    /'; fail=$((fail+1)); return
    fi
  done
  pass=$((pass+1))
}

# finish [LABEL]: prints the counts; its status is the script's (0 when nothing failed).
finish() {
  echo "${1:+$1: }$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
