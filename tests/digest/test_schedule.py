"""When digests are due, and sending each exactly once (SqliteStore, recording mailers)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from ascolto.digest.schedule import due_day, owners, run_due
from ascolto.errors import MailError
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.base import Store
from ascolto.voting import add_feedback, record_vote
from tests.conftest import make_site
from tests.stores.contract import feedback, vote

# 07:00 in Rome on Friday 20 November 2026: the digest of Thursday the 19th is due.
DUE = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
YESTERDAY = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


class Recorder:
    """A mailer that keeps what it sends, optionally slowly."""

    def __init__(self, delay: float = 0.0) -> None:
        self.sent: list[EmailMessage] = []
        self.delay = delay
        self._lock = threading.Lock()

    def send(self, message: EmailMessage) -> str:
        time.sleep(self.delay)
        with self._lock:
            self.sent.append(message)
        return str(message["Message-ID"])


class Broken:
    """A mailer whose server is down."""

    def __init__(self) -> None:
        self.attempts = 0

    def send(self, message: EmailMessage) -> str:
        self.attempts += 1
        raise MailError("SMTP failed after 4 attempts: connection refused")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, secret="test-secret", public_url="https://ratings.example.org")


@pytest.fixture
def store(any_store: Store) -> Store:
    """Each store in turn (the shared fixture in tests/conftest.py)."""
    return any_store


@pytest.fixture
def blog(store: Store) -> Site:
    site = make_site()
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 2, at=YESTERDAY))
    add_feedback(store, feedback(site, "/a", "voter-0001", "Needs an example", at=YESTERDAY + timedelta(minutes=1)))
    return site


def test_due_at_the_local_hour_of_the_first_site() -> None:
    [owner] = owners([make_site("b-site", created_at="2026-02-01"), make_site("a-site", created_at="2026-03-01",
                                                                              timezone="UTC", digest_hour=5)])
    assert owner.first.id == "b-site"
    assert due_day(owner, DUE - timedelta(minutes=1)) is None  # 06:59 in Rome
    assert due_day(owner, DUE) == date(2026, 11, 19)
    assert due_day(owner, DUE + timedelta(hours=16, minutes=59)) == date(2026, 11, 19)  # retried until midnight
    assert due_day(owner, DUE + timedelta(hours=17)) is None  # 00:00 on the 21st, before the hour


def test_a_site_west_of_the_first_delays_the_digest_until_its_day_ends() -> None:
    [owner] = owners([make_site("rome"), make_site("la", timezone="America/Los_Angeles",
                                                   created_at="2026-06-01T00:00:00+00:00")])
    assert due_day(owner, DUE) is None  # 22:00 on the 19th in Los Angeles
    assert due_day(owner, datetime(2026, 11, 20, 8, 0, tzinfo=UTC)) == date(2026, 11, 19)


def test_due_after_a_dst_change() -> None:
    [owner] = owners([make_site()])
    assert due_day(owner, datetime(2026, 10, 26, 5, 59, tzinfo=UTC)) is None  # 06:59 CET
    assert due_day(owner, datetime(2026, 10, 26, 6, 0, tzinfo=UTC)) == date(2026, 10, 25)
    assert due_day(owner, datetime(2026, 3, 30, 5, 0, tzinfo=UTC)) == date(2026, 3, 29)  # 07:00 CEST


def test_owners_are_grouped_case_insensitively_and_disabled_sites_left_out() -> None:
    sites = [make_site("a1", owner_email="Ann@Example.org"), make_site("a2", owner_email="ann@example.org"),
             make_site("b1", owner_email="bob@example.org", digest_enabled=False)]
    assert [(o.email, [s.id for s in o.sites]) for o in owners(sites)] == [("ann@example.org", ["a1", "a2"])]


def test_sends_once_then_nothing(store: Store, blog: Site, settings: Settings) -> None:
    mailer = Recorder()
    first = run_due(store, mailer, settings, DUE)
    assert first.sent == ["owner@example.org/2026-11-19"]
    [message] = mailer.sent
    assert message["To"] == "owner@example.org"
    assert "Needs an example" in message.get_body(("plain",)).get_content()
    again = run_due(store, mailer, settings, DUE + timedelta(hours=1))
    assert again.sent == [] and again.skipped == ["owner@example.org/2026-11-19"]
    assert len(mailer.sent) == 1


def test_two_concurrent_runs_send_once(store: Store, blog: Site, settings: Settings) -> None:
    mailer = Recorder(delay=0.3)
    barrier = threading.Barrier(2)
    results = []

    def run() -> None:
        barrier.wait()
        results.append(run_due(store, mailer, settings, DUE))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(mailer.sent) == 1
    assert sorted(len(r.sent) for r in results) == [0, 1]


def test_failing_mailer_then_working_one_sends_exactly_once(store: Store, blog: Site,
                                                            settings: Settings) -> None:
    broken = Broken()
    failed = run_due(store, broken, settings, DUE)
    assert list(failed.failed) == ["owner@example.org/2026-11-19"] and "MailError" in failed.failed[
        "owner@example.org/2026-11-19"]
    working = Recorder()
    retried = run_due(store, working, settings, DUE + timedelta(hours=1))
    assert retried.sent == ["owner@example.org/2026-11-19"]
    assert run_due(store, working, settings, DUE + timedelta(hours=2)).sent == []
    assert (broken.attempts, len(working.sent)) == (1, 1)


def test_an_empty_day_sends_nothing_unless_asked(store: Store, settings: Settings) -> None:
    quiet = make_site("quiet", owner_email="quiet@example.org")
    chatty = make_site("chatty", owner_email="chatty@example.org", digest_send_empty=True)
    store.put_site(quiet)
    store.put_site(chatty)
    mailer = Recorder()
    result = run_due(store, mailer, settings, DUE)
    assert result.empty == ["quiet@example.org/2026-11-19"]
    assert result.sent == ["chatty@example.org/2026-11-19"]
    assert [m["To"] for m in mailer.sent] == ["chatty@example.org"]
    assert "No votes and no comments." in mailer.sent[0].get_body(("plain",)).get_content()
    assert run_due(store, mailer, settings, DUE + timedelta(hours=1)).empty == []


def test_unsubscribed_owner_gets_nothing(store: Store, blog: Site, settings: Settings) -> None:
    from dataclasses import replace

    store.put_site(replace(blog, digest_enabled=False))
    mailer = Recorder()
    assert run_due(store, mailer, settings, DUE).as_dict() == {"sent": [], "empty": [], "skipped": [],
                                                                "failed": {}}
    assert mailer.sent == []
