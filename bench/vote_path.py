"""The counted-vote path against the framework's floor, in one run on one machine.

gunicorn (-w 2: two sync workers, SQLite WAL) on loopback; 8 client connections. Phase one sends
counted votes, every request a different reader: its own client address (X-Forwarded-For from a
trusted proxy), its own voter id and a dwell time, so the anti-stuffing writes run as in
production. Phase two sends the same number of votes from an origin the site does not allow
(403: the framework, the site lookup and the error shape, no store write). The figure that
matters is the ratio of the two throughputs, measured minutes apart on the same machine.
Then it checks that stored votes equal the accepted answers and the aggregates are exact.

Each worker also writes down how long every request took inside it (bench/timed_app.py), so the
figures split a request's latency into the time in ascolto and the time queued before it.

Usage: python bench/vote_path.py [--requests 3000] [--connections 8] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))

from ascolto.ratings import Site  # noqa: E402
from ascolto.stores.sqlite import SqliteStore  # noqa: E402
from load import free_port, wait_ready  # noqa: E402

ORIGIN = "https://blog.example.org"
REFUSED = "https://not-registered.example"
ARTICLES = 20
DEADLINE_S = 180


def client(port: int, worker: int, count: int, origin: str, out: dict[str, list], lock: threading.Lock,
           deadline: float) -> None:
    """Send `count` votes on one keep-alive connection, each from a different reader."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies, statuses, accepted = [], Counter(), []
    for i in range(count):
        if time.monotonic() > deadline:
            break
        n = worker * count + i
        article, rating = f"/posts/{n % ARTICLES}", 1 + n % 5
        body = json.dumps({"article": article, "url": ORIGIN + article, "title": "Load", "rating": rating,
                           "voter": f"reader-{n:08d}", "request_id": f"request-{n:08d}", "hp": "",
                           "dwell_ms": 4000})
        address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        headers = {"Origin": origin, "Content-Type": "application/json", "X-Forwarded-For": address,
                   "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}
        start = time.perf_counter()
        try:
            conn.request("POST", "/v1/sites/blog/votes", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            status = 0
        latencies.append(time.perf_counter() - start)
        statuses[status] += 1
        if status == 200:
            accepted.append((article, rating))
    conn.close()
    with lock:
        out["latencies"].extend(latencies)
        out["statuses"].append(statuses)
        out["accepted"].extend(accepted)


def phase(port: int, requests: int, connections: int, origin: str) -> dict[str, object]:
    """Run one phase and return its figures."""
    out: dict[str, list] = {"latencies": [], "statuses": [], "accepted": []}
    lock = threading.Lock()
    deadline = time.monotonic() + DEADLINE_S
    per = requests // connections
    offset = 0 if origin == ORIGIN else 10**6
    threads = [threading.Thread(target=client, args=(port, offset // per + w, per, origin, out, lock, deadline))
               for w in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies = out["latencies"]
    statuses: Counter[int] = sum(out["statuses"], Counter())
    return {"requests": len(latencies), "seconds": round(wall, 2), "rps": round(len(latencies) / wall, 1),
            **percentiles(latencies), "statuses": dict(statuses), "accepted": out["accepted"]}


def percentiles(seconds: list[float]) -> dict[str, float]:
    """Return p50 and p99 of durations, in milliseconds."""
    cuts = statistics.quantiles(seconds, n=100, method="inclusive") if len(seconds) > 1 else [0.0] * 99
    return {"p50_ms": round(cuts[49] * 1000, 2), "p99_ms": round(cuts[98] * 1000, 2)}


def in_workers(times: Path) -> dict[str, dict[str, float]]:
    """Return p50 and p99 of the time requests spent inside the workers, by Origin."""
    found: dict[str, list[float]] = {ORIGIN: [], REFUSED: []}
    for path in times.iterdir():
        for line in path.read_text().splitlines():
            seconds, _, origin = line.partition(" ")
            found.setdefault(origin, []).append(float(seconds))
    return {origin: percentiles(found[origin]) for origin in (ORIGIN, REFUSED)}


def main() -> None:
    """Run both phases against one server and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync workers)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        seed = SqliteStore(db)
        seed.put_site(Site(id="blog", name="Blog", owner_email="o@example.org", origins=(ORIGIN,)))
        seed.close()
        port = free_port()
        times = Path(tmp) / "times"
        times.mkdir()
        env = {**os.environ, "ASCOLTO_DATA_DIR": tmp, "ASCOLTO_STORE": f"sqlite:///{db}", "ASCOLTO_SECRET": "bench",
               "ASCOLTO_TRUSTED_PROXIES": "127.0.0.1", "BENCH_TIMES_DIR": str(times)}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--threads", str(args.threads), "--log-level", "warning",
             "--pythonpath", str(Path(__file__).resolve().parent), "timed_app:make()"],
            env=env, start_new_session=True)
        try:
            wait_ready(port)
            phase(port, 200, args.connections, REFUSED)  # warm both workers up
            counted = phase(port, args.requests, args.connections, ORIGIN)
            refused = phase(port, args.requests, args.connections, REFUSED)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        inside = in_workers(times)
        store = SqliteStore(db)
        expected: dict[str, list[int]] = {}
        for article, rating in counted.pop("accepted"):  # type: ignore[union-attr]
            expected.setdefault(article, [0] * 5)[rating - 1] += 1
        exact = all(list(store.summary("blog", a).histogram) == h for a, h in expected.items())
        stored = sum(store.summary("blog", a).count for a in expected)
        store.close()
    refused.pop("accepted")
    counted["in_worker"], refused["in_worker"] = inside[ORIGIN], inside[REFUSED]
    ratio = counted["rps"] / refused["rps"]  # type: ignore[operator]
    result = {"counted_vote": counted, "refused_403": refused, "throughput_ratio": round(ratio, 3),
              "stored_votes": stored, "exact": exact,
              "server": f"gunicorn -w {args.workers} --threads {args.threads}, SQLite WAL, "
                        f"{args.connections} connections"}
    if args.json:
        print(json.dumps(result))
        return
    for name in ("counted_vote", "refused_403"):
        f = result[name]
        line = f"{f['rps']:>8} req/s  p50 {f['p50_ms']} ms  p99 {f['p99_ms']} ms  {f['statuses']}"  # type: ignore[index]
        print(f"{name:14} {line}")
        w = f["in_worker"]  # type: ignore[index]
        print(f"{'':14} inside the worker: p50 {w['p50_ms']} ms  p99 {w['p99_ms']} ms"
              "  (the rest: queued, gunicorn and the socket)")
    print(f"counted / refused throughput: {ratio:.0%} (goal >= 50%)   p99 goal <= 10 ms")
    print(f"stored votes {stored} of {counted['statuses'].get(200, 0)} accepted; aggregates exact: {exact}")  # type: ignore[union-attr]
    print(result["server"])


if __name__ == "__main__":
    main()
