"""Look at it: the demo digest rendered by Chromium at desktop and phone widths.

With ASCOLTO_SCREENSHOTS=1 the PNGs go to docs/ (digest-desktop.png, digest-phone.png,
digest-phone-it.png); otherwise into the test's temporary folder.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ascolto.digest.demo import seed_demo
from ascolto.digest.schedule import owners, prepare
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path(os.environ.get("ASCOLTO_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
DOCS = Path(__file__).resolve().parents[2] / "docs"
DAY = date(2026, 11, 19)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium (make test-deps)")


def shoot(html: str, width: int, target: Path) -> tuple[int, float]:
    """Render html at a width to a full-page PNG; return the page's scroll width and card width.

    Runs in its own thread: the browser tests may hold a sync Playwright (an asyncio loop)
    open on the main thread, and two cannot share one thread.
    """
    def work() -> tuple[int, float]:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
                page.set_content(html, wait_until="load")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                card = page.evaluate("document.querySelector('table.card').getBoundingClientRect().width")
                page.screenshot(path=str(target), full_page=True)
                return int(scroll), float(card)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result(timeout=120)


def demo_html(tmp_path: Path, language: str) -> str:
    store = SqliteStore(tmp_path / f"demo-{language}.db")
    site = Site(id="demo", name="Slow Kitchen", owner_email="owner@example.org",
                origins=("https://slowkitchen.example",), timezone="Europe/Rome", language=language,
                created_at="2026-01-01T00:00:00+00:00")
    store.put_site(site)
    seed_demo(store, site, DAY)
    settings = Settings(data_dir=tmp_path, secret="demo", public_url="https://ratings.example.org")
    _, rendered = prepare(store, owners(store.list_sites())[0], DAY, settings, datetime.now(UTC))
    store.close()
    return rendered.html


def out_dir(tmp_path: Path) -> Path:
    if os.environ.get("ASCOLTO_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        return DOCS
    return tmp_path


@pytest.mark.parametrize(("name", "width", "language"), [
    ("digest-desktop", 1024, "en"), ("digest-phone", 390, "en"), ("digest-phone-it", 390, "it")])
def test_digest_screenshot(tmp_path: Path, name: str, width: int, language: str) -> None:
    target = out_dir(tmp_path) / f"{name}.png"
    scroll, card = shoot(demo_html(tmp_path, language), width, target)
    assert scroll <= width, f"the digest is wider than {width}px: {scroll}px"
    assert card <= 640
    assert target.stat().st_size > 10_000
