"""The counted-vote path against the framework's floor, in one run on one machine.

gunicorn (-w 2: two sync workers, SQLite WAL) on loopback; 8 client connections. A counted phase
sends votes, every request a different reader: its own client address (X-Forwarded-For from a
trusted proxy), its own voter id and a dwell time, so the anti-stuffing writes run as in
production. A refused phase sends the same number of votes from an origin the site does not
allow (403: the framework, the site lookup and the error shape, no store write). The two
alternate for --rounds rounds; the figure that matters is the ratio of their throughputs (the
median over the rounds). Then it checks that stored votes equal the accepted answers and the
aggregates are exact.

The client shares the machine's two cores with the server, so it is made cheap: each request's
bytes are built before the clock starts and sent on a raw socket, one connection per request (a
sync worker closes each one anyway). `--client http` sends them with http.client instead, which
costs the machine about 0.3-0.4 ms more per request; that CPU is taken from both phases alike, so
it pulls the ratio towards 100% although the server does no less work.
The figures include the CPU the whole machine spent per request, and the client's share of it.

Each worker also writes down how long every request took inside it and the CPU its thread spent
on it (bench/timed_app.py), so the figures split a request's latency into the time in ascolto and
the time queued before it, and ascolto's time into CPU and waits (the writer lock, the disk).

Usage: python bench/vote_path.py [--requests 3000] [--rounds 3] [--connections 8] [--client raw|http] [--json]
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))

from ascolto.ratings import Site  # noqa: E402
from ascolto.stores.sqlite import SqliteStore  # noqa: E402
from load import free_port, post, wait_ready  # noqa: E402

ORIGIN = "https://blog.example.org"
REFUSED = "https://not-registered.example"
ARTICLES = 20
DEADLINE_S = 180
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def vote_of(n: int) -> tuple[str, int]:
    """Return the article and rating of vote number n."""
    return f"/posts/{n % ARTICLES}", 1 + n % 5


def vote_body(n: int) -> tuple[bytes, str]:
    """Return vote number n as a different reader would send it: its body and its client address."""
    article, rating = vote_of(n)
    body = json.dumps({"article": article, "url": ORIGIN + article, "title": "Load", "rating": rating,
                       "voter": f"reader-{n:08d}", "request_id": f"request-{n:08d}", "hp": "",
                       "dwell_ms": 4000}).encode()
    return body, f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class RawSender:
    """Bytes built before the clock starts, sent on a raw socket, one connection per request.

    A sync worker closes each connection anyway. This client does little more than the kernel's
    part, so the two cores it shares with the workers go to the server.
    """

    def __init__(self, port: int, origin: str, numbers: range) -> None:
        self.port, self.first, self.messages = port, numbers.start, []
        for n in numbers:
            body, address = vote_body(n)
            head = (f"POST /v1/sites/blog/votes HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n"
                    f"Content-Type: application/json\r\nX-Forwarded-For: {address}\r\n"
                    f"User-Agent: {USER_AGENT}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
            self.messages.append(head.encode() + body)

    def message(self, n: int) -> bytes:
        """Return vote n's request, built beforehand."""
        return self.messages[n - self.first]

    def send(self, message: bytes) -> int:
        """Send a request and return its status (0 if the connection failed)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=10) as conn:
                conn.sendall(message)
                response = b"".join(iter(lambda: conn.recv(65536), b""))
            return int(response[9:12])
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        """Nothing is kept open between requests."""


class HttpSender:
    """http.client on a kept connection, each request built as it goes (the costlier client)."""

    def __init__(self, port: int, origin: str, numbers: range) -> None:
        self.origin = origin
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def message(self, n: int) -> tuple[bytes, dict[str, str]]:
        """Build vote n's body and headers."""
        body, address = vote_body(n)
        return body, {"Origin": self.origin, "Content-Type": "application/json", "X-Forwarded-For": address,
                      "User-Agent": USER_AGENT}

    def send(self, message: tuple[bytes, dict[str, str]]) -> int:
        """Send a request and return its status (0 if the connection failed)."""
        self.conn, status = post(self.conn, "/v1/sites/blog/votes", *message)
        return status

    def close(self) -> None:
        """Close the kept connection."""
        self.conn.close()


