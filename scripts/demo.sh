#!/usr/bin/env bash
# Set-up and demo: install what is missing, build, then lint the bundled playbooks and
# evaluate the example cases against them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2
echo "== redress lint playbooks/"
build/redress lint playbooks/
for c in examples/cases/*.json examples/cases/*.yaml; do
  echo
  echo "== redress eval playbooks/ --case $c"
  build/redress eval playbooks/ --case "$c"
done
