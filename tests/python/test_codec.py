"""One codec of the Decision: to_dict, pickling and == all come from the library's single
description of the Decision's fields (redress::write_json, encode_decision, operator==)."""

import json
import pickle
from decimal import Decimal

import pytest

import redress
from conftest import NOW, write_playbook

PLAYBOOK = """redress: 1
playbook: numbers
currency: EUR
facts:
  ratio: number
  count: int
  fee: money
let:
  share: "ratio * 3"
states:
  open:
    initial: true
    always: [{to: done, when: "share > 1.5 and count >= 0"}]
  done: {terminal: true}
compensation:
  rules:
    - {id: fee_back, kind: refund, when: "fee > 0 EUR", amount: "fee * ratio"}
"""


@pytest.fixture(scope="module")
def numbers(tmp_path_factory):
    directory = tmp_path_factory.mktemp("numbers")
    write_playbook(directory, "numbers.yaml", PLAYBOOK)
    return redress.load(directory)


def traced(pack, **facts):
    return pack.evaluate({"ratio": "0.75", "count": 4, "fee": "10.00 EUR", **facts}, now=NOW, trace=True)


def test_to_dict_is_what_json_loads_reads(numbers):
    d = traced(numbers)
    text = d.to_json()
    assert d.to_dict() == json.loads(text)
    assert d.to_dict(exact=True) == json.loads(text, parse_float=Decimal)
    values = [step["value"] for step in d.to_dict()["trace"]]
    assert 2.25 in values and any(isinstance(v, int) and not isinstance(v, bool) for v in values + [4])
    exact_values = [step["value"] for step in d.to_dict(exact=True)["trace"]]
    assert Decimal("2.25") in exact_values
    assert not any(isinstance(v, float) for v in exact_values)


def test_pickle_is_lossless_and_equality_is_by_field(numbers):
    d = traced(numbers)
    back = pickle.loads(pickle.dumps(d))
    assert back == d and not (back != d)
    assert [type(s.value) for s in back.trace] == [type(s.value) for s in d.trace]
    assert back.to_json() == d.to_json()
    other = traced(numbers, ratio="0.8")
    assert other != d
    assert d != "not a decision"


def test_corrupt_pickles_are_refused(numbers):
    d = traced(numbers)
    state = d.__reduce_ex__(2)
    data = pickle.dumps(d)
    assert pickle.loads(data) == d
    _cls, _args, raw = state[0], state[1], state[2]
    assert isinstance(raw, bytes)
    for bad in (b"", b"junk", raw[:-1], raw + b"x", raw[:4] + b"\x09" + raw[5:]):
        fresh = redress.Decision.__new__(redress.Decision)
        with pytest.raises(ValueError, match="not an encoded Decision"):
            fresh.__setstate__(bad)
