"""Hugo, Jekyll, Eleventy, MkDocs (Material) and Astro build real sites with `ascolto integrate`.

Every article page carries the widget with the generator's page id and the numbers baked in;
the numbers show with JavaScript off; a vote from the built page counts, with the widget and
through the no-JS form (Chromium); a backend that is down never fails the build.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from ascolto.voting import quarantined
from tests.integrations.conftest import NPM, SITE_ID, Chromium, World, generator_or_skip

FIRST, SECOND = "/posts/first", "/posts/second"
FIRST_LABEL = "4.7 \u00b7 3 votes"


def build_hugo(w: World, api: str) -> None:
    hugo = generator_or_skip("hugo")
    w.run(hugo, "--quiet", "--destination", str(w.out), "--baseURL", w.pages.origin + "/",
          "--cacheDir", str(w.src / ".hugo-cache"))


def build_jekyll(w: World, api: str) -> None:
    jekyll = generator_or_skip("jekyll")
    (w.src / "_config.yml").write_text(f"title: A Jekyll blog\nurl: {w.pages.origin}\nlang: en\n"
                                       "permalink: /posts/:title/\n")
    w.run(jekyll, "build", "--quiet", "--source", str(w.src), "--destination", str(w.out))


def build_eleventy(w: World, api: str) -> None:
    eleventy = generator_or_skip(NPM / "@11ty" / "eleventy" / "cmd.cjs")
    env = os.environ | {"ASCOLTO_TEST_SITE": SITE_ID, "ASCOLTO_TEST_API": api,
                        "ASCOLTO_TEST_BASE_URL": w.pages.origin + "/"}
    w.run("node", eleventy, "--quiet", "--input=.", f"--output={w.out}", env=env)


def build_mkdocs(w: World, api: str) -> None:
    mkdocs = generator_or_skip(Path(sys.executable).parent / "mkdocs")
    (w.src / "mkdocs.yml").write_text(
        f"site_name: A MkDocs site\nsite_url: {w.pages.origin}/\ntheme:\n  name: material\n  custom_dir: overrides\n"
        f"plugins:\n  - ascolto:\n      site: {SITE_ID}\n      api: {api}\n      min_count: 3\n")
    w.run(mkdocs, "build", "--quiet", "--site-dir", str(w.out))


def build_astro(w: World, api: str) -> None:
    astro = generator_or_skip(NPM / "astro" / "astro.js")
    (w.src / "node_modules").unlink(missing_ok=True)
    (w.src / "node_modules").symlink_to(NPM)  # the committed lock's install, as an owner's own would be
    env = os.environ | {"ASCOLTO_TEST_BASE_URL": w.pages.origin, "ASTRO_TELEMETRY_DISABLED": "1"}
    w.run("node", astro, "build", "--silent", "--outDir", str(w.out), env=env)


BUILDS: dict[str, Callable[[World, str], None]] = {
    "hugo": build_hugo, "jekyll": build_jekyll, "eleventy": build_eleventy, "mkdocs": build_mkdocs,
    "astro": build_astro,
}
pytestmark = pytest.mark.parametrize("world", sorted(BUILDS), indirect=True)


def integrate_and_build(w: World, api: str | None = None) -> None:
    """Write the integration into the source tree and build, as an owner would."""
    api = api or w.api.origin
    w.integrate(api)
    BUILDS[w.generator](w, api)


class Found(HTMLParser):
    """The widget placeholders, their text and links, the scripts and the JSON-LD of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hosts: list[dict[str, str | None]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.ld: list[Any] = []
        self.text = ""
        self.links: list[str] = []
        self._depth = 0
        self._ld = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and ("data-ascolto" in a or self._depth):
            self.hosts += [a] if not self._depth else []
            self._depth += 1
        if self._depth and tag == "a":
            self.links.append(a.get("href") or "")
        if tag == "script" and "data-site" in a:
            self.scripts.append(a)
        self._ld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "div":
            self._depth -= 1
        self._ld = False

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.text += data
        if self._ld:
            self.ld.append(json.loads(data))


def test_every_article_page_carries_the_widget_and_the_baked_numbers(world: World) -> None:
    # given a site with three votes on its first article, integrated and built
    integrate_and_build(world)
    first, second = Found(world.page("posts/first")), Found(world.page("posts/second"))

    # then each page has one placeholder with the generator's page id and its numbers as text
    assert [h["data-article"] for h in first.hosts] == [FIRST]
    assert [h["data-article"] for h in second.hosts] == [SECOND]
    assert first.hosts[0]["data-count"] == "3" and first.hosts[0]["data-average"] == "4.67"
    assert first.hosts[0]["data-built"]
    assert FIRST_LABEL in first.text and "No votes yet" in second.text
    assert second.hosts[0]["data-count"] == "0" and "data-average" not in second.hosts[0]
    # the script names the site, the same article and the page's language
    assert [(s["data-site"], s["data-article"], s["data-lang"]) for s in first.scripts] == [(SITE_ID, FIRST, "en")]
    assert first.scripts[0]["src"] == f"{world.api.origin}/widget.js"
    # JSON-LD only where the owner opted in with an eligible type, matching the visible numbers
    assert first.ld == [{"@context": "https://schema.org", "@type": "Recipe", "name": "Slow-rise focaccia",
                         "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.7", "ratingCount": 3,
                                             "bestRating": 5, "worstRating": 1}}]
    assert second.ld == []  # BlogPosting is not eligible for review stars
    third = Found(world.page("posts/third"))
    assert [(h["data-article"], h["data-count"]) for h in third.hosts] == [("/posts/third", "1")]
    assert "3.0 \u00b7 1 vote" in third.text
    assert third.ld == []  # a Book, but with fewer votes than --min-count


