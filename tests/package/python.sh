#!/usr/bin/env bash
# The Python package as a user installs it, offline (README, "Python"): `pip install
# --no-build-isolation --no-index bindings/python` into a temporary --target, packaging the
# module and CLI this build tree already compiled (REDRESS_PREBUILT_DIR); then, from a temporary
# directory outside the repository, the README's Python snippet (extracted from README.md), the
# `redress` console script and `python -m redress`, and the data and stubs the package ships.
#   python.sh BUILD_DIR SOURCE_DIR PYTHON
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
py=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
site=$tmp/site
REDRESS_PREBUILT_DIR=$build PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$py" -m pip install -q --no-build-isolation --no-index --target "$site" "$src/bindings/python" \
  >"$tmp/pip.log" 2>&1 || { echo "pip install failed:"; cat "$tmp/pip.log"; exit 1; }
for f in redress/__init__.pyi redress/py.typed redress/bin/redress redress/share/redress/playbooks/pack.yaml \
         redress/share/redress/schemas/playbook.schema.json bin/redress; do
  [ -e "$site/$f" ] || { echo "the package lacks $f"; exit 1; }
done
mkdir "$tmp/work"
cd "$tmp/work"
export PYTHONPATH=$site PYTHONDONTWRITEBYTECODE=1
unset REDRESS_DATA_DIR REDRESS_CLI
"$py" "$src/tests/package/snippets.py" "$src/README.md" crm.py > crm.py
out=$("$py" crm.py 2>&1) || { echo "README Python snippet failed:"; echo "$out"; exit 1; }
[ "$out" = "offer manager 4.99 EUR" ] || { echo "README Python snippet printed: $out"; exit 1; }
# The data comes from the package itself, not from the source tree.
"$py" -c "import redress, sys; p = redress.bundled_pack_path(); sys.exit(0 if p.startswith('$site') else p)"
"$py" -c "import redress, os, sys; sys.exit(0 if os.path.isfile(os.path.join(redress.schema_dir(), 'pack.schema.json')) else 1)"
# The console script and python -m run the packaged CLI, which finds the packaged pack.
"$site/bin/redress" --version | grep -Eq "^[0-9]+\.[0-9]+\.[0-9]+"
"$site/bin/redress" test | tail -n 1 | grep -Eq " passed, 0 failed$"
cat > case.json <<'JSON'
{"playbook": "delivery_delay", "state": "investigating", "now": "2026-11-23T10:00:00Z",
 "facts": {"category": "delivery", "order_id": "A-1001", "order_value": "200.00 EUR",
           "shipping_fee": "4.99 EUR", "days_late": 3, "tier": "gold"}}
JSON
"$py" -m redress eval --case case.json --json | grep -Eq '"state": ?"offer"'
set +e
"$py" -m redress eval --case missing.json >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "python -m redress: exit $rc for a missing case, expected 2"; exit 1; }
echo "python package test passed"
