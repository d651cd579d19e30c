"""Issue #17's "Done when", as the CLI runs it: for the README's gold-customer case,
`redress explain --why-not level=director` names the rule and the fact that keep it at manager,
and `--what-if days_late=7` reports the delay credit the engine itself computes for the changed
case (read from `redress eval`, never written here). Runs on a frozen copy of the bundled
delivery_delay playbook (tests/explain/delivery_delay) so that rewriting the pack does not move it.

usage: done_when.py REDRESS SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

redress, src = sys.argv[1], sys.argv[2]
pack = os.path.join(src, "tests/explain/delivery_delay")
case_path = os.path.join(src, "tests/explain/late_gold.json")


def run(*args):
    p = subprocess.run([redress, *args], capture_output=True, text=True)
    assert p.returncode == 0, f"{args}: exit {p.returncode}\n{p.stderr}"
    return p.stdout


# Why not director: the rule (contacts >= 3, raise 1) and the fact (contacts, 1).
text = run("explain", pack, "--case", case_path, "--why-not", "level=director")
assert "The level is manager, not director." in text, text
assert "escalation rule 'contacts >= 3' (raise 1)" in text, text
assert "contacts >= 3 is false (contacts is 1 (default))" in text, text
j = json.loads(run("explain", pack, "--case", case_path, "--why-not", "level=director", "--format", "json"))
[why_not] = j["why_not"]
assert not why_not["reached"]
blocker = why_not["blockers"][0]
assert blocker["failed"]["facts"][0] == {"name": "contacts", "value": "1", "source": "default"}, blocker
assert blocker["at"].startswith("delivery_delay.yaml:"), blocker
assert why_not["changes"] == [], "director cannot be reached here; nothing unconfirmed may be reported"

# What if days_late were 7, not 3: the credit the engine computes for that case.
with open(case_path) as f:
    case = json.load(f)
assert case["facts"]["days_late"] == 3
case["facts"]["days_late"] = 7
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    json.dump(case, f)
    seven = f.name
try:
    engine = json.loads(run("eval", pack, "--case", seven, "--json"))
finally:
    os.unlink(seven)
[credit] = [i for i in engine["compensation"]["items"] if i["id"] == "delay_credit"]
j = json.loads(run("explain", pack, "--case", case_path, "--what-if", "days_late=7", "--format", "json"))
diffs = {d["field"]: d for d in j["what_if"]["differences"]}
changed = diffs["compensation.items[delay_credit].amount"]
assert changed["before"] == "3.00 EUR", changed
assert changed["after"] == credit["amount"], (changed, credit)
assert changed["after"] != changed["before"]
assert j["what_if"]["decision"] == engine, "the what-if Decision is the engine's own"
text = run("explain", pack, "--case", case_path, "--what-if", "days_late=7")
assert f"compensation.items[delay_credit].amount: 3.00 EUR -> {credit['amount']}" in text, text

# Counterfactual: from 2 days late, the credit needs days_late >= 3, confirmed by evaluation.
case["facts"]["days_late"] = 2
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    json.dump(case, f)
    two = f.name
try:
    j = json.loads(run("explain", pack, "--case", two, "--why-not", "item=delay_credit", "--format", "json"))
    [cf] = j["why_not"][0]["changes"][:1]
    assert cf["changes"] == [{"fact": "days_late", "from": "2", "to": "3", "relation": ">="}], cf
    case["facts"]["days_late"] = 3
    with open(two, "w") as f:
        json.dump(case, f)
    engine = json.loads(run("eval", pack, "--case", two, "--json"))
    [credit] = [i for i in engine["compensation"]["items"] if i["id"] == "delay_credit"]
    assert cf["outcome"] == "delay_credit " + credit["amount"], (cf, credit)
finally:
    os.unlink(two)

# Bad input is exit 2 with a message, never a crash.
def fails(message, *args):
    p = subprocess.run([redress, "explain", pack, "--case", case_path, *args], capture_output=True, text=True)
    assert p.returncode == 2, (args, p.returncode, p.stdout, p.stderr)
    assert message in p.stderr, (args, p.stderr)


fails("did you mean 'director'", "--why-not", "level=directr")
fails("not KIND=VALUE", "--why-not", "director")
fails("did you mean 'days_late'", "--what-if", "days_lat=7")
fails("is not FACT=VALUE", "--what-if", "=7")
fails("fact 'days_late' must be a whole number", "--what-if", "days_late=seven")
fails("is not a time", "--what-if", "now=tomorrow")
print("ok")
