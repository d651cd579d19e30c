"""docs/authoring.md §14 (compound cases) shows real files and real output.

- Every `<!-- command -->` block of the guide is run: its first line `$ redress ARGS` runs the
  CLI from the source directory, and stdout and stderr together must be the rest of the block,
  character for character. (The files it prints are checked by tests/sla_guide/snippet_test.py,
  which compares every `<!-- snippet: PATH -->` block of the guide with its file.)
- §14 prints every file of tests/compound_guide/.
- The failure it shows is what `redress test` prints when its test expects 35 EUR of goodwill
  and a supervisor for the bill.
- The example compound test of docs/playbook-format.md §1 passes on tests/compound/pack.

Run: python3 guide_test.py REDRESS_BINARY SOURCE_DIR
"""
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

binary, source = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]).resolve()
doc = (source / "docs" / "authoring.md").read_text(encoding="utf-8")
section = doc[doc.index("## 14. Compound cases"):]
failures = []


def run(args, cwd=source):
    done = subprocess.run([binary] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=60)
    return done.returncode, done.stdout


commands = re.findall(r"<!-- command -->\n```console\n\$ redress (.*?)\n(.*?)```\n", section, re.S)
if len(commands) < 5:
    failures.append(f"§14 has {len(commands)} command blocks, expected at least 5")
for args, want in commands:
    _, got = run(shlex.split(args))
    if got != want:
        failures.append(f"`redress {args}` prints:\n{got}\nbut §14 shows:\n{want}")

guide = source / "tests" / "compound_guide"
printed = set(re.findall(r"<!-- snippet: (\S+) -->", section))
for f in sorted(guide.rglob("*.yaml")):
    path = f.relative_to(source).as_posix()
    if "first_try" not in f.parts and path not in printed:
        failures.append(f"§14 does not print {path}")

# The failure shown, from a copy whose test expects what the guide says it expects.
sample = re.search(r"A failure reads like.*?\n```\n(.*?)```\n", section, re.S).group(1)
with tempfile.TemporaryDirectory() as tmp:
    copy = Path(tmp) / "tests" / "compound_guide"
    shutil.copytree(guide, copy)
    tests = copy / "pack.test.yaml"
    text = tests.read_text(encoding="utf-8")
    text = text.replace('goodwill: "30.00 EUR"', 'goodwill: "35.00 EUR"', 1)
    text = text.replace("      covered_by:\n", "      parts: {wrong_bill: {level: supervisor}}\n      covered_by:\n", 1)
    tests.write_text(text, encoding="utf-8")
    code, got = run(["test", "tests/compound_guide"], cwd=tmp)
    if code != 1 or not got.startswith(sample):
        failures.append(f"the failing test prints (exit {code}):\n{got}\nbut §14 shows:\n{sample}")

# The contract's example compound test is a real one.
contract = (source / "docs" / "playbook-format.md").read_text(encoding="utf-8")
at = contract.index("Example (a part of `tests/compound/pack/pack.test.yaml`")
example = textwrap.dedent(re.search(r"```yaml\n(.*?)```", contract[at:], re.S).group(1))
with tempfile.TemporaryDirectory() as tmp:
    for f in ("pack.yaml", "delivery_delay.yaml", "wrong_invoice.yaml"):
        shutil.copy(source / "tests" / "compound" / "pack" / f, tmp)
    (Path(tmp) / "pack.test.yaml").write_text(example, encoding="utf-8")
    code, got = run(["test", tmp])
    if code != 0 or not got.endswith("1 passed, 0 failed\n"):
        failures.append(f"the contract's example compound test gives (exit {code}):\n{got}")

for f in failures:
    print(f, file=sys.stderr)
print(f"{len(commands)} commands checked, {len(failures)} problems")
sys.exit(1 if failures else 0)
