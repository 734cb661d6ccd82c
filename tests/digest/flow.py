"""A day of traffic sent as a real digest, for the action-flow tests (Flask client and Chromium)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.message import EmailMessage
from html import unescape

from ascolto.digest.schedule import RunResult, owners, send_once
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import add_feedback, record_vote
from tests.conftest import make_site
from tests.stores.contract import feedback, vote

DAY = date(2026, 11, 19)
AT = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
SENT_AT = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


class Recorder:
    """A mailer that keeps what it sends."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> str:
        self.sent.append(message)
        return str(message["Message-ID"])


def seed(store: SqliteStore) -> None:
    """Register the blog and give it a day: low votes, two comments, one spam, three held-back votes."""
    site = make_site()
    store.put_site(site)
    for i in range(4):
        record_vote(store, vote(site, "/steak", f"reader-{i}", 2, at=AT))
    add_feedback(store, feedback(site, "/steak", "reader-0", "The table says 54 °C but the photo is well done?",
                                at=AT, email="marta@example.com"))
    add_feedback(store, feedback(site, "/steak", "reader-1", "Steps 3 and 4 contradict each other.", at=AT))
    add_feedback(store, feedback(site, "/steak", "reader-2", "Dear friend, cheap V1AGRA $$$ at pills.example.com",
                                at=AT))
    for i in range(3):
        record_vote(store, vote(site, "/pasta", f"script-{i}", 1, at=AT, quarantined=True,
                               quarantine_reason="too_fast"))


def send_digest(store: SqliteStore, settings: Settings, day: date = DAY, now: datetime = SENT_AT) -> EmailMessage:
    """Send the owner's digest of a day through a recording mailer; return the message."""
    mailer = Recorder()
    result = RunResult()
    send_once(store, mailer, settings, owners(store.list_sites())[0], day, now, result)
    assert result.sent, result.as_dict()
    return mailer.sent[0]


def html_links(message: EmailMessage, marker: str) -> list[str]:
    """Return the links of the HTML part that contain marker, in order."""
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    return [unescape(link) for link in re.findall(r'href="([^"]+)"', html) if marker in unescape(link)]
