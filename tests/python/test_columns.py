"""evaluate_columns and evaluate_jsonl: the batch paths without a Python object per case give
the same answers as evaluate(), row for row, line for line."""

import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest

import redress
from conftest import NOW

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")


# The benchmark's seeded case generator: the tests check the very columns the figures are taken on.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from python_bench import make_columns  # noqa: E402


def one_by_one(pack, columns, row, **case):
    facts = {name: values[row] for name, values in columns.items() if values[row] is not None}
    return pack.evaluate(facts, playbook="delivery_delay", now=NOW, **case)


def expect_row(result, row, d):
    assert result["state"][row] == d.state
    assert result["level"][row] == d.escalation.level
    assert result["total"][row] == f"{d.compensation.total.amount:.2f} {d.compensation.total.currency}"
    assert result["capped"][row] == d.compensation.capped
    assert result["approval"][row] == d.compensation.approval
    assert result["held"][row] == d.compensation.held
    assert result["next_action"][row] == (d.actions[0].action if d.actions else None)
    assert result["due_at"][row] == (d.actions[0].due_at if d.actions else None)
    assert result["error"][row] is None


@pytest.mark.parametrize("threads", [1, 2])
def test_columns_equal_evaluate_row_by_row(pack, threads):
    cols = make_columns(3000, seed=7)
    entered = NOW - timedelta(hours=3)
    result = pack.evaluate_columns(cols, playbook="delivery_delay", state="investigating", now=NOW,
                                   entered_at=entered, threads=threads)
    assert set(result) == {"state", "level", "total", "capped", "approval", "held", "next_action", "due_at", "error"}
    assert all(len(v) == 3000 for v in result.values())
    for row in range(0, 3000, 7):
        expect_row(result, row, one_by_one(pack, cols, row, state="investigating", entered_at=entered))


def test_numpy_arrays_and_a_dataframe_give_the_same_columns(pack):
    cols = make_columns(500, seed=7)
    plain = pack.evaluate_columns(cols, playbook="delivery_delay", state="investigating", now=NOW)
    arrays = {k: np.array(v, dtype=object if isinstance(v[0], str) else None) for k, v in cols.items()}
    assert arrays["days_late"].dtype.kind == "i" and arrays["public"].dtype.kind == "b"
    assert pack.evaluate_columns(arrays, playbook="delivery_delay", state="investigating", now=NOW) == plain
    df = pd.DataFrame(cols, index=[f"row{i}" for i in range(500)])
    df["tier"] = df["tier"].astype("category")
    out = pack.evaluate_columns(df, playbook="delivery_delay", state="investigating", now=NOW)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == list(df.index)
    assert out["state"].tolist() == plain["state"]
    assert out["total"].tolist() == plain["total"]


def test_per_row_state_event_and_times(pack):
    cols = {"order_id": ["A", "B", "C"], "days_late": [3, 3, 0], "order_value": ["900.00 EUR"] * 3}
    nows = np.array(["2026-11-23T10:00", "2026-11-24T10:00", "NaT"], dtype="datetime64[us]")
    result = pack.evaluate_columns(cols, playbook="delivery_delay", state=["offer", "offer", None],
                                   event=["accepted", None, None], now=nows)
    assert result["state"][:2] == ["resolved", "offer"]
    assert result["state"][2] == "reported"   # no state: the initial one
    d = pack.evaluate({"order_id": "B", "days_late": 3, "order_value": "900.00 EUR"},
                      playbook="delivery_delay", state="offer", now=NOW + timedelta(days=1))
    expect_row(result, 1, d)


def test_missing_values_take_the_default_and_errors_stay_in_their_row(pack):
    cols = {"order_id": ["A", None, "C"], "days_late": [2, 2, -1], "tier": ["gold", None, float("nan")]}
    result = pack.evaluate_columns(cols, playbook="delivery_delay", state="investigating", now=NOW)
    assert result["error"][0] is None and result["level"][0] == "manager"
    assert "order_id" in result["error"][1] and result["state"][1] is None
    assert "days_late" in result["error"][2]


def test_bad_columns_are_refused_by_name(pack):
    with pytest.raises(ValueError, match="column 'dayz_late' is not a fact"):
        pack.evaluate_columns({"dayz_late": [1]}, playbook="delivery_delay", now=NOW)
    with pytest.raises(ValueError, match="rows"):
        pack.evaluate_columns({"order_id": ["A", "B"], "days_late": [1]}, playbook="delivery_delay", now=NOW)
    with pytest.raises(TypeError, match="float"):
        pack.evaluate_columns({"order_value": np.array([1.5, 2.5])}, playbook="delivery_delay", now=NOW)
    with pytest.raises(TypeError, match="float"):
        pack.evaluate_columns({"order_value": [1.5]}, playbook="delivery_delay", now=NOW)
    with pytest.raises(ValueError, match="playbook"):
        pack.evaluate_columns({"order_id": ["A"]}, now=NOW)
    with pytest.raises(ValueError, match="no playbook 'nope'"):
        pack.evaluate_columns({"order_id": ["A"]}, playbook="nope", now=NOW)
    with pytest.raises(ValueError, match="threads"):
        pack.evaluate_columns({"order_id": ["A"]}, playbook="delivery_delay", now=NOW, threads=0)
    result = pack.evaluate_columns({"order_id": ["A"], "days_late": [1]}, playbook="delivery_delay",
                                   state="nowhere", now=NOW)
    assert "unknown state 'nowhere'" in result["error"][0]


def test_empty_columns(pack):
    result = pack.evaluate_columns({"order_id": []}, playbook="delivery_delay", now=NOW)
    assert all(v == [] for v in result.values())


def test_jsonl_equals_to_json_line_by_line(pack):
    cols = make_columns(2000, seed=3)
    lines, expected = [], []
    for row in range(2000):
        facts = {k: v[row] for k, v in cols.items()}
        case = {"playbook": "delivery_delay", "state": "investigating", "now": "2026-11-23T10:00:00Z",
                "entered_at": "2026-11-23T08:00:00Z", "facts": facts}
        lines.append(json.dumps(case))
        expected.append(one_by_one(pack, cols, row, state="investigating", entered_at=NOW - timedelta(hours=2)).to_json())
    for threads in (1, 2):
        out = pack.evaluate_jsonl(("\n".join(lines) + "\n").encode(), threads=threads)
        assert out.decode().split("\n")[:-1] == expected


def test_jsonl_keeps_errors_and_blank_lines_in_place(pack):
    text = b'{"playbook":"delivery_delay","now":"2026-11-23T10:00:00Z","facts":{"order_id":"A","days_late":1}}\n' \
           b'\n' \
           b'{"playbook":"delivery_delay","facts":\n' \
           b'{"playbook":"delivery_delay","now":"2026-11-23T10:00:00Z","facts":{"days_late":1}}'
    out = pack.evaluate_jsonl(text).decode().split("\n")
    assert len(out) == 5 and out[4] == ""  # four lines in (the last without '\n'), four out
    assert json.loads(out[0])["state"] == "reported"
    assert out[1] == ""
    err = json.loads(out[2])
    assert err["line"] == 3 and err["error"].startswith("<jsonl>:3:")
    assert json.loads(out[3])["line"] == 4 and "order_id" in json.loads(out[3])["error"]
    assert pack.evaluate_jsonl(b"") == b""
    with pytest.raises(TypeError):
        pack.evaluate_jsonl("not bytes")
