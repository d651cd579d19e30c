"""The public API: load, playbooks, evaluate, triage, Decision attributes and to_dict."""

import json
import pydoc
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import redress
from conftest import NOW, PLAYBOOKS, SOURCE_DIR


def test_version_and_exports():
    assert re.fullmatch(r"\d+\.\d+\.\d+", redress.__version__)
    assert redress.FORMAT_VERSION == 1
    for name in redress.__all__:
        assert hasattr(redress, name), name


def test_package_version_matches_the_library():
    # One place for the number: CMake's project(VERSION); pyproject leaves it to setup.py, which
    # reads it from there, as the library (and so redress.__version__) does.
    tomllib = pytest.importorskip("tomllib")
    meta = tomllib.loads((SOURCE_DIR / "bindings" / "python" / "pyproject.toml").read_text())
    assert "version" not in meta["project"] and "version" in meta["project"]["dynamic"]
    cmake = (SOURCE_DIR / "CMakeLists.txt").read_text()
    assert re.search(r"project\(\s*redress\s+VERSION\s+([0-9.]+)", cmake).group(1) == redress.__version__


def test_load_accepts_str_pathlike_and_list(pack):
    assert redress.load(str(PLAYBOOKS)).fingerprint == pack.fingerprint
    assert redress.load([PLAYBOOKS]).fingerprint == pack.fingerprint
    assert isinstance(pack, redress.Pack)
    assert pack.fingerprint.startswith("sha256:")
    assert pack.sources == [str(PLAYBOOKS)]
    assert "delivery_delay" in repr(pack)


def test_playbooks_describe_ids_states_and_typed_facts(pack):
    ids = [p.id for p in pack.playbooks]
    assert "delivery_delay" in ids
    info = pack.playbook("delivery_delay")
    assert info.title == "Delivery delay"
    assert info.version == "2026.11.1"
    assert info.currency == "EUR"
    assert info.has_match
    assert info.ladder == ["agent", "supervisor", "manager", "director"]
    states = {s.name: s for s in info.states}
    assert states["reported"].initial and not states["reported"].terminal
    assert states["resolved"].terminal
    facts = {f.name: f for f in info.facts}
    assert facts["days_late"].type == "int" and facts["days_late"].required
    assert facts["order_value"].type == "money" and facts["order_value"].default == "0 EUR"
    assert facts["tier"].type == "enum" and facts["tier"].values == ["standard", "silver", "gold"]
    assert facts["delivered_at"].optional and not facts["delivered_at"].required
    assert facts["days_late"].min == "0" and facts["days_late"].max is None
    assert facts["shipping_fee"].min == "0" and facts["tier"].min is None
    assert "acknowledged" in info.events
    assert info.fingerprint.startswith("sha256:")
    assert info.test_count >= 1
    with pytest.raises(KeyError):
        pack.playbook("nope")


def test_states_say_their_outcome(bundled, pack):
    """Issue #13: resolution figures count only the terminal states whose outcome is 'resolved'."""
    states = {s.name: s for s in bundled.playbook("delivery_delay").states}
    assert states["resolved"].outcome == "resolved"
    assert states["closed_without_agreement"].outcome == "closed_without_agreement"
    assert states["closed_no_reply"].outcome == "closed_without_agreement"
    assert states["offer"].outcome == ""
    # A terminal state without `outcome` is resolved (the first edition has none).
    assert {s.outcome for s in pack.playbook("delivery_delay").states if s.terminal} == {"resolved"}