SENDERS: dict[str, type[RawSender] | type[HttpSender]] = {"raw": RawSender, "http": HttpSender}


def client(port: int, numbers: range, origin: str, kind: str, out: dict[str, list], lock: threading.Lock,
           ready: threading.Barrier) -> None:
    """Send the votes numbered `numbers` one after another, each from a different reader."""
    sender = SENDERS[kind](port, origin, numbers)
    latencies, statuses, accepted = [], Counter(), []
    ready.wait()
    deadline = time.monotonic() + DEADLINE_S
    for n in numbers:
        if time.monotonic() > deadline:
            break
        message = sender.message(n)
        start = time.perf_counter()
        status = sender.send(message)  # type: ignore[arg-type]
        latencies.append(time.perf_counter() - start)
        statuses[status] += 1
        if status == 200:
            accepted.append(vote_of(n))
    sender.close()
    with lock:
        out["latencies"].extend(latencies)
        out["statuses"].append(statuses)
        out["accepted"].extend(accepted)


def phase(port: int, requests: int, connections: int, origin: str, first: int,
          kind: str = "raw") -> dict[str, Any]:
    """Run one phase, votes number `first` on, and return its figures."""
    out: dict[str, list] = {"latencies": [], "statuses": [], "accepted": []}
    lock, ready = threading.Lock(), threading.Barrier(connections + 1)
    per = requests // connections
    threads = [threading.Thread(target=client, args=(
        port, range(first + w * per, first + (w + 1) * per), origin, kind, out, lock, ready))
        for w in range(connections)]
    for t in threads:
        t.start()
    ready.wait()
    start, cpu, machine = time.perf_counter(), time.process_time(), busy_seconds()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    cpu, machine = time.process_time() - cpu, busy_seconds() - machine
    latencies = out["latencies"]
    statuses: Counter[int] = sum(out["statuses"], Counter())
    done = max(len(latencies), 1)
    return {"requests": len(latencies), "seconds": wall, "latencies": latencies, "rps": round(len(latencies) / wall, 1),
            **percentiles(latencies), "statuses": dict(statuses), "accepted": out["accepted"],
            "client_cpu_ms": round(cpu / done * 1000, 3), "machine_cpu_ms": round(machine / done * 1000, 3)}


