"""The widget in a real browser, on fixture pages that embed the snippet as an owner would."""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ascolto.assets import assets, widget_asset
from ascolto.voting import cast_vote, export_site

from .conftest import Live, Tab, sync_api

expect = sync_api.expect

# The widget's ids: 128 random bits, as the decimal digits of four 32-bit numbers.
RANDOM_ID = r"[0-9]{8,40}"
ARTICLE = "/posts/slow-bread"  # the canonical path of fixtures/article.html, normalised
DOCS = Path(__file__).resolve().parents[2] / "docs"

NewTab = Callable[..., Tab]


def stars(tab: Tab) -> Any:
    """Return the five star radios (Playwright's CSS locators pierce the open shadow root)."""
    return tab.page.locator("[role=radio]")


def count(tab: Tab) -> Any:
    """Return the live region that shows the numbers (an output element: role status)."""
    return tab.page.locator("output")


def head(tab: Tab) -> Any:
    """Return the card's status line (a live region): thanks, the retry line, a form's outcome."""
    return tab.page.locator("span[role=status]")


def tell_us_more(tab: Tab) -> None:
    """Open the feedback form the card offers after a low rating."""
    tab.page.get_by_role("button", name="Tell us more").click()


def open_article(tab: Tab, live: Live, page: str = "article.html", server: Any = None) -> None:
    """Load a fixture page and wait until the widget shows its numbers."""
    tab.page.goto((server or live.pages).url(page))
    expect(count(tab)).not_to_be_empty()


def checked(tab: Tab) -> list[str]:
    """Return each star's aria-checked."""
    return [stars(tab).nth(i).get_attribute("aria-checked") for i in range(5)]


def test_rate_an_article(live: Live, new_tab: NewTab) -> None:
    # given a reader on an article nobody rated yet
    tab = new_tab()
    sent: list[Any] = []
    loaded: list[str] = []
    tab.page.on("request", lambda r: r.method == "POST" and sent.append(r))
    tab.page.on("request", lambda r: loaded.append(r.url))
    open_article(tab, live)
    expect(count(tab)).to_have_text("No votes yet")
    expect(tab.page.get_by_role("radiogroup", name="How useful was this post?")).to_have_count(1)

    # when they click the fourth star
    stars(tab).nth(3).click()

    # then the widget thanks them, shows the new numbers and the chosen star
    expect(head(tab)).to_have_text("Thanks for your vote!")
    expect(count(tab)).to_have_text("4.0 · 1 vote")
    assert checked(tab) == ["false", "false", "false", "true", "false"]
    summary = live.store.summary("blog", ARTICLE)
    assert (summary.count, summary.average) == (1, 4.0)
    votes, _ = export_site(live.store, "blog")
    assert votes[0].title == "Notes on slow bread"
    assert votes[0].url == f"{live.pages.origin}/posts/slow-bread/"
    assert not tab.page.locator("form").count()  # 4 is above the site's low threshold
    assert tab.errors == []
    # and the page loaded the card, then the voting chunk as the reader reached for the stars, not the form
    assert [url for url in loaded if "/static/" in url] == [
        f"{live.api.origin}/static/widget.{widget_asset().version}.js", f"{live.api.origin}{assets()['vote.js'].path}"]
    # and the request is the documented JSON body, with no cookie and no custom header
    (request,) = sent
    body = request.post_data_json
    assert sorted(body) == ["article", "dwell_ms", "hp", "rating", "request_id", "title", "url", "voter"]
    assert (body["article"], body["rating"], body["hp"]) == (ARTICLE, 4, "")
    assert isinstance(body["dwell_ms"], int) and body["dwell_ms"] >= 0
    assert re.fullmatch(RANDOM_ID, body["request_id"]) and body["request_id"] != body["voter"]
    headers = request.all_headers()
    assert headers["content-type"] == "application/json" and "cookie" not in headers


