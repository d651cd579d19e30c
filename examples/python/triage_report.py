#!/usr/bin/env python3
"""Triage and evaluate a CSV of customer cases, and write a report (CSV) of the decisions.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/triage_report.py \
        --pack playbooks --cases examples/python/cases.csv --out /tmp/report.csv

Each CSV row is one case. The columns `case_id`, `playbook`, `state`, `event`, `entered_at` and
`now` describe the case; every other column is a fact. An empty cell means "not given" (the
playbook's default applies). Cells stay text: redress converts each against the playbook's
declaration ("200.00 EUR" for money, "3" for an int), exactly, never through float.

A row without `playbook` is triaged (Pack.triage): the playbook whose `match` holds. Then all
cases are evaluated at once with Pack.evaluate_many (threads, no GIL). A case that cannot be
triaged or evaluated gets its error in the report; the others are unaffected.
"""

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

import redress

HERE = Path(__file__).resolve().parent
CASE_COLUMNS = ("case_id", "playbook", "state", "event", "entered_at", "now")
REPORT_COLUMNS = ("case_id", "playbook", "triaged", "state", "path", "level", "reasons", "compensation",
                  "capped", "approval", "approved", "held", "next_action", "due_at", "overdue", "warnings", "error")


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def row_to_case(row):
    """(case_id, case dict for evaluate_many) from one CSV row; empty cells are left out."""
    facts = {k: v for k, v in row.items() if k not in CASE_COLUMNS and v not in ("", None)}
    case = {"facts": facts}
    for key in ("playbook", "state", "event", "entered_at", "now"):
        if row.get(key):
            case[key] = row[key]
    return row.get("case_id", ""), case


def only_declared(pack, case):
    """Keep the facts the case's playbook declares (a wide CSV has columns for every playbook)."""
    declared = {f.name for f in pack.playbook(case["playbook"]).facts}
    return {**case, "facts": {k: v for k, v in case["facts"].items() if k in declared}}


def triage_and_evaluate(pack, rows, threads=None):
    """Returns [(case_id, triaged, Decision | EvaluationError)] in row order."""
    prepared, triaged = [], []
    for row in rows:
        case_id, case = row_to_case(row)
        was_triaged = "playbook" not in case
        if was_triaged:
            try:
                case["playbook"] = pack.triage(case["facts"], now=case.get("now"))
            except redress.EvaluationError as e:
                prepared.append((case_id, None, e))
                triaged.append(True)
                continue
        prepared.append((case_id, only_declared(pack, case), None))
        triaged.append(was_triaged)
    to_run = [case for _, case, err in prepared if err is None]
    results = iter(pack.evaluate_many(to_run, threads=threads))
    out = []
    for (case_id, _, err), was_triaged in zip(prepared, triaged):
        out.append((case_id, was_triaged, err if err is not None else next(results)))
    return out


def report_row(case_id, triaged, result):
    row = {"case_id": case_id, "triaged": "yes" if triaged else "no"}
    if isinstance(result, redress.EvaluationError):
        row["error"] = str(result)
        return row
    d = result
    first = d.actions[0] if d.actions else None
    row.update(
        playbook=d.playbook,
        state=d.state,
        path=" > ".join(d.path),
        level=d.escalation.level,
        reasons="; ".join(d.escalation.reasons),
        compensation=str(d.compensation.total),
        capped="yes" if d.compensation.capped else "",
        approval=d.compensation.approval or "",
        approved="yes" if d.compensation.approved else "no",
        held=d.compensation.hold_reason or "",
        next_action=first.action if first else "",
        due_at=first.due_at.isoformat() if first and first.due_at else "",
        overdue="yes" if first and first.overdue else "",
        warnings="; ".join(d.warnings),
    )
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", default=str(HERE.parent.parent / "playbooks"), help="playbooks directory")
    parser.add_argument("--cases", default=str(HERE / "cases.csv"), help="CSV of cases")
    parser.add_argument("--out", default="triage_report.csv", help="report to write (CSV)")
    parser.add_argument("--threads", type=int, default=None, help="worker threads (default: every core)")
    args = parser.parse_args(argv)

    try:
        pack = redress.load(args.pack)
    except redress.LoadError as e:
        print(e, file=sys.stderr)
        return 2
    rows = read_rows(args.cases)
    try:
        results = triage_and_evaluate(pack, rows, threads=args.threads)
    except (TypeError, ValueError) as e:  # a cell redress cannot read (a bad `now`, …)
        print(f"{args.cases}: {e}", file=sys.stderr)
        return 2

    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=REPORT_COLUMNS)
        writer.writeheader()
        for case_id, triaged, result in results:
            writer.writerow(report_row(case_id, triaged, result))

    decided = [r for _, _, r in results if isinstance(r, redress.Decision)]
    by_playbook = Counter(d.playbook for d in decided)
    errors = len(results) - len(decided)
    print(f"{len(results)} cases: {len(decided)} decided, {errors} errors -> {args.out}")
    for playbook, n in sorted(by_playbook.items()):
        print(f"  {playbook}: {n}")
    need_sign_off = [cid for cid, _, r in results if isinstance(r, redress.Decision) and not r.compensation.approved]
    if need_sign_off:
        print(f"  awaiting sign-off: {', '.join(need_sign_off)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