def busy_seconds() -> float:
    """Return the CPU seconds the whole machine has spent busy since boot (Linux), or 0."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def percentiles(seconds: list[float]) -> dict[str, float]:
    """Return p50 and p99 of durations, in milliseconds."""
    cuts = statistics.quantiles(seconds, n=100, method="inclusive") if len(seconds) > 1 else [0.0] * 99
    return {"p50_ms": round(cuts[49] * 1000, 2), "p99_ms": round(cuts[98] * 1000, 2)}


def in_workers(times: Path) -> dict[str, dict[str, float]]:
    """Return p50 and p99 of the time requests spent inside the workers, and their mean CPU, by Origin."""
    found: dict[str, list[float]] = {ORIGIN: [], REFUSED: []}
    cpu: dict[str, list[float]] = {ORIGIN: [], REFUSED: []}
    for path in times.iterdir():
        for line in path.read_text().splitlines():
            seconds, thread_cpu, origin = line.split(" ", 2)
            found.setdefault(origin, []).append(float(seconds))
            cpu.setdefault(origin, []).append(float(thread_cpu))
    return {origin: {**percentiles(found[origin]), "cpu_ms": round(statistics.fmean(cpu[origin] or [0]) * 1000, 3)}
            for origin in (ORIGIN, REFUSED)}


def main() -> None:
    """Run the phases against one server and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000, help="requests per phase")
    parser.add_argument("--rounds", type=int, default=3, help="counted and refused phases, alternating")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync workers)")
    parser.add_argument("--client", choices=sorted(SENDERS), default="raw")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rounds: list[dict[str, Any]] = []
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
            phase(port, 200, args.connections, REFUSED, 10**8, args.client)  # warm both workers up
            for r in range(args.rounds):
                rounds.append({"counted": phase(port, args.requests, args.connections, ORIGIN, r * args.requests,
                                                args.client),
                               "refused": phase(port, args.requests, args.connections, REFUSED,
                                                10**7 + r * args.requests, args.client)})
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        inside = in_workers(times)
        store = SqliteStore(db)
        expected: dict[str, list[int]] = {}
        for article, rating in (a for r in rounds for a in r["counted"].pop("accepted")):
            expected.setdefault(article, [0] * 5)[rating - 1] += 1
        exact = all(list(store.summary("blog", a).histogram) == h for a, h in expected.items())
        stored = sum(store.summary("blog", a).count for a in expected)
        store.close()
    accepted = sum(r["counted"]["statuses"].get(200, 0) for r in rounds)
    result = {name: summed([r[name] for r in rounds], inside[origin])
              for name, origin in (("counted", ORIGIN), ("refused", REFUSED))}
    ratios = [r["counted"]["rps"] / r["refused"]["rps"] for r in rounds]
    report = {"counted_vote": result["counted"], "refused_403": result["refused"],
              "throughput_ratio": round(statistics.median(ratios), 3),
              "round_ratios": [round(x, 3) for x in ratios], "stored_votes": stored, "accepted": accepted,
              "exact": exact, "server": f"gunicorn -w {args.workers} --threads {args.threads}, SQLite WAL, "
                                        f"{args.connections} connections, {args.client} client"}
    if args.json:
        print(json.dumps(report))
        return
    for i, r in enumerate(rounds, 1):
        c, f = r["counted"], r["refused"]
        print(f"round {i}: counted {c['rps']} req/s, p99 {c['p99_ms']} ms;  refused {f['rps']} req/s, "
              f"p99 {f['p99_ms']} ms;  ratio {ratios[i - 1]:.0%}")
    for name in ("counted", "refused"):
        f = result[name]
        print(f"{name:8} {f['rps']:>7} req/s  p50 {f['p50_ms']} ms  p99 {f['p99_ms']} ms  {f['statuses']}")
        w = f["in_worker"]
        print(f"{'':8} inside the worker: p50 {w['p50_ms']} ms  p99 {w['p99_ms']} ms"
              "  (the rest: queued, gunicorn and the socket)")
        print(f"{'':8} CPU per request: {f['machine_cpu_ms']} ms on the whole machine, "
              f"{f['client_cpu_ms']} ms of it in the client, {w['cpu_ms']} ms in the app (the worker's thread)")
    print(f"counted / refused throughput: {report['throughput_ratio']:.0%} (median of the rounds; goal >= 50%)"
          "   p99 goal <= 10 ms")
    print(f"stored votes {stored} of {accepted} accepted; aggregates exact: {exact}")
    print(report["server"])


def summed(phases: list[dict[str, Any]], in_worker: dict[str, float]) -> dict[str, Any]:
    """Return one path's figures over all rounds: total throughput, pooled percentiles, mean CPU."""
    latencies = [x for p in phases for x in p.pop("latencies")]
    seconds = sum(p["seconds"] for p in phases)
    statuses: Counter[int] = sum((Counter(p["statuses"]) for p in phases), Counter())
    return {"requests": len(latencies), "rps": round(len(latencies) / seconds, 1), **percentiles(latencies),
            "statuses": dict(statuses), "in_worker": in_worker,
            "client_cpu_ms": round(statistics.mean(p["client_cpu_ms"] for p in phases), 3),
            "machine_cpu_ms": round(statistics.mean(p["machine_cpu_ms"] for p in phases), 3)}


if __name__ == "__main__":
    main()