def test_change_vote_moves_the_average_not_the_count(live: Live, new_tab: NewTab) -> None:
    # given two readers who rated 5 and 4
    first, second = new_tab(), new_tab()
    open_article(first, live)
    stars(first).nth(4).click()
    expect(count(first)).to_have_text("5.0 · 1 vote")
    open_article(second, live)
    stars(second).nth(3).click()
    expect(count(second)).to_have_text("4.5 · 2 votes")

    # when the second reader changes their mind
    stars(second).nth(1).click()

    # then there are still two votes and the average moved
    expect(count(second)).to_have_text("3.5 · 2 votes")
    summary = live.store.summary("blog", ARTICLE)
    assert (summary.count, summary.average) == (2, 3.5)


def test_low_rating_asks_for_feedback(live: Live, new_tab: NewTab) -> None:
    # given a reader who gives a low rating
    tab = new_tab()
    open_article(tab, live)
    stars(tab).nth(1).click()
    tell_us_more(tab)

    # when the feedback form appears, an empty text is not sent, and a real one is
    form = tab.page.locator("form")
    expect(form).to_be_visible()
    expect(form.locator("label").first).to_have_text("How could we improve this post?")
    text = form.get_by_label("How could we improve this post?")
    email = form.get_by_label("Your email, if you'd like a reply (optional)")
    assert text.get_attribute("maxlength") == "2000"
    assert email.get_attribute("type") == "email"
    assert email.get_attribute("maxlength") == "254"
    expect(tab.page.locator("input[name=website]")).to_be_hidden()  # the form's styles spare the honeypot
    assert email.get_attribute("autocomplete") == "email"
    text.fill("   ")
    form.get_by_role("button", name="Send").click()
    expect(head(tab)).to_have_text("Please write what we could improve.")
    assert text.get_attribute("aria-invalid") == "true"
    text.fill("The oven temperature is missing.")
    email.fill("reader@example.org")
    form.get_by_role("button", name="Send").dblclick()

    # then it thanks the reader, the form goes away and the owner has the feedback, once
    expect(head(tab)).to_have_text("Thanks for your feedback!")
    expect(form).to_have_count(0)
    _, feedback = export_site(live.store, "blog")
    assert [(f.article, f.text, f.contact_email, f.rating) for f in feedback] == [
        (ARTICLE, "The oven temperature is missing.", "reader@example.org", 2)]
    assert tab.errors == []


def test_feedback_form_loads_once_after_a_low_rating(live: Live, new_tab: NewTab) -> None:
    # given a reader on an article
    tab = new_tab()
    loaded: list[str] = []
    tab.page.on("request", lambda r: "/static/" in r.url and loaded.append(r.url))
    open_article(tab, live)

    # when they rate it low, then lower still
    stars(tab).nth(1).click()
    tell_us_more(tab)
    expect(tab.page.locator("form")).to_be_visible()
    stars(tab).nth(0).click()
    expect(count(tab)).to_have_text("1.0 · 1 vote")
    tell_us_more(tab)

    # then the form was fetched once, at its versioned URL, and shows once
    assert loaded.count(f"{live.api.origin}{assets()['feedback.js'].path}") == 1
    expect(tab.page.locator("form")).to_have_count(1)
    assert tab.errors == []


def test_form_that_fails_to_load_is_logged_not_thrown(live: Live, new_tab: NewTab) -> None:
    # given a reader whose browser cannot fetch the feedback form
    tab = new_tab()
    tab.page.route("**/static/feedback.*", lambda route: route.abort())
    open_article(tab, live)

    # when they rate low and ask for the form
    stars(tab).nth(0).click()
    tell_us_more(tab)

    # then the vote counts and thanks them, there is no form, and the page saw no error
    expect(head(tab)).to_have_text("Thanks for your vote!")
    expect(count(tab)).to_have_text("1.0 · 1 vote")
    tab.page.wait_for_timeout(300)
    assert not tab.page.locator("form").count()
    assert tab.errors == []
    assert any(w.startswith("[ascolto]") for w in tab.warnings)


def test_voting_that_fails_to_load_is_logged_not_thrown(live: Live, new_tab: NewTab) -> None:
    # given a reader whose browser cannot fetch the voting chunk
    tab = new_tab()
    tab.page.route("**/static/vote.*", lambda route: route.abort())
    open_article(tab, live)

    # when they reach for the stars (which asks for it) and click one
    stars(tab).nth(3).hover()
    stars(tab).nth(3).click()

    # then the card says the vote was not sent, promising nothing, and the page saw no error
    expect(head(tab)).to_have_text("Could not send.")
    tab.page.wait_for_timeout(300)
    assert tab.errors == []
    assert any(w.startswith("[ascolto]") for w in tab.warnings)
    assert live.store.summary("blog", ARTICLE).count == 0


