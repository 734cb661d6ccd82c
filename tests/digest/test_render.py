"""Rendering: multipart text + HTML, headers, size budget, and hostile reader text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import SMTP, default
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ascolto.digest.links import read_owner_token
from ascolto.digest.render import compose, render
from ascolto.digest.report import build_report
from ascolto.settings import Settings
from tests.conftest import make_site
from tests.digest.helpers import DAY, at, feedback, site_day, vote

SITE = make_site()
NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
    "</textarea><iframe src=//evil.example>",
    "{{ 7*7 }} {% raw %}",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<style>body{display:none}</style>",
]
HEADER_INJECTION = [
    "x\r\nBcc: victim@example.com",
    "x\nX-Injected: yes",
    "x\rSubject: phish",
    "x\u2028Bcc: sep@example.com",
    "x\u2029X-Injected: para",
    "x\x85X-Injected: nel",
    "=?utf-8?q?X-Injected=3A_yes?=",
]
PAYLOADS = XSS + HEADER_INJECTION

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "div", "table", "tr", "td", "span", "a", "h1",
                "h2", "p", "br"}
ALLOWED_ATTRS = {"lang", "charset", "name", "content", "style", "role", "width", "cellpadding", "cellspacing",
                 "border", "align", "valign", "class", "href"}


class Audit(HTMLParser):
    """Collect every tag, attribute and link of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attrs.add(name)
            if name == "href":
                self.links.append(value or "")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, secret="test-secret", public_url="https://ratings.example.org",
                    mail_from="digest@ratings.example.org")


def hostile_report():
    events = []
    for i, payload in enumerate(PAYLOADS):
        article = f"/p{i}{payload}"
        events.append(vote(SITE, article, f"v{i}", 1 + i % 5, at(SITE, DAY, 9, i), title=payload,
                           url=payload if i % 2 else f"https://blog.example.org/p{i}"))
        events.append(feedback(SITE, article, f"v{i}", 1 + i % 5, f"{payload}\nsecond line {payload}",
                               at(SITE, DAY, 10, i), email=payload if i % 3 else f"r{i}@example.com{payload}",
                               title=payload))
    events.append(vote(SITE, "/plain", "w", 2, at(SITE, DAY, 11)))
    events.append(feedback(SITE, "/plain", "w", 2, "ok", at(SITE, DAY, 11, 1), email="ok@example.com"))
    return build_report([site_day(events)], owner_email="owner@example.org", language="en", day=DAY)


