"""Render a report to text and HTML (Jinja2, autoescaped) and compose the multipart email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import cache
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from ascolto.digest.i18n import Words
from ascolto.digest.links import settings_url, unsubscribe_url
from ascolto.digest.report import Report, shrink
from ascolto.settings import Settings

MAX_HTML_BYTES = 100_000  # Gmail clips messages over 102 KB
BAR_COLOURS = ("#c8553d", "#e0884a", "#e3bd4f", "#8dbb6a", "#3f9466")


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
    env.filters["percent_of"] = lambda n, total: round(100 * n / total) if total else 0
    return env


def one_line(text: str) -> str:
    """Return text fit for a header: no control or line-separator characters."""
    return " ".join("".join(" " if ord(c) < 32 or c in "\u2028\u2029\x85\x7f" else c for c in text).split())


def subject(report: Report) -> str:
    """Return the subject: site names (owner's own words) and numbers, never reader text."""
    w = Words(report.language)
    sites = one_line(", ".join(s.name for s in report.sites))[:80]
    if report.empty:
        return w("subject_empty", sites=sites, day=w.short_day(report.day))
    return w("subject", sites=sites, votes=w.count("vote", report.headline.votes), day=w.short_day(report.day))


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


def _render(report: Report, settings: Settings) -> RenderedDigest:
    w = Words(report.language)
    context = {
        "r": report, "w": w, "h": report.headline,
        "settings_url": settings_url(settings.public_url, settings.secret, report.owner_email),
        "unsubscribe_url": unsubscribe_url(settings.public_url, settings.secret, report.owner_email),
        "site_names": ", ".join(s.name for s in report.sites),
        "many_sites": len(report.sites) > 1,
        "first_site": report.sites[0].id if report.sites else "",
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
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = report.owner_email
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("digest", domain=domain)
    message["List-Unsubscribe"] = f"<{unsubscribe_url(settings.public_url, settings.secret, report.owner_email)}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