def test_keyboard_only(live: Live, new_tab: NewTab) -> None:
    # given a reader who uses the keyboard only
    tab = new_tab()
    open_article(tab, live)
    page = tab.page
    focused_role = "document.activeElement.shadowRoot?.activeElement?.getAttribute('role')"

    # when they Tab into the radiogroup
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate(focused_role) == "radio":
            break
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.getAttribute('aria-label')") == "1 star"
    assert [stars(tab).nth(i).get_attribute("tabindex") for i in range(5)] == ["0", "-1", "-1", "-1", "-1"]

    # and move with the arrows (wrapping around) and choose with Space
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    # The first key asks for the voting chunk; the keys apply in order once it has loaded, which a busy
    # machine can make take longer than the presses themselves.
    focused_label = "document.activeElement.shadowRoot.activeElement.getAttribute('aria-label')"
    page.wait_for_function(f"{focused_label} == '5 stars'")
    assert page.evaluate(focused_label) == "5 stars"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")

    # then the fourth star is chosen and is the one tab stop, with a visible focus ring
    expect(count(tab)).to_have_text("4.0 · 1 vote")
    assert checked(tab) == ["false", "false", "false", "true", "false"]
    assert [stars(tab).nth(i).get_attribute("tabindex") for i in range(5)] == ["-1", "-1", "-1", "0", "-1"]
    outline = page.evaluate(
        "getComputedStyle(document.activeElement.shadowRoot.activeElement).outlineStyle")
    assert outline not in ("", "none")

    # and Enter on another star changes the vote
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(count(tab)).to_have_text("5.0 · 1 vote")
    assert page.evaluate("scrollY") == 0  # Space did not scroll the page


def test_reload_shows_persisted_average_and_checked_star(live: Live, new_tab: NewTab) -> None:
    # given a reader who rated the article
    tab = new_tab()
    open_article(tab, live)
    stars(tab).nth(2).click()
    expect(count(tab)).to_have_text("3.0 · 1 vote")

    # when they come back later
    tab.page.reload()

    # then the average is there, their star is still chosen and the tab stop, and they may undo it
    expect(count(tab)).to_have_text("3.0 · 1 vote")
    expect(head(tab)).to_have_text("")
    assert checked(tab) == ["false", "false", "true", "false", "false"]
    assert stars(tab).nth(2).get_attribute("tabindex") == "0"
    expect(tab.page.get_by_role("button", name="Undo my vote")).to_be_visible()
    assert tab.page.evaluate("document.cookie") == ""
    assert re.fullmatch(RANDOM_ID, tab.page.evaluate("localStorage.getItem('ascolto:voter')"))


def test_two_browsers_are_two_voters(live: Live, new_tab: NewTab) -> None:
    # given two visitors with their own browsers
    first, second = new_tab(), new_tab()

    # when each rates the article
    open_article(first, live)
    stars(first).nth(4).click()
    expect(count(first)).to_have_text("5.0 · 1 vote")
    open_article(second, live)
    stars(second).nth(2).click()

    # then both votes count, under two voter ids
    expect(count(second)).to_have_text("4.0 · 2 votes")
    votes, _ = export_site(live.store, "blog")
    assert len({v.voter for v in votes}) == 2
    voter = first.page.evaluate("localStorage.getItem('ascolto:voter')")
    assert voter in {v.voter for v in votes}


def test_second_allowed_origin_works(live: Live, new_tab: NewTab) -> None:
    # given the same article served from the site's other allowed origin
    tab = new_tab()
    open_article(tab, live, server=live.other)

    # when a reader rates it
    stars(tab).nth(4).click()

    # then the vote counts
    expect(count(tab)).to_have_text("5.0 · 1 vote")
    assert live.store.summary("blog", ARTICLE).count == 1
    assert tab.errors == []


