"""Sending due notices exactly once per channel, on SQLite and on DynamoDB (moto), against real receivers."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from ascolto.notify.channels import parse_channel
from ascolto.notify.deliver import post
from ascolto.notify.dispatch import notify_due
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.base import Store
from ascolto.voting import add_feedback, record_vote
from tests.conftest import make_site
from tests.notify.conftest import Receiver, Reply
from tests.stores.contract import feedback, vote

# 07:00 in Rome on Friday 20 November 2026: the digest of Thursday the 19th is due.
DUE = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
YESTERDAY = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
SECRET = "whsec_" + base64.b64encode(b"s" * 32).decode()
send = partial(post, sleep=lambda _: None, attempts=2)  # retries counted, not waited for


@pytest.fixture
def store(any_store: Store) -> Store:
    """Each store in turn (the shared fixture in tests/conftest.py)."""
    return any_store


@pytest.fixture
def slack() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def settings_for(tmp_path: Path, *urls: str) -> Settings:
    return Settings(data_dir=tmp_path, secret="test-secret", public_url="https://ratings.example.org",
                    notify=", ".join(urls))


def blog(store: Store, **site: object) -> Site:
    """A site with yesterday's low vote and a comment that left a contact email."""
    made = make_site(**site)
    store.put_site(made)
    record_vote(store, vote(made, "/a", "voter-0001", 2, at=YESTERDAY))
    add_feedback(store, feedback(made, "/a", "voter-0001", "Needs an example", at=YESTERDAY + timedelta(minutes=1),
                                email="reader@example.net"))
    return made


def test_the_digest_goes_to_each_channel_once(store: Store, slack: Receiver, hook: Receiver, tmp_path: Path) -> None:
    blog(store)
    settings = settings_for(tmp_path, f"slack+{slack.base}/s", f"webhook+{hook.base}/w?secret={SECRET}")
    first = notify_due(store, settings, DUE, send)
    assert len(first.sent) == 2 and not first.failed
    again = notify_due(store, settings, DUE + timedelta(hours=1), send)
    assert again.sent == [] and sorted(again.skipped) == sorted(first.sent)
    assert len(slack.requests) == 1 and len(hook.requests) == 1
    text = json.loads(slack.requests[0].body)["text"]
    assert text == "A blog, 19 November: 1 vote, average 2.0 · needs you today: 1 article"
    body = hook.requests[0].body
    assert b"reader@example.net" not in body and b"Needs an example" not in body
    assert json.loads(body)["data"]["owner_url"].startswith("https://ratings.example.org/owner/")
    assert b"/owner/" not in slack.requests[0].body
    assert all(key.startswith("owner@example.org/2026-11-19/notify/") for key in first.sent)
    assert not any("127.0.0.1" in key for key in first.sent)  # keys hold channel ids, never URLs


def test_two_concurrent_runs_send_once_per_channel(store: Store, slack: Receiver, hook: Receiver,
                                                   tmp_path: Path) -> None:
    blog(store)
    settings = settings_for(tmp_path, f"slack+{slack.base}/s", f"webhook+{hook.base}/w?secret={SECRET}")
    barrier = threading.Barrier(2)
    results = []

    def run() -> None:
        barrier.wait()
        results.append(notify_due(store, settings, DUE, send))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(slack.requests) == 1 and len(hook.requests) == 1
    assert sorted(len(r.sent) for r in results) in ([0, 2], [1, 1])
    assert sum(len(r.sent) for r in results) == 2 and sum(len(r.skipped) for r in results) == 2


def test_a_failing_channel_neither_blocks_nor_repeats_the_others(store: Store, slack: Receiver, hook: Receiver,
                                                                 tmp_path: Path) -> None:
    blog(store)
    hook.default = Reply(503, b"down")
    settings = settings_for(tmp_path, f"slack+{slack.base}/s", f"webhook+{hook.base}/w?secret={SECRET}")
    first = notify_due(store, settings, DUE, send)
    assert len(first.sent) == 1 and len(first.failed) == 1 and len(hook.requests) == 2  # two attempts
    hook.default = Reply(200)
    second = notify_due(store, settings, DUE + timedelta(hours=1), send)
    assert len(second.sent) == 1 and len(slack.requests) == 1 and len(hook.requests) == 3
    assert len({r.headers["Webhook-Id"] for r in hook.requests}) == 1  # the same message id on every retry


