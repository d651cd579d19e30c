"""redress.replay (issue #16): the same summary as the CLI, a DataFrame of differences, errors in
place, exact merging and pickling; the case generator is deterministic."""

import json
import pickle
import subprocess
import sys
from decimal import Decimal

import pytest

import redress
from conftest import NOW, PLAYBOOKS, SOURCE_DIR

sys.path.insert(0, str(SOURCE_DIR / "tools"))
import casegen  # noqa: E402

CASES = SOURCE_DIR / "tests" / "replay" / "cases.jsonl"


def fixture_cases():
    return [json.loads(line) for line in CASES.read_text().splitlines() if line.strip()]


def test_identical_packs_change_nothing(pack):
    summary, diffs = redress.replay(pack, pack, fixture_cases())
    s = summary.to_dict()
    assert (s["cases"], s["evaluated"], s["errors"], s["changed"]["cases"]) == (6, 6, 0, 0)
    assert s["compensation"]["EUR"] == {"old": "280.98 EUR", "new": "280.98 EUR", "delta": "0.00 EUR"}
    assert s["rules"] == []
    assert len(diffs) == 0


def test_a_raised_cap_changes_exactly_the_capped_cases(pack, raised_cap):
    new = redress.load(raised_cap)
    summary, diffs = redress.replay(pack, new, fixture_cases())
    assert summary.changed == 2 and summary.compensation_changed == 2 and summary.state_changed == 0
    s = summary.to_dict()
    assert s["compensation"]["EUR"]["delta"] == "+100.00 EUR"
    assert s["playbooks"]["delivery_delay"]["compensation"]["EUR"] == {
        "old": "240.98 EUR", "new": "340.98 EUR", "delta": "+100.00 EUR"}
    assert [r["cases"] for r in s["rules"]] == [5]
    assert list(diffs["case"]) == [0, 5]  # 0-based positions in the input
    assert list(diffs["delta"]) == ["50.00 EUR", "50.00 EUR"]
    assert list(diffs["compensation_new"]) == ["150.00 EUR", "150.00 EUR"]
    assert diffs["changed"][0] == "compensation" and diffs["rules"][0][0]["what"] == "cap"


def test_the_summary_is_the_clis(pack, raised_cap, cli, tmp_path):
    lines = [line for line in CASES.read_text().splitlines() if line.strip()]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n")
    out = subprocess.run([cli, "replay", "--old", str(PLAYBOOKS), "--new", str(raised_cap), str(tmp_path / "c.jsonl"),
                          "--format", "json"], capture_output=True, text=True, check=True).stdout
    from_cli = json.loads(out, parse_float=Decimal)
    from_python = redress.replay(pack, redress.load(raised_cap), [json.loads(x) for x in lines]).summary.to_dict()
    for c in from_cli["top_cases"]:
        c["line"] -= 1  # the CLI counts lines from 1, Python positions from 0
    assert from_python == from_cli


def test_a_dataframe_with_bad_rows_reports_them_in_place(pack):
    pd = pytest.importorskip("pandas")
    rows = [dict(c["facts"], playbook=c["playbook"], state=c["state"], now=c["now"], entered_at=c["entered_at"])
            for c in fixture_cases()]
    rows[2]["days_late"] = 30.0  # a float: refused, as everywhere
    # dtype=object keeps ints ints where a column has gaps (pandas would make it float); the gaps are NaN
    df = pd.DataFrame(rows, index=[f"case-{i}" for i in range(len(rows))], dtype=object)
    summary, diffs = redress.replay(pack, pack, df)
    assert (summary.cases, summary.evaluated, summary.errors) == (6, 5, 1)
    assert list(diffs["case"]) == ["case-2"]
    assert "float" in diffs["error"][0]


def test_summaries_merge_exactly_and_pickle(pack, raised_cap):
    new = redress.load(raised_cap)
    cases = list(casegen.cases(pack, 3000, seed=5))
    whole = redress.replay(pack, new, cases, now=NOW).summary
    parts = []
    for first in range(0, 3000, 700):
        s, _ = redress._redress._replay_cases(pack, new, cases[first:first + 700], 0, NOW, None)
        s.shift_lines(first)
        parts.append(pickle.loads(pickle.dumps(s)))
    merged = sum(reversed(parts), redress.ReplaySummary())
    assert merged == whole
    assert merged.to_json() == whole.to_json()
    state = whole.__getstate__()
    for bad in (state[:-20], b"", b"rdsR\x09" + state[5:]):  # cut, empty, another version
        with pytest.raises(ValueError):
            redress.ReplaySummary.__new__(redress.ReplaySummary).__setstate__(bad)


def test_the_generator_is_deterministic_and_follows_the_pack(pack):
    a = list(casegen.cases(pack, 200, seed=3))
    assert a == list(casegen.cases(pack, 200, seed=3))
    assert a != list(casegen.cases(pack, 200, seed=4))
    assert {c["playbook"] for c in a} == {p.id for p in pack.playbooks}
    results = pack.evaluate_many(a)
    assert all(isinstance(r, redress.Decision) for r in results), [str(r) for r in results if not isinstance(r, redress.Decision)][:3]


def test_generated_cases_of_the_bundled_pack_all_evaluate(bundled):
    """The generator keeps each fact inside its declared min/max: the bundled pack's bounded
    `agreed_reduction` (0..1) once made 7 % of the generated cases errors instead of cases."""
    cases = list(casegen.cases(bundled, 3000, seed=1))
    results = bundled.evaluate_many(cases)
    errors = [str(r) for r in results if not isinstance(r, redress.Decision)]
    assert not errors, errors[:3]


def test_bad_arguments_and_no_cases(pack):
    with pytest.raises(ValueError, match="threads"):
        redress.replay(pack, pack, [], threads=0)
    assert redress.replay(pack, pack, fixture_cases(), differences=False).differences is None
    summary, diffs = redress.replay(pack, pack, iter([]))
    assert (summary.cases, len(diffs)) == (0, 0)
    summary, diffs = redress.replay(pack, pack, [{"facts": {}}, "not a dict"])
    assert summary.errors == 2 and list(diffs["case"]) == [0, 1]
    assert "must be a dict" in diffs["error"][1]
