"""Compound cases through Python (issue #12, spec §4.1 and §5.1): one customer with a late parcel
and a wrong invoice gets one CompoundDecision, the same bytes as the CLI's, with the merged
steps, escalation and compensation; its input routes per part; bad input raises, never crashes."""

import json
import pickle
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

import redress
from conftest import NOW, SOURCE_DIR

COMPOUND = SOURCE_DIR / "tests" / "compound"
PACK = COMPOUND / "pack"
CASE = COMPOUND / "late_and_overcharged.json"
GOLDEN = COMPOUND / "late_and_overcharged.decision.json"
BOTH = ["delivery_delay", "wrong_invoice"]
FACTS = {"days_late": 3, "order_value": "200.00 EUR", "shipping_fee": "4.99 EUR",
         "overcharge": "500.00 EUR", "tier": "gold"}
ENTERED = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def pack():
    return redress.load(PACK)


@pytest.fixture(scope="module")
def decision(pack):
    return pack.evaluate(**redress.read_case(CASE))


def evaluate(pack, **kwargs):
    args = dict(now=NOW, entered_at=ENTERED)
    args.update(kwargs)
    return pack.evaluate(args.pop("facts", FACTS), **args)


def item(d, playbook, id):
    (found,) = [i for i in d.compensation.items if i.playbook == playbook and i.id == id]
    return found


# ---- the golden case: the CLI's answer, byte for byte ----

def test_the_golden_case_is_the_cli_answer(decision):
    assert isinstance(decision, redress.CompoundDecision)
    golden_text = GOLDEN.read_text(encoding="utf-8")
    assert decision.to_dict() == json.loads(golden_text)
    assert decision.to_json(pretty=True) + "\n" == golden_text
    assert decision.to_dict() == json.loads(decision.to_json())
    # The one-line form is the pretty one without the layout.
    assert decision.to_json() == json.dumps(json.loads(golden_text), ensure_ascii=False)


def test_to_json_is_the_bytes_of_redress_eval(cli, pack):
    for extra, kwargs in (([], {}), (["--trace"], {"trace": True})):
        out = subprocess.run([cli, "eval", str(PACK), "--case", str(CASE), "--json", *extra],
                             capture_output=True, check=True).stdout
        d = pack.evaluate(**redress.read_case(CASE), **kwargs)
        assert out == d.to_json().encode("utf-8") + b"\n"


def test_to_dict_exact_keeps_trace_numbers_as_decimals(pack):
    d = evaluate(pack, triage="all", trace=True)
    assert d.to_dict(exact=True)["parts"][0]["trace"] == json.loads(d.to_json())["parts"][0]["trace"]
    assert all(p.trace for p in d.parts)
    assert evaluate(pack, triage="all").parts[0].trace is None


# ---- the Done-when criterion of issue #12 ----

