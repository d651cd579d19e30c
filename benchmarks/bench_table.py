#!/usr/bin/env python3
"""Prints the issue #14 table from the raw outputs scripts/bench.sh leaves in OUT.

    benchmarks/bench_table.py OUT CASES

CPU figures are the steadier ones on a shared machine; "on 2 cores" rates are derived from CPU
time per case (cases / CPU seconds × 2), i.e. what two idle cores would give if the work
scaled perfectly — the "2 threads vs 1" row says how far it does.
"""

import json
import re
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1])
cases = int(sys.argv[2])
rows = []


def loads(name):
    p = out / f"{name}.load"
    return "–".join(p.read_text().split()) if p.exists() else "?"


def row(path, target, measured, load, met):
    rows.append((path, target, measured, load, "met" if met is True else ("gap" if met is False else met)))


# Google Benchmark.
bench = {}
gb = out / "gbench.json"
if gb.exists():
    for b in json.loads(gb.read_text())["benchmarks"]:
        if b.get("aggregate_name") == "median":
            bench[b["run_name"]] = b
gload = loads("gbench")


def us(name, key="cpu_time"):
    b = bench.get(name)
    if not b:
        return None
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
    return b[key] * scale


def allocs(name):
    b = bench.get(name)
    return b.get("allocs") if b else None


def fmt_us(x):
    return "n/a" if x is None else (f"{x:.3f} µs" if x < 10 else f"{x:.1f} µs")


B1, B2 = "BM_evaluate_bound/real_time/threads:1", "BM_evaluate_bound/real_time/threads:2"
I1, I2 = "BM_evaluate_into_bound/real_time/threads:1", "BM_evaluate_into_bound/real_time/threads:2"
C1, J1 = "BM_evaluate_case/real_time/threads:1", "BM_json_text_to_json/real_time/threads:1"
b1, i1, c1, j1 = us(B1), us(I1), us(C1), us(J1)
row("`evaluate(BoundCase)`", "≤ 0.25 µs", f"{fmt_us(b1)} CPU, {allocs(B1):.0f} allocs" if b1 else "n/a", gload,
    b1 is not None and b1 <= 0.25)
row("`evaluate_into(BoundCase, Decision&)`", "≤ 0.25 µs, 0 allocs",
    f"{fmt_us(i1)} CPU, {allocs(I1):.0f} allocs" if i1 else "n/a", gload,
    "0 allocs met; time gap" if i1 and allocs(I1) == 0 and i1 > 0.25 else (i1 is not None and i1 <= 0.25))
h = us("BM_evaluate_into_bound_24h")
if h is not None:
    row("`evaluate_into`, same decision without business hours (peers' pack)", "0 allocs",
        f"{fmt_us(h)} CPU, {allocs('BM_evaluate_into_bound_24h'):.0f} allocs", gload, allocs("BM_evaluate_into_bound_24h") == 0)
row("`evaluate(Case)` by name", "≤ 0.35 µs", f"{fmt_us(c1)} CPU" if c1 else "n/a", gload, c1 is not None and c1 <= 0.35)
parse, tojson = us("BM_parse_case_json"), us("BM_to_json")
row("JSON text → `parse_case` → evaluate → `to_json`", "≤ 2 µs",
    f"{fmt_us(j1)} CPU, {allocs(J1):.0f} allocs (parse_case {fmt_us(parse)}, to_json {fmt_us(tojson)})" if j1 else "n/a",
    gload, j1 is not None and j1 <= 2)
ri1, ri2, ci2 = us(I1, "real_time"), us(I2, "real_time"), us(I2)
if ri1 and ri2 and ci2:
    wall = 2 * ri1 / ri2
    cpu = 2 * i1 / ci2
    row("2 threads vs 1 (`evaluate_into`)", "≥ 1.8×",
        f"{wall:.2f}× wall (the machine's other load decides it); {cpu:.2f}× from CPU per evaluation "
        f"({fmt_us(i1)} alone, {fmt_us(ci2)} beside a second thread)", gload, cpu >= 1.8 and wall >= 1.8 or
        ("CPU scaling met; wall not measurable here" if cpu >= 1.8 else False))

