"""Bounded load test: gunicorn serving ascolto on loopback, N concurrent voters over M articles.

Prints throughput and p50/p99 latency, then checks that the stored counts equal the accepted
votes exactly. Traffic goes only to 127.0.0.1; the run stops by itself (vote count and deadline).

Usage: python bench/load.py [--voters 16] [--articles 20] [--votes-per-voter 40] [--workers 2] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from ascolto.ratings import Site
from ascolto.stores.sqlite import SqliteStore

ORIGIN = "https://blog.example.org"
DEADLINE_S = 120


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, timeout: float = 20) -> None:
    """Wait until the server answers /healthz."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def post(conn: http.client.HTTPConnection, path: str, body: str | bytes,
         headers: dict[str, str]) -> tuple[http.client.HTTPConnection, int]:
    """POST on a kept connection and read the answer; return the connection to use next and the status.

    A connection the server closed is replaced by a new one, and the request counts as status 0.
    """
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return conn, response.status
    except OSError:
        conn.close()
        return http.client.HTTPConnection(conn.host, conn.port, timeout=conn.timeout), 0


def voter_loop(n: int, port: int, articles: int, votes: int, deadline: float,
               accepted: dict[tuple[str, str], int], latencies: list[float], failures: Counter[int],
               lock: threading.Lock) -> None:
    """Cast votes as one voter: every article in turn, changing earlier votes as it goes."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    voter = f"load-voter-{n:05d}"
    for i in range(votes):
        if time.monotonic() > deadline:
            break
        article = f"/posts/{(n + i) % articles}"
        rating = 1 + (n * 7 + i * 3) % 5
        body = json.dumps({"article": article, "url": ORIGIN + article, "title": "Load", "rating": rating,
                           "voter": voter, "request_id": f"req-{n:05d}-{i:06d}", "dwell_ms": 4000})
        start = time.perf_counter()
        conn, status = post(conn, "/v1/sites/blog/votes", body, {"Origin": ORIGIN, "Content-Type": "application/json"})
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)
            if status == 200:
                accepted[(voter, article)] = rating
            else:
                failures[status] += 1
    conn.close()


def main() -> None:
    """Run the load and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=16)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--votes-per-voter", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        seed = SqliteStore(db)
        seed.put_site(Site(id="blog", name="Blog", owner_email="o@example.org", origins=(ORIGIN,),
                            rate_burst=10**6, vote_cap=10**6))
        seed.close()
        port = free_port()
        env = {**os.environ, "ASCOLTO_DATA_DIR": tmp, "ASCOLTO_STORE": f"sqlite:///{db}",
               "ASCOLTO_SECRET": "load"}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--threads", str(args.threads), "--log-level", "warning", "ascolto.app:create_app()"],
            env=env, start_new_session=True)
        try:
            wait_ready(port)
            accepted: dict[tuple[str, str], int] = {}
            latencies: list[float] = []
            failures: Counter[int] = Counter()
            lock = threading.Lock()
            deadline = time.monotonic() + DEADLINE_S
            threads = [threading.Thread(target=voter_loop, args=(n, port, args.articles, args.votes_per_voter,
                                                                  deadline, accepted, latencies, failures, lock))
                       for n in range(args.voters)]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - start
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)

        store = SqliteStore(db)
        expected: dict[str, Counter[int]] = {}
        for (_, article), rating in accepted.items():
            expected.setdefault(article, Counter())[rating] += 1
        mismatches = []
        for article, hist in expected.items():
            summary = store.summary("blog", article)
            want = tuple(hist.get(r, 0) for r in range(1, 6))
            if summary.histogram != want or summary.count != sum(want):
                mismatches.append((article, summary.histogram, want))
        store.close()
        cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
        result = {
            "requests": len(latencies), "accepted_votes": len(accepted), "failures": dict(failures),
            "seconds": round(wall, 3), "throughput_rps": round(len(latencies) / wall, 1),
            "p50_ms": round(cuts[49] * 1000, 2), "p99_ms": round(cuts[98] * 1000, 2),
            "articles_checked": len(expected), "mismatches": len(mismatches), "exact": not mismatches,
            "server": f"gunicorn {args.workers} workers x {args.threads} threads, SQLite WAL",
            "voters": args.voters,
        }
        if args.json:
            print(json.dumps(result))
        else:
            for key, value in result.items():
                print(f"{key:18} {value}")
        if mismatches:
            sys.exit(1)


if __name__ == "__main__":
    main()
