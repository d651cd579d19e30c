"""docs/case.schema.json and docs/decision.schema.json agree with what redress reads and writes
(issue #12): every case file of tests/ and examples/ (single and compound, JSON, YAML, JSON
Lines) validates as a case; what the CLI writes for them (`eval --json`, with and without a
trace, and each line of `batch`) validates as a decision, the compound golden answer
included; the broken cases in tests/schema/invalid/case/ (`# schema: TEXT` on the first line)
and broken decisions made here from real ones do not, and `redress eval` refuses those cases
too (REDRESS_BIN set).

Run: /usr/bin/python3 -m pytest tests/schema
"""
import copy
import json
import os
import pathlib
import subprocess

import pytest
from jsonschema import Draft7Validator

from test_schema import ROOT, error_texts, load_yaml, validator

INVALID_CASES = pathlib.Path(__file__).resolve().parent / "invalid" / "case"
BIN = os.environ.get("REDRESS_BIN")
BUNDLED = ROOT / "playbooks"
COMPOUND = ROOT / "tests" / "compound"


def case_files():
    """Every case file, with the pack it belongs to (None: no pack to evaluate it with)."""
    files = [(p, BUNDLED) for p in sorted((ROOT / "examples" / "cases").glob("*"))]
    files += [(p, BUNDLED) for p in sorted((ROOT / "tests" / "vectors").glob("*.case.*"))]
    files += [(p, p.parent.parent) for p in sorted((ROOT / "tests" / "golden" / "ok").rglob("*.case.*"))]
    files += [(ROOT / "tests" / "explain" / "late_gold.json", BUNDLED),
              (ROOT / "tests" / "money" / "scenario.case.json", ROOT / "tests" / "money"),
              (COMPOUND / "late_and_overcharged.json", COMPOUND / "pack")]
    files += [(p, ROOT / "tests" / "compound_guide") for p in sorted((ROOT / "tests" / "compound_guide" / "cases").glob("*"))]
    return files


def read_cases(path):
    """The cases of a file: one, or one a line for JSON Lines."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if path.suffix == ".json":
        return [json.loads(path.read_text(encoding="utf-8"))]
    return [load_yaml(path)]


def assert_valid(kind, value):
    errors = list(validator(kind).iter_errors(value))
    assert not errors, "\n".join(error_texts(errors))


def test_there_are_cases_of_every_kind():
    files = [p for p, _ in case_files()]
    assert all(p.exists() for p in files), [p for p in files if not p.exists()]
    assert {p.suffix for p in files} >= {".json", ".yaml"}
    assert any(c.get("triage") == "all" or c.get("playbooks") for p in files for c in read_cases(p))
    assert len(list(INVALID_CASES.glob("*.yaml"))) >= 8


@pytest.mark.parametrize("path", [p for p, _ in case_files()] + [ROOT / "tests" / "replay" / "cases.jsonl"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_case_files_validate(path):
    for case in read_cases(path):
        assert_valid("case", case)


@pytest.mark.parametrize("path", sorted(INVALID_CASES.glob("*.yaml")), ids=lambda p: p.name)
def test_invalid_cases_do_not_validate(path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("# schema: "), "an invalid fixture names the expected error on its first line"
    want = first[len("# schema: "):].strip()
    errors = list(validator("case").iter_errors(load_yaml(path)))
    assert errors, "the schema accepts this invalid case"
    texts = error_texts(errors)
    assert any(want in t for t in texts), "expected an error containing %r, got:\n%s" % (want, "\n".join(texts))


@pytest.mark.skipif(not BIN, reason="REDRESS_BIN not set")
@pytest.mark.parametrize("path", sorted(INVALID_CASES.glob("*.yaml")), ids=lambda p: p.name)
def test_redress_refuses_the_invalid_cases_too(path):
    run = subprocess.run([BIN, "eval", str(COMPOUND / "pack"), "--case", str(path), "--json"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2, run.stdout + run.stderr


def evaluate(pack, path, *extra):
    run = subprocess.run([BIN, "eval", str(pack), "--case", str(path), "--json", *extra],
                         capture_output=True, text=True, timeout=60)
    return run


@pytest.mark.skipif(not BIN, reason="REDRESS_BIN not set")
@pytest.mark.parametrize("path,pack", case_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_what_the_cli_writes_validates(path, pack):
    for extra in ((), ("--trace",)):
        run = evaluate(pack, path, *extra)
        if run.returncode == 2 and "error" in run.stderr:
            continue  # a case kept for its error (unknown_event): nothing to validate
        assert run.returncode == 0, run.stderr
        assert_valid("decision", json.loads(run.stdout))


@pytest.mark.skipif(not BIN, reason="REDRESS_BIN not set")
def test_batch_lines_validate_decisions_and_line_errors():
    lines = [json.dumps(c) for p, pack in case_files() if pack == BUNDLED for c in read_cases(p)]
    lines.append('{"playbooks": 5}')
    run = subprocess.run([BIN, "batch", str(BUNDLED), "-q"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, timeout=60)
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(out) == len(lines)
    for value in out:
        if "error" in value:
            errors = list(validator("decision").iter_errors(value))
            assert errors, "a line error is not a decision"
            Draft7Validator(validator("decision").schema["definitions"]["lineError"]).validate(value)
        else:
            assert_valid("decision", value)
    assert "error" in out[-1]


def golden():
    return json.loads((COMPOUND / "late_and_overcharged.decision.json").read_text(encoding="utf-8"))


def test_the_compound_golden_validates():
    assert_valid("decision", golden())
    for part in golden()["parts"]:
        assert_valid("decision", part)


def broken_decisions():
    """(what, decision) pairs: one real decision each, broken in one way the schema must see."""
    g = golden()
    out = []
    d = copy.deepcopy(g); del d["parts"]; out.append(("compound without parts", d))
    d = copy.deepcopy(g); d["compensation"]["total"] = 554.99; out.append(("money as a number", d))
    d = copy.deepcopy(g); d["compensation"]["items"][0]["covered_by"] = "wrong_invoice.goodwill_credit"
    out.append(("covered_by as text", d))
    d = copy.deepcopy(g); del d["actions"][0]["from"]; out.append(("a step without from", d))
    d = copy.deepcopy(g); d["escalation"]["reasons"] = ["three or more days late"]; out.append(("untagged reasons", d))
    part = copy.deepcopy(g["parts"][0]); part["actions"][0]["from"] = []; out.append(("a single action with from", part))
    part = copy.deepcopy(g["parts"][0]); part["next_change_at"] = "2026-11-23 10:00"; out.append(("a local time", part))
    part = copy.deepcopy(g["parts"][0]); del part["to_close"]; out.append(("to_close missing", part))
    part = copy.deepcopy(g["parts"][0]); part["surprise"] = 1; out.append(("an unknown key", part))
    return out


@pytest.mark.parametrize("what,decision", broken_decisions(), ids=lambda x: x if isinstance(x, str) else "")
def test_broken_decisions_do_not_validate(what, decision):
    assert list(validator("decision").iter_errors(decision)), what
