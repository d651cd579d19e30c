"""`redress serve` on loopback, talked to with a real HTTP client (http.client), as a CRM would:
single and bulk evaluations, triage, playbooks, health, metrics, concurrent requests, a reload
(SIGHUP and --watch) while requests are in flight, bad input, oversized bodies, unknown routes and
wrong methods, a graceful stop on SIGTERM, and compound cases (issue #12) single and bulk.
    serve_test.py REDRESS_BINARY SOURCE_DIR"""

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

BIN, SRC = sys.argv[1], sys.argv[2]
CASES = os.path.join(SRC, "examples", "cases")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def start(pack, *extra):
    proc = subprocess.Popen([BIN, "serve", pack, "--port", "0", *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "listening on http://127.0.0.1:" not in line:
        proc.kill()
        raise SystemExit(f"serve did not start: {line!r} {proc.stderr.read()}")
    port = int(line.split("127.0.0.1:")[1].split()[0])
    return proc, port


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    res = conn.getresponse()
    data = res.read()
    conn.close()
    return res.status, dict(res.getheaders()), data


def error_of(data):
    return json.loads(data)["error"]


tmp = tempfile.mkdtemp()
try:
    pack = os.path.join(tmp, "pack")
    shutil.copytree(os.path.join(SRC, "playbooks"), pack)
    late_gold = open(os.path.join(CASES, "late_gold.json"), "rb").read()
    proc, port = start(pack, "--watch", "--max-case-bytes", "100000", "--max-body-bytes", "1000000")

    # One case -> the Decision JSON, byte for byte what the CLI gives.
    status, headers, data = request(port, "POST", "/v1/evaluate", late_gold, {"Content-Type": "application/json"})
    check(status == 200, f"evaluate: {status} {data[:200]}")
    d = json.loads(data)
    check(d["state"] == "offer" and d["compensation"]["total"] == "4.99 EUR", f"evaluate: {d}")
    cli = subprocess.run([BIN, "eval", pack, "--case", os.path.join(CASES, "late_gold.json"), "--json"],
                         capture_output=True).stdout.strip()
    check(data == cli, "evaluate differs from `redress eval --json`")
    status, _, data = request(port, "POST", "/v1/evaluate?trace=1", late_gold)
    check(status == 200 and json.loads(data).get("trace"), "evaluate?trace=1 gives a trace")

    # Bulk: JSON Lines in, one Decision (or error) a line out, in order.
    lines = []
    for name in ("late_gold.json", "declined_vip.json", "faulty_kettle.json", "overcharged_invoice.json"):
        lines.append(json.dumps(json.load(open(os.path.join(CASES, name)))))
    lines.insert(2, "{not json")
    lines.insert(3, '{"playbook": "delivery_delay", "facts": {"order_id": "X"}}')
    body = ("\n".join(lines * 25) + "\n").encode()
    status, headers, data = request(port, "POST", "/v1/evaluate", body, {"Content-Type": "application/x-ndjson"})
    check(status == 200, f"bulk: {status}")
    check(headers.get("Content-Type", "").startswith("application/x-ndjson"), f"bulk type {headers}")
    out = [json.loads(l) for l in data.decode().splitlines()]
    check(len(out) == 150, f"bulk: {len(out)} answers for 150 lines")
    check(out[0]["playbook"] == "delivery_delay" and out[0]["state"] == "offer", f"bulk line 1: {out[0]}")
    check(out[2]["error"]["status"] == 400 and out[2]["line"] == 3, f"bulk line 3: {out[2]}")
    check(out[3]["error"]["status"] == 422 and "days_late" in out[3]["error"]["message"], f"bulk line 4: {out[3]}")
    check(out[6] == out[0], "bulk: the same case gives the same decision")

    # Triage, playbooks, health, metrics.
    status, _, data = request(port, "POST", "/v1/triage", open(os.path.join(CASES, "new_complaint.yaml"), "rb").read())
    check(status == 200 and json.loads(data)["playbook"] == "delivery_delay", f"triage: {status} {data}")
    status, _, data = request(port, "POST", "/v1/triage", b'{"now": "2026-11-23T10:00:00Z", "facts": {"category": "nothing"}}')
    check(status == 422 and error_of(data)["code"] == "no_match", f"triage without a match: {status} {data}")
    # Explain (issue #17): the same answers as `redress explain --format json`.
    status, _, data = request(port, "POST", "/v1/explain?why_not=level%3Ddirector&what_if=days_late%3D7&fixed=tier,order_value", late_gold)
    cli = subprocess.run([BIN, "explain", pack, "--case", os.path.join(CASES, "late_gold.json"), "--why-not", "level=director",
                          "--what-if", "days_late=7", "--fixed", "tier,order_value", "--format", "json"],
                         capture_output=True, text=True)
    check(status == 200 and json.loads(data) == json.loads(cli.stdout), f"explain: {status} {data[:300]}")
    status, headers, data = request(port, "POST", "/v1/explain?format=text&why_not=level%3Ddirector", late_gold)
    check(status == 200 and headers.get("Content-Type", "").startswith("text/plain") and b"Why not level=director" in data,
          f"explain as text: {status} {data[:200]}")
    status, _, data = request(port, "POST", "/v1/explain?why_not=level%3Ddirectr", late_gold)
    check(status == 422 and "did you mean 'director'" in error_of(data)["message"], f"explain, bad target: {status} {data}")
    status, _, data = request(port, "POST", "/v1/explain?what_if=7", late_gold)
    check(status == 400 and error_of(data)["code"] == "bad_case", f"explain, bad what_if: {status} {data}")
    status, _, data = request(port, "POST", "/v1/explain", b"{not json")
    check(status == 400 and error_of(data)["code"] == "bad_case", f"explain, bad case: {status} {data}")
    status, _, data = request(port, "GET", "/v1/explain")
    check(status == 405, f"GET /v1/explain: {status} {data}")

    status, _, data = request(port, "GET", "/v1/playbooks")
    books = json.loads(data)
    ids = [p["id"] for p in books["playbooks"]]
    check(status == 200 and "delivery_delay" in ids and books["generation"] == 1, f"playbooks: {data[:200]}")
    dd = next(p for p in books["playbooks"] if p["id"] == "delivery_delay")
    check(dd["version"] and dd["fingerprint"].startswith("sha256:") and any(f["name"] == "days_late" for f in dd["facts"]),
          f"playbook info: {dd}")
    status, _, data = request(port, "GET", "/healthz")
    check(status == 200 and json.loads(data)["status"] == "ok", f"healthz: {data}")

    # Errors: JSON bodies with the right status codes.
    status, _, data = request(port, "POST", "/v1/evaluate", b'{"facts": {')
    check(status == 400 and error_of(data)["code"] == "bad_case", f"bad JSON: {status} {data}")
    status, _, data = request(port, "POST", "/v1/evaluate", b'{"playbook": "delivery_delay", "facts": {"order_id": "X"}}')
    check(status == 422 and "missing required fact 'days_late'" in error_of(data)["message"], f"422: {status} {data}")
    status, _, data = request(port, "POST", "/v1/evaluate", b'{"facts": {"pad": "' + b"x" * 200000 + b'"}}')
    check(status == 413 and error_of(data)["code"] == "case_too_large", f"case too large: {status} {data[:200]}")
    status, _, data = request(port, "POST", "/v1/evaluate", b"x" * 2000000, {"Content-Type": "application/x-ndjson"})
    check(status == 413 and error_of(data)["status"] == 413, f"body too large: {status} {data[:200]}")
    status, _, data = request(port, "GET", "/v2/nothing")
    check(status == 404 and error_of(data)["code"] == "unknown_route", f"unknown route: {status} {data}")
    status, headers, data = request(port, "GET", "/v1/evaluate")
    check(status == 405 and headers.get("Allow") == "POST", f"wrong method: {status} {headers} {data}")
    status, headers, data = request(port, "DELETE", "/healthz")
    check(status == 405 and headers.get("Allow") == "GET", f"DELETE /healthz: {status} {data}")
    status, headers, data = request(port, "PUT", "/v1/triage", b"{}")
    check(status == 405 and error_of(data)["code"] == "method_not_allowed", f"PUT /v1/triage: {status} {data}")

    # Concurrent requests, with a reload on SIGHUP and one by --watch while they run: every answer
    # is a whole Decision from one version or the other.
    versions_seen = set()
    errors = []

    def client(n):
        for _ in range(n):
            try:
                status, _, data = request(port, "POST", "/v1/evaluate", late_gold)
                if status != 200:
                    errors.append((status, data[:200]))
                    continue
                d = json.loads(data)
                versions_seen.add(d["version"])
                if d["compensation"]["total"] != "4.99 EUR":
                    errors.append(("wrong total", d["compensation"]))
            except Exception as e:  # noqa: BLE001 (a dropped connection is a failure too)
                errors.append(repr(e))

    threads = [threading.Thread(target=client, args=(40,)) for _ in range(8)]
    for t in threads:
        t.start()
    dd_path = os.path.join(pack, "delivery_delay.yaml")
    text = open(dd_path).read()
    old_version = dd["version"]
    open(dd_path, "w").write(text.replace(f'version: "{old_version}"', 'version: "2099.1.1"', 1))
    proc.send_signal(signal.SIGHUP)
    for t in threads:
        t.join()
    check(not errors, f"concurrent requests during a reload: {errors[:3]}")
    # The reload runs beside the requests: the clients may finish before it does (a slow or
    # instrumented build), so wait for the new version instead of expecting it at once.
    deadline = time.monotonic() + 30
    while True:
        status, _, data = request(port, "POST", "/v1/evaluate", late_gold)
        if json.loads(data)["version"] == "2099.1.1" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    check(json.loads(data)["version"] == "2099.1.1", f"after SIGHUP: {json.loads(data)['version']}")
    check(versions_seen <= {old_version, "2099.1.1"}, f"versions seen: {versions_seen}")

    # A broken edit: the reload fails, the old version keeps serving.
    open(dd_path, "w").write(text.replace("states:", "states: [", 1))
    proc.send_signal(signal.SIGHUP)
    time.sleep(1.0)
    status, _, data = request(port, "POST", "/v1/evaluate", late_gold)
    check(status == 200 and json.loads(data)["version"] == "2099.1.1", f"after a failed reload: {status} {data[:100]}")
    # --watch: restoring the file reloads without a signal.
    open(dd_path, "w").write(text)
    deadline = time.time() + 10
    version = None
    while time.time() < deadline:
        version = json.loads(request(port, "POST", "/v1/evaluate", late_gold)[2])["version"]
        if version == old_version:
            break
        time.sleep(0.2)
    check(version == old_version, f"--watch did not reload: {version}")

    status, _, data = request(port, "GET", "/metrics")
    text_metrics = data.decode()
    check(status == 200, f"metrics: {status}")
    for needle in ("redress_evaluations_total ", "redress_evaluation_errors_total ",
                   'redress_evaluation_duration_seconds_bucket{le="+Inf"}', "redress_pack_info{generation=\"3\"",
                   'redress_pack_reloads_total{result="failed"} 1', 'redress_playbook_info{playbook="delivery_delay"',
                   'redress_http_requests_total{code="413"}'):
        check(needle in text_metrics, f"metrics lack {needle}")

    # SIGTERM: a clean stop, exit 0.
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = "hung"
    check(rc == 0, f"exit after SIGTERM: {rc}")
    err = proc.stderr.read()
    check("reload (SIGHUP) failed" in err and "delivery_delay.yaml:" in err, f"failed reload not reported: {err}")

    # Compound cases (issue #12, spec §4.1): one request or one bulk line, one compound decision.
    compound_dir = os.path.join(SRC, "tests", "compound")
    proc2, port2 = start(os.path.join(compound_dir, "pack"))
    try:
        golden_case = open(os.path.join(compound_dir, "late_and_overcharged.json"), "rb").read()
        golden = json.load(open(os.path.join(compound_dir, "late_and_overcharged.decision.json")))
        status, _, data = request(port2, "POST", "/v1/evaluate", golden_case, {"Content-Type": "application/json"})
        check(status == 200 and json.loads(data) == golden, f"compound evaluate: {status} {data[:200]}")
        cli = subprocess.run([BIN, "eval", os.path.join(compound_dir, "pack"), "--case",
                              os.path.join(compound_dir, "late_and_overcharged.json"), "--json"],
                             capture_output=True).stdout.strip()
        check(data == cli, "compound evaluate differs from `redress eval --json`")
        single = b'{"playbook":"delivery_delay","now":"2026-11-23T10:00:00Z","facts":{"days_late":3,"order_value":"200.00 EUR"}}'
        bulk = b"\n".join([single, golden_case.replace(b"\n", b" "), b'{"playbooks":5}',
                           b'{"playbooks":["delivery_delay","nope"],"now":"2026-11-23T10:00:00Z"}',
                           b'{"triage":"ALL"}', single]) + b"\n"
        status, _, data = request(port2, "POST", "/v1/evaluate", bulk, {"Content-Type": "application/x-ndjson"})
        out = [json.loads(l) for l in data.decode().splitlines()]
        check(status == 200 and len(out) == 6, f"compound bulk: {status} {len(out)} lines")
        if len(out) == 6:
            check(out[0]["playbook"] == "delivery_delay" and out[5] == out[0], f"bulk single lines: {out[0]}")
            check(out[1] == golden, "bulk line 2 is not the golden compound decision")
            check(out[2]["line"] == 3 and out[2]["error"]["code"] == "bad_case", f"bulk playbooks: 5: {out[2]}")
            check(out[3]["line"] == 4 and out[3]["error"]["status"] == 422 and "unknown playbook 'nope'" in
                  out[3]["error"]["message"], f"bulk unknown part: {out[3]}")
            check(out[4]["line"] == 5 and out[4]["error"]["code"] == "bad_case", f"bulk triage ALL: {out[4]}")
        # curl --data-binary sends a form type by default; httplib caps such bodies at 8 KiB.
        big = json.dumps({"playbooks": ["p%d" % i for i in range(2000)], "now": "2026-11-23T10:00:00Z"}).encode()
        status, _, data = request(port2, "POST", "/v1/evaluate", big,
                                  {"Content-Type": "application/x-www-form-urlencoded"})
        check(status == 413 and "Content-Type: application/json" in error_of(data)["message"],
              f"a large form-typed case: {status} {data[:200]}")
        status, _, data = request(port2, "POST", "/v1/evaluate", big, {"Content-Type": "application/json"})
        check(status == 422 and "unknown playbook 'p0'" in error_of(data)["message"], f"2000 playbooks: {status} {data[:200]}")
        status, _, data = request(port2, "POST", "/v1/triage", golden_case)
        check(status == 200 and sorted(json.loads(data)["playbooks"]) == ["delivery_delay", "wrong_invoice"],
              f"triage: all: {status} {data[:200]}")
        cli = subprocess.run([BIN, "triage", os.path.join(compound_dir, "pack"), "--case",
                              os.path.join(compound_dir, "late_and_overcharged.json"), "--json"],
                             capture_output=True).stdout.strip()
        check(data == cli, f"triage: all differs from `redress triage --json`: {data} {cli}")
        status, _, data = request(port2, "POST", "/v1/triage", b'{"triage": "all", "now": "2026-11-23T10:00:00Z"}')
        check(status == 422 and error_of(data)["code"] == "no_match", f"triage: all, no match: {status} {data[:200]}")
        status, _, data = request(port2, "POST", "/v1/explain", golden_case)
        check(status == 422 and "explain takes a single case" in error_of(data)["message"],
              f"explain of a compound case: {status} {data[:200]}")
    finally:
        proc2.send_signal(signal.SIGTERM)
        try:
            proc2.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc2.kill()

    # A pack that does not load: no server, exit 2, the located errors.
    bad = os.path.join(tmp, "bad.yaml")
    open(bad, "w").write("redress: 1\nplaybook: x\nstates: {a: {initial: true, on: {go: bb}}, b: {terminal: true}}\n")
    r = subprocess.run([BIN, "serve", bad, "--port", "0"], capture_output=True, text=True, timeout=20)
    check(r.returncode == 2 and "bad.yaml:3:" in r.stderr, f"serve of a bad pack: {r.returncode} {r.stderr}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
