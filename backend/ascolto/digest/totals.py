"""A site's numbers since the start, kept without reading every article the site ever had.

The digest reads only the articles its days name. The totals since the start are a record
per site, moved each day by what changed in the articles the digest read: for each such
article a record of the numbers the totals last counted for it is kept, and the totals move
by the difference to its numbers now. A change made outside the day's events (a release, a
repair by the reconcile) is counted the next time its article is read, so the totals stay
exact over time, and running a digest twice moves nothing the second time. The first run on
a site counts every article once; after that, what a digest reads grows with the days it
covers, never with the number of articles ever created.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ascolto.ratings import Summary
from ascolto.stores.base import Store

KIND = "site-totals"


@dataclass(frozen=True)
class SiteTotals:
    """Counted votes, their rating points and the articles with votes, since the start."""

    votes: int = 0
    points: int = 0
    articles: int = 0

    def moved(self, before: tuple[int, int], after: tuple[int, int]) -> SiteTotals:
        """Return the totals with one article's numbers moved from `before` to `after` (count, total)."""
        return SiteTotals(self.votes + after[0] - before[0], self.points + after[1] - before[1],
                          self.articles + (after[0] > 0) - (before[0] > 0))


def counted_kind(site_id: str) -> str:
    """Return the record kind keeping, per article, the numbers a site's totals last counted."""
    return f"counted#{site_id}"


def site_totals(store: Store, site_id: str, read: Iterable[Summary]) -> SiteTotals:
    """Return a site's totals since the start, moved by the articles just read, and keep them."""
    stored = store.get_record(KIND, site_id)
    if stored is None:
        read = store.articles(site_id)  # the first run: count every article, once
        totals = SiteTotals()
    else:
        totals = SiteTotals(stored["votes"], stored["points"], stored["articles"])
    for summary in read:
        seen = store.get_record(counted_kind(site_id), summary.article) or {"count": 0, "total": 0}
        before, after = (seen["count"], seen["total"]), (summary.count, summary.total)
        if before != after:
            totals = totals.moved(before, after)
            store.put_record(counted_kind(site_id), summary.article, {"count": after[0], "total": after[1]})
    store.put_record(KIND, site_id, {"votes": totals.votes, "points": totals.points, "articles": totals.articles})
    return totals
