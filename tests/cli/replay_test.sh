#!/usr/bin/env bash
# `redress replay` as a user runs it, on tests/fixtures/pack_first_edition (the bundled pack's
# first edition, so rewriting the bundled playbooks does not move these figures) as the old
# pack, and a new one made here from it by one known change: the delivery-delay cap raised
# from 100 to 150 EUR.
#   replay_test.sh REDRESS_BINARY SOURCE_DIR
set -u
bin=$1
fixtures=$2/tests/replay
. "$(dirname "$0")/lib.sh"
json() {  # json FILE PYTHON-EXPRESSION-ON-s: true or not
  python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"
}

old=$2/tests/fixtures/pack_first_edition
new=$tmp/pack_v2
cp -r "$old" "$new"
sed -i 's/min(order_value, 100 EUR) : 100 EUR/min(order_value, 150 EUR) : 150 EUR/' "$new/delivery_delay.yaml"
check "the fixture change applied" grep -q '150 EUR) : 150 EUR' "$new/delivery_delay.yaml"

# 1. Identical packs: nothing changes, totals equal, no diff line.
"$bin" replay --old "$old" --new "$old" "$fixtures/cases.jsonl" --format json --diff "$tmp/same.diff" >"$tmp/same.json" 2>"$tmp/err"
check "identical packs exit 0" test $? -eq 0
check "identical packs: 6 cases, none changed, no rule differs" json "$tmp/same.json" \
  "s['cases'] == 6 and s['evaluated'] == 6 and s['errors'] == 0 and s['changed']['cases'] == 0 and s['rules'] == []"
check "identical packs: old total == new total" json "$tmp/same.json" \
  "s['compensation']['EUR'] == {'old': '280.98 EUR', 'new': '280.98 EUR', 'delta': '0.00 EUR'}"
check "identical packs: empty diff" test ! -s "$tmp/same.diff"
check "quiet stderr when not a terminal" test ! -s "$tmp/err"

# 2. The cap raised: exactly lines 1 and 7 change, by +50.00 EUR each.
"$bin" replay --old "$old" --new "$new" "$fixtures/cases.jsonl" --format json --diff "$tmp/cap.diff" >"$tmp/cap.json"
check "cap change exit 0" test $? -eq 0
check "cap change: 2 cases changed, only in compensation" json "$tmp/cap.json" \
  "s['changed'] == {'cases': 2, 'playbook': 0, 'state': 0, 'actions': 0, 'level': 0, 'compensation': 2, 'approval': 0}"
check "cap change: total and delta, exact" json "$tmp/cap.json" \
  "s['compensation']['EUR'] == {'old': '280.98 EUR', 'new': '380.98 EUR', 'delta': '+100.00 EUR'}"
check "cap change: per playbook" json "$tmp/cap.json" \
  "s['playbooks']['delivery_delay']['compensation']['EUR']['delta'] == '+100.00 EUR' and s['playbooks']['delivery_delay']['changed'] == 2 and s['playbooks']['wrong_invoice']['compensation']['EUR']['delta'] == '0.00 EUR'"
check "cap change: the cap fired differently in the 5 cases whose cap value moved" json "$tmp/cap.json" \
  "len(s['rules']) == 1 and s['rules'][0]['what'] == 'cap' and s['rules'][0]['cases'] == 5 and '150 EUR' in s['rules'][0]['expr'] and '100 EUR' in s['rules'][0]['old_expr'] and s['rules'][0]['at'] == 'delivery_delay.yaml:77:9'"
check "cap change: approval levels unchanged" json "$tmp/cap.json" \
  "all(v['old'] == v['new'] for v in s['approval_levels'].values()) and s['approval_levels']['manager'] == {'old': 2, 'new': 2}"
check "cap change: the diff names lines 1 and 7" test "$(python3 -c "import json,sys; print([json.loads(l)['line'] for l in open(sys.argv[1])])" "$tmp/cap.diff")" = "[1, 7]"
check "cap change: the diff line says old, new and delta" json <(head -1 "$tmp/cap.diff") \
  "s['changed'] == ['compensation'] and s['compensation'] == {'old': '100.00 EUR', 'new': '150.00 EUR', 'delta': '50.00 EUR'} and s['playbook'] == 'delivery_delay'"
check "--fail-on-change exits 1" bash -c "'$bin' replay --old '$old' --new '$new' '$fixtures/cases.jsonl' --fail-on-change >/dev/null; test \$? -eq 1"
"$bin" replay --old "$old" --new "$new" "$fixtures/cases.jsonl" --format markdown >"$tmp/cap.md"
check "markdown summary" grep -q '^| delivery_delay | EUR | 240.98 EUR | 340.98 EUR | +100.00 EUR | 5 | 2 |$' "$tmp/cap.md"
"$bin" replay --old "$old" --new "$new" "$fixtures/cases.jsonl" >"$tmp/cap.txt"
check "text summary" grep -q 'all  280.98 EUR -> 380.98 EUR (+100.00 EUR)' "$tmp/cap.txt"