# Python.
py = {}
pyfile = out / "python.txt"
if pyfile.exists():
    for line in pyfile.read_text().splitlines():
        m = re.match(r"(.+?)\s+([\d.]+) µs/case\s+([\d,]+) cases/s \(wall\)\s+([\d.]+) µs/case CPU", line)
        if m:
            py[m.group(1).strip()] = (float(m.group(2)), float(m.group(4)))
pload = loads("python")


def py_rate(name, threads):
    if name not in py:
        return None
    wall, cpu = py[name]
    return 1e6 / wall, 1e6 / cpu * 2  # wall rate; two idle cores, from CPU per case


if "evaluate() loop" in py:
    wall, cpu = py["evaluate() loop"]
    row("Python `evaluate` in a loop", "≤ 1.5 µs per call", f"{wall:.2f} µs wall, {cpu:.2f} µs CPU", pload, cpu <= 1.5)
for label, name in (("Python `evaluate_many`", "evaluate_many"), ("Python `evaluate_columns` (lists)", "evaluate_columns (lists)"),
                    ("Python `evaluate_columns` (numpy)", "evaluate_columns (numpy)"), ("Python `evaluate_jsonl`", "evaluate_jsonl")):
    r1, r2 = py_rate(f"{name} threads=1", 1), py_rate(f"{name} threads=2", 2)
    if not r1 or not r2:
        continue
    row(f"{label}, 1 / 2 threads", "≥ 1 000 000 cases/s on 2 cores",
        f"{r1[0]:,.0f} / {r2[0]:,.0f} cases/s wall; {r2[1]:,.0f} cases/s on 2 idle cores (from {py[f'{name} threads=2'][1]:.2f} µs CPU a case)",
        pload, r2[1] >= 1e6)

# The bulk CLI.
bfile = out / "batch.txt"
if bfile.exists():
    by = {}
    for line in bfile.read_text().split("\n"):
        f = line.split()
        if len(f) >= 5:
            by.setdefault(int(f[0]), []).append((float(f[2]), float(f[3]) + float(f[4]), f[5] if len(f) > 5 else "?"))
    for threads in sorted(by):
        wall = statistics.median(x[0] for x in by[threads])
        cpu = statistics.median(x[1] for x in by[threads])
        est = cases / cpu * min(threads, 2)
        row(f"`redress batch` file to file, {threads} thread{'s' if threads > 1 else ''}", "≥ 300 000 cases/s on 2 cores",
            f"{cases / wall:,.0f} cases/s wall; {cpu / cases * 1e6:.2f} µs CPU a case → {est:,.0f} cases/s on {min(threads, 2)} idle core{'s' if threads > 1 else ''}",
            "–".join(sorted({x[2] for x in by[threads]})), est >= 3e5 if threads == 2 else "—")

# Peers.
pfile = out / "peers.txt"
peers = {}
if pfile.exists():
    for line in pfile.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4:
            try:
                peers[cells[0]] = float(cells[1].replace(",", ""))
            except ValueError:
                pass
peload = loads("peers")
jpath = next((v for k, v in peers.items() if k.startswith("redress JSON text")), None)
bound = peers.get("redress evaluate(BoundCase)")
for engine in ("GoRules ZEN 0.54 (JDM, Rust core via napi)", "json-rules-engine 7.3.1"):
    if engine in peers and jpath and bound:
        t = peers[engine]
        row(engine, "redress ≥ 50× faster end to end" if "ZEN" in engine else "—",
            f"{t:.1f} µs CPU: {t / jpath:.1f}× redress's JSON text path, {t / bound:.0f}× `evaluate(BoundCase)`",
            peload, (t / jpath >= 50) if "ZEN" in engine else "—")
floor = peers.get("hand-written C++ (the floor)")
if floor is not None:
    row("hand-written C++ of the same decision", "the floor", f"{floor:.3f} µs CPU", peload, "—")
if not peers:
    rows.append(("peers", "—", (pfile.read_text().strip() if pfile.exists() else "not run"), peload, "—"))

print("| path | target | measured (median of 3) | load avg | met? |")
print("|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(str(c) for c in r) + " |")
print(f"\nraw outputs: {out}")
