"""Print p50/p99 latency of POST vote and GET summary, in-process and over loopback HTTP.

Usage: python bench/api_latency.py [--requests 1000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from ascolto.app import create_app
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore

ORIGIN = "https://blog.example.org"


class QuietHandler(WSGIRequestHandler):
    """A request handler that does not log each request."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


def percentiles(samples: list[float]) -> str:
    """Format p50 and p99 of samples given in seconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49] * 1000:7.2f} ms   p99 {cuts[98] * 1000:7.2f} ms   (n={len(samples)})"


def vote_body(i: int) -> bytes:
    """Return a vote: new voters mostly, one in four a changed vote."""
    voter = f"voter-{i // 4 * 4 if i % 4 == 3 else i:06d}"
    return json.dumps({"article": f"/posts/{i % 50}", "url": f"{ORIGIN}/posts/{i % 50}",
                       "title": "A post", "rating": 1 + i % 5, "voter": voter,
                       "request_id": f"request-{i:08d}", "dwell_ms": 4000}).encode()


def main() -> None:
    """Run the benchmark and print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    n = parser.parse_args().requests
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.db")
        store.put_site(Site(id="blog", name="Blog", owner_email="o@example.org", origins=(ORIGIN,),
                            rate_burst=10**6, vote_cap=10**6))
        app = create_app(Settings(data_dir=Path(tmp), secret="bench"), store=store)
        client = app.test_client()
        headers = {"Origin": ORIGIN, "Content-Type": "application/json"}

        votes, reads = [], []
        for i in range(n):
            t = time.perf_counter()
            assert client.post("/v1/sites/blog/votes", data=vote_body(i), headers=headers).status_code == 200
            votes.append(time.perf_counter() - t)
            t = time.perf_counter()
            assert client.get(f"/v1/sites/blog/summary?article=/posts/{i % 50}", headers=headers).status_code == 200
            reads.append(time.perf_counter() - t)
        print(f"test client  POST vote     {percentiles(votes)}")
        print(f"test client  GET summary   {percentiles(reads)}")

        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_port
        votes, reads = [], []
        for i in range(n, 2 * n):
            t = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("POST", "/v1/sites/blog/votes", body=vote_body(i), headers=headers)
            assert conn.getresponse().status == 200
            conn.close()
            votes.append(time.perf_counter() - t)
            t = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", f"/v1/sites/blog/summary?article=/posts/{i % 50}", headers=headers)
            assert conn.getresponse().status == 200
            conn.close()
            reads.append(time.perf_counter() - t)
        server.shutdown()
        print(f"loopback HTTP POST vote     {percentiles(votes)}")
        print(f"loopback HTTP GET summary   {percentiles(reads)}")
        print("(werkzeug threaded server, one connection per request, SQLite WAL on local disk)")
        store.close()


if __name__ == "__main__":
    main()
