#!/usr/bin/env python3
"""Throughput of Pack.evaluate and Pack.evaluate_many on generated delivery-delay cases.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/benchmark.py --cases 10000 --threads 1 2

Prints the best of --repeat runs for each thread count, and a plain loop over evaluate() for
comparison. Build in Release (or RelWithDebInfo) for meaningful figures; a Debug build is
several times slower.
"""

import argparse
import random
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import redress

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def make_cases(n, seed=1):
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        facts = {
            "category": "delivery",
            "order_id": f"C-{i}",
            "order_value": f"{rng.randint(1, 300000) / 100:.2f} EUR",
            "shipping_fee": Decimal(rng.randint(0, 1500)) / 100,
            "days_late": rng.randint(1, 20),
            "tier": rng.choice(["standard", "silver", "gold"]),
            "emotion": rng.choice(["calm", "upset", "aggressive"]),
            "contacts": rng.randint(1, 5),
            "claims_90d": rng.randint(0, 4),
        }
        cases.append({"facts": facts, "playbook": "delivery_delay", "state": "investigating",
                      "now": NOW, "entered_at": NOW - timedelta(hours=rng.randint(0, 48))})
    return cases


def best_of(repeat, fn):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", default=str(Path(__file__).resolve().parents[2] / "playbooks"))
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    pack = redress.load(args.pack)
    cases = make_cases(args.cases)
    results = pack.evaluate_many(cases)
    errors = [r for r in results if isinstance(r, redress.EvaluationError)]
    if errors:
        raise SystemExit(f"{len(errors)} cases failed, e.g. {errors[0]}")
    n = len(cases)
    for threads in args.threads:
        t = best_of(args.repeat, lambda: pack.evaluate_many(cases, threads=threads))
        print(f"evaluate_many  threads={threads}: {t * 1000:8.1f} ms  {n / t:12,.0f} cases/s")
    t = best_of(max(1, args.repeat // 2), lambda: [pack.evaluate(**c) for c in cases])
    print(f"evaluate() loop          : {t * 1000:8.1f} ms  {n / t:12,.0f} cases/s")


if __name__ == "__main__":
    main()
