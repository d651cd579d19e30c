#!/usr/bin/env bash
# Installs the built tree into a temporary prefix, then, from a temporary directory outside the
# repository: configures, builds and runs a consumer that uses find_package(redress CONFIG) and
# links redress::redress; builds and runs the README's C++ snippet (crm.cpp, CMakeLists.txt and
# the build line, extracted from README.md) against the bundled pack the install carries; and
# runs the installed CLI.
#   run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$src/tests/package/consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/consumer" -j2 >/dev/null
"$tmp/consumer/consumer" "$src/playbooks"
# The installed headers must not pull in yaml-cpp or Boost.
if grep -rlE "yaml-cpp|boost/" "$prefix/include/redress"; then
  echo "public headers include yaml-cpp or Boost"; exit 1
fi
# The install carries the bundled pack and the schemas.
for f in playbooks/pack.yaml playbooks/delivery_delay.yaml playbooks/delivery_delay.test.yaml \
         schemas/playbook.schema.json schemas/pack.schema.json schemas/playbook-tests.schema.json schemas/pack-tests.schema.json \
         schemas/case.schema.json schemas/decision.schema.json; do
  [ -f "$prefix/share/redress/$f" ] || { echo "not installed: share/redress/$f"; exit 1; }
done

# The README's C++ snippet, verbatim but for the install prefix, built outside the repository.
# The prefix is not the one configured, so the install is named by REDRESS_DATA_DIR (which, when
# set, is the only place looked: the source tree cannot answer instead).
mkdir "$tmp/crm"
snip() { python3 "$src/tests/package/snippets.py" "$src/README.md" "$1"; }
snip crm.cpp > "$tmp/crm/crm.cpp"
snip CMakeLists.txt > "$tmp/crm/CMakeLists.txt"
snip build.sh | sed "s#/opt/redress#$prefix#g" > "$tmp/crm/build.sh"
out=$(cd "$tmp/crm" && REDRESS_DATA_DIR="$prefix/share/redress" bash build.sh 2>&1) || {
  echo "README C++ snippet failed:"; echo "$out"; exit 1; }
grep -q "^offer 4.99 EUR$" <<<"$out" || { echo "README C++ snippet printed:"; echo "$out"; exit 1; }
grep -Eq '"state": ?"offer"' <<<"$out" || { echo "README C++ snippet printed no JSON:"; echo "$out"; exit 1; }
# Without REDRESS_DATA_DIR a moved install is reported, naming where it looked.
if REDRESS_DATA_DIR="$tmp/nowhere" bash -c 'cd "$1" && build/crm; exit $?' _ "$tmp/crm" >"$tmp/err" 2>&1; then
  echo "crm ran with REDRESS_DATA_DIR pointing nowhere"; exit 1
fi
grep -q "REDRESS_DATA_DIR" "$tmp/err" || { echo "no useful error:"; cat "$tmp/err"; exit 1; }

# The installed CLI finds the pack beside its bin/ with no help.
(cd "$tmp" && env -u REDRESS_DATA_DIR "$prefix/bin/redress" test | tail -n 1 | grep -Eq " passed, 0 failed$") || {
  echo "the installed redress does not find its pack"; exit 1; }
echo "package test passed"