def test_done_when_one_coherent_answer(decision):
    d = decision
    assert d.playbooks == BOTH
    assert d.states == {"delivery_delay": "open", "wrong_invoice": "open"}
    assert [p.playbook for p in d.parts] == BOTH
    assert all(isinstance(p, redress.Decision) for p in d.parts)

    # Both conflicts' next steps; one apology and one call-back, at the earliest deadline.
    steps = [a.action for a in d.actions]
    assert steps == ["apologise", "check_carrier", "call_back", "correct_invoice"]
    apologise, _, call_back, _ = d.actions
    assert [(s.playbook, s.action) for s in apologise.from_] == [("delivery_delay", "apologise"),
                                                                ("wrong_invoice", "apologise_invoice")]
    assert [(s.playbook, s.action) for s in call_back.from_] == [("delivery_delay", "call_back"),
                                                                ("wrong_invoice", "call_back_billing")]
    # The billing call-back (1h) comes before the delivery one (4h): its deadline and script win.
    assert call_back.due_at == datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
    assert call_back.say == "Call back about the corrected invoice."
    assert call_back.step.action == "call_back" and isinstance(call_back.step, redress.Action)

    # The highest escalation, with both reasons, each tagged with its playbook.
    assert d.escalation.level == "manager" and d.escalation.rank == 2
    assert [(r.playbook, r.text) for r in d.escalation.reasons] == [
        ("delivery_delay", "three or more days late"), ("wrong_invoice", "overcharge of 100 EUR or more")]
    assert {p.playbook: p.escalation.level for p in d.parts} == {"delivery_delay": "supervisor",
                                                                "wrong_invoice": "manager"}

    c = d.compensation
    # The overcharge refund owed in full.
    refund = item(d, "wrong_invoice", "refund_overcharge")
    assert refund.basis == "owed" and refund.amount == redress.Money("500.00 EUR") == refund.claimed
    assert c.owed == redress.Money("504.99 EUR")
    # Goodwill from both playbooks under the pack's one cap of 50 EUR.
    goodwill = [i for i in c.items if i.basis == "goodwill"]
    assert {i.playbook for i in goodwill if i.amount > redress.Money("0 EUR")} == set(BOTH)
    assert sum((i.amount for i in goodwill), redress.Money("0 EUR")) == c.goodwill == redress.Money("50.00 EUR")
    assert c.capped and c.total == redress.Money("554.99 EUR")
    assert c.approval == "supervisor" and c.approved and not c.signed_off
    assert c.payable == redress.Money("504.99 EUR")  # goodwill waits for the sign-off
    # The delay credit and the invoice goodwill cover one inconvenience: only the larger is paid.
    credit = item(d, "delivery_delay", "delay_credit")
    assert credit.covers == "inconvenience" and credit.claimed == redress.Money("10.00 EUR")
    assert credit.amount == redress.Money("0.00 EUR")
    assert (credit.covered_by.playbook, credit.covered_by.item) == ("wrong_invoice", "goodwill_credit")
    assert item(d, "wrong_invoice", "goodwill_credit").amount == redress.Money("25.00 EUR")
    assert item(d, "wrong_invoice", "goodwill_credit").covered_by is None
    # Money is the module's exact type everywhere, never float.
    for i in c.items:
        for m in (i.claimed, i.amount, i.paid, i.remaining):
            assert isinstance(m, redress.Money)

    assert [(t.playbook, t.to_close.events) for t in d.to_close] == [("delivery_delay", ["delivered"]),
                                                                   ("wrong_invoice", ["corrected"])]
    assert d.next_change_at == NOW
    assert d.warnings == []


def test_without_the_cover_both_credits_would_be_paid(tmp_path):
    """The covers rule is what keeps the delay credit at 0: without it both credits are claimed."""
    import shutil
    shutil.copytree(PACK, tmp_path / "pack", ignore=shutil.ignore_patterns("pack.test.yaml"))
    playbook = tmp_path / "pack" / "delivery_delay.yaml"
    playbook.write_text(playbook.read_text().replace("covers: inconvenience, ", ""))
    d = evaluate(redress.load(tmp_path / "pack"), triage="all")
    credit = item(d, "delivery_delay", "delay_credit")
    assert credit.covers is None and credit.covered_by is None
    assert credit.amount == redress.Money("10.00 EUR")
    assert d.compensation.goodwill == redress.Money("50.00 EUR")  # still under the one cap


# ---- the ways in ----

def test_named_playbooks_triage_all_and_case_dicts_agree(pack, decision):
    assert evaluate(pack, playbooks=BOTH) == decision
    assert evaluate(pack, playbooks=tuple(BOTH), triage="first") == decision
    assert pack.evaluate_compound(FACTS, now=NOW, entered_at=ENTERED) == decision
    # The caller's order is the part order.
    reversed_ = evaluate(pack, playbooks=BOTH[::-1])
    assert reversed_.playbooks == BOTH[::-1]
    assert reversed_.actions[0].from_[0].playbook == "wrong_invoice"
    # A case dict, from a file or a string.
    case = redress.parse_case(CASE.read_text())
    assert case["triage"] == "all"
    text = json.dumps({"playbooks": BOTH, "states": {"wrong_invoice": "open"},
                       "now": "2026-11-23T10:00:00Z", "entered_at": "2026-11-23T09:00:00Z", "facts": FACTS})
    case = redress.parse_case(text)
    assert case["playbooks"] == BOTH and case["states"] == {"wrong_invoice": "open"}
    assert pack.evaluate(**case) == decision
    yaml_case = redress.parse_case("triage: all\nnow: 2026-11-23T10:00:00Z\nentered_at: 2026-11-23T09:00:00Z\n"
                                   "facts: {days_late: 3, order_value: 200.00 EUR, shipping_fee: 4.99 EUR,"
                                   " overcharge: 500.00 EUR, tier: gold}\n")
    assert pack.evaluate(**yaml_case) == decision


