#!/usr/bin/env bash
# Installs the Debian packages redress builds and tests with, only those missing (idempotent).
set -euo pipefail
# libhowardhinnant-date-dev + tzdata: IANA time zones for business calendars (issue #10), read
# from the OS tzdb in /usr/share/zoneinfo. libsimdjson-dev: JSON cases read fast and exactly
# (issue #14, src/case/json_case.cpp).
# python3-numpy + python3-pandas: the columnar batch tests (Pack.evaluate_columns takes numpy
# arrays and DataFrames; issue #14).
# python3-pip + python3-wheel + python3-venv: the offline `pip install --no-build-isolation
# --no-index bindings/python` of the README, which the packaging test (tests/package/python.sh)
# runs.
# libcpp-httplib-dev: the HTTP server of `redress serve` (src/serve/).
# python3-dask + python3-distributed: redress.dask, replay and batch evaluation on a Dask cluster
# (issue #16); tests/python/test_dask.py runs a LocalCluster (skipped, saying so, without them).
# chromium: opens the `redress replay --report` page headless to check that it renders
# (tests/cli/replay_report_test.sh; skipped with exit 77 without it). Large, but the report is
# what people look at, and only a browser can say it draws.
packages=(build-essential cmake libyaml-cpp-dev libboost-graph-dev libcli11-dev libcpp-httplib-dev doctest-dev
          libhowardhinnant-date-dev tzdata libsimdjson-dev
          pybind11-dev python3-dev python3-pytest python3-jsonschema python3-yaml python3-setuptools
          python3-pip python3-wheel python3-venv graphviz
          python3-numpy python3-pandas python3-dask python3-distributed chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
