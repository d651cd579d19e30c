"""A case on its way in from Python (issue #9): case text read as JSON or YAML, one case per
input, numbers exact, unknown facts with a "did you mean" and strict mode, typo'd keywords."""

import json
import random
from decimal import Decimal

import pytest

import redress
from conftest import BUNDLED, NOW, SOURCE_DIR, write_playbook

TIERED = """redress: 1
playbook: tiered
currency: EUR
facts:
  order_id:  string
  days_late: {type: int, min: 0}
  tier:      {type: enum, values: [standard, gold], default: standard}
states:
  open:
    initial: true
    on: {close: done}
  done: {terminal: true}
escalation:
  rules: [{when: "tier == 'gold'", at_least: manager, why: "key customer"}]
"""


@pytest.fixture(scope="module")
def tiered(tmp_path_factory):
    return redress.load(write_playbook(tmp_path_factory.mktemp("tiered"), "tiered.yaml", TIERED))


def test_several_cases_in_one_input_are_an_error_not_the_first(tmp_path):
    line = json.dumps({"facts": {"order_id": "A"}})
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join([line] * 3) + "\n", encoding="utf-8")
    with pytest.raises(redress.EvaluationError, match=r"3 cases in one input") as e:
        redress.read_case(path)
    assert e.value.location == "cases.jsonl:2:1"
    with pytest.raises(redress.EvaluationError, match=r"2 cases in one input"):
        redress.parse_case("facts: {a: b}\n---\nfacts: {a: c}\n", "two.yaml")
    assert redress.parse_case(line + "\n")["facts"] == {"order_id": "A"}


def test_json_is_read_as_json():
    with pytest.raises(redress.EvaluationError, match=r"invalid JSON: a trailing comma before '\}'") as e:
        redress.parse_case('{"facts": {"a": 1,}}', "c.json")
    assert e.value.location == "c.json:1:18"
    with pytest.raises(redress.EvaluationError, match=r"invalid JSON: unexpected 'this'"):
        redress.parse_case("this is not json {", "c.json")
    # Numbers come back exact, never float.
    case = redress.parse_case('{"facts": {"i": 3, "d": 0.1, "e": 2.5e1, "s": "0.1"}}')
    assert case["facts"] == {"i": 3, "d": Decimal("0.1"), "e": 25, "s": "0.1"}
    assert isinstance(case["facts"]["d"], Decimal)


def test_json_validity_agrees_with_the_json_module():
    """Mutated cases: parse_case says "invalid JSON" exactly when json.loads refuses the text."""
    original = (SOURCE_DIR / "examples" / "cases" / "late_gold.json").read_text(encoding="utf-8")
    rng = random.Random(9)
    alphabet = '{}[],:" 0123456789.eE+-truefalsn\n'
    checked = 0
    for _ in range(3000):
        chars = list(original)
        for _ in range(rng.randint(1, 2)):
            at = rng.randrange(len(chars))
            op = rng.randrange(3)
            if op == 0:
                del chars[at]
            elif op == 1:
                chars.insert(at, rng.choice(alphabet))
            else:
                chars[at] = rng.choice(alphabet)
        text = "".join(chars)
        try:
            parsed = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
            valid = True
        except ValueError:
            valid = False
        if valid and not isinstance(parsed, dict):
            continue  # valid JSON of another shape: a shape error, checked elsewhere
        try:
            redress.parse_case(text, "m.json")
            said_invalid = False
        except redress.EvaluationError as e:
            said_invalid = "invalid JSON" in e.message
            assert e.location.startswith("m.json:"), e
        assert said_invalid == (not valid), text
        checked += 1
    assert checked > 2000


def test_a_number_for_a_text_fact_is_an_error(tiered):
    with pytest.raises(redress.EvaluationError, match=r"fact 'order_id' must be text, got the number 1001"):
        tiered.evaluate({"order_id": 1001, "days_late": 2}, now=NOW)
    case = redress.parse_case('{"facts": {"order_id": 1001, "days_late": 2}}')
    with pytest.raises(redress.EvaluationError, match=r"fact 'order_id' must be text"):
        tiered.evaluate(**case, now=NOW)


def test_unknown_facts_hint_and_strict_mode(tiered):
    facts = {"order_id": "A", "days_late": 2, "teir": "gold"}
    d = tiered.evaluate(facts, now=NOW)
    assert d.warnings == ["unknown fact 'teir' (did you mean 'tier'?) ignored"]
    with pytest.raises(redress.EvaluationError, match=r"unknown fact 'teir' \(did you mean 'tier'\?\)"):
        tiered.evaluate(facts, now=NOW, strict=True)
    [result] = tiered.evaluate_many([{"facts": facts, "now": NOW}], strict=True)
    assert isinstance(result, redress.EvaluationError)
    assert "strict_facts is on" in result.message
    assert tiered.evaluate(facts, now=NOW, strict=False).warnings == d.warnings
    many = dict(facts, **{f"f{i}": i for i in range(5000)})
    assert tiered.evaluate(many, now=NOW).warnings == [
        "unknown fact 'teir' (did you mean 'tier'?) ignored",
        "5000 other unknown facts ignored: 'f0', 'f1', 'f2', 'f3', 'f4' and 4995 more",
    ]
    with pytest.raises(redress.EvaluationError, match=r"the case gives 'days_lat' \(did you mean 'days_late'\?\)"):
        tiered.evaluate({"order_id": "A", "days_lat": 2}, now=NOW)


def test_strict_facts_in_pack_yaml(tmp_path):
    pack = redress.load(write_playbook(tmp_path, "tiered.yaml", TIERED, pack_yaml="redress: 1\nstrict_facts: true\n"))
    with pytest.raises(redress.EvaluationError, match="strict_facts is on"):
        pack.evaluate({"order_id": "A", "days_late": 2, "teir": "gold"}, now=NOW)
    assert pack.evaluate({"order_id": "A", "days_late": 2, "teir": "gold"}, now=NOW, strict=False).warnings


def test_a_misspelt_keyword_says_did_you_mean(tiered):
    facts = {"order_id": "A", "days_late": 2}
    with pytest.raises(TypeError, match=r"^evaluate\(\) got an unexpected keyword argument 'playbok' \(did you mean 'playbook'\?\)$"):
        tiered.evaluate(facts, playbok="tiered", now=NOW)
    with pytest.raises(TypeError, match=r"'treads' \(did you mean 'threads'\?\)"):
        tiered.evaluate_many([], treads=2)
    with pytest.raises(TypeError, match=r"'zzz'; it takes evaluate\(facts, playbook"):
        tiered.evaluate(facts, zzz=1)
    with pytest.raises(TypeError, match=r"cannot take \(dict, trace=str\)"):
        tiered.evaluate(facts, trace="yes")
    # A call that fits never reaches the hint.
    assert tiered.evaluate(facts, now=NOW, trace=True).trace is not None


def test_the_float_hint_follows_the_value(tiered):
    with pytest.raises(TypeError, match=r"float \(2\.0\); redress never uses binary floating point\. Pass an int \(2\)$"):
        tiered.evaluate({"order_id": "A", "days_late": 2.0}, now=NOW)
    with pytest.raises(TypeError, match=r"Pass a decimal\.Decimal \(Decimal\('2\.5'\)\)$"):
        tiered.evaluate({"order_id": "A", "days_late": 2.5}, now=NOW)


def test_bundled_example_cases_read_the_same_as_before():
    for path in sorted((SOURCE_DIR / "examples" / "cases").iterdir()):
        case = redress.read_case(path)
        assert "facts" in case
        assert redress.load(BUNDLED).evaluate(**case).state