def test_a_single_case_is_unchanged(pack):
    d = evaluate(pack, playbook="wrong_invoice")
    assert type(d) is redress.Decision and d.playbook == "wrong_invoice"
    d = evaluate(pack, triage="first")
    assert type(d) is redress.Decision
    assert d == evaluate(pack)


def test_evaluate_compound_always_answers_compound(pack):
    invoice_facts = {"overcharge": "500.00 EUR", "order_value": "200.00 EUR", "tier": "gold"}
    one = pack.evaluate_compound(invoice_facts, playbook="wrong_invoice", now=NOW)
    assert isinstance(one, redress.CompoundDecision) and one.playbooks == ["wrong_invoice"]
    assert one.parts[0] == pack.evaluate(invoice_facts, playbook="wrong_invoice", now=NOW)
    # The step takes the group's name even when only one part asks for it.
    assert [a.action for a in one.actions] == ["apologise", "correct_invoice", "call_back"]
    assert pack.evaluate_compound(FACTS, playbooks=BOTH, triage="all", now=NOW).playbooks == BOTH
    with pytest.raises(ValueError, match="triage='first' is evaluate"):
        pack.evaluate_compound(FACTS, triage="first", now=NOW)


def test_live_pack_evaluates_compound_cases(pack):
    live = redress.LivePack(PACK)
    assert live.evaluate(FACTS, triage="all", now=NOW) == pack.evaluate(FACTS, triage="all", now=NOW)
    assert live.evaluate_compound(FACTS, playbook="delivery_delay", now=NOW).playbooks == ["delivery_delay"]


# ---- routing per part ----

def test_states_and_events_go_to_their_parts(pack):
    d = evaluate(pack, playbooks=BOTH, states={"wrong_invoice": "open"}, event="corrected")
    assert d.states == {"delivery_delay": "open", "wrong_invoice": "resolved"}
    assert d.parts[1].path == ["open", "resolved"] and d.parts[0].path == ["open"]
    # The states come back in the shape `states=` takes: the next evaluation starts there.
    again = evaluate(pack, playbooks=d.playbooks, states=d.states, event="delivered")
    assert again.states == {"delivery_delay": "resolved", "wrong_invoice": "resolved"}
    assert all(t.to_close.steps == 0 for t in again.to_close)


def test_paid_goes_to_the_part_with_the_item(pack):
    d = evaluate(pack, triage="all", paid={"wrong_invoice.refund_overcharge": "200.00 EUR",
                                           "refund_shipping": redress.Money("4.99 EUR")})
    refund = item(d, "wrong_invoice", "refund_overcharge")
    assert refund.paid == redress.Money("200.00 EUR") and refund.remaining == redress.Money("300.00 EUR")
    assert item(d, "delivery_delay", "refund_shipping").remaining == redress.Money("0.00 EUR")
    assert d.compensation.paid == redress.Money("204.99 EUR")
    assert d.parts[1].compensation.paid == redress.Money("200.00 EUR")
    with pytest.raises(redress.EvaluationError, match="no playbook of this case has a compensation item 'nope'"):
        evaluate(pack, triage="all", paid={"nope": "1.00 EUR"})


