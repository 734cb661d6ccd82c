"""The rules on their own, with no Flask: deltas, titles, links, networks, the token bucket, then claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ascolto.abuse import WINDOW, Bucket, network_of, take_token
from ascolto.ratings import Delta, StoredVote, Summary, local_days
from ascolto.voting import as_if_counted, clean_title, delta_of, site_url
from tests.conftest import make_site

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def stored(rating: int, quarantined: bool = False) -> StoredVote:
    return StoredVote(site="blog", article="/a", voter="voter-0001", rating=rating, request_id="r", at=T0,
                      day="2026-11-20", created_at=T0, quarantined=quarantined)


@pytest.mark.parametrize(("before", "after", "expected"), [
    (None, stored(4), Delta(1, 4, (0, 0, 0, 1, 0))),  # a new vote
    (stored(5), stored(1), Delta(0, -4, (1, 0, 0, 0, -1))),  # a change
    (stored(3), None, Delta(-1, -3, (0, 0, -1, 0, 0))),  # a withdrawal
    (None, stored(2, quarantined=True), Delta()),  # a held-back vote counts for nothing
    (stored(2, quarantined=True), stored(2), Delta(1, 2, (0, 1, 0, 0, 0))),  # released
    (stored(2, quarantined=True), None, Delta()),  # discarded
    (stored(4), stored(1, quarantined=True), Delta(-1, -4, (0, 0, 0, -1, 0))),  # a counted vote held back
])
def test_delta_moves_the_aggregate_by_exactly_what_was_counted(before: StoredVote | None, after: StoredVote | None,
                                                                expected: Delta) -> None:
    assert delta_of(before, after) == expected


def test_a_zero_delta_is_zero() -> None:
    assert Delta().zero and not Delta().plus(3).zero
    assert Delta().plus(3).minus(3).zero


def test_a_window_touches_the_site_local_days_between_its_ends() -> None:
    site = make_site()  # Europe/Rome: UTC+1 in November
    midnight = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)  # 00:00 on the 20th in Rome
    assert local_days(site, midnight - timedelta(hours=2), midnight) == ["2026-11-19"]  # the end is left out
    assert local_days(site, midnight - timedelta(hours=2), midnight + timedelta(minutes=1)) == [
        "2026-11-19", "2026-11-20"]
    assert local_days(site, midnight, midnight + timedelta(days=3)) == ["2026-11-20", "2026-11-21", "2026-11-22"]
    assert local_days(site, midnight, midnight) == [] and local_days(site, midnight, T0 - timedelta(days=9)) == []


def test_quarantined_answer_looks_counted() -> None:
    summary = Summary(article="/a", count=2, total=7, histogram=(0, 0, 1, 1, 0))
    assert as_if_counted(summary, 5) == Summary(article="/a", count=3, total=12, histogram=(0, 0, 1, 1, 1))


def test_titles_lose_bidi_controls_and_invisible_characters() -> None:
    assert clean_title("\u202eURGENT: site hacked\u200b  reset\u2066 now") == "URGENT: site hacked reset now"
    assert clean_title("Pane\u00a0e  coperto") == "Pane e coperto"


def test_only_links_on_the_site_are_kept() -> None:
    site = make_site(origins=("https://blog.example.org", "http://localhost:1313"))
    assert site_url(site, "https://blog.example.org/posts/a") == "https://blog.example.org/posts/a"
    assert site_url(site, "http://localhost:1313/posts/a") == "http://localhost:1313/posts/a"
    assert site_url(site, "https://evil.example/reset") == ""
    assert site_url(site, "javascript:alert(1)") == ""
    assert site_url(site, "http://[x/post") == ""


def test_networks_are_ipv4_addresses_and_ipv6_64s() -> None:
    assert network_of("203.0.113.7") == "203.0.113.7"
    assert network_of("2001:db8:1:2::1") == network_of("2001:db8:1:2:ffff::40") == "2001:db8:1:2::/64"
    assert network_of("::ffff:203.0.113.7") == "203.0.113.7"


def test_token_bucket_bursts_then_refills_every_window() -> None:
    bucket, waits = None, []
    for _ in range(4):
        bucket, wait = take_token(bucket, T0, burst=3, per_hour=60)
        waits.append(wait)
    assert waits[:3] == [0.0, 0.0, 0.0]
    next_window = (int(T0.timestamp()) // WINDOW + 1) * WINDOW
    assert waits[3] == next_window - T0.timestamp()  # refilled at the next 10-minute step
    assert bucket is not None
    later = datetime.fromtimestamp(next_window, UTC)
    refilled, wait = take_token(bucket, later, burst=3, per_hour=60)
    assert wait == 0.0 and refilled.tokens == 2.0  # 10 tokens a window, but never more than the burst


def test_token_bucket_never_holds_more_than_the_burst() -> None:
    bucket = Bucket(window=int(T0.timestamp()) // WINDOW - 1000, tokens=0.0)
    after, wait = take_token(bucket, T0, burst=5, per_hour=120)
    assert wait == 0.0 and after.tokens == 4.0


def test_claims_mean_once(tmp_path: object) -> None:
    from ascolto.claims import claim, complete, release
    from ascolto.stores.sqlite import SqliteStore

    store = SqliteStore(f"{tmp_path}/claims.db")
    assert claim(store, "k", T0) and not claim(store, "k", T0 + timedelta(minutes=1))
    release(store, "k")
    assert claim(store, "k", T0 + timedelta(minutes=2))
    assert claim(store, "k", T0 + timedelta(hours=1))  # a stale claim: its runner died
    complete(store, "k", T0 + timedelta(hours=1))
    assert not claim(store, "k", T0 + timedelta(days=30))
    store.close()
