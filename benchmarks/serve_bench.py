"""Requests/s and latency of `redress serve` on loopback (not part of CTest; timing targets live
in benchmarks only). Starts the server on a free port with the bundled pack, then:
  single: C client threads, each on a keep-alive connection, POST one case at a time;
  bulk:   one POST of N cases as JSON Lines, streamed back.
    /usr/bin/python3 benchmarks/serve_bench.py build/redress [--seconds 10] [--clients 4] [--bulk 10000]
The client is Python (http.client), so on a small machine it shares the CPU with the server and
the figures are a floor for the server, not a ceiling."""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("--pack", default=os.path.join(SRC, "playbooks"))
ap.add_argument("--case", default=os.path.join(SRC, "examples", "cases", "late_gold.json"))
ap.add_argument("--seconds", type=float, default=10)
ap.add_argument("--clients", type=int, default=4)
ap.add_argument("--bulk", type=int, default=10000)
args = ap.parse_args()

proc = subprocess.Popen([args.binary, "serve", args.pack, "--port", "0"], stdout=subprocess.PIPE, text=True)
port = int(proc.stdout.readline().split("127.0.0.1:")[1].split()[0])
body = open(args.case, "rb").read()
try:
    latencies = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + args.seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        mine = []
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            conn.request("POST", "/v1/evaluate", body, {"Content-Type": "application/json"})
            res = conn.getresponse()
            res.read()
            if res.status != 200:
                raise SystemExit(f"status {res.status}")
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            latencies.extend(mine)

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1e3  # noqa: E731
    print(f"single: {len(latencies)} requests in {elapsed:.1f} s with {args.clients} clients: "
          f"{len(latencies) / elapsed:.0f} req/s; latency ms p50 {q(0.5):.2f} p90 {q(0.9):.2f} "
          f"p99 {q(0.99):.2f} max {latencies[-1] * 1e3:.2f} (mean {statistics.mean(latencies) * 1e3:.2f})")

    line = json.dumps(json.loads(body)).encode()
    bulk = b"\n".join([line] * args.bulk) + b"\n"
    conn = http.client.HTTPConnection("127.0.0.1", port)
    t = time.perf_counter()
    conn.request("POST", "/v1/evaluate", bulk, {"Content-Type": "application/x-ndjson"})
    res = conn.getresponse()
    n = res.read().count(b"\n")
    took = time.perf_counter() - t
    print(f"bulk: {n} cases in one request in {took * 1e3:.0f} ms: {n / took:.0f} cases/s")
finally:
    proc.terminate()
    proc.wait()