def test_sign_off_applies_to_the_merged_goodwill(pack):
    d = evaluate(pack, triage="all", sign_offs=[{"level": "supervisor", "by": "ana", "at": NOW}])
    assert d.compensation.signed_off and d.compensation.sign_off.by == "ana"
    assert d.compensation.payable == redress.Money("554.99 EUR")


def test_facts_no_part_declares_are_one_tagged_warning(pack):
    d = evaluate(pack, facts={**FACTS, "overchrage": "1 EUR"}, triage="all")
    assert [(w.playbook, w.text) for w in d.warnings][:1] == [
        (None, "unknown fact 'overchrage' (did you mean 'overcharge'?) ignored: no playbook of this case declares it")]
    with pytest.raises(redress.EvaluationError, match="overchrage"):
        evaluate(pack, facts={**FACTS, "overchrage": "1 EUR"}, triage="all", strict=True)


# ---- triage ----

def test_triage_all_and_explain_triage(pack):
    assert pack.triage_all(FACTS, now=NOW) == BOTH
    only_late = {**FACTS, "overcharge": "0 EUR"}
    assert pack.triage_all(only_late, now=NOW) == ["delivery_delay"]
    assert pack.triage_all({"days_late": 0, "overcharge": "0 EUR"}, now=NOW) == []
    assert evaluate(pack, facts=only_late, triage="all").playbooks == ["delivery_delay"]
    results = pack.explain_triage(only_late, now=NOW)
    assert [(r.playbook, r.matched) for r in results] == [("delivery_delay", True), ("wrong_invoice", False)]
    matched, refused = results
    assert matched.why is None and matched.at is None and matched.expr is None
    assert refused.why and refused.expr == "overcharge > 0 EUR"
    assert refused.at.startswith("wrong_invoice.yaml:")
    assert refused.read == ["overcharge = 0.00 EUR"]
    assert matched.rank is None and refused.rank is None  # the test pack ranks by priority only
    assert refused.to_dict() == {"playbook": "wrong_invoice", "matched": False, "rank": None, "why": refused.why,
                                 "at": refused.at, "expr": "overcharge > 0 EUR", "read": ["overcharge = 0.00 EUR"]}
    assert "wrong_invoice" in repr(refused)


def test_triage_all_ranks_the_parts_by_what_is_at_stake(tmp_path):
    import shutil
    shutil.copytree(PACK, tmp_path / "pack", ignore=shutil.ignore_patterns("pack.test.yaml"))
    for name, rank in (("delivery_delay", "order_value"), ("wrong_invoice", "overcharge")):
        path = tmp_path / "pack" / f"{name}.yaml"
        path.write_text(path.read_text().replace("match: ", f'rank: "{rank}"\nmatch: ', 1))
    ranked = redress.load(tmp_path / "pack")
    assert ranked.triage_all(FACTS, now=NOW) == ["wrong_invoice", "delivery_delay"]
    d = evaluate(ranked, triage="all")
    assert d.playbooks == ["wrong_invoice", "delivery_delay"]
    assert d.escalation.reasons[0].playbook == "wrong_invoice"
    assert [(r.playbook, r.rank) for r in ranked.explain_triage(FACTS, now=NOW)] == [
        ("wrong_invoice", "500.00 EUR"), ("delivery_delay", "200.00 EUR")]
    small = {**FACTS, "overcharge": "50.00 EUR"}
    assert evaluate(ranked, facts=small, triage="all").playbooks == ["delivery_delay", "wrong_invoice"]


def test_explain_triage_is_the_cli_json(cli, pack):
    for facts in (FACTS, {**FACTS, "overcharge": "0 EUR"}, {"days_late": 3}):
        case = json.dumps({"now": "2026-11-23T10:00:00Z", "facts": facts})
        out = subprocess.run([cli, "triage", str(PACK), "--case", "-", "--explain", "--json"], input=case.encode(),
                             capture_output=True)
        assert out.stdout, out.stderr
        assert json.loads(out.stdout)["results"] == [r.to_dict() for r in pack.explain_triage(facts, now=NOW)]


# ---- errors: the library's message, as EvaluationError ----

