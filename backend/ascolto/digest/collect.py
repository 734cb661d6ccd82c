"""Collect a digest's input from the Store: one site, one local day, plus the week before.

Per site and day: `events` for the day, `events` for the 7 days before (the comparison; on
DynamoDB one Query per day partition, so 7 Queries whose cost grows with those days' events),
one batched read of the articles those events name, and the totals since the start, which
digest.totals keeps without reading every article the site ever had. Between the
day's events and the aggregates, `voting.reconcile` repairs the articles those
events name, without reading the day again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ascolto.digest.totals import SiteTotals, site_totals
from ascolto.importing.note import ImportNote, import_note
from ascolto.ratings import Event, Site, Summary
from ascolto.stores.base import MAX_BATCH, Store
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
    articles: list[Summary]  # the articles the day's and the week's events name
    totals: SiteTotals | None = None  # since the start (None: add up `articles`)
    imported: ImportNote | None = None  # what an import from WordPress added to the totals


def collect_site(store: Store, site: Site, day: date, now: datetime) -> SiteDay:
    """Read one site's events of a local day and of the 7 days before, and the articles they name."""
    start, end = day_window(site.zone, day)
    week_start, _ = day_window(site.zone, day - timedelta(days=COMPARE_DAYS))
    events = store.events(site, start, end)
    # A DynamoDB vote is several writes: repair any aggregate a crash left half-moved before
    # reading the aggregates, from the articles the day's events name (no second read of the day).
    today = list(dict.fromkeys(e.article for e in events))
    reconcile(store, site, day.isoformat(), now, articles=today)
    previous = store.events(site, week_start, start)
    named = list(dict.fromkeys([*today, *(e.article for e in previous)]))
    found: dict[str, Summary] = {}
    for at in range(0, len(named), MAX_BATCH):
        found.update(store.summaries(site.id, named[at:at + MAX_BATCH]))
    articles = [s for s in found.values() if s.exists]
    return SiteDay(site=site, day=day, start=start, end=end, events=events, previous=previous,
                   articles=articles, totals=site_totals(store, site.id, [found[a] for a in today]),
                   imported=import_note(store, site.id))
