"""redress.replay: cases through an old and a new pack, and what changes (docs/replay.md).

The work is the library's (the same core as ``redress replay``): each chunk of cases is
evaluated by both packs with ``evaluate_many`` (threads, no GIL), compared and summed exactly.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from itertools import islice
from typing import Any, Dict, Iterable, List, NamedTuple, Optional

from . import _redress

# As the CLI reads CSV (redress/csv_cases.hpp): a flat row has no lists, and a fact may be named
# like a list field of the case (wrong_invoice has a fact `paid`).
CASE_FIELDS = ("playbook", "state", "event", "entered_at", "now", "timezone")
ID_FIELDS = ("case_id", "id")
CHUNK = 10000  # cases converted at once; the library evaluates them in smaller blocks
DIFF_COLUMNS = ("case", "playbook", "changed", "state_old", "state_new", "actions_old", "actions_new", "level_old",
                "level_new", "compensation_old", "compensation_new", "delta", "approval_old", "approval_new", "rules",
                "error")


class Replay(NamedTuple):
    """What :func:`replay` returns: ``summary, differences = redress.replay(...)``."""

    summary: "_redress.ReplaySummary"
    differences: Any  # a pandas DataFrame (a list of dicts without pandas)


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, NaT
    except (TypeError, ValueError):
        return type(v).__name__ == "NAType"  # pandas.NA: its != is NA, which has no truth value


def row_to_case(row: Dict[str, Any]) -> Dict[str, Any]:
    """A table row (CSV/DataFrame convention: case columns, id columns, every other column a
    fact; a missing value is a fact not given) as a case dict for ``evaluate_many``."""
    case: Dict[str, Any] = {"facts": {}}
    for key, value in row.items():
        if _missing(value) or key in ID_FIELDS:
            continue
        if key in CASE_FIELDS:
            case[key] = value
        else:
            case["facts"][key] = value
    return case


def _is_dataframe(obj) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "to_dict") and hasattr(obj, "index")


def _flatten(line: Dict[str, Any]) -> Dict[str, Any]:
    row: Dict[str, Any] = {c: None for c in DIFF_COLUMNS}
    row["case"] = line["line"]
    if "error" in line:
        row["error"] = line["error"]
        return row
    row["playbook"] = line["playbook"]
    row["changed"] = ",".join(line["changed"])
    for key in ("state", "level", "approval"):
        if key in line:
            row[f"{key}_old"], row[f"{key}_new"] = line[key]["old"], line[key]["new"]
    if "actions" in line:
        row["actions_old"] = " ".join(line["actions"]["old"])
        row["actions_new"] = " ".join(line["actions"]["new"])
    if "compensation" in line:
        row["compensation_old"] = line["compensation"]["old"]
        row["compensation_new"] = line["compensation"]["new"]
        row["delta"] = line["compensation"].get("delta")
    row["rules"] = line.get("rules", [])
    return row


def differences_frame(rows: List[Dict[str, Any]], index_labels=None):
    """Diff rows as a pandas DataFrame (columns DIFF_COLUMNS), or the list itself without pandas."""
    rows.sort(key=lambda r: r["case"])
    if index_labels is not None:
        for r in rows:
            r["case"] = index_labels[r["case"]]
    try:
        import pandas as pd
    except ImportError:
        return rows
    return pd.DataFrame(rows, columns=list(DIFF_COLUMNS))


def replay_chunks(old, new, chunks: Iterable[List[Dict[str, Any]]], first: int = 0, now=None,
                  threads: Optional[int] = None, keep_rows: bool = True):
    """(summary, diff rows) of consecutive chunks of case dicts, numbered from `first`."""
    summary = _redress.ReplaySummary()
    rows: List[Dict[str, Any]] = []
    for chunk in chunks:
        s, diff = _redress._replay_cases(old, new, chunk, first, now, threads)
        summary.merge(s)
        if keep_rows:
            rows.extend(_flatten(json.loads(line)) for line in diff.splitlines() if line)
        first += len(chunk)
    return summary, rows


def _chunks(iterable, size):
    it = iter(iterable)
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk


def replay(old, new, cases, *, now=None, threads: Optional[int] = None, differences: bool = True) -> Replay:
    """Replay `cases` through the `old` and the `new` :class:`Pack` and report what changes.

    ``cases`` is an iterable of case dicts (``evaluate_many``'s items: ``facts`` and optionally
    ``playbook``, ``state``, ``event``, ``now``, ``entered_at``, ``sign_offs``, ``paid``, …) or a
    pandas DataFrame with one case a row (the columns ``playbook``, ``state``, ``event``,
    ``entered_at``, ``now``, ``timezone`` are the case's, ``case_id``/``id`` are skipped, every
    other column is a fact; a missing value is a fact not given). It is read in chunks: an
    iterator (a generator over a file) is never held in memory whole.

    ``now``: the time for cases without their own; ``None`` reads the clock once for the whole
    replay, so both packs see the same time. ``threads``: at most this many (``None``: every core).

    Returns ``Replay(summary, differences)``: ``summary`` a :class:`ReplaySummary`
    (``to_dict()``, ``to_markdown()``, ``to_html()``), ``differences`` a pandas DataFrame with
    one row per changed or failed case — ``case`` (its 0-based position, or the DataFrame's index
    label), ``playbook``, ``changed`` (``"state,compensation"``), ``*_old``/``*_new`` for state,
    actions, level, compensation and approval, ``delta``, ``rules`` (the rules that fired
    differently) and ``error``. A case that cannot be read or evaluated is an error in its place;
    the others are replayed. ``differences=False`` keeps none (``None``): memory then stays
    flat however many cases change.
    """
    if threads is not None and threads < 1:
        raise ValueError("threads must be at least 1 (or None for every core)")
    if now is None:
        now = datetime.now(timezone.utc)
    labels = None
    if _is_dataframe(cases):
        labels = list(cases.index)
        cases = (row_to_case(r) for r in cases.to_dict("records"))
    summary, rows = replay_chunks(old, new, _chunks(cases, CHUNK), 0, now, threads, differences)
    return Replay(summary, differences_frame(rows, labels) if differences else None)
