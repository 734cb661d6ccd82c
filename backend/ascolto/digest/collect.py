"""Collect a digest's input from the Store: one site, one local day, plus the week before.

Per site and day this is three calls: `events` for the day, `events` for the 7 days before
(the comparison; on DynamoDB that is one Query per day partition, so 7 Queries whose cost
grows with those days' events) and `articles` for the totals since the start. Between the
day's events and the aggregates, `voting.reconcile` repairs the articles those
events name, without reading the day again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ascolto.ratings import Event, Site, Summary
from ascolto.stores.base import Store
from ascolto.voting import reconcile

COMPARE_DAYS = 7


def day_window(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """Return a local calendar day as [start, end) in UTC; a DST day lasts 23 or 25 hours."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class SiteDay:
    """Plain input for one site's part of a digest."""

    site: Site
    day: date
    start: datetime
    end: datetime
    events: list[Event]
    previous: list[Event]
    articles: list[Summary]


def collect_site(store: Store, site: Site, day: date, now: datetime) -> SiteDay:
    """Read one site's events of a local day, of the 7 days before, and its article aggregates."""
    start, end = day_window(site.zone, day)
    week_start, _ = day_window(site.zone, day - timedelta(days=COMPARE_DAYS))
    events = store.events(site, start, end)
    # A DynamoDB vote is several writes: repair any aggregate a crash left half-moved before
    # reading the aggregates, from the articles the day's events name (no second read of the day).
    reconcile(store, site, day.isoformat(), now, articles={e.article for e in events})
    return SiteDay(
        site=site, day=day, start=start, end=end,
        events=events,
        previous=store.events(site, week_start, start),
        articles=store.articles(site.id),
    )
