"""redress: YAML conflict playbooks compiled into state machines, evaluated into Decisions.

Quick start::

    import redress
    from datetime import datetime, timezone

    pack = redress.load("playbooks")
    d = pack.evaluate(
        {"category": "delivery", "order_id": "A-1001", "order_value": "200.00 EUR",
         "shipping_fee": "4.99 EUR", "days_late": 3, "tier": "gold"},
        playbook="delivery_delay", state="investigating",
        now=datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc))
    d.state                     # 'offer'
    d.escalation.level          # 'manager'
    d.compensation.total        # Money('17.99', 'EUR')
    d.to_dict()                 # the JSON of the spec, §5

A customer with several conflicts at once (spec §4.1): ``pack.evaluate(facts, triage="all")`` or
``playbooks=[...]`` gives one :class:`CompoundDecision`.

Numbers and money are exact: pass int, decimal.Decimal, or strings such as '12.50 EUR';
float is refused. Datetimes must carry a tzinfo. See docs/python.md.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Union

from ._types import (
    Diagnostic,
    EvaluationError,
    LoadError,
    Money,
    PackChangedError,
    RedressError,
)
from ._redress import (  # noqa: E402  (the compiled core)
    FORMAT_VERSION,
    Action,
    ActionSource,
    Compensation,
    CompensationItem,
    CompoundAction,
    CompoundCompensation,
    CompoundDecision,
    CompoundEscalation,
    CompoundItem,
    Decision,
    Escalation,
    FactInfo,
    ItemRef,
    LivePack,
    Pack,
    PartToClose,
    PlaybookInfo,
    ReloadResult,
    ReplaySummary,
    SignOff,
    StateInfo,
    Tagged,
    TestResult,
    ToClose,
    TraceStep,
    TriageResult,
    __version__,
)
from . import _redress
from ._replay import Replay, replay

__all__ = [
    "load",
    "bundled_pack",
    "bundled_pack_path",
    "schema_dir",
    "read_case",
    "parse_case",
    "replay",
    "Replay",
    "ReplaySummary",
    "Pack",
    "LivePack",
    "ReloadResult",
    "Decision",
    "Action",
    "Escalation",
    "Compensation",
    "CompensationItem",
    "SignOff",
    "ToClose",
    "TraceStep",
    "CompoundDecision",
    "CompoundAction",
    "ActionSource",
    "CompoundEscalation",
    "Tagged",
    "CompoundCompensation",
    "CompoundItem",
    "ItemRef",
    "PartToClose",
    "TriageResult",
    "PlaybookInfo",
    "FactInfo",
    "StateInfo",
    "TestResult",
    "Money",
    "Diagnostic",
    "RedressError",
    "LoadError",
    "PackChangedError",
    "EvaluationError",
    "FORMAT_VERSION",
    "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]

# Public classes show (and pickle) as redress.X, wherever they are defined.
for _cls in (Pack, LivePack, ReloadResult, Decision, Action, Escalation, Compensation, CompensationItem, SignOff, ToClose,
             TraceStep, CompoundDecision, CompoundAction, ActionSource, CompoundEscalation, Tagged, CompoundCompensation,
             CompoundItem, ItemRef, PartToClose, TriageResult,
             PlaybookInfo, FactInfo, StateInfo, TestResult, ReplaySummary, Replay, Money, Diagnostic, RedressError, LoadError,
             PackChangedError, EvaluationError):
    _cls.__module__ = __name__
del _cls


def load(path: Union[PathLike, list]) -> Pack:
    """Load and compile playbooks into an immutable :class:`Pack`.

    ``path`` is a directory (every ``*.yaml`` in it except ``pack.yaml`` and ``*.test.yaml``),
    one playbook file (with the ``pack.yaml`` beside it), or a list of such paths.
    Raises :class:`LoadError` whose ``diagnostics`` give file, line and column of every problem.
    """
    return Pack.load(path)


# The data shipped inside the installed package (setup.py copies it there), laid out like an
# install prefix so that the packaged CLI (redress/bin/redress) finds it too.
_PACKAGE_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "share", "redress")


def _data_path(installed: str, native) -> str:
    env = os.environ.get("REDRESS_DATA_DIR")
    if env:
        path = os.path.join(env, installed)
        if not os.path.isdir(path):
            raise FileNotFoundError(f"REDRESS_DATA_DIR is set but {path} does not exist")
        return path
    path = os.path.join(_PACKAGE_DATA, installed)
    if os.path.isdir(path):
        return path
    try:
        return native()  # the C++ library's places: install prefix, source tree
    except RuntimeError as e:
        raise FileNotFoundError(str(e)) from None


def bundled_pack_path() -> str:
    """The directory of the pack shipped with redress: ``$REDRESS_DATA_DIR/playbooks`` when that
    variable is set, else the copy inside this package, else the C++ library's (the install's
    ``share/redress/playbooks`` or the source tree). Raises FileNotFoundError when none exists."""
    return _data_path("playbooks", _redress._bundled_pack_path)


def schema_dir() -> str:
    """The directory of ``playbook.schema.json``, ``pack.schema.json``,
    ``playbook-tests.schema.json``, ``pack-tests.schema.json`` (compound tests),
    ``case.schema.json`` and ``decision.schema.json``, found like :func:`bundled_pack_path`."""
    return _data_path("schemas", _redress._schema_dir)


def bundled_pack() -> Pack:
    """Load the pack shipped with redress (see :func:`bundled_pack_path`)."""
    return Pack.load(bundled_pack_path())


def parse_case(text: str, origin: str = "<case>") -> Dict[str, Any]:
    """Parse a case written as JSON or YAML (the CLI's ``--case`` format) into a dict whose keys
    are ``evaluate``'s parameters: ``pack.evaluate(**redress.parse_case(text))``.

    Fact values stay as the file gives them: text (money as its text, "12.50 EUR"), numbers as
    exact ``int`` or ``decimal.Decimal`` (never float), booleans, lists of text, None. ``now``
    and ``entered_at`` become tz-aware datetimes. JSON is read as JSON (a trailing comma is
    "invalid JSON"). Raises :class:`EvaluationError` (with "line:column") for malformed input
    and for a text holding more than one case.
    """
    return _redress._parse_case(text, origin)


def read_case(path: PathLike) -> Dict[str, Any]:
    """Read a case file (JSON or YAML, as ``redress eval --case FILE`` does); see :func:`parse_case`."""
    path = os.fspath(path)
    with open(path, encoding="utf-8") as f:
        return parse_case(f.read(), os.path.basename(path))
