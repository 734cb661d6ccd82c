"""The Notice: what a channel is told, as plain data, built from a digest report, an alert or a sample.

A Notice never holds a reader's contact email or a login-free action link. It may hold raw
reader text (`quote`) and the owner's signed page (`owner_url`); the formatters drop the first
unless the channel opted in with `text=1`, and give the second only to the signed webhook.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ascolto.digest.i18n import Words
from ascolto.notify.alerts import Alert

if TYPE_CHECKING:
    from ascolto.digest.report import Report
    from ascolto.ratings import Site

ROWS = 5  # rows a notice lists; the rest are counted in `more`
QUOTE_CHARS = 300

ALERT_WORDS = {
    "en": {
        "burst": "Burst on “{title}”: {votes} votes within {minutes} minutes",
        "burst_reason": "{votes} votes within {minutes} minutes (brigading, or a link shared somewhere big)",
        "drop": "“{title}” dropped: {recent} lately against {average} overall",
        "drop_reason": "{votes} recent ratings average {recent}, the article {average}",
        "low": "New {rating}★ rating with a comment on “{title}”",
        "low_reason": "rated {rating}/5 with a comment",
        "headline": "{sites}, {day}: {votes}, average {average} · needs you today: {attention}",
        "nothing": "{sites}, {day}: {votes}, average {average} · nothing needs you today",
        "sample": "ascolto test: this channel works",
        "sample_reason": "a sample notice from `ascolto notify test`",
    },
    "it": {
        "burst": "Raffica su “{title}”: {votes} voti in {minutes} minuti",
        "burst_reason": "{votes} voti in {minutes} minuti (uno script, o un link condiviso in un posto molto visto)",
        "drop": "“{title}” in calo: {recent} di recente contro {average} in tutto",
        "drop_reason": "{votes} voti recenti in media {recent}, l'articolo {average}",
        "low": "Nuovo voto {rating}★ con commento su “{title}”",
        "low_reason": "voto {rating}/5 con commento",
        "headline": "{sites}, {day}: {votes}, media {average} · da guardare oggi: {attention}",
        "nothing": "{sites}, {day}: {votes}, media {average} · niente da guardare oggi",
        "sample": "Prova di ascolto: questo canale funziona",
        "sample_reason": "un avviso di prova da `ascolto notify test`",
    },
}


@dataclass(frozen=True)
class NoticeRow:
    """One article the owner should look at, and why, in words."""

    title: str
    reason: str
    url: str = ""  # the article's public page, never an owner or action link
    quote: str = ""  # raw reader text: sent only to channels with text=1


@dataclass(frozen=True)
class Notice:
    """What needs the owner: a headline line and a few rows, ready for any channel."""

    kind: str  # digest | alert | test
    key: str  # the exactly-once key (each channel claims f"{key}/notify/{channel id}")
    headline: str
    rows: tuple[NoticeRow, ...] = ()
    more: int = 0  # rows not listed
    owner_url: str = ""  # the owner's signed page: only the signed webhook gets it
    day: str = ""
    sites: tuple[str, ...] = ()
    empty: bool = False  # nothing happened: claims are closed without sending
    data: dict[str, object] = field(default_factory=dict)  # numbers for the webhook's JSON

    def message_id(self, channel_id: str) -> str:
        """Return the webhook-id of this notice on a channel: the same on every retry, so receivers can dedupe."""
        return "msg_" + hashlib.sha256(f"{self.key}/{channel_id}".encode()).hexdigest()[:24]


def _words(language: str) -> dict[str, str]:
    return ALERT_WORDS.get(language, ALERT_WORDS["en"])


def notice_from_report(report: Report, key: str, owner_url: str = "", rows: int = ROWS) -> Notice:
    """Return the digest's short form: the day's line, the top attention rows with their reasons, the owner's page.

    Uses the report's attention rows (title, url, `why` in words) and, as the quote, the first
    comment shown on each that was not held back. A comment's email and reply link are never read.
    """
    words, w = Words(report.language), _words(report.language)
    listed = []
    for row in report.attention[:rows]:
        quote = next((c.text for c in row.comments if not c.held), "")
        listed.append(NoticeRow(title=row.title, reason="; ".join(row.why), url=row.url, quote=quote[:QUOTE_CHARS]))
    names = ", ".join(s.name for s in report.sites)
    template = "headline" if report.attention_total else "nothing"
    headline = w[template].format(sites=names, day=words.short_day(report.day),
                                  votes=words.count("vote", report.headline.votes),
                                  average=words.decimal(report.headline.average),
                                  attention=words.count("article", report.attention_total))
    return Notice(kind="digest", key=key, headline=headline, rows=tuple(listed),
                  more=report.attention_total - len(listed), owner_url=owner_url, day=report.day.isoformat(),
                  sites=tuple(s.id for s in report.sites), empty=report.empty,
                  data={"votes": report.headline.votes, "average": report.headline.average,
                        "feedback": report.headline.feedback, "attention": report.attention_total})


def notice_from_alert(alert: Alert, site: Site, key: str, title: str, url: str) -> Notice:
    """Return an alert's notice; `title` and `url` are the cleaned ones (see digest.report)."""
    w, words = _words(site.language), Words(site.language)
    values = dict(title=title, votes=alert.votes, minutes=alert.minutes, rating=alert.rating,
                  average=words.decimal(alert.average, 2), recent=words.decimal(alert.recent, 2))
    row = NoticeRow(title=title, reason=w[f"{alert.kind}_reason"].format(**values), url=url,
                    quote=alert.text[:QUOTE_CHARS])
    return Notice(kind="alert", key=key, headline=w[alert.kind].format(**values), rows=(row,),
                  day=alert.at.date().isoformat(), sites=(site.id,),
                  data={"alert": alert.kind, "votes": alert.votes, "minutes": alert.minutes, "rating": alert.rating,
                        "average": alert.average, "recent": alert.recent})


def sample_notice(key: str, public_url: str = "", language: str = "en") -> Notice:
    """Return the sample `ascolto notify test` sends: one made-up row, reader text included."""
    w = _words(language)
    row = NoticeRow(title="Sample <article> & *title*", reason=w["sample_reason"],
                    url=f"{public_url or 'https://example.org'}/", quote="A sample reader's comment: <b>not markup</b>")
    return Notice(kind="test", key=key, headline=w["sample"], rows=(row,), data={"test": True})
