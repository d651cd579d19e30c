"""evaluate_many: thousands of cases across threads, equal to one-by-one evaluation."""

import random
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest

import redress
from conftest import NOW


def make_cases(n, seed=4):
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        facts = {
            "category": "delivery",
            "order_id": f"C-{i}",
            "order_value": f"{rng.randint(1, 300000) / 100:.2f} EUR",
            "shipping_fee": Decimal(rng.randint(0, 1500)) / 100,
            "days_late": rng.randint(0, 20),
            "tier": rng.choice(["standard", "silver", "gold"]),
            "emotion": rng.choice(["calm", "upset", "aggressive"]),
            "contacts": rng.randint(1, 5),
            "claims_90d": rng.randint(0, 4),
        }
        case = {"facts": facts, "playbook": "delivery_delay", "now": NOW}
        shape = i % 7
        if shape == 1:
            case["state"] = "investigating"
            case["entered_at"] = NOW - timedelta(hours=rng.randint(0, 48))
        elif shape == 2:
            case.update(state="offer", event=rng.choice(["accepted", "declined"]))
        elif shape == 3:
            case.update(state="reported", event="acknowledged", entered_at=NOW - timedelta(minutes=20))
        elif shape == 4:
            del facts["order_id"]  # an evaluation error: a required fact is missing
        elif shape == 5:
            case.update(state="resolved", event="acknowledged")  # an event the state does not take
        elif shape == 6:
            del case["playbook"]  # triage
        cases.append(case)
    return cases


def sequential(pack, cases, trace=False):
    out = []
    for c in cases:
        try:
            out.append(pack.evaluate(trace=trace, **c))
        except redress.EvaluationError as e:
            out.append(e)
    return out


def same(a, b):
    if isinstance(a, redress.Decision):
        return isinstance(b, redress.Decision) and a.to_json() == b.to_json()
    return isinstance(b, redress.EvaluationError) and (a.message, a.location) == (b.message, b.location)


@pytest.fixture(scope="module")
def cases():
    return make_cases(3000)


@pytest.fixture(scope="module")
def expected(pack, cases):
    return sequential(pack, cases)


@pytest.mark.parametrize("threads", [1, 2, 4, 16, None])
def test_many_equals_sequential(pack, cases, expected, threads):
    got = pack.evaluate_many(cases, threads=threads)
    assert len(got) == len(cases)
    mismatches = [i for i, (a, b) in enumerate(zip(expected, got)) if not same(a, b)]
    assert not mismatches, f"{len(mismatches)} differ, first at {mismatches[:5]}"
    errors = sum(isinstance(r, redress.EvaluationError) for r in got)
    decisions = sum(isinstance(r, redress.Decision) for r in got)
    assert errors >= len(cases) // 7 and decisions >= len(cases) // 2  # errors stay in place, others kept


def test_many_with_trace(pack, cases):
    few = cases[:300]
    got = pack.evaluate_many(few, threads=3, trace=True)
    want = sequential(pack, few, trace=True)
    assert all(same(a, b) for a, b in zip(want, got))
    assert any(isinstance(r, redress.Decision) and r.trace for r in got)


def test_errors_keep_their_place(pack, cases):
    got = pack.evaluate_many(cases[:14], threads=2)
    assert isinstance(got[4], redress.EvaluationError) and "order_id" in got[4].message
    assert isinstance(got[5], redress.EvaluationError)
    assert isinstance(got[0], redress.Decision)


def test_empty_and_generators(pack, cases):
    assert pack.evaluate_many([]) == []
    got = pack.evaluate_many((c for c in cases[:10]), threads=2)
    assert len(got) == 10


def test_case_without_now_uses_one_batch_clock(pack):
    case = {"facts": {"category": "delivery", "order_id": "X", "days_late": 2}, "playbook": "delivery_delay",
            "state": "reported", "event": "acknowledged"}
    got = pack.evaluate_many([case] * 50, threads=4)
    dues = {d.actions[0].due_at for d in got}
    assert len(dues) == 1  # one `now` for the whole batch


def test_bad_python_values_name_the_case(pack, cases):
    bad = [dict(c) for c in cases[:5]]
    bad[3] = {**bad[3], "facts": {**bad[3]["facts"], "days_late": 2.5}}
    with pytest.raises(TypeError, match=r"cases\[3\]: fact 'days_late' is a float"):
        pack.evaluate_many(bad)
    with pytest.raises(ValueError, match=r"cases\[0\]: unknown key 'fact'"):
        pack.evaluate_many([{"fact": {}}])
    with pytest.raises(TypeError, match=r"cases\[0\]: a case must be a dict"):
        pack.evaluate_many(["x"])
    with pytest.raises(ValueError, match="threads must be at least 1"):
        pack.evaluate_many(cases[:2], threads=0)


def ticks_during(fn):
    """How often another Python thread ran while fn() ran. With a huge switch interval the GIL
    only changes hands when its holder releases it (or blocks)."""
    import sys

    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)

    old = sys.getswitchinterval()
    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.01)
    sys.setswitchinterval(30)
    try:
        start = time.perf_counter()
        fn()
        end = time.perf_counter()
    finally:
        sys.setswitchinterval(old)
        stop.set()
        t.join()
    return len([x for x in ticks if start <= x <= end])


def test_the_gil_probe_sees_a_held_gil():
    def busy():
        deadline = time.perf_counter() + 0.1
        while time.perf_counter() < deadline:
            pass

    assert ticks_during(busy) <= 1


def test_many_releases_the_gil(pack):
    big = make_cases(20000, seed=9)
    assert ticks_during(lambda: pack.evaluate_many(big, threads=2)) >= 2


def test_evaluate_releases_the_gil(pack, cases):
    def run():
        for c in cases[:2000]:
            try:
                pack.evaluate(**c)
            except redress.EvaluationError:
                pass

    assert ticks_during(run) >= 2


def test_evaluate_from_many_python_threads(pack, cases, expected):
    from concurrent.futures import ThreadPoolExecutor

    def run(i):
        try:
            return pack.evaluate(**cases[i])
        except redress.EvaluationError as e:
            return e

    with ThreadPoolExecutor(4) as ex:
        got = list(ex.map(run, range(600)))
    assert all(same(a, b) for a, b in zip(expected[:600], got))
