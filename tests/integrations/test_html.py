"""Plain HTML: the snippet `ascolto integrate html` writes, pasted by hand, votes with and without JavaScript."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.integrations.conftest import SITE_ID, Chromium, World


def paste(w: World) -> str:
    """Write the snippet into the page as an owner would, PAGE_URL filled in; return the page's URL."""
    w.integrate(w.api.origin)
    url = f"{w.pages.origin}/posts/first/"
    snippet = (w.src / "ascolto-snippet.html").read_text().replace("PAGE_URL", quote(url, safe=""))
    page = (w.src / "posts" / "first.html").read_text().replace("<!-- ascolto -->", snippet)
    (w.out / "posts" / "first").mkdir(parents=True)
    (w.out / "posts" / "first" / "index.html").write_text(page)
    return url


@pytest.mark.parametrize("world", ["html"], indirect=True)
def test_the_snippet_votes_without_javascript(world: World, chromium: Chromium) -> None:
    url = paste(world)

    def vote(browser: Any) -> str:
        context = browser.new_context(java_script_enabled=False)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(url)
        page.get_by_role("link", name="Rate this page").click()
        numbers = page.locator("[data-numbers]").inner_text()
        with page.expect_navigation(url=url):
            page.get_by_role("button", name="1 star", exact=True).click()
        context.close()
        return numbers

    assert "4.7 \u00b7 3 votes" in chromium.run(vote)
    assert world.store.summary(SITE_ID, "/posts/first").count == 4


@pytest.mark.parametrize("world", ["html"], indirect=True)
def test_the_snippet_votes_with_javascript(world: World, chromium: Chromium) -> None:
    url = paste(world)

    def vote(browser: Any) -> int:
        context = browser.new_context()
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(url)
        with page.expect_response(lambda r: r.url.endswith("/votes") and r.request.method == "POST") as sent:
            page.locator("[data-ascolto] [role=radio]").nth(4).click()
        status = sent.value.status
        context.close()
        return status

    assert chromium.run(vote) == 200
    assert world.store.summary(SITE_ID, "/posts/first").count == 4
