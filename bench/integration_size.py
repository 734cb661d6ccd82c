"""Print what a page gains from the baked numbers and the no-JavaScript link, built by real Hugo.

Builds tests/integrations/sites/hugo with `ascolto integrate hugo` against a backend on
127.0.0.1 holding 23 votes on the first article, then compares the article page with the same
page carrying the plain snippet of `ascolto site add` instead: raw and gzip bytes, and the opt-in
JSON-LD on its own. The no-JS vote page itself is served by the backend, not carried by the article.

Usage: python bench/integration_size.py   (needs hugo: make test-deps installs it)
"""

from __future__ import annotations

import gzip
import logging
import re
import shutil
import subprocess
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from werkzeug.serving import make_server

from ascolto.app import create_app
from ascolto.cli import main
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.snippet import snippet
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import cast_vote

SITE = Path(__file__).resolve().parent.parent / "tests" / "integrations" / "sites" / "hugo"
RATINGS = (5,) * 14 + (4,) * 6 + (3,) * 2 + (2,)  # 23 votes, 4.4 average


def gz(data: bytes) -> int:
    """Return the gzip (level 9) size of data."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def main_bench() -> None:
    """Build the site and print the sizes."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    hugo = shutil.which("hugo")
    if not hugo:
        raise SystemExit("hugo is missing (make test-deps installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = SqliteStore(root / "ascolto.db")
        server = make_server("127.0.0.1", 0, create_app(Settings(data_dir=root, secret="x"), store=store),
                             threaded=True)
        api = f"http://127.0.0.1:{server.server_port}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        site = Site(id="blog", name="A blog", owner_email="o@example.org", origins=("https://blog.example.org",))
        store.put_site(site)
        for n, rating in enumerate(RATINGS):
            cast_vote(store, site, {"article": "/posts/first", "voter": f"voter-{n:04}", "rating": rating},
                      datetime.now(UTC))
        src, out = root / "src", root / "out"
        shutil.copytree(SITE, src)
        result = CliRunner().invoke(main, ["integrate", "hugo", "--site", "blog", "--dir", str(src), "--api", api,
                                           "--data-dir", str(root)])
        assert result.exit_code == 0, result.output
        subprocess.run([hugo, "--quiet", "--source", str(src), "--destination", str(out),
                        "--baseURL", "https://blog.example.org/"], check=True)
        server.shutdown()
        page = (out / "posts" / "first" / "index.html").read_text(encoding="utf-8")
    ld = re.search(r'\n?<script type="application/ld\+json">.*?</script>', page, re.S)
    without_ld = page.replace(ld.group(0), "") if ld else page
    markup = re.search(r"<div data-ascolto.*?</script>", without_ld, re.S)
    assert markup, "no ascolto markup on the page"
    plain = snippet(site, api)
    plain_page = without_ld.replace(markup.group(0), plain)
    rows = [
        ("plain snippet (site add)", plain.encode(), None),
        ("integration markup", markup.group(0).encode(), None),
        ("page with plain snippet", plain_page.encode(), None),
        ("page with integration", without_ld.encode(), plain_page.encode()),
        ("page with integration + JSON-LD", page.encode(), plain_page.encode()),
    ]
    print(f"{'':34} {'raw':>7} {'gzip':>7} {'+raw':>7} {'+gzip':>7}")
    for name, data, base in rows:
        extra = f"{len(data) - len(base):>+7} {gz(data) - gz(base):>+7}" if base else ""
        print(f"{name:34} {len(data):>7} {gz(data):>7} {extra}")
    print(f"\nintegration markup:\n{markup.group(0)}")


if __name__ == "__main__":
    main_bench()
