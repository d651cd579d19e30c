"""Python values -> redress facts, and redress results -> Python values: exact, zone-aware."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

import redress
from conftest import NOW, write_playbook

CONV = """\
redress: 1
playbook: conv
version: "1"
title: Conversions
currency: EUR
facts:
  a: {type: number, default: 0}
  b: {type: number, default: 0}
  n: {type: int, default: 0}
  paid: {type: money, default: 0 EUR}
  wait: {type: duration, default: 0s}
  seen: {type: datetime, optional: true}
  tags: {type: list, default: []}
  flag: {type: bool, default: false}
  note: {type: string, default: ""}
let:
  total: "a + b"
  later: "wait + 1h"
  seen_plus: "coalesce(seen, now) + 0s"
  twice: "n * 2"
  label: "upper(note)"
states:
  open:
    initial: true
    do:
      - {action: call, within: 2h, say: "Paid {paid}"}
    on: {done: closed}
  closed:
    terminal: true
escalation:
  rules:
    - {when: "a + b == 0.3", raise: 1, why: "exact"}
    - {when: "contains(tags, 'vip')", at_least: manager, why: "tagged"}
    - {when: "flag", at_least: director, why: "flagged"}
compensation:
  rules:
    - {id: back, kind: refund, when: "paid > 0 EUR", amount: "paid"}
