"""DynamoDBStore: the AWS adapter, one on-demand table (layout in dynamo_items).

A new vote writes three small items: the day's event (first, so that a crash after it
leaves a trace the reconcile finds), the vote (conditional on the state it replaces) and
an ADD to the article's aggregate (commutative, so concurrent votes stay exact). The
aggregate update returns the new summary, so a vote needs no read after its writes.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ascolto.errors import ConfigError, Conflict, NotFound, StoreError, Unavailable
from ascolto.ratings import Event, Feedback, Site, Summary, Vote, VoteResult
from ascolto.stores import dynamo_items as di
from ascolto.stores.base import MAX_BATCH
from ascolto.stores.dynamo_hardening import HardeningMixin
from ascolto.stores.dynamo_reconcile import ReconcileMixin

THROTTLED = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "InternalServerError", "ServiceUnavailable", "LimitExceededException",
    "TransactionInProgressException",
})
CLAIM_LEASE = timedelta(minutes=30)
CLAIM_TTL = timedelta(days=90)
SITE_CACHE_SECONDS = 30.0
CONFLICT_ATTEMPTS = 8


class _ConditionFailed(Exception):
    """A conditional write whose condition did not hold (internal: callers give it meaning)."""


class DynamoDBStore(HardeningMixin, ReconcileMixin):
    """Store adapter on one DynamoDB table; the boto3 client is created on first use."""

    _ConditionFailed = _ConditionFailed

    def __init__(self, table: str, *, region: str | None = None, endpoint: str | None = None,
                 client: Any = None, attempts: int = 5, backoff: float = 0.05,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.table = di.validate_table_name(table)
        self.region = region
        self.endpoint = endpoint
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        self._client = client
        self._owns_client = client is None
        self._lock = threading.Lock()
        self._sites: dict[str, tuple[float, Site | None]] = {}
        self._salts: dict[str, tuple[str, float]] = {}

    @classmethod
    def from_url(cls, url: str) -> DynamoDBStore:
        """Open `dynamodb://TABLE?region=eu-west-1[&endpoint=http://127.0.0.1:8000]`."""
        parts = urlsplit(url)
        if parts.path not in ("", "/"):
            di.validate_table_name(parts.netloc + parts.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return cls(parts.netloc, region=query.get("region"), endpoint=query.get("endpoint"))

    @staticmethod
    def table_definition(name: str) -> dict[str, Any]:
        """Return the CreateTable arguments of the table this store expects."""
        return di.table_definition(name)

    @property
    def client(self) -> Any:
        """Return the DynamoDB client, creating it on first use (never at import: cold start)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3
                    from botocore.config import Config

                    config = Config(connect_timeout=2, read_timeout=5,
                                    retries={"mode": "standard", "total_max_attempts": 2})
                    self._client = boto3.client("dynamodb", region_name=self.region,
                                                endpoint_url=self.endpoint, config=config)
        return self._client

    def close(self) -> None:
        """Close the client this store created (an injected one belongs to the caller)."""
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None

    # -- calls, retries and error translation --------------------------------------------

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Call DynamoDB, retrying throttling with jittered backoff; translate failures."""
        from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError, NoCredentialsError, NoRegionError
        from botocore.exceptions import ConnectionError as NetworkError

        for attempt in range(self.attempts):
            try:
                if operation not in ("batch_get_item", "transact_write_items"):
                    params["TableName"] = self.table
                return getattr(self.client, operation)(**params)  # type: ignore[no-any-return]
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code in ("ConditionalCheckFailedException", "TransactionCanceledException"):
                    raise _ConditionFailed(code) from exc
                if code == "ResourceNotFoundException":
                    raise StoreError(f"DynamoDB table {self.table!r} does not exist.") from exc
                if code not in THROTTLED:
                    raise StoreError(f"DynamoDB {operation} failed: {code}.") from exc
                if attempt == self.attempts - 1:
                    raise Unavailable("The database is busy; try again.", retry_after=2) from exc
            except (NetworkError, HTTPClientError) as exc:  # timeouts, refused or dropped connections
                if attempt == self.attempts - 1:
                    raise Unavailable(f"The database cannot be reached: {exc}", retry_after=2) from exc
            except (NoCredentialsError, NoRegionError) as exc:  # the machine's setup, not a fault of the call
                raise ConfigError("ASCOLTO_STORE", f"{self.table}: {str(exc).rstrip('.')}. Give AWS credentials "
                                  "(AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an IAM role) "
                                  "and a region (dynamodb://TABLE?region=eu-west-1 or AWS_REGION)") from exc
            except BotoCoreError as exc:  # bad parameters: retrying will not help
                raise StoreError(f"DynamoDB {operation} failed: {exc}") from exc
            self._pause(attempt)
        raise AssertionError("unreachable")

    def _pause(self, attempt: int) -> None:
        """Sleep with full jitter, growing exponentially and capped at one second."""
        self.sleep(random.uniform(0, min(1.0, self.backoff * 2**attempt)))

    def _get(self, key: di.Item, consistent: bool = False) -> di.Item | None:
        return self._call("get_item", Key=key, ConsistentRead=consistent).get("Item")

    def _put(self, item: di.Item, **params: Any) -> None:
        di.check_size(item)
        self._call("put_item", Item=item, **params)

    def _query(self, pk: str, *, between: tuple[str, str] | None = None, begins: str | None = None,
               below: str | None = None, consistent: bool = False) -> Iterator[di.Item]:
        """Yield every item of one partition (optionally a sort-key range), page by page."""
        expr = di.Expr()
        condition = f"{expr.name(di.PK)} = {expr.value('pk', di.s(pk))}"
        if between:
            condition += (f" AND {expr.name(di.SK)} BETWEEN {expr.value('lo', di.s(between[0]))}"
                          f" AND {expr.value('hi', di.s(between[1]))}")
        elif below:
            condition += f" AND {expr.name(di.SK)} < {expr.value('hi', di.s(below))}"
        elif begins:
            condition += f" AND begins_with({expr.name(di.SK)}, {expr.value('pre', di.s(begins))})"
        params = expr.params(KeyConditionExpression=condition)
        while True:
            page = self._call("query", ConsistentRead=consistent, **params)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _batch_get(self, keys: list[di.Item], consistent: bool = False) -> list[di.Item]:
        """Fetch items with BatchGetItem (≤ 100 keys a call), retrying unprocessed keys."""
        found: list[di.Item] = []
        for chunk in di.chunks(keys):
            pending: dict[str, Any] = {self.table: {"Keys": chunk, "ConsistentRead": consistent}}
            for attempt in range(self.attempts + 1):
                page = self._call("batch_get_item", RequestItems=pending)
                found.extend(page.get("Responses", {}).get(self.table, []))
                pending = page.get("UnprocessedKeys") or {}
                if not pending:
                    break
                if attempt == self.attempts:
                    raise Unavailable("The database is busy; try again.", retry_after=2)
                self._pause(attempt)
        return found

    # -- sites ---------------------------------------------------------------------------

    def put_site(self, site: Site) -> None:
        """Create or replace a site."""
        self._put({**di.site_key(site.id), "site": di.s(json.dumps(site.to_dict(), sort_keys=True))})
        self._sites.pop(site.id, None)

    def get_site(self, site_id: str) -> Site | None:
        """Return a site, cached for a few seconds (every API request asks for it)."""
        now = time.monotonic()
        cached = self._sites.get(site_id)
        if cached and cached[0] > now:
            return cached[1]
        item = self._get(di.site_key(site_id))
        site = Site.from_dict(json.loads(item["site"]["S"])) if item else None
        if len(self._sites) > 1000:
            self._sites.clear()
        self._sites[site_id] = (now + SITE_CACHE_SECONDS, site)
        return site

    def list_sites(self) -> list[Site]:
        """Return every site, ordered by id, from the one sites partition (a Query, not a Scan)."""
        return [Site.from_dict(json.loads(i["site"]["S"])) for i in self._query(di.SITES_PK)]

    # -- votes ---------------------------------------------------------------------------

    def record_vote(self, vote: Vote) -> VoteResult:
        """Create or change a vote and move the article's aggregate by the exact difference."""
        key = di.vote_key(vote.site, vote.article, vote.voter)
        for attempt in range(CONFLICT_ATTEMPTS):
            old = self._get(key, consistent=attempt > 0)
            if old is not None and di.text(old, "request_id") == vote.request_id:
                return self._unchanged(vote, old)  # a retry of a request already applied
            if old is not None and di.number(old, "rating") == vote.rating:
                if attempt == 0:
                    continue  # confirm with a consistent read before calling it unchanged
                return self._unchanged(vote, old)
            previous = di.number(old, "rating") if old else None
            event = Event(kind="vote" if old is None else "change", site=vote.site, article=vote.article,
                          voter=vote.voter, at=vote.at, rating=vote.rating, previous_rating=previous,
                          title=vote.title, url=vote.url, quarantined=vote.quarantined,
                          quarantine_reason=vote.quarantine_reason, id=di.event_id())
            event_item = di.event_item(event, vote.day, vote.request_id)
            self._put(event_item)
            try:
                self._write_vote(vote, key, old)
            except _ConditionFailed:
                # Another request by this voter won the race: drop our event, read again.
                self._call("delete_item", Key={di.PK: event_item[di.PK], di.SK: event_item[di.SK]})
                continue
            was_quarantined = old is not None and di.flag(old, "quarantined")
            if vote.quarantined or was_quarantined:
                self._mark_quarantine(vote, was_quarantined)
            counted = previous if old is not None and not was_quarantined else None
            summary = self._move_aggregate(vote, counted)
            return VoteResult(summary, vote.rating, previous, changed=True)
        raise Conflict("The vote changed too often at once; try again.")

    def _unchanged(self, vote: Vote, old: di.Item) -> VoteResult:
        rating = di.number(old, "rating") or vote.rating
        return VoteResult(self.summary(vote.site, vote.article), rating, rating, changed=False)

    def _write_vote(self, vote: Vote, key: di.Item, old: di.Item | None) -> None:
        """Write the vote only if it still is in the state we read (else _ConditionFailed)."""
        expr = di.Expr()
        at = expr.value("at", di.s(di.iso(vote.at)))
        sets = [f"{expr.name('rating')} = {expr.value('rating', di.n(vote.rating))}",
                f"{expr.name('request_id')} = {expr.value('rid', di.s(vote.request_id))}",
                f"{expr.name('at')} = {at}",
                f"{expr.name('day')} = {expr.value('day', di.s(vote.day))}",
                f"{expr.name('quarantined')} = {expr.value('q', di.b(vote.quarantined))}",
                f"{expr.name('quarantine_reason')} = {expr.value('why', di.s(vote.quarantine_reason))}",
                f"{expr.name('created_at')} = if_not_exists({expr.name('created_at')}, {at})"]
        if old is None:
            condition = f"attribute_not_exists({expr.name(di.PK)})"
        else:
            condition = f"{expr.name('request_id')} = {expr.value('old', old['request_id'])}"
        self._call("update_item", Key=key,
                   **expr.params(UpdateExpression="SET " + ", ".join(sets), ConditionExpression=condition))

    def _move_aggregate(self, vote: Vote, counted_old: int | None) -> Summary:
        """ADD the vote's difference to the aggregate and return the new summary."""
        delta = {f"h{i}": 0 for i in range(1, 6)}
        count = total = 0
        if counted_old is not None:
            delta[f"h{counted_old}"] -= 1
            count, total = count - 1, total - counted_old
        if not vote.quarantined:
            delta[f"h{vote.rating}"] += 1
            count, total = count + 1, total + vote.rating
        expr = di.Expr()
        adds = [f"{expr.name(name)} {expr.value(name, di.n(value))}"
                for name, value in {"count": count, "total": total, **delta, "ver": 1}.items()]
        sets = [f"{expr.name('article')} = {expr.value('article', di.s(vote.article))}",
                f"{expr.name('first_at')} = if_not_exists({expr.name('first_at')},"
                f" {expr.value('at', di.s(di.iso(vote.at)))})"]
        for name in ("title", "url"):
            if getattr(vote, name):
                sets.append(f"{expr.name(name)} = {expr.value(name, di.s(getattr(vote, name)))}")
        update = "SET " + ", ".join(sets) + " ADD " + ", ".join(adds)
        item = self._call("update_item", Key=di.summary_key(vote.site, vote.article), ReturnValues="ALL_NEW",
                          **expr.params(UpdateExpression=update))["Attributes"]
        return di.summary_from_item(vote.article, item)

    # -- feedback ------------------------------------------------------------------------

    def add_feedback(self, feedback: Feedback) -> Feedback:
        """Store feedback with the voter's current rating (one batched read, one write)."""
        vote_key = di.vote_key(feedback.site, feedback.article, feedback.voter)
        summary_key = di.summary_key(feedback.site, feedback.article)
        items = self._batch_get([vote_key, summary_key], consistent=True)
        vote = next((i for i in items if i[di.SK] == vote_key[di.SK]), None)
        aggregate = next((i for i in items if i[di.SK] == summary_key[di.SK]), None)
        if vote is None:
            raise NotFound("No vote by this voter on this article.")
        rating = di.number(vote, "rating")
        event = Event(kind="feedback", site=feedback.site, article=feedback.article, voter=feedback.voter,
                      at=feedback.at, rating=rating, title=di.text(aggregate or {}, "title"),
                      url=di.text(aggregate or {}, "url"), text=feedback.text,
                      contact_email=feedback.contact_email, id=feedback.id)
        self._put(di.event_item(event, feedback.day))
        self._index_feedback(event, feedback.day)
        return Feedback(**{**feedback.__dict__, "rating": rating})

    # -- summaries -----------------------------------------------------------------------

    def summary(self, site_id: str, article: str) -> Summary:
        """Return one article's summary with one eventually consistent GetItem."""
        return di.summary_from_item(article, self._get(di.summary_key(site_id, article)))

    def summaries(self, site_id: str, articles: list[str]) -> dict[str, Summary]:
        """Return up to MAX_BATCH summaries with one BatchGetItem."""
        wanted = list(dict.fromkeys(articles))[:MAX_BATCH]
        if not wanted:
            return {}
        keys = {di.summary_key(site_id, a)[di.SK]["S"]: a for a in wanted}
        items = self._batch_get([di.summary_key(site_id, a) for a in wanted])
        found = {keys[i[di.SK]["S"]]: i for i in items}
        return {a: di.summary_from_item(a, found.get(a)) for a in wanted}

    def articles(self, site_id: str) -> list[Summary]:
        """Return every article aggregate of a site with one Query of its summaries partition."""
        items = self._query(f"S#{site_id}#AGG")
        return sorted((di.summary_from_item("", i) for i in items), key=lambda s: s.article)

    # -- events ------------------------------------------------------------

    def events(self, site: Site, start: datetime, end: datetime) -> list[Event]:
        """Return the site's events in [start, end): one Query per site-local day in the window."""
        if end <= start:
            return []
        first = start.astimezone(site.zone).date()
        last = (end - timedelta(microseconds=1)).astimezone(site.zone).date()
        items: list[di.Item] = []
        day = first
        while day <= last:
            # Sort keys are "{iso}#{id}", so "[start, end)" is BETWEEN start and end.
            items.extend(self._query(di.events_pk(site.id, day.isoformat()),
                                     between=(di.iso(start), di.iso(end))))
            day += timedelta(days=1)
        # A request retried after a crash between its first two writes logged its event twice:
        # keep the last one.
        def request(item: di.Item) -> str:
            return di.text(item, "request_id") or item[di.SK]["S"]

        latest = {request(i): i for i in items}
        found = [di.event_from_item(site.id, i) for i in items if latest[request(i)] is i]
        return sorted(found, key=lambda e: e.at)

    # -- digest claims -------------------------------------------------------------------

    def claim_digest(self, key: str, now: datetime) -> bool:
        """Claim a digest with a conditional put; False if it is sent or freshly claimed."""
        expr = di.Expr()
        condition = (f"attribute_not_exists({expr.name(di.PK)}) OR ({expr.name('state')} = "
                     f"{expr.value('claimed', di.s('claimed'))} AND {expr.name('claimed_at')} < "
                     f"{expr.value('stale', di.s(di.iso(now - CLAIM_LEASE)))})")
        item = {**di.digest_key(key), "state": di.s("claimed"), "claimed_at": di.s(di.iso(now)),
                di.TTL_ATTRIBUTE: di.n(int((now + CLAIM_TTL).timestamp()))}
        try:
            self._put(item, **expr.params(ConditionExpression=condition))
        except _ConditionFailed:
            return False
        return True

    def release_digest(self, key: str) -> None:
        """Delete a claim (never a sent mark) so the next run retries."""
        expr = di.Expr()
        condition = f"{expr.name('state')} = {expr.value('claimed', di.s('claimed'))}"
        try:
            self._call("delete_item", Key=di.digest_key(key), **expr.params(ConditionExpression=condition))
        except _ConditionFailed:
            pass

    def complete_digest(self, key: str, now: datetime) -> None:
        """Mark a claimed digest as sent, for good (until its TTL)."""
        expr = di.Expr()
        update = (f"SET {expr.name('state')} = {expr.value('sent', di.s('sent'))},"
                  f" {expr.name('sent_at')} = {expr.value('at', di.s(di.iso(now)))},"
                  f" {expr.name(di.TTL_ATTRIBUTE)} = {expr.value('ttl', di.n(int((now + CLAIM_TTL).timestamp())))}")
        self._call("update_item", Key=di.digest_key(key), **expr.params(UpdateExpression=update))
