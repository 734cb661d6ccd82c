"""DynamoDBStore's reconcile (a mixin): recompute aggregates a crash left half-moved.

A vote is three writes (event, vote, aggregate ADD). A process that dies after the vote
write leaves the aggregate behind; the event written first marks the article as touched
that day, so the digest's reconcile of that day finds it and recounts from the vote items.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ascolto.ratings import Site
from ascolto.stores import dynamo_items as di

if TYPE_CHECKING:
    from ascolto.stores.dynamodb import DynamoDBStore as _Base
else:
    _Base = object

# An invocation behind API Gateway lives at most 29 s (Lambda at most 15 min), so a vote
# older than this has made all its writes or never will.
IN_FLIGHT = timedelta(minutes=15)
ATTEMPTS = 8


class ReconcileMixin(_Base):
    """Recount the aggregates of a day's touched articles from their vote items."""

    def reconcile(self, site: Site, day: str, now: datetime, articles: Iterable[str] | None = None) -> int:
        """Recompute the aggregates of the articles touched on a local day; return how many changed.

        Repairs the aggregate after a crash between a vote's writes. An article with a vote
        younger than IN_FLIGHT is left for a later run, because that vote's ADD may still land.
        """
        touched = set(articles) if articles is not None else {
            di.text(i, "article") for i in self._query(di.events_pk(site.id, day))}
        fixed = 0
        for article in sorted(touched):
            for _ in range(ATTEMPTS):
                try:
                    fixed += self._reconcile_article(site.id, article, now)
                    break
                except self._ConditionFailed:
                    continue  # a vote landed meanwhile: recount
        return fixed

    def _reconcile_article(self, site_id: str, article: str, now: datetime) -> int:
        key = di.summary_key(site_id, article)
        aggregate = self._get(key, consistent=True)
        votes = list(self._query(di.votes_pk(site_id, article), begins="V#", consistent=True))
        if any(datetime.fromisoformat(di.text(v, "at")) > now - IN_FLIGHT for v in votes):
            return 0
        histogram = [0] * 5
        for v in votes:
            if not di.flag(v, "quarantined"):
                histogram[(di.number(v, "rating") or 1) - 1] += 1
        current = di.summary_from_item(article, aggregate)
        if list(current.histogram) == histogram and current.count == sum(histogram):
            return 0
        expr = di.Expr()
        sets = [f"{expr.name(f'h{i + 1}')} = {expr.value(f'h{i + 1}', di.n(c))}" for i, c in enumerate(histogram)]
        total = sum((i + 1) * c for i, c in enumerate(histogram))
        sets += [f"{expr.name('count')} = {expr.value('count', di.n(sum(histogram)))}",
                 f"{expr.name('total')} = {expr.value('total', di.n(total))}",
                 f"{expr.name('article')} = {expr.value('article', di.s(article))}"]
        if aggregate is None:
            condition = f"attribute_not_exists({expr.name(di.PK)})"
            first = min((di.text(v, "created_at") for v in votes), default=di.iso(now))
            sets += [f"{expr.name('first_at')} = {expr.value('first', di.s(first))}",
                     f"{expr.name('ver')} = {expr.value('ver', di.n(1))}"]
        else:
            version = di.number(aggregate, "ver") or 0
            condition = (f"{expr.name('ver')} = {expr.value('ver', di.n(version))}" if "ver" in aggregate
                         else f"attribute_not_exists({expr.name('ver')})")
            sets.append(f"{expr.name('ver')} = {expr.value('next', di.n(version + 1))}")
        self._call("update_item", Key=key,
                   **expr.params(UpdateExpression="SET " + ", ".join(sets), ConditionExpression=condition))
        return 1

