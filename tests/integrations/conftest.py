"""Real static-site generators building small sites against a live ascolto on 127.0.0.1.

Each test copies a site from sites/<generator>/, runs `ascolto integrate`, builds with the
generator's own command and serves the output from a second origin on the site's allowlist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ascolto.app import create_app
from ascolto.cli import main
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import cast_vote
from tests.browser.conftest import ApiServer

SITES = Path(__file__).parent / "sites"
NPM = Path(__file__).parent / "npm" / "node_modules"
SITE_ID = "blog"
# The first article's seeded votes: 5, 4, 5 -> 4.67, shown as "4.7 · 3 votes".
SEEDED = (5, 4, 5)


class StaticServer:
    """Serves a built site's output folder on a free port of 127.0.0.1."""

    def __init__(self, root: Path) -> None:
        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

        root.mkdir(parents=True, exist_ok=True)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()


@dataclass
class World:
    """One test's backend, source tree, output folder and the origin that serves it."""

    api: ApiServer
    store: SqliteStore
    site: Site
    src: Path
    out: Path
    pages: StaticServer
    data_dir: Path
    generator: str

    def integrate(self, api: str) -> str:
        """Run `ascolto integrate` as an owner would; return what it printed."""
        result = CliRunner().invoke(main, [
            "integrate", self.generator, "--site", SITE_ID, "--dir", str(self.src), "--api", api,
            "--min-count", "3", "--force", "--data-dir", str(self.data_dir)])
        assert result.exit_code == 0, result.output
        return result.output

    def run(self, *command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run a generator's build command in the source tree; fail the test with its output if it fails."""
        done = subprocess.run(command, cwd=self.src, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def page(self, path: str) -> str:
        """Return a built page's HTML."""
        return (self.out / path / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def world(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[World]:
    generator = request.param
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(SITES / generator, src)
    store = SqliteStore(tmp_path / "ascolto.db")
    settings = Settings(data_dir=tmp_path, secret="x", public_url="http://127.0.0.1",
                        store_url=f"sqlite:///{tmp_path / 'ascolto.db'}")
    api = ApiServer(create_app(settings, store=store))
    pages = StaticServer(out)
    # Anti-stuffing stays on but loose: every test vote comes from one address at once.
    site = Site(id=SITE_ID, name="A blog", owner_email="owner@example.org", origins=(pages.origin,),
                timezone="Europe/Rome", language="en", vote_cap=1000, rate_burst=1000, rate_per_hour=100000,
                min_dwell_ms=0)
    store.put_site(site)
    now = datetime.now(UTC)
    for n, rating in enumerate(SEEDED):
        cast_vote(store, site, {"article": "/posts/first", "voter": f"seed-voter-{n}", "rating": rating,
                                "title": "Slow-rise focaccia"}, now)
    # The third article has one vote: fewer than the tests' --min-count of 3 for JSON-LD.
    cast_vote(store, site, {"article": "/posts/third", "voter": "seed-voter-9", "rating": 3,
                            "title": "A field guide to sourdough"}, now)
    yield World(api=api, store=store, site=site, src=src, out=out, pages=pages, data_dir=tmp_path,
                generator=generator)
    pages.close()
    api.close()
    store.close()


def generator_or_skip(program: Path | str) -> str:
    """Return a generator's executable, or skip (fail on CI) when `make test` did not install it."""
    path = shutil.which(str(program)) if not Path(program).is_absolute() else str(program)
    if not path or not Path(path).exists():
        message = f"{program} is missing (make test installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path



class Chromium:
    """The session's Chromium (tests/conftest.py), handed to a test's job; the job returns what the test checks."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser

    def run(self, job: Callable[[Any], Any]) -> Any:
        """Return job(browser)."""
        return job(self.browser)


@pytest.fixture
def chromium(browser: Any) -> Chromium:
    return Chromium(browser)