def test_evaluate_gives_attribute_access(pack, late_gold_facts):
    d = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="investigating",
                      now=NOW, entered_at=NOW - timedelta(hours=2))
    assert isinstance(d, redress.Decision)
    assert d.playbook == "delivery_delay"
    assert d.version == "2026.11.1"
    assert d.state == "offer" and not d.terminal
    assert d.path == ["investigating", "offer"]
    assert d.escalation.level == "manager" and d.escalation.rank == 2
    assert d.escalation.reasons == ["key customer"]
    total = d.compensation.total
    assert isinstance(total, redress.Money)
    assert total == redress.Money("17.99 EUR")
    assert total.amount == Decimal("17.99") and isinstance(total.amount, Decimal)
    assert str(total) == "17.99 EUR"
    assert [i.id for i in d.compensation.items] == ["refund_shipping", "delay_credit", "goodwill"]
    assert [str(i.amount) for i in d.compensation.items] == ["4.99 EUR", "3.00 EUR", "10.00 EUR"]
    assert d.compensation.approval is None and d.compensation.approved
    assert not d.compensation.held and d.compensation.hold_reason is None
    actions = {a.action: a for a in d.actions}
    offer = actions["offer_options"]
    assert offer.options == ["expedite", "refund_shipping", "cancel_and_refund"]
    assert offer.due_at is None and offer.to is None and "A-1001" in offer.say
    update = actions["status_update"]
    # entered `offer` now (a transition in this evaluation): due 24h later, tz-aware UTC
    assert update.due_at == NOW + timedelta(hours=24)
    assert update.due_at.tzinfo is not None and update.due_at.utcoffset() == timedelta(0)
    assert d.warnings == []
    assert d.trace is None
    assert "offer" in repr(d) and "17.99 EUR" in repr(d)


def test_to_dict_is_the_spec_json(pack, late_gold_facts):
    d = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="investigating", now=NOW, trace=True)
    as_dict = d.to_dict()
    assert as_dict == json.loads(d.to_json())
    assert json.loads(json.dumps(as_dict)) == json.loads(d.to_json(pretty=True))
    assert list(as_dict) == ["playbook", "version", "fingerprint", "state", "terminal", "path", "actions",
                             "escalation", "compensation", "to_close", "next_change_at", "warnings", "trace"]
    for action in as_dict["actions"]:
        assert list(action) == ["action", "due_at", "overdue", "done", "say", "options", "to"]
    assert as_dict["compensation"]["total"] == "17.99 EUR"
    assert as_dict["fingerprint"] == d.fingerprint
    assert d.to_json(pretty=True).startswith('{\n  "playbook": "delivery_delay"')
    exact = d.to_dict(exact=True)
    assert all(not isinstance(v, float) for v in _walk(exact))
    no_trace = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="investigating", now=NOW)
    assert "trace" not in no_trace.to_dict()


def _walk(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v)
    else:
        yield obj


def test_trace_steps_carry_locations_and_python_values(pack, late_gold_facts):
    d = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="investigating", now=NOW, trace=True)
    assert d.trace, "trace=True fills the trace"
    for step in d.trace:
        assert re.fullmatch(r"[\w.]+\.yaml:\d+:\d+", step.at), step.at
        assert step.what and step.expr
    values = {step.expr: step.value for step in d.trace}
    assert values["clamp(days_late / 7, 0, 1)"] == Decimal("0.428571428571")
    assert values["days_late >= 1"] is True
    assert any(isinstance(v, redress.Money) for v in values.values())


def test_decisions_compare_by_their_json(pack, late_gold_facts):
    a = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="investigating", now=NOW)
    b = pack.evaluate(dict(late_gold_facts), playbook="delivery_delay", state="investigating", now=NOW)
    c = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="investigating", now=NOW + timedelta(days=1))
    assert a == b
    assert a != c or a.to_json() == c.to_json()
    assert a != "offer"


def test_events_and_states(pack, late_gold_facts):
    d = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="offer", event="accepted", now=NOW)
    assert d.state == "resolved" and d.terminal
    assert d.path == ["offer", "resolved"]
    fresh = pack.evaluate(late_gold_facts, playbook="delivery_delay", now=NOW)
    assert fresh.state == "reported"


