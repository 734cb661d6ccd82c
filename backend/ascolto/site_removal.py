"""Removing a site: which of its days hold data, so every store can delete all of it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ascolto.abuse import network_kind
from ascolto.digest.totals import KIND as TOTALS_KIND
from ascolto.digest.totals import counted_kind
from ascolto.importing.note import KIND as NOTE_KIND
from ascolto.ratings import Site
from ascolto.stores.base import Store
from ascolto.voting import NEW_ARTICLES, imported_kind


def site_days(store: Store, site: Site, now: datetime) -> list[str]:
    """Return every site-local day from the site's first record to tomorrow (events are filed by local day)."""
    starts = [datetime.fromisoformat(site.created_at).date()] if site.created_at else []
    starts += [a.first_at.astimezone(site.zone).date() for a in store.articles(site.id) if a.first_at]
    starts += [v.created_at.astimezone(site.zone).date() for v in store.held_votes(site.id)]
    last = now.astimezone(site.zone).date() + timedelta(days=1)
    day: date = min(starts, default=last - timedelta(days=2))
    days = []
    while day <= last:
        days.append(day.isoformat())
        day += timedelta(days=1)
    return days


def remove_site(store: Store, site: Site, now: datetime) -> None:
    """Delete a site and everything stored under it, in one transaction where the store has them.

    The records the rules keep per site are named here, once; the store deletes the rest.
    """
    days = site_days(store, site, now)
    with store.atomic():
        for kind, prefix in ((imported_kind(site.id), ""), (counted_kind(site.id), ""), (network_kind(site.id), ""),
                             (NEW_ARTICLES, f"{site.id}#")):
            for key, _ in store.records(kind, prefix):
                store.delete_record(kind, key)
        store.delete_record(NOTE_KIND, site.id)
        store.delete_record(TOTALS_KIND, site.id)
        store.delete_site(site.id, days)
