"""Issue #10 through Python: business-hour deadlines in two time zones, pauses, timeouts that
move a case, time in conditions (age, overdue()), and next_change_at — the Decision's time
fields as docs/python.md describes them."""

from datetime import datetime, timedelta, timezone

import pytest

import redress
from conftest import SOURCE_DIR

BUSINESS_HOURS = SOURCE_DIR / "tests" / "golden" / "ok" / "business_hours"
SLA_GUIDE = SOURCE_DIR / "tests" / "sla_guide"

MSK = timezone(timedelta(hours=3))
FRIDAY_1730_MSK = datetime(2026, 11, 27, 17, 30, tzinfo=MSK)
UTC = timezone.utc


@pytest.fixture(scope="module")
def hours():
    return redress.load(BUSINESS_HOURS)


@pytest.fixture(scope="module")
def guide():
    return redress.load(SLA_GUIDE)


def action(d, action_id):
    return next(a for a in d.actions if a.action == action_id)


def evaluate_new(pack, now, **kwargs):
    return pack.evaluate({"reported_at": FRIDAY_1730_MSK}, state="new", entered_at=FRIDAY_1730_MSK, now=now, **kwargs)


def test_friday_1730_moscow_plus_4bh_is_monday_1230_moscow(hours):
    d = evaluate_new(hours, FRIDAY_1730_MSK + timedelta(minutes=15))
    ack = action(d, "acknowledge")
    assert ack.due_at == datetime(2026, 11, 30, 12, 30, tzinfo=MSK)
    assert ack.due_at.tzinfo is not None and ack.due_at.utcoffset() == timedelta(0)  # UTC
    assert (ack.overdue, ack.done) == (False, False)
    assert ack.say.startswith("We will answer by Mon 30 Nov, 12:30 (Moscow) (2026-11-30T09:30:00Z)")
    # The first status update (2bh) comes before the acknowledgement deadline.
    assert d.next_change_at == datetime(2026, 11, 30, 7, 30, tzinfo=UTC)


def test_berlin_across_the_last_sunday_of_october(hours):
    berlin_summer = timezone(timedelta(hours=2))
    friday = datetime(2026, 10, 23, 17, 30, tzinfo=berlin_summer)
    d = hours.evaluate({"reported_at": friday}, state="new", entered_at=friday,
                       now=datetime(2026, 10, 26, 9, 0, tzinfo=UTC))
    # Monday 26 October is in winter time (+01:00): 12:30 Berlin is 11:30 UTC.
    assert action(d, "acknowledge_berlin").due_at == datetime(2026, 10, 26, 11, 30, tzinfo=UTC)
    assert "(2026-10-26T12:30:00+01:00)" in action(d, "acknowledge_berlin").say


def test_a_pause_of_two_business_hours_moves_the_deadline_by_two(hours):
    now = datetime(2026, 11, 30, 13, 0, tzinfo=MSK)
    plain = action(evaluate_new(hours, now), "acknowledge")
    paused = evaluate_new(hours, now,
                          pauses=[(datetime(2026, 11, 30, 9, 0, tzinfo=MSK), datetime(2026, 11, 30, 11, 0, tzinfo=MSK))],
                          done={"acknowledge_berlin": datetime(2026, 11, 30, 10, 0, tzinfo=MSK)})
    assert paused and action(paused, "acknowledge").due_at - plain.due_at == timedelta(hours=2)
    assert action(paused, "acknowledge_berlin").done
    assert not action(paused, "acknowledge_berlin").overdue
    # A pause still open stops the clock: no deadline, "by {due_at}" reads "once we hear back from you".
    held = evaluate_new(hours, now, pauses=[{"from": datetime(2026, 11, 30, 9, 0, tzinfo=MSK), "to": None}])
    assert action(held, "acknowledge").due_at is None
    assert action(held, "acknowledge").say.startswith("We will answer once we hear back from you (once we hear back from you)")


def test_after_3bd_moves_the_case_and_next_change_at_named_the_instant(hours):
    def waiting(now):
        return hours.evaluate({"reported_at": FRIDAY_1730_MSK}, state="waiting", entered_at=FRIDAY_1730_MSK, now=now)

    before = waiting(datetime(2026, 12, 1, 10, 0, tzinfo=MSK))
    assert before.state == "waiting"
    third_business_day = before.next_change_at
    assert third_business_day == datetime(2026, 12, 2, 17, 30, tzinfo=MSK)
    assert waiting(third_business_day).state == "waiting"
    after = waiting(third_business_day + timedelta(seconds=1))
    assert after.state == "closed_no_reply"
    assert after.path == ["waiting", "closed_no_reply"]
    assert after.next_change_at is None