def test_origin_not_on_allowlist_tells_the_owner_and_promises_no_retry(live: Live, new_tab: NewTab) -> None:
    # given the article on an origin the site does not allow, with a vote queued there earlier
    tab = new_tab()
    tab.page.add_init_script("localStorage.setItem('ascolto:pending:blog', "
                             "JSON.stringify([{article: '/old', rating: 5, voter: '1', request_id: '2'}]))")
    tab.page.goto(live.stranger.url("article.html"))

    # when the widget loads, the console names the origin, the site and the fix
    expect(stars(tab)).to_have_count(5)
    message = (f'[ascolto] origin {live.stranger.origin} is not allowed for site "blog": '
               f"add it with --origin {live.stranger.origin} to the site on your ascolto server")
    tab.page.wait_for_function("localStorage.getItem('ascolto:pending:blog') === null")
    assert message in tab.warnings
    assert tab.warnings.count(message) == 1

    # and when the reader even tries to vote, the card says it failed without promising a retry
    stars(tab).nth(0).click()
    expect(head(tab)).to_have_text("Could not send.")
    expect(count(tab)).to_have_text("")
    assert tab.page.evaluate("localStorage.getItem('ascolto:pending:blog')") is None
    assert tab.errors == []

    # and the API's 403 is readable by any page (a non-secret body), never with credentials
    request = urllib.request.Request(f"{live.api.origin}/v1/sites/blog/summary?article=%2F",
                                     headers={"Origin": live.stranger.origin})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403
    assert refused.value.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in refused.value.headers
    assert json.loads(refused.value.read())["code"] == "origin_not_allowed"
    assert live.store.summary("blog", ARTICLE).count == 0


def test_network_failure_queues_the_vote_and_a_later_view_resends_it(live: Live, new_tab: NewTab) -> None:
    # given a reader whose vote request fails on the network
    tab = new_tab()
    page = tab.page
    page.route("**/v1/sites/blog/votes", lambda route: route.abort())
    open_article(tab, live)
    stars(tab).nth(4).click()

    # then the widget says it will retry, keeps the vote and still shows the chosen star
    expect(head(tab)).to_have_text("Could not send. We'll retry.")
    pending = json.loads(page.evaluate("localStorage.getItem('ascolto:pending:blog')"))
    assert [(p["article"], p["rating"]) for p in pending] == [(ARTICLE, 5)]
    assert checked(tab)[4] == "true"
    assert live.store.summary("blog", ARTICLE).count == 0
    assert tab.errors == []

    # when the network is back and the reader views a page again
    page.unroute("**/v1/sites/blog/votes")
    votes: list[dict[str, Any]] = []
    page.on("request", lambda r: r.method == "POST" and "/votes" in r.url and votes.append(r.post_data_json))
    page.reload()

    # then the queued vote is sent once, with its request id and its first page view's dwell, and counts
    expect(count(tab)).to_have_text("5.0 · 1 vote")
    assert [(v["request_id"], v["dwell_ms"]) for v in votes] == [(pending[0]["request_id"], pending[0]["dwell_ms"])]
    assert page.evaluate("localStorage.getItem('ascolto:pending:blog')") == "[]"
    assert live.store.summary("blog", ARTICLE).count == 1
    assert checked(tab)[4] == "true"


