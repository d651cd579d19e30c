#!/usr/bin/env bash
# Builds everything (library, CLI, examples, Python module) and runs every test: doctest unit
# and golden tests, CLI tests, the packaging test, playbook tests and pytest, all through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
build=${REDRESS_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREDRESS_BUILD_PYTHON=ON \
      -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2
