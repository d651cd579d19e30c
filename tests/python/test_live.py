"""redress.LivePack: hot reload from Python (issue #9)."""

import threading

import pytest

import redress

from conftest import NOW


def playbook(k: int, broken: bool = False) -> str:
    amount = "nn" if broken else "n"
    return (
        f'redress: 1\nplaybook: live\nversion: "{k}"\ncurrency: EUR\nfacts:\n  n: int\n'
        "states:\n  open: {initial: true, on: {close: closed}}\n  closed: {terminal: true}\n"
        f'compensation:\n  rules:\n    - {{id: refund, kind: refund, amount: "{k} EUR * {amount}"}}\n'
    )


def test_reload_swaps_and_a_broken_version_never_serves(tmp_path):
    (tmp_path / "live.yaml").write_text(playbook(1))
    live = redress.LivePack(tmp_path)
    assert live.generation == 1
    assert live.evaluate({"n": 2}, now=NOW).compensation.total == redress.Money("2.00", "EUR")

    (tmp_path / "live.yaml").write_text(playbook(5))
    r = live.reload()
    assert r and r.swapped and r.generation == 2
    pack, generation = live.current()
    assert generation == 2 and pack.fingerprint == r.fingerprint
    assert live.evaluate({"n": 2}, now=NOW).version == "5"

    (tmp_path / "live.yaml").write_text(playbook(6, broken=True))
    r = live.reload()
    assert not r and r.generation == 2
    assert any("'nn'" in d.message and d.line > 0 for d in r.diagnostics)
    assert live.evaluate({"n": 3}, now=NOW).compensation.total == redress.Money("15.00", "EUR")
    with pytest.raises(redress.EvaluationError):
        live.evaluate({"n": "three"}, now=NOW)


def test_first_load_raises_load_error(tmp_path):
    (tmp_path / "live.yaml").write_text(playbook(1, broken=True))
    with pytest.raises(redress.LoadError):
        redress.LivePack(tmp_path)


def test_threads_evaluate_while_reloading(tmp_path):
    (tmp_path / "live.yaml").write_text(playbook(1))
    live = redress.LivePack(str(tmp_path))
    wrong = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            d = live.evaluate({"n": 1}, now=NOW)
            if d.compensation.total != redress.Money(d.version, "EUR"):
                wrong.append(d)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for k in range(2, 60):
        (tmp_path / "live.yaml").write_text(playbook(k, broken=k % 2 == 0))
        assert bool(live.reload()) == (k % 2 == 1)
    stop.set()
    for t in threads:
        t.join()
    assert not wrong
    assert live.generation == 30
