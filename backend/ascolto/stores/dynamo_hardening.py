"""DynamoDBStore's anti-stuffing, quarantine and data-rights operations (a mixin).

Short-lived items (salts, token buckets, visitor counts) carry `expires_at` for DynamoDB's
TTL; since TTL deletes lazily, every read also checks the time itself. Quarantined votes
and feedback each get a small index item in a per-site partition, so the owner's commands
Query instead of Scan, and only those (rare) writes pay for it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ascolto.errors import Conflict, NotFound
from ascolto.ratings import Event, Summary, Vote
from ascolto.stores import dynamo_items as di

if TYPE_CHECKING:
    from ascolto.stores.dynamodb import DynamoDBStore as _Base
else:
    _Base = object

SALT_LIFETIME = timedelta(hours=48)
ATTEMPTS = 8


def quarantine_key(site_id: str, article: str, voter: str) -> di.Item:
    """Return the key of the index item of a quarantined vote."""
    return di.key(f"S#{site_id}#Q", f"A#{di.key_part(article)}#V#{voter}")


def feedback_key(site_id: str, at: datetime, event_id: str) -> di.Item:
    """Return the key of the index item of one feedback."""
    return di.key(f"S#{site_id}#FB", f"{di.iso(at)}#{event_id}")


def _expires(now: datetime, after: timedelta) -> di.AttributeValue:
    return di.n(int((now + after).timestamp()))


class HardeningMixin(_Base):
    """Anti-stuffing and owner data operations on the single table."""

    _salts: dict[str, tuple[str, float]]

    # -- anti-stuffing -------------------------------------------------------------------

    def salt(self, day: str, now: datetime) -> str:
        """Return the day's salt, creating it once (conditional put); it expires after 48 hours."""
        cached = self._salts.get(day)
        if cached and cached[1] > now.timestamp():
            return cached[0]
        key = di.key(f"SALT#{day}", "SALT")
        for _ in range(ATTEMPTS):
            item = self._get(key, consistent=True)
            if item and (di.number(item, di.TTL_ATTRIBUTE) or 0) > now.timestamp():
                value = di.text(item, "value")
                self._salts[day] = (value, float(di.number(item, di.TTL_ATTRIBUTE) or 0))
                return value
            expr = di.Expr()
            condition = (f"attribute_not_exists({expr.name(di.PK)}) OR "
                         f"{expr.name(di.TTL_ATTRIBUTE)} <= {expr.value('now', di.n(int(now.timestamp())))}")
            try:
                self._put({**key, "value": di.s(secrets.token_hex(32)),
                           di.TTL_ATTRIBUTE: _expires(now, SALT_LIFETIME)},
                          **expr.params(ConditionExpression=condition))
            except self._ConditionFailed:
                continue  # another instance created it first: read theirs
        raise Conflict("The daily salt could not be created; try again.")

    def take_token(self, bucket: str, now: datetime, burst: int, per_hour: int) -> float:
        """Take a token from a bucket refilled at per_hour (read, then a conditional write)."""
        rate = per_hour / 3600.0
        key = di.key(f"BUCKET#{bucket}", "BUCKET")
        t = now.timestamp()
        for _ in range(ATTEMPTS):
            item = self._get(key, consistent=True)
            fresh = item is None or float(item["expires_at"]["N"]) <= t
            before = float(burst) if fresh else float(item["tokens"]["N"])  # type: ignore[index]
            stamp = t if fresh else float(item["updated_at"]["N"])  # type: ignore[index]
            tokens = min(float(burst), before + max(0.0, t - stamp) * rate)
            if tokens < 1.0:
                return (1.0 - tokens) / rate
            expr = di.Expr()
            condition = (f"attribute_not_exists({expr.name(di.PK)})" if item is None else
                         f"{expr.name('updated_at')} = {expr.value('seen', item['updated_at'])}")
            try:
                self._put({**key, "tokens": {"N": repr(tokens - 1.0)}, "updated_at": {"N": repr(t)},
                           di.TTL_ATTRIBUTE: di.n(int(t + burst / rate + 60))},
                          **expr.params(ConditionExpression=condition))
            except self._ConditionFailed:
                continue
            return 0.0
        raise Conflict("Too many requests at once; try again.")

    def count_visitor_vote(self, site_id: str, article: str, network_key: str, visitor_key: str, day: str,
                           now: datetime) -> tuple[int, int]:
        """Count a vote of a network and visitor key on an article that day, in one UpdateItem."""
        expr = di.Expr()
        visitor = f"v_{visitor_key}"
        update = (f"ADD {expr.name('network')} {expr.value('one', di.n(1))}, {expr.name(visitor)} :one"
                  f" SET {expr.name(di.TTL_ATTRIBUTE)} = {expr.value('ttl', _expires(now, SALT_LIFETIME))}")
        key = di.key(f"VC#{site_id}#{day}#{network_key}", f"A#{di.key_part(article)}")
        item = self._call("update_item", Key=key, ReturnValues="UPDATED_NEW",
                          **expr.params(UpdateExpression=update))["Attributes"]
        return di.number(item, "network") or 0, di.number(item, visitor) or 0

    # -- quarantine ----------------------------------------------------------------------

    def _mark_quarantine(self, vote: Vote, was_quarantined: bool) -> None:
        """Keep the quarantine index in step with the vote just written."""
        key = quarantine_key(vote.site, vote.article, vote.voter)
        if vote.quarantined:
            self._put({**key, "article": di.s(vote.article), "voter": di.s(vote.voter)})
        elif was_quarantined:
            self._call("delete_item", Key=key)

    def _quarantined_votes(self, site_id: str) -> Iterator[tuple[di.Item, di.Item]]:
        markers = list(self._query(f"S#{site_id}#Q"))
        keys = [di.vote_key(site_id, di.text(m, "article"), di.text(m, "voter")) for m in markers]
        votes = {(i[di.PK]["S"], i[di.SK]["S"]): i for i in self._batch_get(keys, consistent=True)}
        for marker, key in zip(markers, keys, strict=True):
            item = votes.get((key[di.PK]["S"], key[di.SK]["S"]))
            if item is not None and di.flag(item, "quarantined"):
                yield marker, item

    def quarantined(self, site_id: str) -> list[Vote]:
        """Return the site's quarantined votes, oldest first, from the quarantine index."""
        found = [self._vote_from_item(site_id, di.text(m, "article"), di.text(m, "voter"), v)
                 for m, v in self._quarantined_votes(site_id)]
        titles = self.summaries(site_id, [v.article for v in found]) if found else {}
        found = [Vote(**{**v.__dict__, "title": titles[v.article].title, "url": titles[v.article].url})
                 if v.article in titles else v for v in found]
        return sorted(found, key=lambda v: v.at)

    @staticmethod
    def _vote_from_item(site_id: str, article: str, voter: str, item: di.Item, title: str = "",
                        url: str = "") -> Vote:
        at = datetime.fromisoformat(di.text(item, "at"))
        return Vote(site=site_id, article=article, voter=voter, rating=di.number(item, "rating") or 0, at=at,
                    day=di.text(item, "day"), url=url, title=title, request_id=di.text(item, "request_id"),
                    quarantined=di.flag(item, "quarantined"),
                    quarantine_reason=di.text(item, "quarantine_reason"))

    def _held_vote(self, site_id: str, article: str, voter: str) -> di.Item:
        item = self._get(di.vote_key(site_id, article, voter), consistent=True)
        if item is None or not di.flag(item, "quarantined"):
            raise NotFound("No such quarantined vote.", {"vote": ["Not in quarantine."]})
        return item

    def release_vote(self, site_id: str, article: str, voter: str) -> Summary:
        """Count a quarantined vote after all: one transaction (rare, so atomic at double cost)."""
        item = self._held_vote(site_id, article, voter)
        rating = di.number(item, "rating") or 1
        vote_expr, agg_expr = di.Expr(), di.Expr()
        self._transact([
            {"Update": {"TableName": self.table, "Key": di.vote_key(site_id, article, voter),
                        **vote_expr.params(
                            UpdateExpression=f"SET {vote_expr.name('quarantined')} = "
                                             f"{vote_expr.value('no', di.b(False))}, "
                                             f"{vote_expr.name('quarantine_reason')} = "
                                             f"{vote_expr.value('e', di.s(''))}",
                            ConditionExpression=f"{vote_expr.name('request_id')} = "
                                                f"{vote_expr.value('rid', item['request_id'])}")}},
            {"Update": {"TableName": self.table, "Key": di.summary_key(site_id, article),
                        **agg_expr.params(UpdateExpression=(
                            f"ADD {agg_expr.name('count')} {agg_expr.value('one', di.n(1))},"
                            f" {agg_expr.name('total')} {agg_expr.value('r', di.n(rating))},"
                            f" {agg_expr.name(f'h{rating}')} :one, {agg_expr.name('ver')} :one"))}},
            {"Delete": {"TableName": self.table, "Key": quarantine_key(site_id, article, voter)}},
        ])
        return di.summary_from_item(article, self._get(di.summary_key(site_id, article), consistent=True))

    def discard_vote(self, site_id: str, article: str, voter: str) -> None:
        """Delete a quarantined vote and its index item in one transaction."""
        item = self._held_vote(site_id, article, voter)
        expr = di.Expr()
        self._transact([
            {"Delete": {"TableName": self.table, "Key": di.vote_key(site_id, article, voter),
                        **expr.params(ConditionExpression=f"{expr.name('request_id')} = "
                                                          f"{expr.value('rid', item['request_id'])}")}},
            {"Delete": {"TableName": self.table, "Key": quarantine_key(site_id, article, voter)}},
        ])

    def _transact(self, items: list[dict[str, object]]) -> None:
        try:
            self._call("transact_write_items", TransactItems=items)
        except self._ConditionFailed as exc:
            raise Conflict("The vote changed meanwhile; try again.") from exc

    # -- data rights ---------------------------------------------------------------------

    def _index_feedback(self, event: Event, day: str) -> None:
        self._put({**feedback_key(event.site, event.at, event.id), "day": di.s(day),
                   "email": di.s(event.contact_email.strip().lower())})

    def _feedback(self, site_id: str, before: datetime | None = None, purged: bool = False,
                  email: str | None = None) -> Iterator[tuple[di.Item, di.Item]]:
        """Yield (index item, event item) of a site's feedback, oldest first.

        Purged feedback moves to its own partition, so the hourly purge reads only what is
        still due and never the ever-growing rest.
        """
        index = list(self._query(f"S#{site_id}#FB", below=di.iso(before) if before else None))
        if purged:
            index += self._query(f"S#{site_id}#FBP")
        if email is not None:
            index = [i for i in index if di.text(i, "email") == email]
        index = list({i[di.SK]["S"]: i for i in index}.values())  # a purge cut short leaves two
        keys = [di.event_key(site_id, di.text(i, "day"), datetime.fromisoformat(i[di.SK]["S"].split("#")[0]),
                             i[di.SK]["S"].split("#")[1]) for i in index]
        events = {i[di.SK]["S"]: i for i in self._batch_get(keys)}
        for entry in sorted(index, key=lambda i: i[di.SK]["S"]):
            event = events.get(entry[di.SK]["S"])
            if event is not None:
                yield entry, event

    def export(self, site_id: str) -> tuple[list[Vote], list[Event]]:
        """Return every vote (one Query per article) and every feedback (from the feedback index)."""
        votes: list[Vote] = []
        for summary in self.articles(site_id):
            for item in self._query(di.votes_pk(site_id, summary.article), begins="V#"):
                votes.append(self._vote_from_item(site_id, summary.article, item[di.SK]["S"][2:], item,
                                                  summary.title, summary.url))
        feedback = [di.event_from_item(site_id, e) for _, e in self._feedback(site_id, purged=True)]
        return sorted(votes, key=lambda v: v.at), feedback

    def _sites_ids(self) -> list[str]:
        return [s.id for s in self.list_sites()]

    def forget_contact(self, email: str) -> int:
        """Delete every feedback that left this contact email, and its index item."""
        wanted = email.strip().lower()
        count = 0
        for site_id in self._sites_ids():
            for entry, event in self._feedback(site_id, email=wanted):
                self._call("delete_item", Key={di.PK: event[di.PK], di.SK: event[di.SK]})
                self._call("delete_item", Key={di.PK: entry[di.PK], di.SK: entry[di.SK]})
                count += 1
        return count

    def purge_feedback(self, before: datetime) -> int:
        """Remove the text and contact of feedback older than `before`; return how many."""
        count = 0
        for site_id in self._sites_ids():
            for entry, event in self._feedback(site_id, before):
                if "text" in event or "contact_email" in event:
                    expr = di.Expr()
                    self._call("update_item", Key={di.PK: event[di.PK], di.SK: event[di.SK]},
                               **expr.params(UpdateExpression=f"REMOVE {expr.name('text')}, "
                                                              f"{expr.name('contact_email')}"))
                    count += 1
                # Move the index entry to the purged partition (put first: a crash keeps both).
                self._put({di.PK: di.s(f"S#{site_id}#FBP"), di.SK: entry[di.SK], "day": entry["day"]})
                self._call("delete_item", Key={di.PK: entry[di.PK], di.SK: entry[di.SK]})
        return count

