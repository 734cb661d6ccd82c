"""CPU per request of the counted-vote path and of the refused (403) path, in one process, no HTTP server.

Calls the WSGI app directly, every vote from a different reader, and prints the CPU time per
request of each path and their ratio. `--only counted` or `--only refused` runs one path, so
an instruction counter gives repeatable figures on a busy machine:

    valgrind --tool=callgrind python bench/vote_cpu.py --only counted --requests 1000
    valgrind --tool=callgrind python bench/vote_cpu.py --only counted --requests 0   # the fixed part

Usage: python bench/vote_cpu.py [--requests 1500] [--only counted|refused]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))

from ascolto.app import create_app  # noqa: E402
from ascolto.ratings import Site  # noqa: E402
from ascolto.settings import Settings  # noqa: E402
from ascolto.stores.sqlite import SqliteStore  # noqa: E402

ORIGIN = "https://blog.example.org"
REFUSED = "https://not-registered.example"


def blog_app(tmp: Path, name: str) -> tuple[SqliteStore, Any]:
    """Return a SQLite store in `tmp` holding the blog site, and the app on it (the caller is a trusted proxy)."""
    store = SqliteStore(tmp / f"{name}.db")
    store.put_site(Site(id="blog", name="Blog", owner_email="o@example.org", origins=(ORIGIN,)))
    return store, create_app(Settings(data_dir=tmp, secret=name, trusted_proxies=("127.0.0.1",)), store=store)


def request(app: Any, n: int, origin: str) -> str:
    """Send one vote through the WSGI app and return its status line."""
    body = json.dumps({"article": f"/posts/{n % 20}", "url": f"{ORIGIN}/posts/{n % 20}", "title": "Load",
                       "rating": 1 + n % 5, "voter": f"reader-{n:08d}", "request_id": f"request-{n:08d}",
                       "hp": "", "dwell_ms": 4000}).encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/v1/sites/blog/votes", "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(body)),
               "CONTENT_TYPE": "application/json", "HTTP_ORIGIN": origin, "REMOTE_ADDR": "127.0.0.1",
               "HTTP_X_FORWARDED_FOR": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}",
               "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}
    status: list[str] = []
    b"".join(app(environ, lambda s, h, e=None: status.append(s)))
    return status[0]


def cpu_per_request(app: Any, count: int, origin: str, first: int) -> float:
    """Return the CPU seconds per request of `count` requests."""
    start = time.process_time()
    for n in range(first, first + count):
        request(app, n, origin)
    return (time.process_time() - start) / max(count, 1)


def main() -> None:
    """Warm up, run the paths asked for, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--only", choices=["counted", "refused"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, app = blog_app(Path(tmp), "cpu")
        for n in range(100):
            assert request(app, 10**7 + n, ORIGIN).startswith("200")
            assert request(app, 10**7 + n, REFUSED).startswith("403")
        figures = {}
        for name, origin in (("counted", ORIGIN), ("refused", REFUSED)):
            if args.only in (None, name):
                figures[name] = cpu_per_request(app, args.requests, origin, 0)
        store.close()
    for name, seconds in figures.items():
        print(f"{name:8} {seconds * 1000:.3f} ms CPU per request")
    if len(figures) == 2:
        print(f"refused / counted CPU: {figures['refused'] / figures['counted']:.0%}")


if __name__ == "__main__":
    main()
