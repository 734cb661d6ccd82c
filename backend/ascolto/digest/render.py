"""Render a report to text and HTML (Jinja2, autoescaped) and compose the multipart email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from ascolto.digest.i18n import Words
from ascolto.digest.links import action_url, settings_url, todo_url, unsubscribe_url
from ascolto.digest.report import Report, shrink
from ascolto.mail.base import BODY
from ascolto.settings import Settings

MAX_HTML_BYTES = 100_000  # Gmail clips messages over 102 KB
# Bars and stars, 1 to 5. Each has at least 3:1 contrast on white (WCAG 1.4.11; tests check it);
# DARK_COLOURS are the same hues for the dark scheme, at least 3:1 on its card colour #1b1f24.
BAR_COLOURS = ("#c0392b", "#b85a14", "#8c6d00", "#4f7f2a", "#2e7a50")
DARK_COLOURS = ("#ff8a7a", "#f0a35e", "#e2c04a", "#9fd37a", "#6fcf9b")
LIST_TITLES = 3  # titles named in the first line


@dataclass(frozen=True)
class RenderedDigest:
    """A digest ready to send."""

    subject: str
    text: str
    html: str


@cache
def environment() -> Environment:
    """Return the Jinja2 environment; HTML templates are autoescaped, text ones are not."""
    env = Environment(
        loader=PackageLoader("ascolto", "digest/templates"),
        autoescape=lambda name: bool(name and name.endswith(".html")),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.globals["bar_colours"] = BAR_COLOURS
    env.globals["dark_colours"] = DARK_COLOURS
    env.filters["percent_of"] = lambda n, total: round(100 * n / total) if total else 0
    return env


def one_line(text: str) -> str:
    """Return text fit for a header: no control or line-separator characters."""
    return " ".join("".join(" " if ord(c) < 32 or c in "\u2028\u2029\x85\x7f" else c for c in text).split())


def work(report: Report) -> list[str]:
    """Return what the owner has to do, in counted phrases (the subject's signal)."""
    w = Words(report.language)
    comments = report.comments_total
    parts = []
    if report.attention_total:
        parts.append(w.count("work_attention", report.attention_total))
    if comments:
        parts.append(w.count("work_comments", comments))
    if report.still_open_total:
        parts.append(w.count("work_open", sum(s.comments for s in report.still_open)))
    held = report.headline.held_comments + report.headline.held_votes
    if held:
        parts.append(w.count("work_held", held))
    return parts


def subject(report: Report) -> str:
    """Return the subject: site names (owner's own words), the day and the work, never reader text."""
    w = Words(report.language)
    sites = one_line(", ".join(s.name for s in report.sites))[:80]
    return w("subject", sites=sites, day=w.short_day(report.day), work=", ".join(work(report))
             or w("work_none", votes=w.count("vote", report.headline.votes)))


def lead(report: Report) -> str:
    """Return the email's first line: which articles need the owner, and why."""
    w = Words(report.language)
    if not report.attention:
        return w("lead_none")
    named = [f"{r.title} ({'; '.join(r.why)})" if r.why else r.title for r in report.attention[:LIST_TITLES]]
    if report.attention_total > LIST_TITLES:
        named.append("…")
    key = "lead_attention_one" if report.attention_total == 1 else "lead_attention_many"
    return w(key, n=w.integer(report.attention_total), list="; ".join(named))


def render(report: Report, settings: Settings, max_bytes: int = MAX_HTML_BYTES) -> RenderedDigest:
    """Render the report's text and HTML parts, listing fewer rows until the HTML fits max_bytes."""
    rendered = _render(report, settings)
    while len(rendered.html.encode()) > max_bytes:
        smaller = shrink(report)
        if smaller is None:
            break
        report = smaller
        rendered = _render(report, settings)
    return rendered


def links(report: Report, settings: Settings) -> dict[str, Any]:
    """Return the owner links of a report, signed with the owner's current link version."""
    args = (settings.public_url, settings.secret, report.owner_email, report.link_version)
    base = settings_url(*args)
    return {
        "settings_url": base, "unsubscribe_url": unsubscribe_url(*args), "todo_url": todo_url(*args),
        "act": lambda do, site, item: action_url(base, do, site, item),
    }


def _render(report: Report, settings: Settings) -> RenderedDigest:
    w = Words(report.language)
    title = (w("title_day", day=w.short_day(report.day)) if report.relative == "day"
             else w(f"title_{report.relative}"))
    context = {
        "r": report, "w": w, "h": report.headline, "title": title, "lead": lead(report),
        "site_names": ", ".join(s.name for s in report.sites), "many_sites": len(report.sites) > 1,
        **links(report, settings),
    }
    env = environment()
    return RenderedDigest(
        subject=subject(report),
        text=env.get_template("digest.txt").render(context),
        html=env.get_template("digest.html").render(context),
    )


def compose(report: Report, rendered: RenderedDigest, settings: Settings, now: datetime) -> EmailMessage:
    """Build the multipart/alternative message with the unsubscribe, Date and Message-ID headers."""
    domain = urlsplit(settings.public_url).hostname or "localhost"
    message = EmailMessage(policy=BODY)
    message["From"] = settings.mail_from
    message["To"] = report.owner_email
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("digest", domain=domain)
    message["List-Unsubscribe"] = f"<{links(report, settings)['unsubscribe_url']}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