# 3. The same cases as CSV (and from stdin) give the same summary.
python3 - "$fixtures/cases.jsonl" >"$tmp/cases.csv" <<'EOF'
import csv, json, sys
rows = [json.loads(l) if l.strip() else None for l in open(sys.argv[1])]
facts = sorted({k for r in rows if r for k in r["facts"]})
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["case_id", "playbook", "state", "now", "entered_at", *facts])
for i, r in enumerate(rows):
    if r is None:
        print()
        continue
    w.writerow([f"c{i}", r["playbook"], r["state"], r["now"], r["entered_at"],
                *(str(r["facts"][f]).lower() if isinstance(r["facts"].get(f), bool) else r["facts"].get(f, "") for f in facts)])
EOF
"$bin" replay --old "$old" --new "$new" - --format json <"$tmp/cases.csv" >"$tmp/csv.json"
check "CSV from stdin exit 0" test $? -eq 0
check "CSV gives the JSON Lines summary" python3 -c "
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for x in (a, b):
    for c in x['top_cases']: c['line'] = 0     # CSV lines are one further down (the header)
    for e in x['first_errors']: e['line'] = 0
sys.exit(a != b)" "$tmp/cap.json" "$tmp/csv.json"
printf 'playbook,days_late,days_late\n' >"$tmp/bad.csv"
"$bin" replay --old "$old" --new "$new" "$tmp/bad.csv" >/dev/null 2>"$tmp/err"
check "a repeated CSV column: exit 2" test $? -eq 2
check "a repeated CSV column: located" grep -q "bad.csv:1:20: column 'days_late' appears twice" "$tmp/err"

# 4. Malformed lines are counted and reported in place; the run goes on.
{ sed -n 1,2p "$fixtures/cases.jsonl"; echo '{"playbook": "delivery_delay", "facts": {'; echo 'not json'
  sed -n 3,7p "$fixtures/cases.jsonl"; echo '{"playbook":"no_such","facts":{}}'; } >"$tmp/mixed.jsonl"
"$bin" replay --old "$old" --new "$new" "$tmp/mixed.jsonl" --format json --diff "$tmp/mixed.diff" >"$tmp/mixed.json"
check "errors: exit 1" test $? -eq 1
check "errors: counted, the other cases replayed" json "$tmp/mixed.json" \
  "s['cases'] == 9 and s['evaluated'] == 6 and s['errors'] == 3 and s['changed']['cases'] == 2"
check "errors: the first lines, located" json "$tmp/mixed.json" \
  "[e['line'] for e in s['first_errors']] == [3, 4, 10] and s['first_errors'][0]['error'].startswith('$tmp/mixed.jsonl:3:') and 'both packs' in s['first_errors'][2]['error']"
check "errors: in place in the diff, between the changed cases" test \
  "$(python3 -c "import json,sys; print([(json.loads(l)['line'], 'error' in json.loads(l)) for l in open(sys.argv[1])])" "$tmp/mixed.diff")" \
  = "[(1, False), (3, True), (4, True), (9, False), (10, True)]"

# A first line past the case limit is one error in its place, not the end of the run.
{ head -c 4200000 /dev/zero | tr '\0' 'x'; echo; sed -n 1p "$fixtures/cases.jsonl"; } >"$tmp/long.jsonl"
"$bin" replay --old "$old" --new "$new" "$tmp/long.jsonl" --format json --diff "$tmp/long.diff" >"$tmp/long.json"
check "a long first line: exit 1" test $? -eq 1
check "a long first line: refused in place, the next case replayed" json "$tmp/long.json" \
  "s['cases'] == 2 and s['errors'] == 1 and s['evaluated'] == 1 and s['changed']['cases'] == 1 and s['first_errors'][0]['line'] == 1 and '4 MiB' in s['first_errors'][0]['error']"
check "a long first line: the diff says so on line 1, then the change on line 2" test \
  "$(python3 -c "import json,sys; print([json.loads(l)['line'] for l in open(sys.argv[1])])" "$tmp/long.diff")" = "[1, 2]"

# 5. Bad usage.
"$bin" replay --old "$old" --new "$new" "$tmp/missing.jsonl" >/dev/null 2>"$tmp/err"
check "missing cases file: exit 2" test $? -eq 2
"$bin" replay --old "$old" --new "$tmp/nope" "$fixtures/cases.jsonl" >/dev/null 2>&1
check "missing new pack: exit 2" test $? -eq 2
"$bin" replay --old "$old" --new "$new" </dev/null >"$tmp/empty.txt"
check "no cases: exit 0, 0 cases" grep -q '^0 cases' "$tmp/empty.txt"

# 6. The HTML report: self-contained, with the figures.
"$bin" replay --old "$old" --new "$new" "$fixtures/cases.jsonl" --report "$tmp/r.html" >/dev/null
check "report written" test -s "$tmp/r.html"
check "report: no script, no external resource" bash -c "! grep -Eqi '<script|<link|src=|url\\(|@import|https?://[a-z]' '$tmp/r.html'"
check "report: totals and the changed case" bash -c "grep -q '+100.00 EUR' '$tmp/r.html' && grep -q 'line 1 · delivery_delay' '$tmp/r.html' && grep -q '<svg' '$tmp/r.html'"

finish
