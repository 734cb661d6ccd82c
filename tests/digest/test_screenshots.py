"""Look at it: the demo digest rendered by Chromium at 1200 and 390 px, English and Italian, light and dark.

With ASCOLTO_SCREENSHOTS=1 the PNGs go to docs/ (digest-<width>-<language>-<scheme>.png);
otherwise into the test's temporary folder. Each shot also checks the layout: nothing wider than
the viewport, the card at most 640 px, and at 390 px the bars sit under the titles at a fixed width.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.digest.spam_day import demo_digest

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path(os.environ.get("ASCOLTO_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
DOCS = Path(__file__).resolve().parents[2] / "docs"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium (make test-deps)")

MEASURE = """() => {
  const bars = [...document.querySelectorAll('td.stack')];
  const rows = bars.map(td => {
    const title = td.parentElement.querySelector('td').getBoundingClientRect();
    const bar = td.querySelector('table').getBoundingClientRect();
    return {below: bar.top >= title.bottom - 1, width: bar.width};
  });
  const meta = [...document.querySelectorAll('.mut')].map(e => e.innerText.split('\\n'))
    .flat().filter(line => line.trim().startsWith('·')).length;
  return {scroll: document.documentElement.scrollWidth,
          card: document.querySelector('table.card').getBoundingClientRect().width,
          rows, meta, background: getComputedStyle(document.querySelector('table.card')).backgroundColor};
}"""


def shoot(html: str, width: int, scheme: str, target: Path) -> dict[str, Any]:
    """Render html at a width and colour scheme to a full-page PNG; return layout measurements.

    Runs in its own thread: the browser tests may hold a sync Playwright (an asyncio loop)
    open on the main thread, and two cannot share one thread.
    """
    def work() -> dict[str, Any]:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1,
                                        color_scheme=scheme)
                page.set_content(html, wait_until="load")
                measured = page.evaluate(MEASURE)
                page.screenshot(path=str(target), full_page=True)
                return dict(measured)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result(timeout=120)


def out_dir(tmp_path: Path) -> Path:
    if os.environ.get("ASCOLTO_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        return DOCS
    return tmp_path


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "it"])
@pytest.mark.parametrize("width", [1200, 390])
def test_digest_screenshot(tmp_path: Path, width: int, language: str, scheme: str) -> None:
    _, html, _ = demo_digest(tmp_path, language)
    target = out_dir(tmp_path) / f"digest-{width}-{language}-{scheme}.png"
    got = shoot(html, width, scheme, target)
    assert got["scroll"] <= width, f"the digest is wider than {width}px: {got['scroll']}px"
    assert got["card"] <= 640
    assert got["rows"] and all(r["width"] == 136 for r in got["rows"])  # bars line up: one fixed width
    if width == 390:
        assert all(r["below"] for r in got["rows"])  # the bar goes under the title on a phone
    assert got["meta"] == 0  # no wrapped line starts with "·"
    assert (got["background"] == "rgb(27, 31, 36)") == (scheme == "dark")
    assert target.stat().st_size > 10_000
