"""Anti-stuffing through the API: caps, rate limit, honeypot, dwell time, quarantine, privacy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from ascolto.abuse import NETWORK_FACTOR
from ascolto.ratings import Site
from ascolto.stores.base import Store
from ascolto.voting import export_site, quarantined
from tests.conftest import ORIGIN, Clock

CHROME = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36"


def cast(client: FlaskClient, voter: str, rating: int = 5, ip: str = "203.0.113.7", ua: str = CHROME,
         article: str = "/posts/hot", **extra: Any):
    body = {"article": article, "url": ORIGIN + article, "title": "Hot", "rating": rating, "voter": voter,
            "request_id": f"rq-{voter}-{rating}", "hp": "", "dwell_ms": 6000, **extra}
    return client.post("/v1/sites/blog/votes", json=body, headers={"Origin": ORIGIN, "User-Agent": ua},
                       environ_base={"REMOTE_ADDR": ip})


def test_script_stuffing_one_article_from_one_ip(client: FlaskClient, store: Store,
                                                  site: Site) -> None:
    # given an honest average of 2.0
    for n in range(3):
        cast(client, f"honest-{n:04d}", rating=2, ip=f"198.51.100.{n}")
    # when a script votes 5 stars 25 times with fresh voter ids from one IP and browser
    answers = [cast(client, f"script-{n:04d}", rating=5) for n in range(25)]
    # then every answer looks like a counted vote, but only the cap counts
    assert all(a.status_code == 200 for a in answers)
    assert [a.get_json()["count"] for a in answers] == list(range(4, 4 + 8)) + [3 + 8 + 1] * 17
    summary = store.summary("blog", "/posts/hot")
    assert summary.count == 3 + site.vote_cap
    held = quarantined(store, "blog")
    assert len(held) == 25 - site.vote_cap
    assert {v.quarantine_reason for v in held} == {"over_cap"}


def test_readers_behind_one_nat_are_counted(client: FlaskClient, store: Store) -> None:
    for n in range(6):
        assert cast(client, f"office-{n:04d}", rating=4, ip="192.0.2.10").status_code == 200
    assert store.summary("blog", "/posts/hot").count == 6
    assert quarantined(store, "blog") == []


def test_rotating_user_agent_is_capped_per_network(client: FlaskClient, store: Store,
                                                   site: Site, clock: Clock) -> None:
    total = site.vote_cap * NETWORK_FACTOR + 10
    for n in range(total):
        clock.now += timedelta(seconds=3600 / site.rate_per_hour)  # slow enough for the rate limit
        assert cast(client, f"rot-{n:05d}", ua=f"Bot/{n}.0").status_code == 200
    assert store.summary("blog", "/posts/hot").count == site.vote_cap * NETWORK_FACTOR
    assert len(quarantined(store, "blog")) == 10


def test_replayed_requests_count_once(client: FlaskClient, store: Store) -> None:
    for _ in range(5):
        assert cast(client, "replayer-01", rating=3).status_code == 200
    assert store.summary("blog", "/posts/hot").count == 1
    assert quarantined(store, "blog") == []


def test_rate_limit_answers_429_with_retry_after(client: FlaskClient, site: Site) -> None:
    statuses = [cast(client, f"flood-{n:05d}", article=f"/p/{n}").status_code for n in range(site.rate_burst + 3)]
    assert statuses[: site.rate_burst] == [200] * site.rate_burst
    last = cast(client, "flood-last", article="/p/last")
    assert last.status_code == 429
    assert int(last.headers["Retry-After"]) >= 1
    assert last.get_json()["code"] == "rate_limited"
    assert cast(client, "elsewhere-1", ip="198.51.100.99").status_code == 200


def test_honeypot_and_dwell_time_quarantine_quietly(client: FlaskClient, store: Store) -> None:
    answers = [
        cast(client, "bot-honeypot", ip="198.51.100.1", hp="http://spam.example"),
        cast(client, "bot-fast-001", ip="198.51.100.2", dwell_ms=40),
        cast(client, "bot-no-dwell", ip="198.51.100.3", dwell_ms=None),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.get_json()["count"] for a in answers] == [1, 1, 1]
    assert store.summary("blog", "/posts/hot").count == 0
    reasons = sorted(v.quarantine_reason for v in quarantined(store, "blog"))
    assert reasons == ["honeypot", "no_dwell", "too_fast"]


def test_feedback_is_rate_limited_per_network(client: FlaskClient, store: Store) -> None:
    from ascolto.abuse import FEEDBACK_BURST

    for n in range(FEEDBACK_BURST + 1):
        assert cast(client, f"writer-{n:04d}", rating=1, ip="198.51.100.60").status_code == 200
    statuses = [client.post("/v1/sites/blog/feedback", headers={"Origin": ORIGIN},
                            environ_base={"REMOTE_ADDR": "198.51.100.60"},
                            json={"article": "/posts/hot", "voter": f"writer-{n:04d}", "text": "spam"}).status_code
                for n in range(FEEDBACK_BURST + 1)]
    assert statuses == [201] * FEEDBACK_BURST + [429]
    _, stored = export_site(store, "blog")
    assert len(stored) == FEEDBACK_BURST
