"""Plain HTML: the snippet `ascolto integrate html` writes, pasted by hand, votes with and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from tests.integrations.conftest import SITE_ID, World


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
def test_the_snippet_votes_without_javascript(world: World, browser: Any) -> None:
    url = paste(world)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("link", name="Rate this page").click()
    assert "4.7 \u00b7 3 votes" in page.locator("[data-numbers]").inner_text()
    with page.expect_navigation(url=url):
        page.get_by_role("button", name="1 star", exact=True).click()
    assert world.store.summary(SITE_ID, "/posts/first").count == 4
    context.close()


@pytest.mark.parametrize("world", ["html"], indirect=True)
def test_the_snippet_votes_with_javascript(world: World, new_tab: Callable[..., Any]) -> None:
    url = paste(world)
    tab = new_tab()
    tab.page.goto(url)
    with tab.page.expect_response(lambda r: r.url.endswith("/votes") and r.request.method == "POST") as sent:
        tab.page.locator("[data-ascolto] [role=radio]").nth(4).click()
    assert sent.value.status == 200
    assert world.store.summary(SITE_ID, "/posts/first").count == 4
