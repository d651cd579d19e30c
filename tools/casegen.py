#!/usr/bin/env python3
"""Deterministic synthetic case histories for a pack: the cases `redress replay`, the tests and
the benchmarks run on.

    PYTHONPATH=build/python /usr/bin/python3 tools/casegen.py --pack playbooks --cases 1000000 --seed 1 > cases.jsonl
    ... --format csv > cases.csv

The same pack, count and seed always give the same bytes. What a case holds comes from the
loaded pack, so the generator follows the playbooks when they change: every playbook, its
states (a history: most cases in an early state, some further on, a few with the event that
just happened, only events the state accepts), and each declared fact by its type (enum values,
money in the playbook's currency, datetimes around `now`). Optional facts and facts with a
default are sometimes left out, as a CRM leaves them out. `REALISTIC` gives the bundled pack's
facts their real shape (a few days late, orders of tens to thousands of euros); a fact it does
not name gets a plain value of its type, so a new fact never breaks the generator.

Python API: ``cases(pack, n, seed=1)`` yields case dicts in the CLI's case shape (JSON-ready:
text, ints, booleans); ``columns(pack, playbook, n, seed=1)`` gives one playbook's facts as
columns (a dict of lists), for ``Pack.evaluate_columns``.
"""

import argparse
import csv
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)

# name -> function(rng) giving a realistic value, for the bundled pack's facts. Money in minor
# units (cents); the currency is the playbook's.
REALISTIC = {
    "order_value": lambda r: ("cents", 0 if r.random() < 0.05 else int(r.lognormvariate(9.2, 1.0))),
    "item_price": lambda r: ("cents", int(r.lognormvariate(8.5, 1.0))),
    "shipping_fee": lambda r: ("cents", r.choice([0, 0, 399, 499, 590, 990, 1490])),
    "return_shipping": lambda r: ("cents", r.choice([0, 0, 0, 499, 690, 1290])),
    "monthly_fee": lambda r: ("cents", r.choice([999, 1999, 2999, 4999, 9999, 19999, 49999])),
    "undisclosed_fees": lambda r: ("cents", r.randint(100, 30000)),
    "fees_caused": lambda r: ("cents", 0 if r.random() < 0.7 else r.randint(500, 4000)),
    "correct": lambda r: ("cents", int(r.lognormvariate(8.8, 1.0))),
    "days_late": lambda r: min(60, int(r.expovariate(1 / 4.0))),
    "contacts": lambda r: 1 + min(8, int(r.expovariate(1 / 0.8))),
    "claims_90d": lambda r: min(9, int(r.expovariate(1 / 0.6))),
    "months_charged": lambda r: r.randint(1, 12),
    "users_affected": lambda r: 1 + min(500, int(r.expovariate(1 / 6.0))),
    "outage_hours": lambda r: ("decimal", r.randint(1, 960), 1),  # 0.1 to 96.0 hours
    "public": lambda r: r.random() < 0.06,
    "legal_threat": lambda r: r.random() < 0.03,
    "safety_issue": lambda r: r.random() < 0.04,
    "blocking": lambda r: r.random() < 0.3,
    "wants_to_leave": lambda r: r.random() < 0.15,
    "in_stock": lambda r: r.random() < 0.85,
    "paid": lambda r: r.random() < 0.5,
}

# The first enum value is the common one (standard tier, calm customer): weights fall off.
ENUM_WEIGHTS = [8, 3, 1.5, 1, 1, 1, 1, 1]


def _money(cents, currency):
    return f"{cents // 100}.{cents % 100:02d} {currency}"


def _iso(t):
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z"