def test_message_is_multipart_with_unsubscribe_headers(settings: Settings) -> None:
    report = build_report([site_day([vote(SITE, "/a", "v1", 4, at(SITE, DAY, 9))])],
                          owner_email="owner@example.org", language="en", day=DAY)
    message = compose(report, render(report, settings), settings, NOW)
    parsed = message_from_bytes(message.as_bytes(policy=SMTP), policy=default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["From"] == "digest@ratings.example.org" and parsed["To"] == "owner@example.org"
    assert parsed["Date"] == "Fri, 20 Nov 2026 06:00:00 +0000"
    assert parsed["Message-ID"].endswith("@ratings.example.org>")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = parsed["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://ratings.example.org/owner/") and url.endswith("/unsubscribe")
    assert read_owner_token("test-secret", url.split("/")[-2]) == "owner@example.org"
    assert read_owner_token("other-secret", url.split("/")[-2]) is None
    assert parsed["Subject"] == "A blog, 19 November: nothing to do, 1 vote"


def test_italian_digest(settings: Settings) -> None:
    events = [vote(SITE, "/a", f"v{i}", r, at(SITE, DAY, 9, i)) for i, r in enumerate((4, 5, 4))]
    report = build_report([site_day(events)], owner_email="owner@example.org", language="it", day=DAY)
    rendered = render(report, settings)
    assert rendered.subject == "A blog, 19 novembre: niente da fare, 3 voti"
    assert "giovedì 19 novembre 2026" in rendered.html and "4,3" in rendered.html
    assert "I tuoi lettori ieri" in rendered.text and "Media: 4,3" in rendered.text
    assert 'lang="it"' in rendered.html


def test_hostile_reader_text_is_escaped_everywhere(settings: Settings) -> None:
    report = hostile_report()
    rendered = render(report, settings)
    html = rendered.html
    lowered = html.lower()
    for needle in ("<script", "<img", "<svg", "<iframe", "<style>body", "href=\"javascript", "<a href=\"java"):
        assert needle not in lowered, needle  # as text they appear escaped: &lt;script&gt;
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html  # template syntax in reader text is text, not code
    audit = Audit()
    audit.feed(html)
    assert audit.tags <= ALLOWED_TAGS
    assert audit.attrs <= ALLOWED_ATTRS
    for link in audit.links:
        assert link.startswith(("https://blog.example.org/", "https://ratings.example.org/owner/", "mailto:")), link
        assert "&amp;" not in link
        assert not any(c.isspace() or c in "<>\"'" for c in link), link
    mailtos = [link for link in audit.links if link.startswith("mailto:")]
    assert mailtos and all(link.split("?")[0] in ("mailto:ok@example.com",) or link.startswith("mailto:r")
                           for link in mailtos)


def test_no_reader_text_reaches_a_header(settings: Settings) -> None:
    report = hostile_report()
    message = compose(report, render(report, settings), settings, NOW)
    raw = message.as_bytes(policy=SMTP)
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    parsed = message_from_bytes(raw, policy=default)
    assert parsed["Bcc"] is None and parsed["X-Injected"] is None
    assert "victim@example.com" not in head and "phish" not in head
    assert set(parsed.keys()) == {"From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe",
                                  "List-Unsubscribe-Post", "Auto-Submitted", "Content-Type", "MIME-Version"}
    for part in parsed.iter_parts():
        assert part["Bcc"] is None and part["X-Injected"] is None


def test_a_huge_day_stays_under_gmail_clipping(settings: Settings) -> None:
    events = []
    long_text = ("Questo articolo è utile ma — 例えば — manca un esempio completo. " * 40)[:2000]
    for a in range(400):
        title = f"An article with a long and descriptive title, number {a}, about many things at once"
        for i in range(6):
            events.append(vote(SITE, f"/posts/{a}", f"v{a}-{i}", 1 + (a * i) % 5, at(SITE, DAY, 8, i),
                               title=title))
        events.append(feedback(SITE, f"/posts/{a}", f"v{a}-0", 1, long_text, at(SITE, DAY, 12),
                               email=f"reader{a}@example.com", title=title))
    report = build_report([site_day(events)], owner_email="owner@example.org", language="en", day=DAY)
    rendered = render(report, settings)
    size = len(rendered.html.encode())
    assert size < 100_000, size
    assert "/open" in rendered.html
    assert report.comments_shown < report.comments_total == 400


def test_rows_are_dropped_until_the_html_fits(settings: Settings) -> None:
    events = []
    for a in range(60):
        events.append(vote(SITE, f"/p{a}", f"v{a}", 1, at(SITE, DAY, 8)))
        events.append(feedback(SITE, f"/p{a}", f"v{a}", 1, "x" * 300, at(SITE, DAY, 9)))
    report = build_report([site_day(events)], owner_email="owner@example.org", language="en", day=DAY)
    assert len(report.attention) == 20 and 40 <= report.comments_shown < 60
    rendered = render(report, settings, max_bytes=40_000)
    assert len(rendered.html.encode()) <= 40_000
    assert "of 60 comments shown" in rendered.html


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_star_colours_have_3_to_1_contrast_in_light_and_dark() -> None:
    from ascolto.digest.render import BAR_COLOURS, DARK_COLOURS

    assert min(contrast(c, "#ffffff") for c in BAR_COLOURS) >= 3.0
    assert min(contrast(c, "#1b1f24") for c in DARK_COLOURS) >= 3.0


def test_layout_headings_ratings_dark_mode_and_no_hidden_text(settings: Settings) -> None:
    events = [vote(SITE, "/a", f"v{i}", 2, at(SITE, DAY, 9, i)) for i in range(4)]
    events.append(feedback(SITE, "/a", "v0", 2, "Which step is wrong?", at(SITE, DAY, 10), id="f1"))
    report = build_report([site_day(events)], owner_email="owner@example.org", language="en", day=DAY)
    html = render(report, settings).html
    audit = Audit()
    audit.feed(html)
    assert html.count("<h2") >= 1 and "<h1" in html
    assert "2/5" in html
    assert "@media (prefers-color-scheme: dark)" in html and 'content="light dark"' in html
    assert "display:none" not in html.replace(" ", "")  # no hidden preheader
    assert "opacity:0" not in html.replace(" ", "")


def test_first_line_and_subject_state_the_work(settings: Settings) -> None:
    events = [vote(SITE, "/steak", f"v{i}", 2, at(SITE, DAY, 9, i), title="Sous-vide steak") for i in range(4)]
    events += [feedback(SITE, "/steak", f"v{i}", 2, f"Step {i} is wrong?", at(SITE, DAY, 10, i), id=f"f{i}",
                        title="Sous-vide steak") for i in range(3)]
    report = build_report([site_day(events)], owner_email="owner@example.org", language="en", day=DAY)
    rendered = render(report, settings)
    assert rendered.subject == "A blog, 19 November: 1 article needs you, 3 comments to read"
    assert rendered.text.split("\n\n")[1].startswith(
        "1 article needs you today: Sous-vide steak (fell" if False else "1 article needs you today: Sous-vide steak (")
    assert "3 readers report a problem" in rendered.text
    first_text = rendered.html.index("1 article needs you today")
    assert first_text < rendered.html.index("<h2")  # the work comes before any section


def test_international_addresses_are_shown_and_get_a_reply(settings: Settings) -> None:
    long_text = "The oven temperature in step 4 is wrong, " * 20
    events = [vote(SITE, "/a", "v1", 2, at(SITE, DAY, 9)),
              feedback(SITE, "/a", "v1", 2, long_text, at(SITE, DAY, 10), email="josé@exämple.com", id="f1")]
    report = build_report([site_day(events)], owner_email="owner@example.org", language="en", day=DAY)
    [c] = report.attention[0].comments
    assert c.email == "josé@exämple.com"
    assert c.reply.startswith("mailto:jos%C3%A9@xn--exmple-cua.com?subject=")
    body = c.reply.split("&body=")[1]
    assert "%0D%0A" in body and "%0A%3E" not in body.replace("%0D%0A", "")  # RFC 6068: CRLF only
    assert "%E2%80%A6" in body  # the cut quote ends with "…"
    assert "https%3A%2F%2Fblog.example.org%2Fa" in body  # the article's link
    rendered = render(report, settings)
    assert "josé@exämple.com" in rendered.html
    assert "Reply to josé@exämple.com: mailto:jos%C3%A9@xn--exmple-cua.com" in rendered.text
    assert "Mark handled: https://ratings.example.org/owner/" in rendered.text
    assert "/act?do=handled&site=blog&item=f1" in rendered.text


def test_a_neutral_change_is_plus_minus_zero(settings: Settings) -> None:
    previous = [vote(SITE, "/a", f"p{i}", 4 + (i % 2), at(SITE, DAY - timedelta(days=1 + i % 7), 12))
                for i in range(20)]
    today = [vote(SITE, "/a", f"t{i}", 4 + (i % 2), at(SITE, DAY, 12, i)) for i in range(6)]
    report = build_report([site_day(today, previous)], owner_email="owner@example.org", language="en", day=DAY)
    html = render(report, settings).html
    assert "±0.0 vs the week before" in html and "−0.0" not in html


def test_italian_reads_as_written_by_an_italian(settings: Settings) -> None:
    from ascolto.digest.i18n import STRINGS, Words

    w = Words("it")
    assert f'{w.percent(0.24)} {w("vs_week", value=w.decimal(45.1))}' == "+24% rispetto alla media dei 7 giorni (45,1)"
    assert f'{w.signed(-0.6)} {w("vs_week_avg", value=w.decimal(4.1))}' == "−0,6 rispetto alla settimana scorsa (4,1)"
    assert w("hour_label", zone="Europe/Rome") == "Ora di invio (fuso orario Europe/Rome)"
    every = " ".join(STRINGS["it"].values()).lower()
    for calque in ("raffiche", "posto molto visto", "sulla settimana", "media 7 giorni"):
        assert calque not in every, calque
    previous = [vote(SITE, "/a", f"p{i}", 5, at(SITE, DAY - timedelta(days=1 + i % 7), 12)) for i in range(14)]
    today = [vote(SITE, "/a", f"t{i}", 3, at(SITE, DAY, 12, i)) for i in range(4)]
    report = build_report([site_day(today, previous)], owner_email="owner@example.org", language="it", day=DAY)
    text = render(report, settings).text
    assert "Oggi c'è un articolo da rivedere: Title /a (in calo di 2,0 punti tra 4 lettori)." in text
    assert "((" not in text and "))" not in text
