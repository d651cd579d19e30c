#!/usr/bin/env bash
# Installs the built tree into a temporary prefix, then configures, builds and runs a consumer
# that uses find_package(redress CONFIG) and links redress::redress.
#   run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$src/tests/package/consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/consumer" -j2 >/dev/null
"$tmp/consumer/consumer" "$src/playbooks"
# The installed headers must not pull in yaml-cpp or Boost.
if grep -rlE "yaml-cpp|boost/" "$tmp/prefix/include/redress"; then
  echo "public headers include yaml-cpp or Boost"; exit 1
fi
echo "package test passed"
