"""Both stores return the same records, field by field, after the same story.

The contract suite checks each store's behaviour; this runs one story of votes, changes,
retries, held-back votes, releases, discards, withdrawals, feedback and records on SQLite and
on DynamoDB side by side, then compares every field of every record the port returns. It is
how a drift between the stores (a day in UTC on one and site-local on the other, another
order, a field one of them forgets) fails a test instead of reaching an owner.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ascolto.ratings import Delta, Event, Site, StoredVote, Summary
from ascolto.stores.base import Store
from ascolto.stores.dynamodb import DynamoDBStore
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import (
    add_feedback,
    discard_vote,
    quarantined,
    reconcile,
    record_vote,
    release_vote,
    withdraw_vote,
)
from tests.conftest import make_site
from tests.stores.contract import T0, feedback, vote

LATE = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # 00:30 on the 21st in Rome: the local day is not the UTC day


def story(store: Store, site: Site) -> None:
    """Run the same sequence of rules on a store."""
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 5))
    record_vote(store, vote(site, "/a", "voter-0002", 4, at=T0 + timedelta(minutes=1)))
    record_vote(store, vote(site, "/a", "voter-0001", 2, at=T0 + timedelta(minutes=2)))  # a change
    record_vote(store, vote(site, "/a", "voter-0001", 2, at=T0 + timedelta(minutes=3)))  # same rating
    record_vote(store, vote(site, "/b", "voter-0003", 1, at=LATE, quarantined=True, quarantine_reason="too_fast"))
    record_vote(store, vote(site, "/a", "voter-0004", 3, at=T0 + timedelta(minutes=4), quarantined=True,
                            quarantine_reason="honeypot"))
    record_vote(store, vote(site, "/a", "voter-0005", 1, at=T0 + timedelta(minutes=5), quarantined=True,
                            quarantine_reason="over_cap"))
    record_vote(store, vote(site, "/c", "voter-0006", 4, at=LATE))
    release_vote(store, site.id, "/a", "voter-0004")
    discard_vote(store, site.id, "/a", "voter-0005")
    withdraw_vote(store, site.id, "/a", "voter-0002", T0 + timedelta(minutes=6), "2026-11-20", "withdraw-0001")
    add_feedback(store, feedback(site, "/a", "voter-0001", "Add an example.", at=T0 + timedelta(minutes=7),
                                 email="Reader@Example.com"))
    add_feedback(store, feedback(site, "/b", "voter-0003", "Buy cheap pills", at=LATE + timedelta(minutes=1)))
    store.put_record("owner-open", "owner@example.org/blog/1", {"state": "open", "n": [1, 2]})
    store.put_record("owner-open", "owner@example.org/blog/2", {"state": "open"}, expected_version=0)
    store.add_to_record("counter", "blog#2026-11-20", "n", 3)
    store.add_to_record("counter", "blog#2026-11-20", "n", 2)
    store.replace_aggregate(site.id, "/c", Delta(9, 9, (9, 0, 0, 0, 0)), store.summary(site.id, "/c").version,
                            first_at=LATE)  # a broken aggregate, for the reconcile to repair
    reconcile(store, site, "2026-11-21", LATE + timedelta(days=1))


def plain(value: Any) -> Any:
    """Return a record as plain data, without the event ids each store makes its own way."""
    if isinstance(value, Event):
        return {k: v for k, v in asdict(value).items() if k != "id"}
    if isinstance(value, (StoredVote, Summary)):
        return asdict(value)
    return value


def snapshot(store: Store, site: Site) -> dict[str, Any]:
    """Return every record the port gives back after the story."""
    articles = ["/a", "/b", "/c", "/missing"]
    voters = [f"voter-{n:04d}" for n in range(1, 7)]
    key = lambda v: (v.article, v.voter)  # noqa: E731
    return {
        "vote_and_summary": {f"{a} {v}": [plain(x) for x in store.vote_and_summary(site.id, a, v)]
                             for a in articles for v in voters},
        "article_votes": {a: [plain(v) for v in sorted(store.article_votes(site.id, a), key=key)] for a in articles},
        "held_votes": [plain(v) for v in sorted(store.held_votes(site.id), key=key)],
        "site_votes": [plain(v) for v in sorted(store.site_votes(site.id), key=key)],
        "quarantined": [asdict(v) for v in quarantined(store, site.id)],
        "summaries": {a: plain(s) for a, s in store.summaries(site.id, articles).items()},
        "articles": [plain(s) for s in store.articles(site.id)],
        "events": [plain(e) for e in store.events(site, T0 - timedelta(days=1), LATE + timedelta(days=1))],
        "day_events": {d: [plain(e) for e in store.day_events(site, d)] for d in ("2026-11-20", "2026-11-21")},
        "site_feedback": [plain(e) for e in store.site_feedback(site.id)],
        "records": {k: store.records(k) for k in ("owner-open", "counter")},
        "versioned": store.get_versioned("owner-open", "owner@example.org/blog/2"),
        "missing_record": store.get_versioned("owner-open", "nobody"),
        "sites": [s.to_dict() for s in store.list_sites()],
    }


@pytest.fixture
def both(tmp_path: Path, dynamodb_store: DynamoDBStore) -> tuple[SqliteStore, DynamoDBStore]:
    sqlite = SqliteStore(tmp_path / "same.db")
    yield sqlite, dynamodb_store
    sqlite.close()


def test_both_stores_return_the_same_records_field_by_field(both: tuple[SqliteStore, DynamoDBStore]) -> None:
    site = make_site()
    snapshots = []
    for store in both:
        story(store, site)
        snapshots.append(snapshot(store, site))
    sqlite, dynamodb = snapshots
    for part in sqlite:
        assert sqlite[part] == dynamodb[part], part


def test_held_votes_report_the_site_local_day_and_sort_by_when_cast(both: tuple[SqliteStore, DynamoDBStore]) -> None:
    # The drift this suite was written for: SQLite reported the UTC date and sorted by creation,
    # DynamoDB the site-local day and sorted by the last change.
    site = make_site()
    for store in both:
        store.put_site(site)
        record_vote(store, vote(site, "/a", "voter-0001", 2, at=LATE, quarantined=True, quarantine_reason="too_fast"))
        record_vote(store, vote(site, "/a", "voter-0002", 3, at=T0, quarantined=True, quarantine_reason="too_fast"))
        record_vote(store, vote(site, "/a", "voter-0002", 4, at=LATE + timedelta(minutes=5), quarantined=True,
                                quarantine_reason="over_cap"))
        held = quarantined(store, site.id)
        assert [(v.voter, v.day, v.rating) for v in held] == [("voter-0001", "2026-11-21", 2),
                                                              ("voter-0002", "2026-11-21", 4)]


def test_one_article_is_one_article_on_both_stores(both: tuple[SqliteStore, DynamoDBStore]) -> None:
    # A long id is keyed by its digest on DynamoDB; an id that looks like that digest is another article.
    site = make_site()
    long_id = "/" + "x" * 700
    from ascolto.stores.dynamodb_layout import key_part

    lookalike = key_part(long_id)
    for store in both:
        store.put_site(site)
        record_vote(store, replace(vote(site, long_id, "voter-0001", 5), title="Long"))
        record_vote(store, replace(vote(site, lookalike, "voter-0002", 1), title="Lookalike"))
        found = store.summaries(site.id, [long_id, lookalike])
        assert (found[long_id].total, found[long_id].title) == (5, "Long")
        assert (found[lookalike].total, found[lookalike].title) == (1, "Lookalike")
        assert len(store.articles(site.id)) == 2