@pytest.mark.parametrize("kwargs, message", [
    (dict(playbooks=["delivery_dealy"]), re.escape("unknown playbook 'delivery_dealy' (did you mean 'delivery_delay'?)")),
    (dict(playbooks=["wrong_invoice", "wrong_invoice"]), "playbook 'wrong_invoice' is named twice"),
    (dict(playbooks=BOTH, state="open"), "not one 'state'"),
    (dict(playbooks=BOTH, event="refund"),
     re.escape("no playbook of this case ('delivery_delay', 'wrong_invoice') accepts event 'refund' in its state")),
    (dict(playbooks=BOTH, states={"billing": "open"}), "'states' gives a state for 'billing', which is not a playbook of this case"),
    (dict(playbooks=BOTH, states={"wrong_invoice": "opne"}),
     r"^playbook 'wrong_invoice' has no state 'opne' \(did you mean 'open'\?\)$"),
    (dict(playbooks=["wrong_invoice"], playbook="delivery_delay"), "both 'playbook' and 'playbooks'"),
    (dict(triage="all", facts={"days_late": 0, "overcharge": "0 EUR"}), "no playbook matches this case"),
    # A single case with `states` is refused, not answered for one conflict with the states ignored.
    (dict(playbook="wrong_invoice", states={"wrong_invoice": "open"}), "'states' gives a compound case's states"),
])
def test_case_errors_are_evaluation_errors(pack, kwargs, message):
    with pytest.raises(redress.EvaluationError, match=message):
        evaluate(pack, **kwargs)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(playbooks="delivery_delay"), TypeError, r"playbooks must be a list of playbook ids.*not str"),
    (dict(playbooks={"delivery_delay": 1}), TypeError, r"playbooks must be a list.*not dict"),
    (dict(playbooks=iter(BOTH)), TypeError, r"playbooks must be a list"),
    (dict(playbooks=["delivery_delay", 3]), TypeError, r"playbooks\[1\] must be a playbook id \(a str\), not int 3"),
    (dict(playbooks=[None]), TypeError, r"playbooks\[0\]"),
    (dict(playbooks=[]), ValueError, r"playbooks is empty"),
    (dict(triage="all", states=["delivery_delay"]), TypeError, r"states must be a dict .*not list"),
    (dict(triage="all", states="open"), TypeError, r"states must be a dict"),
    (dict(triage="all", states={1: "open"}), TypeError, r"states: playbook ids must be str, not int 1"),
    (dict(triage="all", states={("a",): "open"}), TypeError, r"states: playbook ids must be str"),
    (dict(triage="all", states={"wrong_invoice": 2}), TypeError, r"states\['wrong_invoice'\] must be a state name"),
    (dict(triage="ALL"), ValueError, r"triage must be 'first' .* or 'all' .*not 'ALL'"),
    (dict(triage=True), TypeError, r"triage must be 'first' or 'all' \(a str\), not bool"),
])
def test_python_values_of_the_wrong_type_name_the_argument(pack, kwargs, error, message):
    with pytest.raises(error, match=message):
        evaluate(pack, **kwargs)


def test_misspelt_compound_keywords_get_a_hint(pack):
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'state_s' \(did you mean 'states'\?\)"):
        pack.evaluate(FACTS, now=NOW, state_s={})
    with pytest.raises(TypeError, match=r"evaluate_compound\(\) got an unexpected keyword argument 'triages'"):
        pack.evaluate_compound(FACTS, now=NOW, triages="all")
    # Keywords only: a 14th positional argument is not taken for `triage`.
    with pytest.raises(TypeError):
        pack.evaluate(FACTS, None, None, None, NOW, None, False, None, None, None, None, None, None, "all")


