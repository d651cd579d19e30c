"""LoadError and EvaluationError: Python exception classes with locations."""

import pickle

import pytest

import redress
from conftest import NOW, write_playbook

GOOD = """\
redress: 1
playbook: small
version: "1"
title: Small
currency: EUR
facts:
  amount: money
  note: {type: string, optional: true}
states:
  open:
    initial: true
    on: {close: closed}
  closed:
    terminal: true
compensation:
  rules:
    - {id: back, kind: refund, amount: "amount"}
"""


def test_broken_playbook_gives_located_diagnostics(tmp_path):
    path = write_playbook(tmp_path, "broken.yaml", GOOD.replace("    initial: true\n", "    initial: true\n    intial: false\n"))
    with pytest.raises(redress.LoadError) as info:
        redress.load(path)
    err = info.value
    assert isinstance(err, redress.RedressError)
    assert err.diagnostics, "a LoadError carries its diagnostics"
    d = err.errors[0]
    assert isinstance(d, redress.Diagnostic)
    assert d.file.endswith("broken.yaml")
    assert (d.line, d.column) == (12, 5)
    assert d.severity == "error"
    assert "intial" in d.message and "initial" in d.message  # the key, and the did-you-mean
    assert d.source_line.strip() == "intial: false"
    assert str(d) == f"{d.file}:12:5: error: {d.message}"
    assert d.with_caret().endswith("\n      ^")
    text = str(err)
    assert "broken.yaml:12:5: error:" in text


def test_expression_errors_point_into_the_yaml(tmp_path):
    path = write_playbook(tmp_path, "expr.yaml", GOOD.replace('amount: "amount"}', 'amount: "amout * 2"}'))
    with pytest.raises(redress.LoadError) as info:
        redress.load(path)
    d = info.value.errors[0]
    assert (d.line, d.column) == (17, 41)  # the first letter of `amout`
    assert "amout" in d.message and "did you mean 'amount'" in d.message


def test_every_error_is_reported(tmp_path):
    write_playbook(tmp_path, "a.yaml", GOOD.replace("playbook: small", "playbook: Bad-Id"))
    write_playbook(tmp_path, "b.yaml", GOOD.replace("playbook: small", "playbook: other").replace("title: Small\n", "title: Small\ncolour: red\n"))
    with pytest.raises(redress.LoadError) as info:
        redress.load(tmp_path)
    files = {d.file.rsplit("/", 1)[-1] for d in info.value.errors}
    assert files == {"a.yaml", "b.yaml"}


def test_missing_path_is_a_load_error(tmp_path):
    with pytest.raises(redress.LoadError) as info:
        redress.load(tmp_path / "nowhere")
    assert info.value.diagnostics


def test_load_error_pickles():
    err = redress.LoadError("1 error", [redress.Diagnostic("x.yaml", 1, 2, "error", "bad", "src")])
    back = pickle.loads(pickle.dumps(err))
    assert back.diagnostics == err.diagnostics and str(back) == str(err)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return redress.load(write_playbook(tmp_path_factory.mktemp("small"), "small.yaml",
                                       GOOD.replace('amount: "amount"}', 'amount: "amount"}\n    - {id: extra, kind: credit, when: "note != null", amount: "amount * len(note)"}')
                                       + "let:\n  shout: \"upper(note) == 'X'\"\n"))


def test_evaluation_errors_are_python_exceptions(small):
    with pytest.raises(redress.EvaluationError) as info:
        small.evaluate({}, now=NOW)
    err = info.value
    assert "missing required fact 'amount'" in err.message
    assert err.location == ""
    assert str(err) == err.message


def test_evaluation_error_with_location(small):
    with pytest.raises(redress.EvaluationError) as info:
        small.evaluate({"amount": "10 EUR", "note": None}, now=NOW)
    err = info.value
    assert err.location.startswith("small.yaml:")
    line, column = map(int, err.location.split(":")[1:])
    assert line > 0 and column > 0
    assert "note" in err.message
    assert str(err) == f"{err.location}: {err.message}"


def test_bad_event_and_unknown_playbook(small):
    with pytest.raises(redress.EvaluationError, match="reopen"):
        small.evaluate({"amount": "1 EUR", "note": "x"}, event="reopen", now=NOW)
    with pytest.raises(redress.EvaluationError, match="did you mean 'small'"):
        small.evaluate({"amount": "1 EUR", "note": "x"}, playbook="smal", now=NOW)
    with pytest.raises(redress.EvaluationError, match="state"):
        small.evaluate({"amount": "1 EUR", "note": "x"}, state="nowhere", now=NOW)


def test_evaluation_error_pickles():
    err = redress.EvaluationError("boom", "x.yaml:1:2")
    back = pickle.loads(pickle.dumps(err))
    assert back == err and str(back) == "x.yaml:1:2: boom"
