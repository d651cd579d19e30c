"""pack.explain (issue #17): the same answers as `redress explain`, each counterfactual checked
again here by evaluating the changed case."""

from datetime import datetime, timezone

import pytest

import redress
from conftest import NOW, SOURCE_DIR

EXPLAIN = SOURCE_DIR / "tests" / "explain"
GOLD = {"category": "delivery", "order_id": "A-1001", "order_value": "200.00 EUR",
        "shipping_fee": "4.99 EUR", "days_late": 3, "tier": "gold"}
CASE = dict(playbook="delivery_delay", state="investigating", now=NOW,
            entered_at=datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc))


@pytest.fixture(scope="module")
def frozen():
    return redress.load(EXPLAIN / "delivery_delay")


@pytest.fixture(scope="module")
def thresholds():
    return redress.load(EXPLAIN / "thresholds")


def test_why_not_director_and_what_if(frozen):
    e = frozen.explain(GOLD, **CASE, why_not="level=director", what_if={"days_late": 7})
    assert e["decision"]["escalation"]["level"] == "manager"
    [w] = e["why_not"]
    assert w["target"] == "level=director" and not w["reached"]
    assert w["blockers"][0]["rule"] == "escalation rule 'contacts >= 3' (raise 1)"
    assert w["blockers"][0]["failed"]["facts"] == [{"name": "contacts", "value": "1", "source": "default"}]
    assert w["changes"] == []
    seven = frozen.evaluate({**GOLD, "days_late": 7}, **CASE)
    credit = next(i for i in seven.compensation.items if i.id == "delay_credit")
    diff = {d["field"]: d for d in e["what_if"]["differences"]}
    assert diff["compensation.items[delay_credit].amount"] == {
        "field": "compensation.items[delay_credit].amount", "before": "3.00 EUR", "after": str(credit.amount)}
    assert e["what_if"]["decision"] == seven.to_dict()
    assert "contacts >= 3 is false" in e["text"]


def test_every_counterfactual_is_confirmed(thresholds):
    facts = {"order_value": "20.00 EUR", "days_late": 1, "rating": 3, "tier": "silver", "channel": "email",
             "waited": "1h", "reported_at": "2026-11-20T09:00:00Z"}
    targets = ["item=loyalty", "item=delay_credit", "level=manager", "state=offer", "action=call_back"]
    e = thresholds.explain(facts, playbook="thresholds", state="open", now=NOW, why_not=targets, fixed=["tier"])
    found = 0
    for w in e["why_not"]:
        for cf in w["changes"]:
            changed = dict(facts)
            for c in cf["changes"]:
                assert c["fact"] != "tier"  # fixed
                changed[c["fact"]] = c["to"]
            d = thresholds.evaluate(changed, playbook="thresholds", state="open", now=NOW)
            kind, value = w["target"].split("=")
            got = {"item": lambda: any(i.id == value for i in d.compensation.items),
                   "level": lambda: d.escalation.level == value,
                   "state": lambda: d.state == value,
                   "action": lambda: any(a.action == value for a in d.actions)}[kind]()
            assert got, (w["target"], cf)
            found += 1
    assert found >= 5
    assert next(w for w in e["why_not"] if w["target"] == "item=delay_credit")["changes"][0]["changes"] == [
        {"fact": "days_late", "from": "1", "to": "3", "relation": ">="}]


def test_errors(frozen):
    with pytest.raises(redress.EvaluationError, match="did you mean 'director'"):
        frozen.explain(GOLD, **CASE, why_not=["level=directr"])
    with pytest.raises(redress.EvaluationError, match="did you mean 'days_late'"):
        frozen.explain(GOLD, **CASE, what_if={"days_lat": 7})
    with pytest.raises(TypeError, match="why_not must be a str or a list of str"):
        frozen.explain(GOLD, **CASE, why_not=[1])
    with pytest.raises(TypeError, match="did you mean 'why_not'"):
        frozen.explain(GOLD, **CASE, why_no="level=director")
    with pytest.raises(TypeError):
        frozen.explain(GOLD, **CASE, what_if={"days_late": 7.5})  # float: never