def test_hostile_inputs_raise_and_never_crash(pack):
    with pytest.raises(redress.EvaluationError, match="named twice"):
        evaluate(pack, playbooks=["wrong_invoice"] * 200_000)
    with pytest.raises(redress.EvaluationError, match="unknown playbook"):
        evaluate(pack, playbooks=["x" * 1_000_000])
    with pytest.raises(redress.EvaluationError, match="not a playbook of this case"):
        evaluate(pack, triage="all", states={f"p{i}": "open" for i in range(100_000)})
    with pytest.raises(redress.EvaluationError):
        evaluate(pack, playbooks=["delivery_delay\x00", "wrong_invoice"])
    with pytest.raises(TypeError):
        evaluate(pack, playbooks=[b"delivery_delay"])
    # The pack still answers.
    assert evaluate(pack, triage="all").escalation.level == "manager"


# ---- batches ----

def test_evaluate_jsonl_answers_a_compound_line_with_its_compound_decision(pack, decision):
    line = json.dumps(json.loads(CASE.read_text()))
    single = json.dumps({"facts": FACTS, "playbook": "wrong_invoice", "now": "2026-11-23T10:00:00Z"})
    out = pack.evaluate_jsonl(f"{line}\n{single}\n{line}\n".encode()).decode().splitlines()
    assert out[0] == decision.to_json() == out[2]
    assert json.loads(out[1])["playbook"] == "wrong_invoice"
    broken = json.dumps({"playbooks": ["delivery_dealy"], "facts": FACTS, "now": "2026-11-23T10:00:00Z"})
    (error,) = pack.evaluate_jsonl(broken.encode()).decode().splitlines()
    assert json.loads(error)["line"] == 1 and "did you mean 'delivery_delay'" in json.loads(error)["error"]


def test_evaluate_many_answers_each_case_in_its_shape(pack, decision):
    single = {"facts": FACTS, "playbook": "wrong_invoice", "now": NOW}
    compound = {**redress.read_case(CASE)}
    broken = {"facts": FACTS, "playbooks": ["delivery_dealy"], "now": NOW}
    single_with_states = {**single, "states": {"wrong_invoice": "open"}}
    for threads in (1, None):
        out = pack.evaluate_many([single, compound, broken, compound, single_with_states], threads=threads)
        assert type(out[0]) is redress.Decision and out[0] == pack.evaluate(**single)
        assert out[1] == decision and out[3] == decision
        assert isinstance(out[2], redress.EvaluationError) and "did you mean 'delivery_delay'" in str(out[2])
        assert isinstance(out[4], redress.EvaluationError) and "'states'" in str(out[4])
    with pytest.raises(TypeError, match=r"cases\[1\]: playbooks must be a list"):
        pack.evaluate_many([single, {"facts": FACTS, "playbooks": "wrong_invoice"}])
    with pytest.raises(ValueError, match=r"cases\[0\]: unknown key 'playbookz'"):
        pack.evaluate_many([{"facts": FACTS, "playbookz": BOTH}])
    # Cases without `now` are evaluated at one batch time, compound or not: a part of a compound
    # case equals the same playbook's single case.
    invoice_facts = {"overcharge": "500.00 EUR", "order_value": "200.00 EUR", "tier": "gold"}
    no_now = [{"facts": FACTS, "triage": "all"}, {"facts": invoice_facts, "playbook": "wrong_invoice"}] * 3
    out = pack.evaluate_many(no_now)
    assert all(o == out[0] for o in out[::2]) and all(o == out[1] for o in out[1::2])
    assert out[0].parts[1] == out[1]


def test_threads_share_the_pack(pack, decision):
    case = redress.read_case(CASE)
    with ThreadPoolExecutor(max_workers=4) as ex:
        results = list(ex.map(lambda _: pack.evaluate(**case), range(64)))
    assert all(r == decision for r in results)


# ---- equality, pickling, repr ----