def test_numbers_show_and_a_vote_counts_with_javascript_off(world: World, chromium: Chromium) -> None:
    # given a built site, read by a browser with JavaScript off
    integrate_and_build(world)
    url = f"{world.pages.origin}{FIRST}/"

    def read_and_vote(browser: Any) -> dict[str, str]:
        context = browser.new_context(java_script_enabled=False)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(url)
        seen = {"article": page.locator("[data-ascolto]").inner_text()}
        # when the reader follows the link and picks four stars on the backend's form
        page.locator("[data-ascolto] a").click()
        seen |= {"form_url": page.url, "form": page.locator("[data-numbers]").inner_text()}
        with page.expect_navigation(url=url):
            page.get_by_role("button", name="4 stars").click()
        seen["back"] = page.url
        context.close()
        return seen

    seen = chromium.run(read_and_vote)

    # then the numbers were on the page, the form showed them, and the reader is back on the article
    assert FIRST_LABEL in seen["article"] and FIRST_LABEL in seen["form"]
    assert seen["form_url"].startswith(f"{world.api.origin}/rate/{SITE_ID}?")
    assert seen["back"] == url
    # and the vote counts
    summary = world.store.summary(SITE_ID, FIRST)
    assert (summary.count, summary.histogram[3]) == (4, 2)
    assert not quarantined(world.store, SITE_ID)


def test_a_vote_with_the_widget_on_the_built_page_counts(world: World, chromium: Chromium) -> None:
    # given a built site in a browser with JavaScript on
    integrate_and_build(world)

    def vote(browser: Any) -> tuple[int, list[str]]:
        context = browser.new_context()
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{world.pages.origin}{SECOND}/")
        # when the reader clicks the second star in the widget
        with page.expect_response(lambda r: r.url.endswith("/votes") and r.request.method == "POST") as sent:
            page.locator("[data-ascolto] [role=radio]").nth(1).click()
        status = sent.value.status
        context.close()
        return status, errors

    status, errors = chromium.run(vote)

    # then the vote counts on the article id the generator gave the page
    assert status == 200 and errors == []
    summary = world.store.summary(SITE_ID, SECOND)
    assert (summary.count, summary.total) == (1, 2)


def test_a_backend_that_is_down_never_fails_the_build(world: World) -> None:
    # given a site built once with the backend up
    integrate_and_build(world)
    before = Found(world.page("posts/first")).hosts[0]

    # when it is built again with the backend down (nothing listens on the port)
    world.api.close()
    integrate_and_build(world, api=world.api.origin)

    # then the build succeeds and the page still has the widget, with cached numbers
    # that keep their date, or none at all
    host = Found(world.page("posts/first")).hosts[0]
    assert host["data-article"] == FIRST
    if "data-count" in host:
        assert (host["data-count"], host["data-built"]) == (before["data-count"], before["data-built"])
    else:
        assert "data-built" not in host