def test_triage_picks_the_playbook(pack, late_gold_facts):
    assert pack.triage(late_gold_facts, now=NOW) == "delivery_delay"
    assert pack.triage(late_gold_facts) == "delivery_delay"  # wall clock
    with pytest.raises(redress.EvaluationError):
        pack.triage({"category": "no such thing"}, now=NOW)


def test_now_none_reads_the_wall_clock(pack, late_gold_facts):
    before = datetime.now(timezone.utc)
    d = pack.evaluate(late_gold_facts, playbook="delivery_delay", state="investigating")
    after = datetime.now(timezone.utc)
    due = {a.action: a.due_at for a in d.actions}["status_update"]
    # entered `offer` at the wall clock's now
    assert before + timedelta(hours=24) - timedelta(seconds=1) <= due <= after + timedelta(hours=24)


def test_unknown_facts_are_warnings(pack, late_gold_facts):
    d = pack.evaluate({**late_gold_facts, "colour": "blue"}, playbook="delivery_delay", now=NOW)
    assert any("colour" in w for w in d.warnings)


def test_run_tests_runs_the_playbooks_examples(pack):
    results = pack.run_tests()
    assert results and all(isinstance(r, redress.TestResult) for r in results)
    failed = [(r.name, r.failures) for r in results if not r.passed]
    assert not failed
    assert pack.run_tests("no-such-filter-xyz") == []


def test_help_is_useful():
    text = pydoc.render_doc(redress.Pack, renderer=pydoc.plaintext)
    for word in ("evaluate_many", "triage", "GIL", "float", "tzinfo", "fingerprint", "playbooks"):
        assert word in text, word
    for obj in (redress, redress.load, redress.read_case, redress.parse_case, redress.Money, redress.Decision,
                redress.LoadError, redress.EvaluationError, redress.Pack.evaluate, redress.Pack.evaluate_many,
                redress.Decision.to_dict, redress.Diagnostic):
        assert obj.__doc__ and len(obj.__doc__.strip()) > 20, obj


def test_type_stubs_ship_with_the_package():
    from pathlib import Path

    package_dir = Path(redress.__file__).parent
    assert (package_dir / "py.typed").exists()
    stub = (package_dir / "__init__.pyi").read_text()
    for name in ("class Pack", "def evaluate_many", "class Decision", "class Money", "def load"):
        assert name in stub


def test_read_case_and_parse_case(pack):
    case = redress.read_case(SOURCE_DIR / "examples" / "cases" / "late_gold.json")
    assert case["playbook"] == "delivery_delay"
    assert case["now"] == NOW
    assert case["facts"]["order_value"] == "200.00 EUR"
    assert pack.evaluate(**case).state == "offer"
    yaml_case = redress.parse_case("now: 2026-11-23T10:00:00Z\nfacts: {category: delivery, order_id: X, days_late: 2}\n")
    assert yaml_case["facts"]["days_late"] == 2  # a number stays a number, exactly
    with pytest.raises(redress.EvaluationError):
        redress.parse_case("{not json")


DOCS = SOURCE_DIR / "docs" / "python.md"


def test_quick_start_snippet_of_the_docs_runs(monkeypatch):
    """The first ```python block of docs/python.md (the README's Python section) runs as written."""
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block, "docs/python.md has a python quick-start block"
    monkeypatch.chdir(SOURCE_DIR)
    scope = {}
    exec(compile(block.group(1), str(DOCS), "exec"), scope)
    assert scope["d"].state == "offer"
    assert str(scope["d"].compensation.total) == "4.99 EUR"


def test_bundled_pack_and_schemas_are_found():
    import os
    pack = redress.bundled_pack()
    assert "delivery_delay" in [p.id for p in pack.playbooks]
    assert os.path.isfile(os.path.join(redress.bundled_pack_path(), "pack.yaml"))
    assert os.path.isfile(os.path.join(redress.schema_dir(), "playbook.schema.json"))


def test_redress_data_dir_is_the_only_place_looked_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv("REDRESS_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="REDRESS_DATA_DIR"):
        redress.bundled_pack_path()
