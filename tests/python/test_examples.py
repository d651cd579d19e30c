"""examples/python/: the CSV triage report and the compensation summary run and say sensible things."""

import csv
import os
import subprocess
import sys

from pathlib import Path

import redress
from conftest import SOURCE_DIR

EXAMPLES = SOURCE_DIR / "examples" / "python"


def run(script, *args, cwd):
    env = os.environ.copy()
    # the package this test imported (build tree or installed), whatever the working directory
    package_root = str(Path(redress.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def test_triage_report(tmp_path):
    out = tmp_path / "report.csv"
    result = run("triage_report.py", "--out", str(out), "--threads", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with open(EXAMPLES / "cases.csv", newline="") as f:
        cases = list(csv.DictReader(f))
    with open(out, newline="") as f:
        report = list(csv.DictReader(f))
    assert [r["case_id"] for r in report] == [c["case_id"] for c in cases]
    by_id = {r["case_id"]: r for r in report}
    assert by_id["D-1001"]["state"] == "offer" and by_id["D-1001"]["compensation"] == "4.99 EUR"
    assert by_id["D-1002"]["triaged"] == "yes" and by_id["D-1002"]["playbook"] == "delivery_delay"
    assert "no playbook matches" in by_id["X-3001"]["error"]
    assert "reopen" in by_id["X-3002"]["error"]
    decided = [r for r in report if not r["error"]]
    assert len(decided) >= 8 and all(r["compensation"].endswith(" EUR") for r in decided)
    assert f"{len(cases)} cases:" in result.stdout


def test_triage_report_reports_a_broken_pack(tmp_path):
    (tmp_path / "bad.yaml").write_text("redress: 1\nplaybook: bad\nstates: 3\n")
    result = run("triage_report.py", "--pack", str(tmp_path), "--out", str(tmp_path / "r.csv"), cwd=tmp_path)
    assert result.returncode == 2 and "bad.yaml:" in result.stderr


def test_compensation_summary(tmp_path):
    result = run("compensation_summary.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["playbook", "cases", "total"]
    # The summary table comes first; with pandas installed a DataFrame (amounts without currency) follows.
    rows = {}
    for line in lines[1:]:
        if line.startswith(("delivery_delay", "wrong_invoice")):
            rows.setdefault(line.split()[0], line)
    assert set(rows) == {"delivery_delay", "wrong_invoice"}
    assert "EUR" in rows["delivery_delay"]
    assert "not evaluated:" in result.stdout


def test_benchmark_smoke(tmp_path):
    result = run("benchmark.py", "--cases", "300", "--threads", "1", "2", "--repeat", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "threads=2" in result.stdout and "cases/s" in result.stdout
