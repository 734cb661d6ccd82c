"""The widget on pages made the way site owners make them: strict CSP, several cards, SPAs, hostile markup, layout."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ascolto.snippet import snippet
from ascolto.voting import cast_vote, export_site

from .conftest import FIXTURES, Live, Tab, sync_api
from .test_widget import ARTICLE, _seed, count, head, open_article, stars, tell_us_more

expect = sync_api.expect
NewTab = Callable[..., Tab]

# Collects the page's CSP violations (init scripts run before the page and are exempt from its policy).
WATCH_CSP = ("window.__violations = []; document.addEventListener('securitypolicyviolation', "
             "e => __violations.push(e.violatedDirective + ' ' + e.blockedURI))")


def host(tab: Tab, index: int = 0) -> Any:
    """Return the index-th element that carries a card (a shadow root)."""
    return tab.page.locator("[data-ascolto], script + div").nth(index)


def glyph(star: Any) -> str:
    """Return the glyph a star shows (its ::before content)."""
    return star.evaluate("e => getComputedStyle(e, '::before').content")


def rgb(css: str) -> tuple[float, ...]:
    """Parse a computed rgb()/rgba() colour."""
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def luminance(colour: tuple[float, ...]) -> float:
    """Return the WCAG relative luminance of an sRGB colour."""
    lin = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two computed colours."""
    high, low = sorted((luminance(rgb(a)), luminance(rgb(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def page_background(tab: Tab) -> str:
    """Return the page's computed background (body, else html, else the canvas white)."""
    return tab.page.evaluate("""() => {
        for (const e of [document.body, document.documentElement]) {
            const c = getComputedStyle(e).backgroundColor;
            if (c !== 'rgba(0, 0, 0, 0)') return c;
        }
        return 'rgb(255, 255, 255)';
    }""")


def test_strict_csp_styles_apply_without_violations(live: Live, new_tab: NewTab) -> None:
    # given a page served with style-src 'self' and require-trusted-types-for 'script'
    tab = new_tab()
    tab.page.add_init_script(WATCH_CSP)
    open_article(tab, live, page="csp-article.html")

    # when a reader votes low and opens the feedback form (a lazily imported chunk)
    stars(tab).nth(1).click()
    tell_us_more(tab)
    expect(tab.page.locator("form")).to_be_visible()

    # then the card is styled (stars at 1.5em, chosen ones filled), and the policy saw no violation
    star_size = stars(tab).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert star_size == 1.5 * 18
    assert glyph(stars(tab).nth(1)) != glyph(stars(tab).nth(2))
    assert tab.page.locator("form button").evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    assert tab.page.evaluate("__violations") == []
    assert tab.errors == []


def test_three_cards_on_an_index_page_render_in_their_placeholders(live: Live, new_tab: NewTab) -> None:
    # given an index page with three placeholders that name their articles and three snippets in the footer
    tab = new_tab()
    tab.page.goto(live.pages.url("three.html"))

    # when the cards load
    expect(count(tab)).to_have_text(["No votes yet"] * 3)

    # then each renders in its own placeholder, and nothing lands after the scripts
    placeholders = tab.page.locator("[data-ascolto]")
    assert placeholders.evaluate_all("ps => ps.map(p => !!p.shadowRoot)") == [True, True, True]
    assert tab.page.locator("script + div").count() == 0

    # and when the reader rates two of them, they are one voter, and each article has its own numbers
    stars(tab).nth(4).click()
    expect(count(tab).nth(0)).to_have_text("5.0 · 1 vote")
    stars(tab).nth(5 + 1).click()
    expect(count(tab).nth(1)).to_have_text("2.0 · 1 vote")
    votes, _ = export_site(live.store, "blog")
    assert sorted(v.article for v in votes) == ["/posts/first", "/posts/second"]
    assert len({v.voter for v in votes}) == 1
    assert tab.errors == []


def test_cards_merge_their_queued_votes(live: Live, new_tab: NewTab) -> None:
    # given an index page while the network refuses every vote
    tab = new_tab()
    tab.page.route("**/v1/sites/blog/votes", lambda route: route.abort())
    tab.page.goto(live.pages.url("three.html"))
    expect(count(tab)).to_have_text(["No votes yet"] * 3)

    # when the reader rates two articles
    stars(tab).nth(4).click()
    expect(head(tab).nth(0)).to_have_text("Could not send. We'll retry.")
    stars(tab).nth(10 + 2).click()
    expect(head(tab).nth(2)).to_have_text("Could not send. We'll retry.")

    # then both votes are queued, and a later view sends both
    pending = tab.page.evaluate("JSON.parse(localStorage.getItem('ascolto:pending:blog'))")
    assert sorted((p["article"], p["rating"]) for p in pending) == [("/posts/first", 5), ("/posts/third", 3)]
    tab.page.unroute("**/v1/sites/blog/votes")
    tab.page.reload()
    expect(count(tab).nth(2)).to_have_text("3.0 · 1 vote")
    assert live.store.summary("blog", "/posts/first").count == 1


def test_snippet_pasted_twice_renders_once(live: Live, new_tab: NewTab) -> None:
    # given a page where the theme pasted the snippet twice
    tab = new_tab()
    summaries: list[str] = []
    tab.page.on("request", lambda r: "/summary" in r.url and summaries.append(r.url))
    tab.page.goto(live.pages.url("twice.html"))

    # when the card loads
    expect(count(tab)).to_have_text("No votes yet")

    # then there is one card, in the first placeholder, and one summary request
    assert tab.page.locator("[data-ascolto]").evaluate_all("ps => ps.map(p => !!p.shadowRoot)") == [True, False]
    expect(stars(tab)).to_have_count(5)
    assert len(summaries) == 1
    assert tab.errors == []


def test_client_side_navigation_mounts_the_card_again(live: Live, new_tab: NewTab) -> None:
    # given a single-page app that swaps its content without reloading the script
    tab = new_tab()
    tab.page.goto(live.pages.url("spa.html"))
    expect(count(tab)).to_have_text("No votes yet")
    assert tab.page.evaluate("typeof window.ascolto.mount") == "function"

    # when the reader follows a link the router handles
    tab.page.click("#next")
    expect(tab.page.locator("h1")).to_have_text("Second page")

    # then the new page's placeholder shows a card for the new article, and a vote counts for it
    expect(count(tab)).to_have_text("No votes yet")
    stars(tab).nth(3).click()
    expect(count(tab)).to_have_text("4.0 · 1 vote")
    assert live.store.summary("blog", "/docs/second").count == 1
    assert live.store.summary("blog", "/docs/first").count == 0

    # and mount() by hand, as the README's examples call it, changes nothing
    tab.page.evaluate("window.ascolto.mount()")
    expect(stars(tab)).to_have_count(5)
    assert tab.errors == []


def test_forced_colors_show_which_stars_are_chosen(live: Live, new_tab: NewTab) -> None:
    # given a reader in Windows High Contrast mode
    tab = new_tab()
    tab.page.emulate_media(forced_colors="active")
    open_article(tab, live)

    # when they choose three stars
    stars(tab).nth(2).click()
    expect(count(tab)).to_have_text("3.0 · 1 vote")
    tab.page.mouse.move(0, 0)

    # then every star has the one forced colour, yet chosen stars are filled and the others outlined
    colours = {stars(tab).nth(i).evaluate("e => getComputedStyle(e).color") for i in range(5)}
    assert len(colours) == 1
    glyphs = [glyph(stars(tab).nth(i)) for i in range(5)]
    assert glyphs[:3] == [glyphs[0]] * 3 and glyphs[3:] == [glyphs[3]] * 2 and glyphs[0] != glyphs[3]


def _star_colours(tab: Tab) -> dict[str, str]:
    """Vote 2, then hover the fourth star: return the colour of each star state."""
    stars(tab).nth(1).click()
    expect(count(tab)).not_to_have_text("No votes yet")
    tab.page.mouse.move(0, 0)
    colour = "e => getComputedStyle(e).color"
    states = {"chosen": stars(tab).nth(0).evaluate(colour), "empty": stars(tab).nth(4).evaluate(colour)}
    stars(tab).nth(3).hover()
    states["preview"] = stars(tab).nth(2).evaluate(colour)
    return states


@pytest.mark.parametrize(("page", "scheme"), [("article.html", "light"), ("article.html", "dark"),
                                              ("light.html", "dark")])
def test_every_star_state_has_3_to_1_against_the_page(live: Live, new_tab: NewTab, page: str, scheme: str) -> None:
    # given a light or a dark page, and a light page on a reader's dark system
    tab = new_tab(color_scheme=scheme)
    open_article(tab, live, page=page)

    # when the reader has voted and hovers a preview
    states = _star_colours(tab)

    # then every state's colour, computed, has at least 3:1 against the page's background
    background = page_background(tab)
    ratios = {state: round(contrast(colour, background), 2) for state, colour in states.items()}
    assert min(ratios.values()) >= 3, ratios
    # and a preview does not look like a vote
    assert states["preview"] != states["chosen"]


def test_focus_moves_to_the_thanks_after_send(live: Live, new_tab: NewTab) -> None:
    # given a reader who rated low and opened the form with the keyboard
    tab = new_tab()
    open_article(tab, live)
    stars(tab).nth(0).click()
    tab.page.get_by_role("button", name="Tell us more").press("Enter")
    expect(tab.page.locator("form")).to_be_visible()
    focused = "document.activeElement.shadowRoot?.activeElement?.localName"
    assert tab.page.evaluate(focused) == "textarea"

    # when they write, Tab to Send and press Enter
    tab.page.keyboard.type("More pictures, please.")
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Enter")

    # then the form is gone and the focus is on the thanks, inside the card, not on <body>
    expect(head(tab)).to_have_text("Thanks for your feedback!")
    expect(tab.page.locator("form")).to_have_count(0)
    assert tab.page.evaluate("document.activeElement.shadowRoot?.activeElement?.getAttribute('role')") == "status"


def test_card_language_and_the_question_read_once(live: Live, new_tab: NewTab) -> None:
    # given an Italian card on a page, and an English one
    italian, english = new_tab(), new_tab()
    open_article(italian, live, page="italiano.html")
    open_article(english, live)

    # then each card carries its language
    assert italian.page.locator("[data-ascolto]").evaluate("h => h.shadowRoot.firstChild.lang") == "it"
    assert english.page.locator("[data-ascolto]").evaluate("h => h.shadowRoot.firstChild.lang") == "en"
    # and the question is one visible element that names the stars, in no live region and no aria-label
    question = "How useful was this post?"
    shadow = english.page.locator("[data-ascolto]").evaluate("""h => ({
        text: h.shadowRoot.textContent,
        labels: [...h.shadowRoot.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label')),
        live: [...h.shadowRoot.querySelectorAll('[role=status], output')].map(e => e.textContent),
    })""")
    assert shadow["text"].count(question) == 1
    assert question not in shadow["labels"] and question not in "".join(shadow["live"])
    expect(english.page.get_by_role("radiogroup", name=question)).to_have_count(1)


def test_theme_rule_div_empty_does_not_hide_the_card(live: Live, new_tab: NewTab) -> None:
    # given a theme with "div:empty {display: none}" (a placeholder's only child is a shadow root)
    tab = new_tab()
    tab.page.goto(live.pages.url("theme.html"))

    # then the card shows
    expect(count(tab)).to_have_text("No votes yet")
    assert tab.page.locator("[data-ascolto]").bounding_box()["height"] > 0


def test_clobbering_markup_does_not_stop_votes(live: Live, new_tab: NewTab) -> None:
    # given a page whose markup clobbers document.title, currentScript, querySelector and window.ascolto
    tab = new_tab()
    tab.page.goto(live.pages.url("clobber.html"))
    expect(count(tab)).to_have_text("No votes yet")

    # when a reader votes
    stars(tab).nth(4).click()

    # then the vote is sent and counts, with the page's real title
    expect(count(tab)).to_have_text("5.0 · 1 vote")
    votes, _ = export_site(live.store, "blog")
    assert [(v.article, v.title) for v in votes] == [("/hostile", "Hostile markup")]
    assert tab.page.evaluate("typeof window.ascolto.mount") == "function"
    assert tab.errors == []


def test_arrow_keys_follow_a_right_to_left_page(live: Live, new_tab: NewTab) -> None:
    # given a right-to-left page, where the first star is the rightmost
    tab = new_tab()
    tab.page.goto(live.pages.url("rtl.html"))
    expect(count(tab)).to_have_text("No votes yet")
    first, second = (stars(tab).nth(i).bounding_box()["x"] for i in range(2))
    assert second < first

    # when the reader presses the left arrow on the first star, the focus moves to the second
    stars(tab).first.focus()
    tab.page.keyboard.press("ArrowLeft")
    focused = "document.activeElement.shadowRoot.activeElement.getAttribute('aria-label')"
    # the keys are applied by the voting chunk, which focus starts loading: wait for it, not a fixed time
    tab.page.wait_for_function(f"{focused} === '2 stars'", timeout=5000)

    # and the right arrow goes back (and wraps around)
    tab.page.keyboard.press("ArrowRight")
    tab.page.keyboard.press("ArrowRight")
    tab.page.wait_for_function(f"{focused} === '5 stars'", timeout=5000)


def test_keys_pressed_while_voting_loads_apply_in_order(live: Live, new_tab: NewTab) -> None:
    # given a keyboard reader on a slow network, on a page taller than the window: the voting chunk is held
    # until they have pressed their keys
    tab = new_tab(viewport={"width": 800, "height": 300})
    held: list[Any] = []
    tab.page.route("**/static/vote.*", lambda route: held.append(route))
    open_article(tab, live)

    # when they focus the first star (which asks for the chunk) and at once press two arrows and Space
    stars(tab).first.focus()
    while not held:
        tab.page.wait_for_timeout(50)
    scrolled = tab.page.evaluate("scrollY")
    for key in ("ArrowRight", "ArrowRight", "Space"):
        tab.page.keyboard.press(key)
    assert tab.page.evaluate("scrollY") == scrolled  # neither the arrows nor Space scrolled the page
    held[0].continue_()

    # then, once the chunk is here, the keys took effect in order: the third star is focused and chosen
    expect(count(tab)).to_have_text("3.0 · 1 vote")
    focused = "document.activeElement.shadowRoot.activeElement.getAttribute('aria-label')"
    assert tab.page.evaluate(focused) == "3 stars"
    assert [stars(tab).nth(i).get_attribute("aria-checked") for i in range(5)] == [
        "false", "false", "true", "false", "false"]
    assert tab.errors == []


def test_count_wraps_whole_at_320px(live: Live, new_tab: NewTab) -> None:
    # given an article with 23 votes on a 320px-wide screen
    _seed(live, [5] * 15 + [4] * 6 + [3] * 2)
    tab = new_tab(viewport={"width": 320, "height": 640})
    open_article(tab, live)

    # then the numbers sit on one line
    expect(count(tab)).to_have_text("4.6 · 23 votes")
    assert count(tab).evaluate("e => e.getClientRects().length") == 1


def test_stars_scale_with_the_text(live: Live, new_tab: NewTab) -> None:
    # given a page with 18px text and one with 32px text
    sizes = []
    for page in ("article.html", "big-text.html"):
        tab = new_tab()
        open_article(tab, live, page=page)
        sizes.append(stars(tab).first.evaluate("e => e.getBoundingClientRect().height"))

    # then the stars grow in proportion
    assert sizes[1] / sizes[0] == pytest.approx(32 / 18, rel=0.02)


CLS_OBSERVER = ("window.__cls = 0; new PerformanceObserver(list => { for (const e of list.getEntries()) "
                "if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true})")


def test_no_layout_shift_from_the_printed_snippet_or_a_late_answer(live: Live, new_tab: NewTab) -> None:
    # given the snippet as printed, text below it, and a slow network for votes
    placeholder = snippet(live.site, live.api.origin).splitlines()[0]
    assert placeholder in (FIXTURES / "cls.html").read_text(encoding="utf-8")
    tab = new_tab(viewport={"width": 800, "height": 900})
    tab.page.add_init_script(CLS_OBSERVER)
    tab.page.route("**/v1/sites/blog/votes", lambda route: (time.sleep(1.5), route.continue_()))
    tab.page.goto(live.pages.url("cls.html"))
    expect(count(tab)).to_have_text("No votes yet")
    below = tab.page.locator("#below").bounding_box()["y"]

    # when the reader votes low, the answer comes late, and they open the form
    stars(tab).nth(0).click()
    expect(head(tab)).to_have_text("Thanks for your vote!")
    assert tab.page.locator("#below").bounding_box()["y"] == below
    tell_us_more(tab)
    expect(tab.page.locator("form")).to_be_visible()

    # then nothing shifted that the reader did not ask for
    tab.page.wait_for_timeout(300)
    assert tab.page.evaluate("window.__cls") == 0

    # and when they come back and the numbers come late, their stars and "Undo my vote" fill in without a shift
    tab.page.route("**/v1/sites/blog/summary*", lambda route: (time.sleep(1), route.continue_()))
    tab.page.reload()
    expect(tab.page.get_by_role("button", name="Undo my vote")).to_be_visible()
    expect(count(tab)).to_have_text("1.0 · 1 vote")
    assert tab.page.locator("#below").bounding_box()["y"] == below
    tab.page.wait_for_timeout(300)
    assert tab.page.evaluate("window.__cls") == 0


def test_withdraw_a_vote(live: Live, new_tab: NewTab) -> None:
    # given a reader who rated the article (the API's withdraw route comes with the lead's backend change)
    tab = new_tab()
    open_article(tab, live)
    stars(tab).nth(3).click()
    expect(count(tab)).to_have_text("4.0 · 1 vote")

    # when they press "Undo my vote" with the keyboard
    undo = tab.page.get_by_role("button", name="Undo my vote")
    undo.focus()
    tab.page.keyboard.press("Enter")

    # then the vote is gone everywhere, the stars are clear, and the focus is back on the stars
    expect(head(tab)).to_have_text("Your vote was withdrawn.")
    expect(count(tab)).to_have_text("No votes yet")
    assert [stars(tab).nth(i).get_attribute("aria-checked") for i in range(5)] == ["false"] * 5
    expect(undo).to_be_hidden()
    assert tab.page.evaluate("document.activeElement.shadowRoot.activeElement.getAttribute('aria-label')") == "1 star"
    assert live.store.summary("blog", ARTICLE).count == 0
    tab.page.reload()
    expect(count(tab)).to_have_text("No votes yet")
    assert [stars(tab).nth(i).get_attribute("aria-checked") for i in range(5)] == ["false"] * 5


AXE = Path(__file__).resolve().parents[2] / "widget" / "node_modules" / "axe-core" / "axe.min.js"
# axe-core walks the card's open shadow root from its host.
RUN_AXE = """async host => (await axe.run(host, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}))
    .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' > ')).join(', '))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_any_state(live: Live, new_tab: NewTab, scheme: str) -> None:
    # given axe-core (from npm) in the page, in the light or the dark scheme
    if not AXE.exists():
        pytest.fail("widget/node_modules/axe-core is missing: run `npm ci --prefix widget`")
    tab = new_tab(color_scheme=scheme)
    open_article(tab, live)
    tab.page.add_script_tag(path=str(AXE))
    card = tab.page.locator("[data-ascolto]")

    # when the card is new, voted, and shows the form, then axe finds nothing in it
    found = {"initial": card.evaluate(RUN_AXE)}
    stars(tab).nth(0).click()
    expect(head(tab)).to_have_text("Thanks for your vote!")
    found["voted"] = card.evaluate(RUN_AXE)
    tell_us_more(tab)
    expect(tab.page.locator("form")).to_be_visible()
    found["form open"] = card.evaluate(RUN_AXE)
    assert found == {"initial": [], "voted": [], "form open": []}


def test_numbers_baked_into_the_page_are_the_first_paint_then_refreshed(live: Live, new_tab: NewTab) -> None:
    # given a page a site generator built with the numbers of its day (23 votes, 4.43), and a slow summary
    for n in range(2):
        cast_vote(live.store, live.site, {"article": "/posts/slow-bread", "voter": f"seed-voter-{n:04d}",
                                          "rating": 5, "title": "Notes on slow bread"}, datetime.now(UTC))
    held: list[Any] = []
    tab = new_tab(viewport={"width": 800, "height": 900})
    tab.page.add_init_script(CLS_OBSERVER)
    tab.page.route("**/v1/sites/blog/summary*", lambda route: held.append(route))
    tab.page.goto(live.pages.url("baked.html"))
    # when the card renders, before any answer from the API
    expect(count(tab)).to_have_text("4.4 · 23 votes")
    below = tab.page.locator("#below").bounding_box()["y"]
    assert held, "the card asked for fresh numbers"
    # then the fresh numbers replace the baked ones in place, with nothing shifted
    for route in held:
        route.continue_()
    expect(count(tab)).to_have_text("5.0 · 2 votes")
    assert tab.page.locator("#below").bounding_box()["y"] == below
    tab.page.wait_for_timeout(300)
    assert tab.page.evaluate("window.__cls") == 0
