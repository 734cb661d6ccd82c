"""Live servers and a headless Chromium for the widget's browser tests.

Two kinds of server run in daemon threads: the ascolto app (the API and the
widget asset) and plain static file servers for the HTML fixtures, which embed
the snippet exactly as a site owner would. The fixtures are templated with the
API's origin, so each test talks to its own app and its own empty store.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from ascolto.app import create_app
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore

# One Chromium for the whole session: its fixtures live in tests/conftest.py, so that every test
# directory that drives the browser shares the one Playwright session the main thread can hold.
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, Tab, sync_api  # noqa: E402,F401

FIXTURES = Path(__file__).parent / "fixtures"
SITE_ID = "blog"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript"}
# The policy of a carefully run static site (fixtures named csp-*.html are served with it).
STRICT_CSP = ("default-src 'self'; script-src 'self' {api}; connect-src {api}; style-src 'self'; "
              "require-trusted-types-for 'script'")


class ApiServer:
    """The ascolto app on a free port of 127.0.0.1."""

    def __init__(self, app: Any) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()


class PagesServer:
    """A static file server for the HTML fixtures, each templated with the API's origin."""

    def __init__(self, api_origin: str) -> None:
        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                name = self.path.split("?", 1)[0].strip("/").split("/")[0] or "article.html"
                path = FIXTURES / name
                if not path.is_file():
                    self.send_error(404)
                    return
                body = path.read_text(encoding="utf-8").replace("{{API}}", api_origin).encode()
                self.send_response(200)
                self.send_header("Content-Type", TYPES[path.suffix])
                if name.startswith("csp-"):
                    self.send_header("Content-Security-Policy", STRICT_CSP.format(api=api_origin))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, page: str) -> str:
        """Return the URL of a fixture page."""
        return f"{self.origin}/{page}"

    def close(self) -> None:
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Live:
    """One test's world: an API with an empty store and fixture servers on three origins."""

    api: ApiServer
    store: SqliteStore
    site: Site
    pages: PagesServer  # on the site's allowlist
    other: PagesServer  # a second allowed origin
    stranger: PagesServer  # not on the allowlist


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    store = SqliteStore(tmp_path / "ascolto.db")
    settings = Settings(data_dir=tmp_path, secret="x", public_url="http://127.0.0.1")
    api = ApiServer(create_app(settings, store=store))
    pages, other, stranger = (PagesServer(api.origin) for _ in range(3))
    # Anti-stuffing off: every test voter clicks at once, from one address.
    site = Site(id=SITE_ID, name="A blog", owner_email="owner@example.org",
                origins=(pages.origin, other.origin), timezone="Europe/Rome", language="en",
                low_threshold=3, vote_cap=1000, rate_burst=1000, rate_per_hour=100000, min_dwell_ms=0)
    store.put_site(site)
    yield Live(api=api, store=store, site=site, pages=pages, other=other, stranger=stranger)
    for server in (pages, other, stranger, api):
        server.close()
    store.close()