def test_equality_pickling_and_repr(pack, decision):
    traced = evaluate(pack, triage="all", trace=True)
    for d in (decision, traced):
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(d, protocol=protocol))
            assert back == d and back.to_json() == d.to_json() and back is not d
    assert type(pickle.loads(pickle.dumps(decision))).__module__ == "redress"
    assert traced != decision  # the traces differ
    assert decision != decision.parts[0] and decision.parts[0] != decision
    assert (decision == "x") is False
    other = evaluate(pack, triage="all", paid={"refund_shipping": "1.00 EUR"})
    assert other != decision
    with pytest.raises(TypeError):
        hash(decision)
    with pytest.raises(ValueError, match="not an encoded Decision"):
        pickle.loads(pickle.dumps(decision).replace(b"rdsC", b"rdsX"))
    text = repr(decision)
    assert text.startswith("<CompoundDecision delivery_delay=open, wrong_invoice=open level=manager")
    assert "554.99 EUR" in text and "call_back" in text
    assert "covered by wrong_invoice.goodwill_credit" in repr(item(decision, "delivery_delay", "delay_credit"))
    assert "apologise_invoice" in repr(decision.actions[0])
    assert repr(decision.escalation.reasons[0]) == "<Tagged delivery_delay: three or more days late>"


def test_the_public_names(decision):
    for name in ("CompoundDecision", "CompoundAction", "ActionSource", "CompoundEscalation", "Tagged",
                 "CompoundCompensation", "CompoundItem", "ItemRef", "PartToClose", "TriageResult"):
        cls = getattr(redress, name)
        assert cls.__module__ == "redress" and name in redress.__all__
        assert cls.__doc__
    assert isinstance(decision.compensation.items[1].covered_by, redress.ItemRef)
    assert isinstance(decision.to_close[0], redress.PartToClose)
    stub = (SOURCE_DIR / "bindings" / "python" / "redress" / "__init__.pyi").read_text()
    for name in ("class CompoundDecision", "evaluate_compound: _EvaluateCompound", "def triage_all", "def explain_triage",
                 "-> CompoundDecision", "def from_(self) -> List[ActionSource]"):
        assert name in stub


def test_the_docs_example_runs(monkeypatch, capsys):
    text = (SOURCE_DIR / "docs" / "python.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "tests/compound/pack" in b]
    monkeypatch.chdir(SOURCE_DIR)
    scope = {}
    exec(compile(block, "docs/python.md", "exec"), scope)
    assert scope["cd"].compensation.goodwill == redress.Money("50.00 EUR")
    assert scope["nxt"].states == {"delivery_delay": "open", "wrong_invoice": "resolved"}
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == "{'delivery_delay': 'open', 'wrong_invoice': 'resolved'}"


@pytest.mark.parametrize("kwargs, message", [
    (dict(playbooks=["\ud800"]), r"playbooks\[0\] is not valid text \(a lone surrogate\)"),
    (dict(playbooks=BOTH, states={"wrong_invoice": "\udcff"}), r"states\['wrong_invoice'\] is not valid text"),
    (dict(triage="all", states={"\ud800": "open"}), r"a playbook id in states is not valid text"),
    (dict(triage="\ud800"), r"triage is not valid text"),
    (dict(playbook="\ud800"), r"playbook is not valid text"),
    (dict(facts={"\ud800": 1}), r"a fact name is not valid text"),
    (dict(facts={**FACTS, "tier": "\ud800"}), r"fact 'tier' is not valid text"),
])
def test_text_that_is_not_utf8_is_a_value_error(pack, kwargs, message):
    with pytest.raises(ValueError, match=message):
        evaluate(pack, **kwargs)


def test_a_fact_written_playbook_dot_fact_is_that_parts_own(pack):
    d = evaluate(pack, facts={**FACTS, "wrong_invoice.overcharge": "120.00 EUR"}, triage="all")
    assert item(d, "wrong_invoice", "refund_overcharge").amount == redress.Money("120.00 EUR")
    assert d.warnings == []
    with pytest.raises(redress.EvaluationError, match=r"did you mean 'wrong_invoice'\?"):
        evaluate(pack, facts={**FACTS, "wrong_invoce.overcharge": "1 EUR"}, triage="all")
    with pytest.raises(redress.EvaluationError, match="playbook 'delivery_delay' declares no fact 'overcharge'"):
        evaluate(pack, facts={**FACTS, "delivery_delay.overcharge": "1 EUR"}, triage="all")