def _maker(fact, currency):
    """A function (rng, case number, now) -> a value for `fact` (a redress.FactInfo), or None to
    leave the fact out. Decided once per fact, so generating a case is only the draws."""
    leave_out = 0.5 if fact.optional else (0.2 if fact.default is not None else 0.0)
    hint = REALISTIC.get(fact.name)
    t = fact.type
    if hint is not None and t in ("money", "int", "bool", "number"):
        def value(r, i, now):
            v = hint(r)
            if isinstance(v, tuple):
                if v[0] == "cents":
                    return _money(v[1], currency) if t == "money" else str(v[1] // 100)
                return f"{v[1] // 10}.{v[1] % 10}"  # ("decimal", tenths, 1): exact text
            return bool(v) if t == "bool" else v
    elif t == "bool":
        def value(r, i, now):
            return r.random() < 0.2
    elif t == "int":
        def value(r, i, now):
            return r.randint(1, 10)
    elif t == "number":
        def value(r, i, now):
            return f"{r.randint(0, 100)}.{r.randint(0, 9)}"
    elif t == "money":
        def value(r, i, now):
            return _money(r.randint(0, 50000), currency)
    elif t == "enum":
        values = list(fact.values)
        cum, total = [], 0.0
        for k in range(len(values)):
            total += ENUM_WEIGHTS[k] if k < len(ENUM_WEIGHTS) else 1
            cum.append(total)

        def value(r, i, now):
            x = r.random() * total
            return values[next(k for k, c in enumerate(cum) if x < c)]
    elif t == "datetime":
        def value(r, i, now):
            return _iso(now - timedelta(minutes=r.randint(0, 14 * 24 * 60)))
    elif t == "duration":
        def value(r, i, now):
            return f"{r.randint(1, 72)}h"
    elif t == "list":
        def value(r, i, now):
            return [] if fact.required else None
    else:  # string: an id-like text
        prefix = fact.name[:3].upper() + "-"

        def value(r, i, now):
            return prefix + str(i)
    value = _bounded(value, fact, currency)
    if not leave_out:
        return value
    return lambda r, i, now: None if r.random() < leave_out else value(r, i, now)


def _bounded(value, fact, currency):
    """`value` kept within the fact's declared `min`/`max` (a case outside them is refused by the
    pack, so a generator that ignored them would make errors, not cases). A number bounded on both
    sides without a realistic shape is drawn across its range; any other value is clamped."""
    if fact.type not in ("int", "number", "money") or (fact.min is None and fact.max is None):
        return value
    lo = Decimal(fact.min) if fact.min is not None else None
    hi = Decimal(fact.max) if fact.max is not None else None
    if fact.type == "number" and lo is not None and hi is not None and fact.name not in REALISTIC:
        steps = int((hi - lo) * 100)

        def drawn(r, i, now):
            return str(lo + Decimal(r.randint(0, steps)) / 100)
        return drawn

    def clamped(r, i, now):
        v = value(r, i, now)
        if fact.type == "int":
            x = Decimal(v)
        elif fact.type == "money":
            x = Decimal(v.split()[0])
        else:
            x = Decimal(v)
        y = max(x, lo) if lo is not None else x
        y = min(y, hi) if hi is not None else y
        if y == x:
            return v
        if fact.type == "int":
            return int(y)
        if fact.type == "money":
            return f"{y.quantize(Decimal('0.01'))} {currency}"
        return str(y)
    return clamped


class _Plan:
    """What the generator needs of one playbook, computed once."""

    def __init__(self, pack, info):
        self.id = info.id
        self.currency = info.currency or "EUR"
        self.facts = list(info.facts)
        self.makers = [(f.name, _maker(f, self.currency)) for f in self.facts]
        states = [s for s in info.states if not s.terminal]
        initial = [s.name for s in info.states if s.initial]
        # A history: half the cases are new, the rest spread over the later states.
        self.states = initial + [s.name for s in states if not s.initial]
        self.state_weights = [len(self.states)] + [1] * (len(self.states) - 1)
        self.events = list(info.events)
        self.ladder = list(info.ladder)
        self._pack = pack
        self._accepts = {}

    def accepts(self, state, event, case):
        """Whether `state` accepts `event`, asked of the pack once per pair."""
        key = (state, event)
        if key not in self._accepts:
            import redress

            try:
                self._pack.evaluate(case["facts"], playbook=self.id, state=state, event=event, now=NOW)
                ok = True
            except redress.EvaluationError as e:
                ok = "event" not in e.message
            self._accepts[key] = ok
        return self._accepts[key]


def cases(pack, n, seed=1):
    """Yields `n` case dicts (the CLI's case shape: playbook, state, event, entered_at, now,
    facts, sometimes sign_offs) for every playbook of `pack`, deterministically by `seed`."""
    r = random.Random(seed)
    plans = [_Plan(pack, info) for info in pack.playbooks]
    for i in range(n):
        plan = plans[r.randrange(len(plans))]
        # Cases come in over a month; each was last touched up to three days before it is replayed.
        now = NOW - timedelta(minutes=r.randint(0, 30 * 24 * 60))
        entered = now - timedelta(minutes=int(r.expovariate(1 / 600.0)) % (3 * 24 * 60))
        facts = {}
        for name, make in plan.makers:
            v = make(r, i, now)
            if v is not None:
                facts[name] = v
        case = {"playbook": plan.id, "state": r.choices(plan.states, weights=plan.state_weights)[0],
                "entered_at": _iso(entered), "now": _iso(now), "facts": facts}
        if plan.events and r.random() < 0.25:
            event = plan.events[r.randrange(len(plan.events))]
            if plan.accepts(case["state"], event, case):
                case["event"] = event
        if plan.ladder and r.random() < 0.1:
            case["sign_offs"] = [{"level": r.choice(plan.ladder[1:] or plan.ladder), "by": f"agent-{r.randint(1, 40)}",
                                  "at": _iso(entered)}]
        yield case


def columns(pack, playbook, n, seed=1):
    """One playbook's facts for `n` cases as columns (None where a case leaves a fact out)."""
    info = pack.playbook(playbook)
    r = random.Random(seed)
    plan = _Plan(pack, info)
    cols = {name: [] for name, _ in plan.makers}
    for i in range(n):
        for name, make in plan.makers:
            cols[name].append(make(r, i, NOW))
    return cols


CASE_FIELDS = ("playbook", "state", "event", "entered_at", "now")


def write_csv(pack, stream, out):
    """Cases as CSV with a header (the columns redress replay reads): case fields, then every
    fact of every playbook; sign-offs are left out (a CSV row has no lists)."""
    names = []
    for info in pack.playbooks:
        for f in info.facts:
            if f.name not in names and f.type != "list":
                names.append(f.name)
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["case_id", *CASE_FIELDS, *names])
    for i, case in enumerate(stream, 1):
        facts = case["facts"]
        w.writerow([f"C{i}", *(case.get(k, "") for k in CASE_FIELDS),
                    *(("true" if facts[k] else "false") if isinstance(facts.get(k), bool) else facts.get(k, "")
                      for k in names)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", required=True, help="a pack directory or playbook file")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    import redress

    pack = redress.load(args.pack)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")
    stream = cases(pack, args.cases, args.seed)
    if args.format == "csv":
        write_csv(pack, stream, out)
    else:
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        buf = []
        for case in stream:
            buf.append(dumps(case))
            if len(buf) >= 10000:
                out.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            out.write("\n".join(buf) + "\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