def test_a_channel_down_for_a_day_is_given_up_and_reported_once(store: Store, slack: Receiver, hook: Receiver,
                                                                tmp_path: Path) -> None:
    blog(store)
    hook.default = Reply(500, b"down")
    settings = settings_for(tmp_path, f"slack+{slack.base}/s", f"webhook+{hook.base}/w?secret={SECRET}")
    hours = [DUE + timedelta(hours=h) for h in range(17)]  # 07:00 to 23:00 in Rome on the 20th
    runs = [notify_due(store, settings, now, send) for now in hours]
    assert all(len(r.failed) == 1 and not r.failures for r in runs)
    assert len(hook.requests) == 2 * len(hours) and len(slack.requests) == 1
    next_day = notify_due(store, settings, DUE + timedelta(days=1), send)  # the 20th's digest is due
    channel = parse_channel(f"webhook+{hook.base}/w?secret={SECRET}")
    assert next_day.failures == [{"owner": "owner@example.org", "channel": channel.label, "channel_id": channel.id,
                                  "day": "2026-11-19", "notice": "owner@example.org/2026-11-19",
                                  "error": "failed every hourly attempt for a day; given up"}]
    assert store.records("notify-failure", prefix="owner@example.org/") == [
        (f"owner@example.org/2026-11-19/{channel.id}", next_day.failures[0])]
    later = notify_due(store, settings, DUE + timedelta(days=1, hours=1), send)
    assert later.failures == []  # reported once
    # and the next email digest tells the owner, by the channel's safe label (never its URL)
    from ascolto.digest.schedule import owners, prepare

    [owner] = owners(store.list_sites())
    _, rendered = prepare(store, owner, date(2026, 11, 20), settings, DUE + timedelta(days=1))
    assert "Notifications that stopped" in rendered.text and channel.label in rendered.text
    assert channel.label in rendered.html and SECRET not in rendered.html and SECRET not in rendered.text


def test_a_channel_added_later_is_not_reported(store: Store, slack: Receiver, tmp_path: Path) -> None:
    blog(store)
    result = notify_due(store, settings_for(tmp_path, f"slack+{slack.base}/s"), DUE + timedelta(days=1), send)
    assert result.failures == []


def test_a_site_channel_gets_its_owner_digest(store: Store, slack: Receiver, tmp_path: Path) -> None:
    blog(store, notify=(f"discord+{slack.base}/api/webhooks/1/t",))
    result = notify_due(store, settings_for(tmp_path), DUE, send)
    assert len(result.sent) == 1 and slack.requests[0].path == "/api/webhooks/1/t"


def test_a_bad_site_channel_is_reported_and_the_run_goes_on(store: Store, slack: Receiver, tmp_path: Path) -> None:
    blog(store, notify=("teams+https://example.org/x",))
    result = notify_due(store, settings_for(tmp_path, f"slack+{slack.base}/s"), DUE, send)
    assert list(result.failed) == ["blog"] and result.failed["blog"].startswith("site blog notify: unknown channel")
    assert len(result.sent) == 1 and len(slack.requests) == 1  # the shared channel still gets the digest


def test_a_burst_alert_goes_out_once_per_cool_down(store: Store, slack: Receiver, tmp_path: Path) -> None:
    site = make_site()
    store.put_site(site)
    start = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    for i in range(12):
        record_vote(store, vote(site, "/hot", f"voter-{i:04d}", 5, at=start + timedelta(seconds=20 * i)))
    settings = settings_for(tmp_path, f"slack+{slack.base}/s?digest=0&alerts=burst&cooldown_hours=6")
    first = notify_due(store, settings, start + timedelta(minutes=30), send)
    assert len(first.sent) == 1 and "/alert/burst/blog/" in first.sent[0]
    assert json.loads(slack.requests[0].body)["text"] == "Burst on “Title of /hot”: 12 votes within 5 minutes"
    again = notify_due(store, settings, start + timedelta(hours=1, minutes=30), send)
    assert again.sent == [] and len(slack.requests) == 1


def test_a_low_rating_with_a_comment_alerts_without_the_text_unless_asked(store: Store, slack: Receiver,
                                                                          hook: Receiver, tmp_path: Path) -> None:
    site = make_site()
    store.put_site(site)
    when = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    record_vote(store, vote(site, "/a", "voter-0001", 1, at=when))
    add_feedback(store, feedback(site, "/a", "voter-0001", "Wrong <b>formula</b>", at=when + timedelta(minutes=1),
                                email="reader@example.net"))
    settings = settings_for(tmp_path, f"ntfy+{slack.base}/topic?alerts=low",
                            f"ntfy+{hook.base}/private?alerts=low&text=1")
    result = notify_due(store, settings, when + timedelta(minutes=20), send)
    assert len(result.sent) == 2 and all("/alert/low/blog/" in key for key in result.sent)
    plain, with_text = slack.requests[0], hook.requests[0]
    assert plain.headers["Priority"] == "4" and plain.headers["Tags"] == "warning"
    assert b"Wrong" not in plain.body and b"Wrong <b>formula</b>" in with_text.body
    assert all(b"reader@example.net" not in r.raw_headers + r.body for r in (plain, with_text))