def test_overdue_and_age_in_conditions_and_next_change_at(guide):
    berlin = timezone(timedelta(hours=1))
    reported = datetime(2026, 12, 4, 16, 30, tzinfo=berlin)
    d = guide.evaluate({"ticket_id": "T-7"}, state="new", entered_at=reported,
                       now=datetime(2026, 12, 4, 16, 45, tzinfo=berlin))
    assert d.escalation.level == "agent"
    assert d.next_change_at == datetime(2026, 12, 7, 11, 30, tzinfo=berlin)
    late = guide.evaluate({"ticket_id": "T-7"}, state="new", entered_at=reported, now=d.next_change_at + timedelta(minutes=1))
    assert action(late, "acknowledge").overdue
    assert late.escalation.reasons == ["the acknowledgement is late"]
    # age > 2bd in `confirming`: next_change_at names the instant, and the level follows it.
    proposed = datetime(2026, 12, 10, 15, 0, tzinfo=berlin)
    d = guide.evaluate({"ticket_id": "T-7"}, state="confirming", entered_at=proposed, now=proposed)
    assert d.next_change_at == datetime(2026, 12, 14, 15, 0, tzinfo=berlin)
    assert guide.evaluate({"ticket_id": "T-7"}, state="confirming", entered_at=proposed,
                          now=d.next_change_at + timedelta(seconds=1)).escalation.level == "manager"
    assert d.to_dict()["next_change_at"] == "2026-12-14T14:00:00Z"


def test_age_without_entered_at_is_an_evaluation_error(guide):
    with pytest.raises(redress.EvaluationError, match="entered_at is unknown"):
        guide.evaluate({"ticket_id": "T-7"}, state="working", now=datetime(2026, 12, 7, 12, 0, tzinfo=UTC))


def test_the_guide_walk_through_passes_from_python(guide):
    results = guide.run_tests()
    assert len(results) == 9
    assert all(r.passed for r in results), [f for r in results for f in r.failures]


def test_the_time_example_of_the_docs_runs(monkeypatch):
    """The python block of docs/python.md's "Time" section runs as written and gives what its
    comments say."""
    import re

    text = (SOURCE_DIR / "docs" / "python.md").read_text(encoding="utf-8")
    section = text[text.index("### Time: deadlines, pauses and next_change_at"):]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block
    monkeypatch.chdir(SOURCE_DIR)
    scope = {}
    exec(compile(block.group(1), "docs/python.md", "exec"), scope)
    assert scope["solve"].due_at == datetime(2026, 12, 11, 10, 0, tzinfo=UTC)
    assert not scope["solve"].overdue
    assert scope["d"].next_change_at == datetime(2026, 12, 9, 10, 30, tzinfo=UTC)


def test_an_unknown_case_timezone_is_a_reading_error_with_a_hint(hours, tmp_path):
    path = tmp_path / "zone.case.yaml"
    path.write_text("now: 2026-11-30T09:00:00Z\ntimezone: Europe/Moskow\n")
    with pytest.raises(redress.EvaluationError, match=r"zone\.case\.yaml:2:11: unknown time zone 'Europe/Moskow' \(did you mean 'Europe/Moscow'\?\)"):
        redress.read_case(path)
    with pytest.raises(ValueError, match=r"cases\[0\]: timezone: unknown time zone 'Europe/Moskow' \(did you mean 'Europe/Moscow'\?\)"):
        hours.evaluate_many([{"facts": {"reported_at": FRIDAY_1730_MSK}, "timezone": "Europe/Moskow"}])
    with pytest.raises(ValueError, match=r"timezone: unknown time zone 'Europe/Moskow'"):
        evaluate_new(hours, FRIDAY_1730_MSK, timezone="Europe/Moskow")


def test_a_done_key_naming_no_action_is_a_warning_or_under_strict_an_error(hours):
    now = datetime(2026, 11, 30, 13, 0, tzinfo=MSK)
    d = evaluate_new(hours, now, done={"acknowlege": now})
    assert d.warnings == ["unknown action 'acknowlege' in 'done' (did you mean 'acknowledge'?) ignored"]
    assert action(d, "acknowledge").overdue
    with pytest.raises(redress.EvaluationError, match=r"unknown action 'acknowlege' in 'done' .*strict_facts is on"):
        evaluate_new(hours, now, done={"acknowlege": now}, strict=True)