def test_store_unavailable_keeps_the_vote_and_it_counts_exactly_once(live: Live, new_tab: NewTab,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # given a store that is throttled for the reader's first vote (the API answers 503 + Retry-After)
    from ascolto.errors import Unavailable

    real = live.store.write_vote
    calls: list[int] = []

    def throttled_once(write: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise Unavailable("throttled", retry_after=2)
        return real(write)

    monkeypatch.setattr(live.store, "write_vote", throttled_once)
    tab = new_tab()
    page = tab.page
    statuses: list[int] = []
    page.on("response", lambda r: "/votes" in r.url and r.request.method == "POST" and statuses.append(r.status))
    open_article(tab, live)
    stars(tab).nth(3).click()

    # then the widget keeps the vote queued and says it will retry
    expect(head(tab)).to_have_text("Could not send. We'll retry.")
    assert statuses == [503]
    assert live.store.summary("blog", ARTICLE).count == 0

    # when the reader views a page again, the vote is resent, and a further view sends nothing
    page.reload()
    expect(count(tab)).to_have_text("4.0 · 1 vote")
    page.reload()
    expect(count(tab)).to_have_text("4.0 · 1 vote")

    # then it counted exactly once
    assert statuses == [503, 200]
    assert live.store.summary("blog", ARTICLE).count == 1
    assert tab.errors == []


def test_summary_is_fetched_once_and_only_near_the_viewport(live: Live, new_tab: NewTab) -> None:
    # given a long page with the widget far below the fold (no placeholder: it renders at the script)
    tab = new_tab(viewport={"width": 1000, "height": 700})
    page = tab.page
    requests: list[str] = []
    page.on("request", lambda r: r.url.startswith(live.api.origin + "/v1/") and requests.append(r.url))

    # when the page loads, nothing is asked of the API
    page.goto(live.pages.url("tall.html"))
    expect(stars(tab)).to_have_count(5)
    page.wait_for_timeout(700)
    assert requests == []
    host = page.locator("script[data-site] + div")
    assert host.evaluate("e => parseFloat(getComputedStyle(e).minHeight)") > 0

    # when the reader scrolls down to it, and up and down again
    host.scroll_into_view_if_needed()
    expect(count(tab)).to_have_text("No votes yet")
    page.evaluate("scrollTo(0, 0)")
    page.wait_for_timeout(200)
    host.scroll_into_view_if_needed()
    page.wait_for_timeout(300)

    # then the summary was fetched exactly once
    assert requests == [f"{live.api.origin}/v1/sites/blog/summary?article=%2Ftall.html"]


def test_without_intersection_observer_the_summary_loads_at_once(live: Live, new_tab: NewTab) -> None:
    # given a browser without IntersectionObserver and the widget far below the fold
    tab = new_tab()
    tab.page.add_init_script("delete window.IntersectionObserver")

    # when the page loads
    tab.page.goto(live.pages.url("tall.html"))

    # then the numbers load without any scrolling
    expect(count(tab)).to_have_text("No votes yet")
    assert tab.page.evaluate("scrollY") == 0
    assert tab.errors == []


def test_blocked_storage_still_votes(live: Live, new_tab: NewTab) -> None:
    # given a browser where localStorage throws (a strict privacy mode)
    tab = new_tab()
    tab.page.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied') }})")
    open_article(tab, live)

    # when the reader votes
    stars(tab).nth(3).click()

    # then the vote counts and nothing was thrown at the page
    expect(count(tab)).to_have_text("4.0 · 1 vote")
    assert live.store.summary("blog", ARTICLE).count == 1
    assert tab.errors == []


def test_italian(live: Live, new_tab: NewTab) -> None:
    # given an Italian page (html lang="it-IT") with an explicit article id and two votes
    tab = new_tab()
    open_article(tab, live, page="italiano.html")
    expect(count(tab)).to_have_text("Ancora nessun voto")
    stars(tab).nth(4).click()
    expect(count(tab)).to_have_text("5,0 · 1 voto")
    other = new_tab()
    italian_loaded: list[str] = []
    other.page.on("request", lambda r: "/static/it." in r.url and italian_loaded.append(r.url))
    open_article(other, live, page="italiano.html")

    # when a second reader votes 4
    stars(other).nth(3).click()

    # then the strings and the decimal comma are Italian (the Italian strings are a chunk of their own)
    expect(count(other)).to_have_text("4,5 · 2 voti")
    assert italian_loaded == [f"{live.api.origin}{assets()['it.js'].path}"]
    expect(head(other)).to_have_text("Grazie per il tuo voto!")
    assert stars(other).nth(0).get_attribute("aria-label") == "1 stella"
    assert stars(other).nth(4).get_attribute("aria-label") == "5 stelle"
    assert live.store.summary("blog", "pane-lento").count == 2


def test_italian_strings_that_fail_to_load_leave_an_english_card(live: Live, new_tab: NewTab) -> None:
    # given an Italian page whose browser cannot fetch the Italian strings
    tab = new_tab()
    tab.page.route("**/static/it.*", lambda route: route.abort())

    # when the page loads
    open_article(tab, live, page="italiano.html")

    # then the card still renders, in English (and says so), and the page saw no error
    expect(count(tab)).to_have_text("No votes yet")
    assert tab.page.locator("[data-ascolto]").evaluate("h => h.shadowRoot.firstChild.lang") == "en"
    assert tab.errors == []
    assert any(w.startswith("[ascolto]") for w in tab.warnings)


def test_hostile_strings_stay_text(live: Live, new_tab: NewTab) -> None:
    # given a page whose title, article id and text overrides carry markup and scripts
    tab = new_tab()
    page = tab.page
    page.goto(live.pages.url("xss.html"))
    expect(count(tab)).not_to_be_empty()

    # when the reader rates low and the feedback form (with a hostile label) appears
    stars(tab).nth(0).click()
    tell_us_more(tab)
    expect(page.locator("form")).to_be_visible()
    page.locator("form button").hover()
    page.wait_for_timeout(300)

    # then no script ran, no element was injected, and the strings show as plain text
    assert page.evaluate("window.__xss") is None
    shadow_tags = page.evaluate(
        "[...document.querySelector('[data-ascolto]').shadowRoot.querySelectorAll('*')].map(e => e.localName)")
    assert set(shadow_tags) <= {"div", "b", "p", "span", "i", "output", "input", "form", "label",
                                 "textarea", "button"}
    assert page.locator("form label").first.inner_text().startswith('<iframe srcdoc="')
    assert page.locator("[role=radio]").first.get_attribute("aria-label") == (
        '1 "><img src=x onerror="window.__xss=\'star\'">')
    assert page.locator("form button").inner_text() == "<b onmouseover=\"window.__xss='send'\">Send</b>"
    votes, _ = export_site(live.store, "blog")
    assert votes[0].title == "<img src=x onerror=\"window.__xss='data-title'\">"
    assert votes[0].article == "/xss/<script>window.__xss='article'</script>"
    assert tab.errors == []


def _seed(live: Live, ratings: list[int], article: str = ARTICLE) -> None:
    """Record votes of other readers straight into the store."""
    now = datetime.now(UTC)
    for i, rating in enumerate(ratings):
        cast_vote(live.store, live.site, {"article": article, "voter": f"seed-voter-{i:04d}",
                                          "rating": rating, "url": "", "title": ""}, now)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(live: Live, new_tab: NewTab, tmp_path: Path, scheme: str) -> None:
    """Write docs/widget*.png when ASCOLTO_SCREENSHOTS=1 (else into tmp_path)."""
    # given an article with 22 votes, in the light or the dark scheme
    _seed(live, [5] * 15 + [4] * 5 + [3] * 2)
    live.store.put_site(replace(live.site, low_threshold=4))
    tab = new_tab(color_scheme=scheme, viewport={"width": 720, "height": 600}, device_scale_factor=1)
    open_article(tab, live)
    expect(count(tab)).to_have_text("4.6 · 22 votes")

    # when a reader rates it 4 (the form shows, since this site asks at 4 and below)
    stars(tab).nth(3).click()
    tell_us_more(tab)
    expect(tab.page.locator("form")).to_be_visible()
    tab.page.locator("textarea").fill("More about the flour, please.")
    tab.page.keyboard.press("Shift+Tab")  # back to "Undo my vote": the keyboard focus ring shows

    # then the page shows the card
    out = DOCS if os.environ.get("ASCOLTO_SCREENSHOTS") == "1" else tmp_path
    out.mkdir(exist_ok=True)
    path = out / ("widget.png" if scheme == "light" else "widget-dark.png")
    tab.page.locator("main").screenshot(path=str(path))
    assert path.stat().st_size > 0


def test_a_reader_who_only_reads_loads_the_card_only(live: Live, new_tab: NewTab) -> None:
    # given a reader who scrolls to the widget and reads the numbers
    tab = new_tab()
    loaded: list[str] = []
    tab.page.on("request", lambda r: "/static/" in r.url and loaded.append(r.url))
    open_article(tab, live)
    tab.page.wait_for_timeout(300)

    # then the page fetched the card and nothing else of ours
    assert loaded == [f"{live.api.origin}/static/widget.{widget_asset().version}.js"]