"""


@pytest.fixture(scope="module")
def conv(tmp_path_factory):
    return redress.load(write_playbook(tmp_path_factory.mktemp("conv"), "conv.yaml", CONV))


def lets(decision):
    return {step.expr: step.value for step in decision.trace if step.what == "let"}


def test_decimal_is_exact(conv):
    d = conv.evaluate({"a": Decimal("0.1"), "b": Decimal("0.2")}, now=NOW, trace=True)
    assert lets(d)["a + b"] == Decimal("0.3")
    assert isinstance(lets(d)["a + b"], Decimal)
    assert d.escalation.reasons == ["exact"]  # 0.1 + 0.2 == 0.3 holds
    # the same with text and with a Decimal that carries an exponent or trailing zeros
    assert conv.evaluate({"a": "0.1", "b": "0.2"}, now=NOW).escalation.reasons == ["exact"]
    assert conv.evaluate({"a": Decimal("1E-1"), "b": Decimal("0.2000")}, now=NOW).escalation.reasons == ["exact"]
    big = conv.evaluate({"a": Decimal("123456789012345678901234.5"), "b": Decimal("0.000000000001")}, now=NOW, trace=True)
    assert lets(big)["a + b"] == Decimal("123456789012345678901234.500000000001")


def test_float_is_rejected_naming_the_fact(conv):
    with pytest.raises(TypeError, match=r"fact 'a' is a float \(0\.1\); redress never uses binary floating point"):
        conv.evaluate({"a": 0.1}, now=NOW)
    with pytest.raises(TypeError, match="float"):
        conv.evaluate({"paid": 12.5}, now=NOW)
    with pytest.raises(TypeError, match="float"):
        redress.Money(12.5, "EUR")


def test_decimal_beyond_redress_precision_is_a_clear_error(conv):
    with pytest.raises(ValueError, match=r"fact 'a'.*12 fractional digits"):
        conv.evaluate({"a": Decimal("0.1234567890123")}, now=NOW)
    with pytest.raises(ValueError, match="finite"):
        conv.evaluate({"a": Decimal("NaN")}, now=NOW)
    with pytest.raises(ValueError, match="range"):
        conv.evaluate({"n": 10**30}, now=NOW)


def test_ints_bools_and_big_ints(conv):
    d = conv.evaluate({"n": 2**62, "flag": True}, now=NOW, trace=True)
    assert lets(d)["n * 2"] == 2**63  # beyond int64, still an exact Python int
    assert type(lets(d)["n * 2"]) is int
    assert d.escalation.level == "director"
    with pytest.raises(redress.EvaluationError, match="fact 'n'"):
        conv.evaluate({"n": True}, now=NOW)  # a bool is not an int here
    with pytest.raises(redress.EvaluationError, match="fact 'flag'"):
        conv.evaluate({"flag": 1}, now=NOW)


def test_money_values(conv):
    for paid in (redress.Money("12.5 EUR"), redress.Money(Decimal("12.50"), "EUR"), "12.50 EUR", "12.5",
                 Decimal("12.50"), redress.Money("12.5", "EUR")):
        d = conv.evaluate({"paid": paid}, now=NOW)
        assert d.compensation.total == redress.Money("12.50", "EUR"), paid
        assert str(d.compensation.total) == "12.50 EUR"
        assert d.actions[0].say == "Paid 12.50 EUR"
    with pytest.raises(redress.EvaluationError, match="currencies are never converted"):
        conv.evaluate({"paid": redress.Money("12.50 USD")}, now=NOW)


def test_tz_aware_datetimes_are_instants(conv):
    paris = timezone(timedelta(hours=1))
    entered = datetime(2026, 11, 23, 11, 0, tzinfo=paris)  # 10:00Z
    d = conv.evaluate({}, now=datetime(2026, 11, 23, 12, 30, tzinfo=timezone(timedelta(hours=2))),
                      entered_at=entered)
    due = d.actions[0].due_at
    assert due == datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    assert due.tzinfo == timezone.utc
    assert not d.actions[0].overdue  # now is 10:30Z
    seen = datetime(2026, 11, 23, 9, 15, 30, 250000, tzinfo=timezone(timedelta(hours=-5, minutes=-30)))
    got = lets(conv.evaluate({"seen": seen}, now=NOW, trace=True))["coalesce(seen, now) + 0s"]
    assert got == seen and got.tzinfo == timezone.utc and got.microsecond == 250000


def test_zoneinfo_datetimes(conv):
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no tz database")
    seen = datetime(2026, 7, 1, 12, 0, tzinfo=berlin)  # summer time: 10:00Z
    got = lets(conv.evaluate({"seen": seen}, now=NOW, trace=True))["coalesce(seen, now) + 0s"]
    assert got == datetime(2026, 7, 1, 10, 0, tzinfo=timezone.utc)


def test_naive_datetimes_are_rejected_clearly(conv):
    with pytest.raises(ValueError, match=r"fact 'seen' is a naive datetime \(no tzinfo\)"):
        conv.evaluate({"seen": datetime(2026, 11, 23, 10, 0)}, now=NOW)
    with pytest.raises(ValueError, match=r"now is a naive datetime"):
        conv.evaluate({}, now=datetime(2026, 11, 23, 10, 0))
    with pytest.raises(ValueError, match=r"entered_at is a naive datetime"):
        conv.evaluate({}, now=NOW, entered_at=datetime(2026, 11, 23, 10, 0))


def test_iso_strings_and_dates(conv):
    d = conv.evaluate({"seen": "2026-11-23T12:00:00+02:00"}, now="2026-11-23T10:00:00Z", trace=True)
    assert lets(d)["coalesce(seen, now) + 0s"] == NOW
    # a date alone is midnight UTC, like date('2026-11-23') in expressions
    d = conv.evaluate({"seen": date(2026, 11, 23)}, now=date(2026, 11, 24), trace=True)
    assert lets(d)["coalesce(seen, now) + 0s"] == datetime(2026, 11, 23, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="ISO 8601"):
        conv.evaluate({}, now="yesterday")


def test_timedelta_is_an_exact_duration(conv):
    for wait in (timedelta(minutes=30), "30m", "PT30M", timedelta(microseconds=1800 * 10**6)):
        d = conv.evaluate({"wait": wait}, now=NOW, trace=True)
        assert lets(d)["wait + 1h"] == timedelta(hours=1, minutes=30), wait
    odd = conv.evaluate({"wait": timedelta(days=-1, microseconds=7)}, now=NOW, trace=True)
    assert lets(odd)["wait + 1h"] == timedelta(days=-1, hours=1, microseconds=7)


def test_lists_strings_none(conv):
    for tags in (["vip", "x"], ("vip",)):
        assert conv.evaluate({"tags": tags}, now=NOW).escalation.level == "manager"
    with pytest.raises(TypeError, match=r"fact 'tags'\[1\] is int"):
        conv.evaluate({"tags": ["vip", 3]}, now=NOW)
    d = conv.evaluate({"note": "héllo ✓", "seen": None}, now=NOW, trace=True)
    # UTF-8 text survives the round trip (upper() of non-ASCII letters is the engine's business)
    assert lets(d)["upper(note)"] in ("HÉLLO ✓", "HéLLO ✓")
    assert lets(d)["coalesce(seen, now) + 0s"] == NOW


def test_other_types_are_type_errors(conv):
    with pytest.raises(TypeError, match=r"fact 'note' cannot be a dict"):
        conv.evaluate({"note": {"x": 1}}, now=NOW)
    with pytest.raises(TypeError, match="fact names must be str"):
        conv.evaluate({1: "x"}, now=NOW)
    with pytest.raises(TypeError, match="facts must be a mapping"):
        conv.evaluate(["a"], now=NOW)
    with pytest.raises(TypeError, match="state must be a str"):
        conv.evaluate({}, state=3, now=NOW)
    with pytest.raises(TypeError, match="now must be a datetime"):
        conv.evaluate({}, now=1700000000)


def test_facts_may_be_any_mapping(conv):
    from collections import OrderedDict
    from types import MappingProxyType

    assert conv.evaluate(OrderedDict(a=Decimal("0.1"), b=Decimal("0.2")), now=NOW).escalation.reasons == ["exact"]
    assert conv.evaluate(MappingProxyType({"flag": True}), now=NOW).escalation.level == "director"
    assert conv.evaluate(None, now=NOW).state == "open"


class TestMoney:
    def test_parse_and_str(self):
        m = redress.Money("12.5 EUR")
        assert m.amount == Decimal("12.5") and m.currency == "EUR"
        assert str(m) == "12.50 EUR"
        assert str(redress.Money("1234", "JPY")) == "1234 JPY"
        assert str(redress.Money("1.2345", "KWD")) == "1.235 KWD"  # half away from zero
        assert str(redress.Money("-0.005", "EUR")) == "-0.01 EUR"
        assert redress.Money.parse("17.99 EUR") == redress.Money(Decimal("17.99"), "EUR")
        assert repr(redress.Money("17.99 EUR")) == "Money('17.99', 'EUR')"
        with pytest.raises(ValueError, match="not money"):
            redress.Money.parse("12.50")
        with pytest.raises(ValueError, match="unknown currency"):
            redress.Money("1", "XXY")
        with pytest.raises(TypeError, match="currency"):
            redress.Money(Decimal("1"))

    def test_equality_ordering_arithmetic(self):
        a, b = redress.Money("10.00 EUR"), redress.Money("10 EUR")
        assert a == b and hash(a) == hash(b)
        assert a != redress.Money("10 USD")
        assert a != "10.00 EUR"
        assert redress.Money("1 EUR") < redress.Money("2 EUR")
        assert sum([redress.Money("0.1 EUR")] * 3) == redress.Money("0.3 EUR")
        assert redress.Money("5 EUR") - redress.Money("7.5 EUR") == redress.Money("-2.5 EUR")
        assert redress.Money("5 EUR") * 3 == 3 * redress.Money("5 EUR") == redress.Money("15 EUR")
        with pytest.raises(TypeError, match="never converts currencies"):
            redress.Money("1 EUR") + redress.Money("1 USD")
        with pytest.raises(TypeError):
            redress.Money("1 EUR") < redress.Money("1 USD")
        with pytest.raises(AttributeError):
            a.amount = Decimal(3)
        assert not redress.Money("0 EUR")

    def test_amounts_from_decisions_keep_minor_digits(self):
        pack = redress.load(__import__("conftest").PLAYBOOKS)
        d = pack.evaluate({"category": "delivery", "order_id": "X", "order_value": "100 EUR", "days_late": 2,
                           "shipping_fee": "5 EUR"}, playbook="delivery_delay", state="investigating", now=NOW)
        assert d.compensation.total.amount.as_tuple().exponent == -2  # Decimal('5.00')
