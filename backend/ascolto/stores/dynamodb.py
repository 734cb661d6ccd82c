"""DynamoDBStore: the AWS adapter, one on-demand table (layout in dynamodb_layout).

How DynamoDB keeps ascolto's records. A vote write is up to three small writes: the day's
event first (so a crash after it leaves a trace the reconcile finds), then the vote,
conditional on the request it replaces, then an ADD to the article's aggregate, which is
commutative, so concurrent votes stay exact, and returns the new numbers. Throttling and
network faults are retried by botocore's standard retry mode; what still fails becomes
Unavailable.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ascolto.errors import ConfigError, Conflict, StoreError, Unavailable
from ascolto.ratings import Delta, Event, Site, StoredVote, Summary, VoteWrite, local_days
from ascolto.stores import dynamodb_layout as layout
from ascolto.stores.base import MAX_BATCH
from ascolto.stores.dynamodb_layout import PK, SK, TTL_ATTRIBUTE, Expr, Item, n, s

THROTTLED = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "InternalServerError", "ServiceUnavailable", "LimitExceededException",
})
SITE_CACHE_SECONDS = 30.0
COUNTER = "n_"  # record counters are number attributes, so an ADD can change them atomically


class DynamoDBStore:
    """Store adapter on one DynamoDB table; the boto3 client is created on first use."""

    def __init__(self, table: str, *, region: str | None = None, endpoint: str | None = None,
                 client: Any = None, attempts: int = 5, sleep: Callable[[float], None] = time.sleep) -> None:
        self.table = layout.validate_table_name(table)
        self.region = region
        self.endpoint = endpoint
        self.attempts = attempts
        self.sleep = sleep
        self._client = client
        self._owns_client = client is None
        self._lock = threading.Lock()
        self._sites: dict[str, tuple[float, Site | None]] = {}

    @classmethod
    def from_url(cls, url: str) -> DynamoDBStore:
        """Open `dynamodb://TABLE?region=eu-west-1[&endpoint=http://127.0.0.1:8000]`."""
        parts = urlsplit(url)
        if parts.path not in ("", "/"):
            layout.validate_table_name(parts.netloc + parts.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return cls(parts.netloc, region=query.get("region"), endpoint=query.get("endpoint"))

    @staticmethod
    def table_definition(name: str) -> dict[str, Any]:
        """Return the CreateTable arguments of the table this store expects."""
        return layout.table_definition(name)

    @property
    def client(self) -> Any:
        """Return the DynamoDB client, creating it on first use (never at import: cold start)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3
                    from botocore.config import Config

                    config = Config(connect_timeout=2, read_timeout=5,
                                    retries={"mode": "standard", "total_max_attempts": self.attempts})
                    self._client = boto3.client("dynamodb", region_name=self.region,
                                                endpoint_url=self.endpoint, config=config)
        return self._client

    def close(self) -> None:
        """Close the client this store created (an injected one belongs to the caller)."""
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None

    def atomic(self) -> Any:
        """Return a no-op context: every DynamoDB request stands alone (the rules retry on Conflict)."""
        return nullcontext()

    # -- calls and error translation ---------------------------------------------------------

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Call DynamoDB (botocore retries throttling) and translate what still fails."""
        from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError, NoCredentialsError, NoRegionError
        from botocore.exceptions import ConnectionError as NetworkError

        if operation not in ("batch_get_item", "transact_write_items"):
            params["TableName"] = self.table
        try:
            return getattr(self.client, operation)(**params)  # type: ignore[no-any-return]
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("ConditionalCheckFailedException", "TransactionCanceledException"):
                raise Conflict("The item changed meanwhile.") from exc
            if code == "ResourceNotFoundException":
                raise StoreError(f"DynamoDB table {self.table!r} does not exist.") from exc
            if code in THROTTLED:
                raise Unavailable("The database is busy; try again.", retry_after=2) from exc
            raise StoreError(f"DynamoDB {operation} failed: {code}.") from exc
        except (NetworkError, HTTPClientError) as exc:  # timeouts, refused or dropped connections
            raise Unavailable(f"The database cannot be reached: {exc}", retry_after=2) from exc
        except NoCredentialsError as exc:
            raise ConfigError("ASCOLTO_STORE", "no AWS credentials found: set AWS_ACCESS_KEY_ID and "
                                               "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE") from exc
        except NoRegionError as exc:
            raise ConfigError("ASCOLTO_STORE", "no AWS region: use dynamodb://TABLE?region=eu-west-1 "
                                               "or set AWS_REGION") from exc
        except BotoCoreError as exc:  # bad parameters: retrying will not help
            raise StoreError(f"DynamoDB {operation} failed: {exc}") from exc

    def _get(self, key: Item, consistent: bool = False) -> Item | None:
        return self._call("get_item", Key=key, ConsistentRead=consistent).get("Item")

    def _put(self, item: Item, **params: Any) -> None:
        layout.check_size(item)
        self._call("put_item", Item=item, **params)

    def _delete(self, key: Item, **params: Any) -> dict[str, Any]:
        return self._call("delete_item", Key=key, **params)

    def _query(self, pk: str, *, between: tuple[str, str] | None = None, begins: str | None = None,
               below: str | None = None, consistent: bool = False) -> Iterator[Item]:
        """Yield every item of one partition (optionally a sort-key range), page by page."""
        expr = Expr()
        condition = f"{expr.name(PK)} = {expr.value('pk', s(pk))}"
        if between:
            condition += (f" AND {expr.name(SK)} BETWEEN {expr.value('lo', s(between[0]))}"
                          f" AND {expr.value('hi', s(between[1]))}")
        elif below:
            condition += f" AND {expr.name(SK)} < {expr.value('hi', s(below))}"
        elif begins:
            condition += f" AND begins_with({expr.name(SK)}, {expr.value('pre', s(begins))})"
        params = expr.params(KeyConditionExpression=condition)
        while True:
            page = self._call("query", ConsistentRead=consistent, **params)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _batch_get(self, keys: list[Item], consistent: bool = False) -> list[Item]:
        """Fetch items with BatchGetItem (<= 100 distinct keys a call), retrying unprocessed keys."""
        unique = list({(k[PK]["S"], k[SK]["S"]): k for k in keys}.values())
        found: list[Item] = []
        for chunk in layout.chunks(unique):
            pending: dict[str, Any] = {self.table: {"Keys": chunk, "ConsistentRead": consistent}}
            for attempt in range(self.attempts + 1):
                page = self._call("batch_get_item", RequestItems=pending)
                found.extend(page.get("Responses", {}).get(self.table, []))
                pending = page.get("UnprocessedKeys") or {}
                if not pending:
                    break
                if attempt == self.attempts:
                    raise Unavailable("The database is busy; try again.", retry_after=2)
                self.sleep(min(1.0, 0.05 * 2**attempt))
        return found

    # -- sites ---------------------------------------------------------------------------

    def put_site(self, site: Site) -> None:
        """Create or replace a site."""
        self._put({**layout.site_key(site.id), "site": s(json.dumps(site.to_dict(), sort_keys=True))})
        self._sites.pop(site.id, None)

    def get_site(self, site_id: str) -> Site | None:
        """Return a site, cached for a few seconds (every API request asks for it)."""
        now = time.monotonic()
        cached = self._sites.get(site_id)
        if cached and cached[0] > now:
            return cached[1]
        item = self._get(layout.site_key(site_id))
        site = Site.from_dict(json.loads(item["site"]["S"])) if item else None
        if len(self._sites) > 1000:
            self._sites.clear()
        self._sites[site_id] = (now + SITE_CACHE_SECONDS, site)
        return site

    def list_sites(self) -> list[Site]:
        """Return every site, ordered by id, from the one sites partition (a Query, not a Scan)."""
        return [Site.from_dict(json.loads(i["site"]["S"])) for i in self._query(layout.SITES_PK)]

    def delete_site(self, site_id: str, days: Sequence[str]) -> None:
        """Delete a site's items partition by partition (Queries, never a Scan), the site item last."""
        partitions = [f"S#{site_id}#AGG", f"S#{site_id}#Q", f"S#{site_id}#FB", f"S#{site_id}#FBP",
                      *(layout.events_pk(site_id, day) for day in days)]
        partitions += [layout.votes_pk(site_id, a.article) for a in self.articles(site_id)]
        partitions += [layout.votes_pk(site_id, v.article) for v in self.held_votes(site_id)]
        for pk in dict.fromkeys(partitions):
            for item in list(self._query(pk)):
                self._delete({PK: item[PK], SK: item[SK]})
        self._delete(layout.site_key(site_id))
        self._sites.pop(site_id, None)

    # -- votes and aggregates --------------------------------------------------------------

    def vote_and_summary(self, site_id: str, article: str, voter: str) -> tuple[StoredVote | None, Summary]:
        """Return the vote and the aggregate with one strongly consistent BatchGetItem."""
        vote_key, agg_key = layout.vote_key(site_id, article, voter), layout.summary_key(site_id, article)
        items = {i[PK]["S"]: i for i in self._batch_get([vote_key, agg_key], consistent=True)}
        vote = items.get(vote_key[PK]["S"])
        return (layout.vote_from_item(site_id, article, vote) if vote else None,
                layout.summary_from_item(article, items.get(agg_key[PK]["S"])))

    def write_vote(self, write: VoteWrite) -> Summary:
        """Write the event, then the vote (conditional), then ADD the delta to the aggregate."""
        event_item = layout.event_item(write.event, write.day) if write.event else None
        if event_item is not None:
            self._put(event_item)
        try:
            old = self._write_vote_item(write)
        except Conflict:
            if event_item is not None:  # the write lost: take its event back
                self._delete({PK: event_item[PK], SK: event_item[SK]})
            raise
        held_now = write.vote is not None and write.vote.quarantined
        if held_now:
            self._put({**layout.held_key(write.site, write.article, write.voter), "article": s(write.article),
                       "voter": s(write.voter)})
        elif old is not None and layout.flag(old, "quarantined"):
            self._delete(layout.held_key(write.site, write.article, write.voter))
        if write.delta.zero:
            return self.summary(write.site, write.article, consistent=True)
        return self._add_to_aggregate(write)

    def _write_vote_item(self, write: VoteWrite) -> Item | None:
        """Put or delete the vote if it still has the expected request; return the item it replaced."""
        key = layout.vote_key(write.site, write.article, write.voter)
        expr = Expr()
        if write.expected_request_id is None:
            condition = f"attribute_not_exists({expr.name(PK)})"
        else:
            condition = f"{expr.name('request_id')} = {expr.value('old', s(write.expected_request_id))}"
        params = expr.params(ConditionExpression=condition)
        if write.vote is None:
            return self._delete(key, ReturnValues="ALL_OLD", **params).get("Attributes")
        item = layout.vote_item(write.vote)
        layout.check_size(item)
        return self._call("put_item", Item=item, ReturnValues="ALL_OLD", **params).get("Attributes")

    def _add_to_aggregate(self, write: VoteWrite) -> Summary:
        d = write.delta
        expr = Expr()
        numbers = {"count": d.count, "total": d.total, **{f"h{i + 1}": c for i, c in enumerate(d.histogram)},
                   "ver": 1}
        adds = [f"{expr.name(name)} {expr.value(name, n(value))}" for name, value in numbers.items()]
        sets = [f"{expr.name('article')} = {expr.value('article', s(write.article))}",
                f"{expr.name('first_at')} = if_not_exists({expr.name('first_at')}, "
                f"{expr.value('at', s(layout.iso(write.at)))})"]
        for name in ("title", "url"):  # set once, by the write that creates the article
            sets.append(f"{expr.name(name)} = if_not_exists({expr.name(name)}, "
                        f"{expr.value(name, s(getattr(write, name)))})")
        update = "SET " + ", ".join(sets) + " ADD " + ", ".join(adds)
        item = self._call("update_item", Key=layout.summary_key(write.site, write.article), ReturnValues="ALL_NEW",
                          **expr.params(UpdateExpression=update))["Attributes"]
        return layout.summary_from_item(write.article, item)

    def article_votes(self, site_id: str, article: str) -> list[StoredVote]:
        """Return an article's votes with one consistent Query of its partition."""
        items = self._query(layout.votes_pk(site_id, article), begins="V#", consistent=True)
        return [layout.vote_from_item(site_id, article, i) for i in items]

    def held_votes(self, site_id: str) -> list[StoredVote]:
        """Return the held-back votes named by the site's held-vote index."""
        markers = list(self._query(f"S#{site_id}#Q"))
        pairs = [(layout.text(m, "article"), layout.text(m, "voter")) for m in markers]
        keys = [layout.vote_key(site_id, a, v) for a, v in pairs]
        found = {(i[PK]["S"], i[SK]["S"]): i for i in self._batch_get(keys, consistent=True)}
        votes = []
        for (article, _), key in zip(pairs, keys, strict=True):
            item = found.get((key[PK]["S"], key[SK]["S"]))
            if item is not None:
                votes.append(layout.vote_from_item(site_id, article, item))
        return votes

    def site_votes(self, site_id: str) -> list[StoredVote]:
        """Return every vote of a site: one Query per article, plus held votes on articles that have none (export)."""
        known = {a.article for a in self.articles(site_id)}
        votes = [v for article in sorted(known) for v in self.article_votes(site_id, article)]
        return votes + [v for v in self.held_votes(site_id) if v.article not in known]

    def summary(self, site_id: str, article: str, consistent: bool = False) -> Summary:
        """Return one article's aggregate with one GetItem (eventually consistent unless asked)."""
        return layout.summary_from_item(article, self._get(layout.summary_key(site_id, article), consistent))

    def summaries(self, site_id: str, articles: Sequence[str]) -> dict[str, Summary]:
        """Return up to MAX_BATCH aggregates with one BatchGetItem."""
        wanted = list(dict.fromkeys(articles))[:MAX_BATCH]
        if not wanted:
            return {}
        keys = {layout.summary_key(site_id, a)[SK]["S"]: a for a in wanted}
        items = self._batch_get([layout.summary_key(site_id, a) for a in wanted])
        found = {keys[i[SK]["S"]]: i for i in items}
        return {a: layout.summary_from_item(a, found.get(a)) for a in wanted}

    def articles(self, site_id: str) -> list[Summary]:
        """Return every article aggregate of a site with one Query of its aggregates partition."""
        items = self._query(f"S#{site_id}#AGG")
        return sorted((layout.summary_from_item("", i) for i in items), key=lambda x: x.article)

    def replace_aggregate(self, site_id: str, article: str, counted: Delta, expected_version: int,
                          first_at: datetime, title: str = "", url: str = "") -> None:
        """Set an aggregate's numbers with an UpdateItem conditional on its version."""
        expr = Expr()
        numbers = {"count": counted.count, "total": counted.total,
                   **{f"h{i + 1}": c for i, c in enumerate(counted.histogram)}, "ver": expected_version + 1}
        sets = [f"{expr.name(k)} = {expr.value(k, n(v))}" for k, v in numbers.items()]
        sets += [f"{expr.name('article')} = {expr.value('article', s(article))}",
                 f"{expr.name('first_at')} = if_not_exists({expr.name('first_at')}, "
                 f"{expr.value('first', s(layout.iso(first_at)))})"]
        for name, value in (("title", title), ("url", url)):  # set once, by the write that creates the article
            sets.append(f"{expr.name(name)} = if_not_exists({expr.name(name)}, {expr.value(name, s(value))})")
        condition = _version_condition(expr, expected_version)
        self._call("update_item", Key=layout.summary_key(site_id, article),
                   **expr.params(UpdateExpression="SET " + ", ".join(sets), ConditionExpression=condition))

    # -- the event log ---------------------------------------------------------------------

    def add_event(self, event: Event, day: str) -> None:
        """Put an event; feedback also gets an index item, so owner commands Query instead of Scan."""
        self._put(layout.event_item(event, day))
        if event.kind == "feedback":
            self._put({**layout.feedback_key(event.site, event.at, event.id), "day": s(day),
                       "email": s(event.contact_email.strip().lower())})

    def events(self, site: Site, start: datetime, end: datetime) -> list[Event]:
        """Return the site's events in [start, end): one Query per site-local day in the window."""
        items: list[Item] = []
        for day in local_days(site, start, end):
            # Sort keys are "{iso}#{id}", so "[start, end)" is BETWEEN start and end.
            items.extend(self._query(layout.events_pk(site.id, day), between=(layout.iso(start), layout.iso(end))))
        return _latest_per_request(site.id, items)

    def day_events(self, site: Site, day: str) -> list[Event]:
        """Return the events of one local day with one Query of its partition."""
        return _latest_per_request(site.id, list(self._query(layout.events_pk(site.id, day))))

    def _feedback(self, site_id: str, before: datetime | None = None, purged: bool = False,
                  email: str | None = None) -> Iterator[tuple[Item, Item]]:
        """Yield (index item, event item) of a site's feedback, oldest first.

        Purged feedback moves to its own partition, so the hourly purge reads only what is
        still due and never the ever-growing rest.
        """
        index = list(self._query(f"S#{site_id}#FB", below=layout.iso(before) if before else None))
        if purged:
            index += self._query(f"S#{site_id}#FBP")
        if email is not None:
            index = [i for i in index if layout.text(i, "email") == email]
        index = list({i[SK]["S"]: i for i in index}.values())  # a purge cut short leaves two
        keys = [layout.event_key(site_id, layout.text(i, "day"), datetime.fromisoformat(i[SK]["S"].split("#")[0]),
                                 i[SK]["S"].split("#")[1]) for i in index]
        events = {i[SK]["S"]: i for i in self._batch_get(keys)}
        for entry in sorted(index, key=lambda i: i[SK]["S"]):
            event = events.get(entry[SK]["S"])
            if event is not None:
                yield entry, event

    def site_feedback(self, site_id: str) -> list[Event]:
        """Return a site's feedback from its feedback index."""
        return [layout.event_from_item(site_id, e) for _, e in self._feedback(site_id, purged=True)]

    def forget_contact(self, email: str) -> int:
        """Delete every feedback that left this contact email, and its index item."""
        wanted = email.strip().lower()
        count = 0
        for site in self.list_sites():
            for entry, event in self._feedback(site.id, email=wanted):
                self._delete({PK: event[PK], SK: event[SK]})
                self._delete({PK: entry[PK], SK: entry[SK]})
                count += 1
        return count

    def purge_feedback(self, before: datetime) -> int:
        """Remove the text and contact of feedback older than `before`; return how many."""
        count = 0
        for site in self.list_sites():
            for entry, event in self._feedback(site.id, before):
                if "text" in event or "contact_email" in event:
                    expr = Expr()
                    self._call("update_item", Key={PK: event[PK], SK: event[SK]},
                               **expr.params(UpdateExpression=f"REMOVE {expr.name('text')}, "
                                                              f"{expr.name('contact_email')}"))
                    count += 1
                # Move the index entry to the purged partition (put first: a crash keeps both).
                self._put({PK: s(f"S#{site.id}#FBP"), SK: entry[SK], "day": entry["day"]})
                self._delete({PK: entry[PK], SK: entry[SK]})
        return count

    # -- records ---------------------------------------------------------------------------

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """Return a record's data, or None when missing."""
        return self.get_versioned(kind, key)[0]

    def get_versioned(self, kind: str, key: str) -> tuple[dict[str, Any] | None, int]:
        """Return a record's data and version with one strongly consistent GetItem."""
        item = self._get(layout.record_key(kind, key), consistent=True)
        if item is None:
            return None, 0
        return self._record_data(item), layout.number(item, "ver") or 0

    @staticmethod
    def _record_data(item: Item) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(layout.text(item, "data", "{}"))
        for name, value in item.items():
            if name.startswith(COUNTER) and "N" in value:
                data[name[len(COUNTER):]] = int(value["N"])
        return data

    def put_record(self, kind: str, key: str, data: dict[str, Any], *, expires: datetime | None = None,
                   expected_version: int | None = None) -> None:
        """Write a record with one UpdateItem that bumps its version, conditional when asked."""
        expr = Expr()
        sets = [f"{expr.name('data')} = {expr.value('data', s(json.dumps(data, sort_keys=True)))}",
                *_kept_key(expr, key)]
        update = "SET " + ", ".join(sets + ([f"{expr.name(TTL_ATTRIBUTE)} = "
                                             f"{expr.value('ttl', n(int(expires.timestamp())))}"] if expires else []))
        update += f" ADD {expr.name('ver')} {expr.value('one', n(1))}"
        if not expires:
            update += f" REMOVE {expr.name(TTL_ATTRIBUTE)}"
        params: dict[str, Any] = {"UpdateExpression": update}
        if expected_version is not None:
            params["ConditionExpression"] = _version_condition(expr, expected_version)
        self._call("update_item", Key=layout.record_key(kind, key), **expr.params(**params))

    def delete_record(self, kind: str, key: str, *, expected_version: int | None = None) -> None:
        """Delete a record, conditional on its version when asked."""
        if expected_version is None:
            self._delete(layout.record_key(kind, key))
            return
        expr = Expr()
        condition = _version_condition(expr, expected_version)
        self._delete(layout.record_key(kind, key), **expr.params(ConditionExpression=condition))

    def records(self, kind: str, prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
        """Return the records of a kind: one Query of its partition, two with a prefix.

        Keys stored under their digest (`layout.key_part`) sort under `~`, so a prefix also reads
        those and keeps the ones whose own key starts with it.
        """
        pk = f"R#{kind}"
        items = {i[SK]["S"]: i for i in self._query(pk, begins=prefix or None, consistent=True)}
        if prefix:
            items.update({i[SK]["S"]: i for i in self._query(pk, begins="~", consistent=True)})
        found = [(layout.text(item, "key") or sort_key, self._record_data(item)) for sort_key, item in items.items()]
        return sorted(((k, d) for k, d in found if k.startswith(prefix)), key=lambda pair: pair[0])

    def purge_expired(self, now: datetime) -> int:
        """Return 0: DynamoDB's TTL deletes expired records by itself (the rules never ask for an expired one)."""
        return 0

    def add_to_record(self, kind: str, key: str, field: str, amount: int, *, expires: datetime | None = None) -> int:
        """ADD to a counter attribute of a record (one UpdateItem) and return its new value."""
        expr = Expr()
        update = (f"ADD {expr.name(COUNTER + field)} {expr.value('amount', n(amount))}, "
                  f"{expr.name('ver')} {expr.value('one', n(1))}")
        sets = [f"{expr.name(TTL_ATTRIBUTE)} = {expr.value('ttl', n(int(expires.timestamp())))}"] if expires else []
        sets += _kept_key(expr, key)
        if sets:
            update += " SET " + ", ".join(sets)
        item = self._call("update_item", Key=layout.record_key(kind, key), ReturnValues="UPDATED_NEW",
                          **expr.params(UpdateExpression=update))["Attributes"]
        return layout.number(item, COUNTER + field) or 0


def _kept_key(expr: Expr, key: str) -> list[str]:
    """Return the SET clause keeping a record's own key when the item is stored under its digest, for records()."""
    return [f"{expr.name('key')} = {expr.value('key', s(key))}"] if layout.key_part(key) != key else []


def _version_condition(expr: Expr, expected_version: int) -> str:
    """Return the condition that an item still has a version: 0 means it must not exist."""
    if expected_version == 0:
        return f"attribute_not_exists({expr.name(PK)})"
    return f"{expr.name('ver')} = {expr.value('seen', n(expected_version))}"


def _latest_per_request(site_id: str, items: list[Item]) -> list[Event]:
    """Return events oldest first, keeping the last of any request logged twice.

    A request retried after a crash between its first two writes logged its event twice.
    """
    def request(item: Item) -> str:
        return layout.text(item, "request_id") or item[SK]["S"]

    latest = {request(i): i for i in items}
    found = [layout.event_from_item(site_id, i) for i in items if latest[request(i)] is i]
    return sorted(found, key=lambda e: e.at)



