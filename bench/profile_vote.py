"""Where a counted vote's time goes: cProfile over the vote path in one process (Flask test client, SQLite).

Every request is a different reader (address, voter id, dwell time), as in bench/vote_path.py.
Prints the functions with the most cumulative time, in ascolto's own code and in the libraries.

Usage: python bench/profile_vote.py [--requests 2000] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from vote_cpu import ORIGIN, blog_app  # noqa: E402


def main() -> None:
    """Profile the vote path and print the top functions."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, app = blog_app(Path(tmp), "profile")
        client = app.test_client()

        def vote(n: int) -> None:
            body = {"article": f"/posts/{n % 20}", "url": f"{ORIGIN}/posts/{n % 20}", "title": "Load",
                    "rating": 1 + n % 5, "voter": f"reader-{n:08d}", "request_id": f"request-{n:08d}", "hp": "",
                    "dwell_ms": 4000}
            response = client.post("/v1/sites/blog/votes", json=body, headers={
                "Origin": ORIGIN, "X-Forwarded-For": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"},
                environ_base={"REMOTE_ADDR": "127.0.0.1"})
            assert response.status_code == 200, response.get_json()

        for n in range(100):  # warm up: connections, caches
            vote(10**6 + n)
        profile = cProfile.Profile()
        profile.enable()
        for n in range(args.requests):
            vote(n)
        profile.disable()
        stats = pstats.Stats(profile)
        total = stats.total_tt  # type: ignore[attr-defined]
        print(f"{args.requests} votes, {total / args.requests * 1000:.3f} ms of profiled CPU each")
        stats.sort_stats("cumulative").print_stats(args.top)
        store.close()


if __name__ == "__main__":
    main()
