"""Totals since the start stay exact while the digest reads only the articles its days name."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from ascolto.digest.collect import collect_site
from ascolto.ratings import Site
from ascolto.stores.base import Store
from ascolto.voting import record_vote, release_vote
from tests.conftest import make_site
from tests.stores.contract import vote

DAY1 = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


class Counting:
    """A store that counts how many aggregates the digest reads, and how."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.full_reads = 0
        self.read_by_name = 0

    def articles(self, site_id: str) -> Any:
        self.full_reads += 1
        return self.inner.articles(site_id)

    def summaries(self, site_id: str, articles: Any) -> Any:
        self.read_by_name += len(articles)
        return self.inner.summaries(site_id, articles)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def full_count(store: Store, site: Site) -> tuple[int, int, int]:
    articles = store.articles(site.id)
    return sum(a.count for a in articles), sum(a.total for a in articles), sum(1 for a in articles if a.count)


@pytest.fixture
def store(any_store: Store) -> Store:
    return any_store


def test_totals_stay_exact_and_reads_do_not_grow_with_old_articles(store: Store) -> None:
    site = make_site(timezone="UTC")
    store.put_site(site)
    for n in range(60):  # an old site: sixty articles rated long ago
        record_vote(store, vote(site, f"/old/{n}", "voter-0001", 1 + n % 5, at=DAY1 - timedelta(days=30)), site)
    record_vote(store, vote(site, "/held", "voter-0002", 4, at=DAY1, quarantined=True, quarantine_reason="x"), site)
    counting = Counting(store)
    first = collect_site(counting, site, date(2026, 11, 19), DAY1 + timedelta(days=2))  # type: ignore[arg-type]
    assert counting.full_reads == 1  # the first digest counts every article once
    assert first.totals is not None
    assert (first.totals.votes, first.totals.points, first.totals.articles) == full_count(store, site)
    # the next days: a change, a new article, a release made outside the day's events
    day2 = DAY1 + timedelta(days=1)
    record_vote(store, vote(site, "/old/3", "voter-0001", 1, at=day2), site)
    record_vote(store, vote(site, "/new", "voter-0003", 5, at=day2), site)
    release_vote(store, site.id, "/held", "voter-0002")
    counting = Counting(store)
    second = collect_site(counting, site, date(2026, 11, 20), day2 + timedelta(days=2))  # type: ignore[arg-type]
    assert counting.full_reads == 0 and counting.read_by_name <= 3  # only what the days name
    assert second.totals is not None
    counted_release = full_count(store, site)
    # the release is counted once its article is read again (its next vote); everything else is exact now
    assert (second.totals.votes + 1, second.totals.points + 4, second.totals.articles + 1) == counted_release
    record_vote(store, vote(site, "/held", "voter-0004", 2, at=day2 + timedelta(days=1)), site)
    third = collect_site(store, site, date(2026, 11, 21), day2 + timedelta(days=3))
    assert third.totals is not None
    assert (third.totals.votes, third.totals.points, third.totals.articles) == full_count(store, site)
    again = collect_site(store, site, date(2026, 11, 21), day2 + timedelta(days=3))
    assert again.totals == third.totals  # a second run moves nothing
