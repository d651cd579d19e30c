"""Pickling: a Pack reloads from its sources (fingerprint checked); Decisions and values round-trip."""

import os
import pickle
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
import multiprocessing

import pytest

import redress
from conftest import NOW, PLAYBOOKS


def test_pack_round_trip(pack, late_gold_facts):
    back = pickle.loads(pickle.dumps(pack))
    assert isinstance(back, redress.Pack)
    assert back.fingerprint == pack.fingerprint
    assert [p.id for p in back.playbooks] == [p.id for p in pack.playbooks]
    kwargs = dict(playbook="delivery_delay", state="investigating", now=NOW, trace=True)
    assert back.evaluate(late_gold_facts, **kwargs) == pack.evaluate(late_gold_facts, **kwargs)


def test_relative_paths_survive_a_change_of_directory(tmp_path, monkeypatch):
    shutil.copytree(PLAYBOOKS, tmp_path / "pb")
    monkeypatch.chdir(tmp_path)
    pack = redress.load("pb")
    data = pickle.dumps(pack)
    monkeypatch.chdir("/")
    assert pickle.loads(data).fingerprint == pack.fingerprint


def test_changed_files_raise_pack_changed_error(tmp_path):
    shutil.copytree(PLAYBOOKS, tmp_path / "pb")
    pack = redress.load(tmp_path / "pb")
    data = pickle.dumps(pack)
    target = tmp_path / "pb" / "delivery_delay.yaml"
    target.write_text(target.read_text() + "\n# edited\n")
    with pytest.raises(redress.PackChangedError) as info:
        pickle.loads(data)
    err = info.value
    assert isinstance(err, redress.LoadError)
    assert err.expected == pack.fingerprint and err.actual != pack.fingerprint
    assert "changed since this Pack was pickled" in str(err)


def test_removed_files_raise_load_error(tmp_path):
    shutil.copytree(PLAYBOOKS, tmp_path / "pb")
    data = pickle.dumps(redress.load(tmp_path / "pb"))
    shutil.rmtree(tmp_path / "pb")
    with pytest.raises(redress.LoadError):
        pickle.loads(data)


def test_decision_round_trip(pack, late_gold_facts):
    d = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="investigating", now=NOW, trace=True)
    back = pickle.loads(pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == d
    assert back.to_json() == d.to_json()
    assert [s.value for s in back.trace] == [s.value for s in d.trace]
    assert back.compensation.total == redress.Money("17.99 EUR")


def test_money_round_trip():
    m = redress.Money("12.345 EUR")
    assert pickle.loads(pickle.dumps(m)) == m


def _evaluate_in_child(args):
    pack, facts = args
    return pack.evaluate(facts, playbook="delivery_delay", state="investigating", now=NOW)


def test_multiprocessing_pool(pack, late_gold_facts):
    """A Pack and its Decisions cross process boundaries (spawn: nothing inherited)."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        got = list(ex.map(_evaluate_in_child, [(pack, late_gold_facts)] * 4))
    want = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="investigating", now=NOW)
    assert all(d == want for d in got)
