"""Compound tests (pack.test.yaml, issue #12) from Python: Pack.run_tests runs them after the
playbooks' own, as `redress test` does, with the same results and failure lines."""

import shutil

import redress

from conftest import SOURCE_DIR

COMPOUND = SOURCE_DIR / "tests" / "compound" / "pack"


def test_run_tests_runs_the_compound_tests():
    results = redress.load(str(COMPOUND)).run_tests()
    compound = [r for r in results if r.compound]
    assert len(compound) >= 10 and all(r.passed for r in results)
    done_when = next(r for r in compound if r.name == "late and overcharged, gold customer")
    assert done_when.playbook == "delivery_delay+wrong_invoice"
    assert done_when.file.endswith("pack.test.yaml")
    assert not any(r.compound for r in results[: len(results) - len(compound)])  # single tests first


def test_a_wrong_compound_expectation_fails_with_expected_and_got(tmp_path):
    for f in ("pack.yaml", "delivery_delay.yaml", "wrong_invoice.yaml"):
        shutil.copy(COMPOUND / f, tmp_path)
    (tmp_path / "pack.test.yaml").write_text(
        "tests:\n"
        "  - name: wrong\n"
        "    playbooks: [wrong_invoice, delivery_delay]\n"
        "    now: \"2026-11-23T10:00:00Z\"\n"
        "    facts: {days_late: 1, order_value: \"80.00 EUR\", overcharge: \"30.00 EUR\"}\n"
        "    expect:\n"
        "      covered_by: {delivery_delay.delay_credit: wrong_invoice.goodwill_credit}\n"
        "      parts: {wrong_invoice: {state: resolved}}\n",
        encoding="utf-8",
    )
    [result] = [r for r in redress.load(str(tmp_path)).run_tests() if r.compound]
    assert result.playbook == "wrong_invoice+delivery_delay" and not result.passed
    assert result.failures == [
        "covered_by.delivery_delay.delay_credit: expected wrong_invoice.goodwill_credit, but the decision has no such item",
        "parts.wrong_invoice.state: expected resolved, got open",
    ]
