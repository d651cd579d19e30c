#!/usr/bin/env python3
"""Python batch throughput on prepared delivery-delay cases (issue #14). Not part of CI.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python_bench.py [--cases 200000] [--runs 3]

Prints the median of --runs passes (wall-clock and process CPU time) for: evaluate() in a loop, evaluate_many, evaluate_columns
(dict of lists, numpy arrays) and evaluate_jsonl, on 1 and 2 threads. The input of each is built
before the clock starts (that is what "prepared" means here).
"""

import argparse
import json
import random
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import redress

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
ENTERED = NOW - timedelta(hours=2)


def make_columns(n, seed=1):
    rng = random.Random(seed)
    return {
        "category": ["delivery"] * n,
        "order_id": [f"C-{i}" for i in range(n)],
        "order_value": [f"{rng.randint(0, 300000) / 100:.2f} EUR" for _ in range(n)],
        "shipping_fee": [f"{rng.randint(0, 1500) / 100:.2f} EUR" for _ in range(n)],
        "days_late": [rng.randint(0, 20) for _ in range(n)],
        "tier": [rng.choice(["standard", "silver", "gold"]) for _ in range(n)],
        "emotion": [rng.choice(["calm", "upset", "aggressive"]) for _ in range(n)],
        "contacts": [rng.randint(1, 5) for _ in range(n)],
        "public": [rng.random() < 0.1 for _ in range(n)],
        "claims_90d": [rng.randint(0, 4) for _ in range(n)],
    }


def median_seconds(runs, fn):
    """(wall, CPU) seconds, the median of each over `runs` passes. CPU is the process's, all
    threads: on a shared machine it is the steadier figure."""
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return statistics.median(walls), statistics.median(cpus)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", default=str(Path(__file__).resolve().parents[1] / "playbooks"))
    parser.add_argument("--cases", type=int, default=200000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    n = args.cases
    pack = redress.load(args.pack)
    cols = make_columns(n)
    rows = [{k: v[i] for k, v in cols.items()} for i in range(n)]
    cases = [{"facts": f, "playbook": "delivery_delay", "state": "investigating", "now": NOW, "entered_at": ENTERED}
             for f in rows]
    jsonl = "".join(json.dumps({"playbook": "delivery_delay", "state": "investigating", "now": "2026-11-23T10:00:00Z",
                                "entered_at": "2026-11-23T08:00:00Z", "facts": f}) + "\n" for f in rows).encode()
    try:
        import numpy as np
        arrays = {k: np.array(v, dtype=object if isinstance(v[0], str) else None) for k, v in cols.items()}
    except ImportError:
        arrays = None

    def report(what, seconds, count=n):
        wall, cpu = seconds
        print(f"{what:44s} {wall / count * 1e6:8.3f} µs/case {count / wall:12,.0f} cases/s (wall)"
              f"   {cpu / count * 1e6:8.3f} µs/case CPU")

    loop_n = min(n, 50000)
    report("evaluate() loop", median_seconds(args.runs, lambda: [pack.evaluate(**c) for c in cases[:loop_n]]), loop_n)
    for threads in (1, 2):
        report(f"evaluate_many threads={threads}", median_seconds(args.runs, lambda: pack.evaluate_many(cases, threads=threads)))
        report(f"evaluate_columns (lists) threads={threads}", median_seconds(args.runs, lambda: pack.evaluate_columns(
            cols, playbook="delivery_delay", state="investigating", now=NOW, entered_at=ENTERED, threads=threads)))
        if arrays is not None:
            report(f"evaluate_columns (numpy) threads={threads}", median_seconds(args.runs, lambda: pack.evaluate_columns(
                arrays, playbook="delivery_delay", state="investigating", now=NOW, entered_at=ENTERED, threads=threads)))
        report(f"evaluate_jsonl threads={threads}", median_seconds(args.runs, lambda: pack.evaluate_jsonl(jsonl, threads=threads)))


if __name__ == "__main__":
    main()
