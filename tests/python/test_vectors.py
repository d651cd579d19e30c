"""One set of vectors, three faces: tests/vectors/NAME.case.{json,yaml} evaluated from Python must
give exactly what the CLI gives (`redress eval playbooks --case F --json --trace`) and what
NAME.expected.json pins (fingerprint masked), as the C++ golden test checks."""

import json
import re
import subprocess
from decimal import Decimal

import pytest

import redress
from conftest import BUNDLED, SOURCE_DIR, VECTORS

CASES = sorted(p for p in VECTORS.glob("*.case.*") if p.suffix in (".json", ".yaml", ".yml"))


def stem(path):
    return path.name.split(".case.")[0]


def mask(decision_dict):
    return {**decision_dict, "fingerprint": "*"}


def test_there_are_vectors():
    assert len(CASES) >= 3, f"expected shared vectors in {VECTORS}"


def run_cli(cli, case):
    return subprocess.run([cli, "eval", str(BUNDLED), "--case", str(case), "--json", "--trace"],
                          capture_output=True, text=True, cwd=SOURCE_DIR, timeout=60)


def expected_error(case):
    path = VECTORS / f"{stem(case)}.expected.error"
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


@pytest.mark.parametrize("case", CASES, ids=stem)
def test_python_equals_cli(bundled, cli, case):
    result = run_cli(cli, case)
    want_error = expected_error(case)
    if want_error is not None:
        assert result.returncode == 2, result.stdout
        assert want_error in result.stderr
        with pytest.raises(redress.EvaluationError) as info:
            bundled.evaluate(**redress.read_case(case), trace=True)
        assert want_error in str(info.value)
        return
    assert result.returncode == 0, result.stderr
    cli_json = json.loads(result.stdout)
    decision = bundled.evaluate(**redress.read_case(case), trace=True)
    assert decision.to_dict() == cli_json
    # json.dumps(d.to_dict()) parses back to the CLI's JSON
    assert json.loads(json.dumps(decision.to_dict())) == cli_json


@pytest.mark.parametrize("case", [c for c in CASES if expected_error(c) is None], ids=stem)
def test_python_equals_expected(bundled, case):
    """NAME.expected.json, fingerprint masked, byte for byte as the C++ harness compares."""
    expected_path = VECTORS / f"{stem(case)}.expected.json"
    assert expected_path.exists(), f"missing {expected_path.name}"
    expected_text = expected_path.read_text(encoding="utf-8")
    decision = bundled.evaluate(**redress.read_case(case), trace=True)
    assert mask(decision.to_dict()) == json.loads(expected_text)
    pretty = decision.to_json(pretty=True)
    masked = re.sub(r'"fingerprint": "[^"]*"', '"fingerprint": "*"', pretty, count=1) + "\n"
    assert masked == expected_text


@pytest.mark.parametrize("case", [c for c in CASES if c.suffix == ".json"], ids=stem)
def test_typed_python_values_give_the_same_decision(bundled, cli, case):
    """The case as Python values (ints, Decimals — never floats), not as the CLI's text."""
    if expected_error(case) is not None:
        pytest.skip("an error vector")
    data = json.loads(case.read_text(encoding="utf-8"), parse_float=Decimal)
    cli_json = json.loads(run_cli(cli, case).stdout)
    assert bundled.evaluate(**data, trace=True).to_dict() == cli_json


def test_evaluate_many_over_the_vectors(bundled):
    cases = [redress.read_case(c) for c in CASES if expected_error(c) is None]
    many = bundled.evaluate_many(cases, threads=2, trace=True)
    assert [d.to_dict() for d in many] == [bundled.evaluate(**c, trace=True).to_dict() for c in cases]
