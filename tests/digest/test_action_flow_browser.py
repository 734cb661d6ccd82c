"""The action flow in real Chromium: open a link of the rendered email, press the page's button,
check the store; a form on another site changes nothing."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ascolto import followup
from ascolto.app import create_app
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import quarantined
from tests.digest.flow import DAY, seed, send_digest

sync_api = pytest.importorskip("playwright.sync_api")
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, ApiServer  # noqa: E402

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                reason="needs Chromium (make test-deps)")


def in_chromium(work: Any) -> Any:
    """Run work(browser) in its own thread (a sync Playwright may already own the main thread's loop)."""
    def run() -> Any:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                return work(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=120)


def test_mark_handled_snooze_and_release_from_the_email(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "ascolto.db")
    settings = Settings(data_dir=tmp_path, secret="browser-secret", public_url="http://127.0.0.1")
    app = create_app(settings, store=store)
    api = ApiServer(app)
    app.extensions["ascolto"].settings = Settings(data_dir=tmp_path, secret="browser-secret", public_url=api.origin)
    try:
        seed(store)
        message = send_digest(store, app.extensions["ascolto"].settings)
        html = message.get_body(("html",)).get_content()

        def work(browser: Any) -> dict[str, Any]:
            page = browser.new_page()
            page.set_default_timeout(10_000)
            page.set_content(html)
            # Given the email, when the owner follows "Mark handled" of the first comment ...
            page.get_by_role("link", name="✓ Mark handled").first.click()
            page.wait_for_url("**/act?**")
            shown = page.content()
            still_open = len(followup.open_items(store, "owner@example.org"))
            # ... and presses the page's button, then the comment is handled.
            page.get_by_role("button", name="Mark handled").click()
            page.wait_for_selector("text=Marked as handled.")
            after_handled = len(followup.open_items(store, "owner@example.org"))
            # From the open list: count the held-back votes, and snooze from the email's link.
            page.get_by_role("link", name="Everything open").click()
            page.get_by_role("button", name="Count them").click()
            page.wait_for_selector("text=3 votes counted.")
            page.set_content(html)
            page.get_by_role("link", name="Snooze a week").first.click()
            page.get_by_role("button", name="Snooze a week").click()
            page.wait_for_selector("text=Snoozed until")
            # A form on another site posting to the same action is refused.
            act = page.url.split("?")[0]
            page = browser.new_page()  # about:blank: another origin than the app's
            page.set_content(f'<form method="post" action="{act}"><input name="do" value="unsnooze">'
                             '<input name="site" value="blog"><input name="item" value="/steak">'
                             '<button>go</button></form>')
            with page.expect_navigation():
                page.click("button")
            forged = page.content()
            return {"shown": shown, "before": still_open, "after": after_handled, "forged": forged}

        got = in_chromium(work)
        assert "The table says 54 °C" in got["shown"] or "Steps 3 and 4" in got["shown"]
        assert (got["before"], got["after"]) == (3, 2)
        assert quarantined(store, "blog") == [] and store.summary("blog", "/pasta").count == 3
        assert "sent from another site" in got["forged"]
        assert "/steak" in followup.snoozed(store, "blog", DAY)
    finally:
        api.close()
        store.close()
