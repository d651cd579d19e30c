"""Money controls from Python (issue #11): owed vs goodwill, sign-offs, payouts; Decimal-exact."""
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import redress

SCENARIO = Path(__file__).resolve().parents[1] / "money" / "refund_voucher.yaml"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
FACTS = {"order_id": "A-1", "overcharge": "120.00 EUR", "claims_90d": 3}


@pytest.fixture(scope="module")
def pack():
    return redress.load(SCENARIO)


def evaluate(pack, **kwargs):
    return pack.evaluate(FACTS, state="offer", now=NOW, entered_at="2026-11-23T09:00:00Z", **kwargs)


def test_owed_is_paid_and_capped_goodwill_is_held(pack):
    c = evaluate(pack).compensation
    assert c.owed == redress.Money(Decimal("120.00"), "EUR")
    assert c.goodwill.amount == Decimal("25.00") and isinstance(c.goodwill.amount, Decimal)
    assert str(c.total) == "145.00 EUR"
    assert c.capped and c.held and not c.signed_off and c.sign_off is None
    assert str(c.payable) == "120.00 EUR"
    assert [(i.id, i.basis) for i in c.items] == [("refund_overcharge", "owed"), ("apology_voucher", "goodwill")]


def test_a_partial_payment_leaves_70_owed(pack):
    c = evaluate(pack, paid={"refund_overcharge": "50.00 EUR"}).compensation
    assert str(c.items[0].paid) == "50.00 EUR"
    assert str(c.items[0].remaining) == "70.00 EUR"
    assert str(c.payable) == "70.00 EUR"
    again = evaluate(pack, paid={"refund_overcharge": redress.Money(Decimal("50.00"), "EUR")}).compensation
    assert again.remaining == c.remaining


def test_a_sign_off_releases_the_goodwill_and_the_script_says_so(pack):
    d = evaluate(pack, sign_offs=[{"level": "manager", "by": "a.berg", "at": "2026-11-23T09:30:00Z",
                                   "amount": "25.00 EUR"}])
    c = d.compensation
    assert c.signed_off and c.sign_off.by == "a.berg" and str(c.sign_off.amount) == "25.00 EUR"
    assert c.sign_off.at == datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)
    assert [a.action for a in d.actions] == ["confirm_refund", "promise_voucher"]
    assert d.actions[1].say == "As an apology we add a voucher of 25.00 EUR."
    assert d.to_dict()["compensation"]["sign_off"] == {
        "level": "manager", "by": "a.berg", "at": "2026-11-23T09:30:00Z", "amount": "25.00 EUR"}


def test_evaluate_many_and_parse_case_carry_sign_offs_and_payouts(pack):
    case = redress.parse_case('{"facts": {"order_id": "A-1", "overcharge": "120.00 EUR", "claims_90d": 3},'
                              ' "state": "offer", "now": "2026-11-23T10:00:00Z", "entered_at": "2026-11-23T09:00:00Z",'
                              ' "paid": {"refund_overcharge": "50.00 EUR"},'
                              ' "sign_offs": [{"level": "manager", "by": "m", "at": "2026-11-23T09:00:00Z"}]}')
    assert str(case["paid"]["refund_overcharge"]) == "50.00 EUR"
    [d] = pack.evaluate_many([case])
    assert str(d.compensation.payable) == "95.00 EUR"
    assert d.compensation.signed_off


def test_bad_money_inputs_are_refused(pack):
    with pytest.raises(TypeError, match="binary floating point"):
        evaluate(pack, paid={"refund_overcharge": 50.0})
    with pytest.raises(TypeError, match="with its currency"):
        evaluate(pack, paid={"refund_overcharge": Decimal("50")})
    with pytest.raises(ValueError, match="needs 'at'"):
        evaluate(pack, sign_offs=[{"level": "manager", "by": "m"}])
    with pytest.raises(redress.EvaluationError, match="did you mean 'manager'"):
        evaluate(pack, sign_offs=[{"level": "manger", "by": "m", "at": NOW}])
    with pytest.raises(redress.EvaluationError, match="did you mean 'refund_overcharge'"):
        evaluate(pack, paid={"refund_overchrge": "1.00 EUR"})


def test_pickled_decision_keeps_the_money_fields(pack):
    import pickle
    d = evaluate(pack, paid={"refund_overcharge": "50.00 EUR"},
                 sign_offs=[{"level": "director", "by": "d", "at": "2026-11-23T09:00:00Z"}])
    back = pickle.loads(pickle.dumps(d))
    assert back.to_json() == d.to_json()
