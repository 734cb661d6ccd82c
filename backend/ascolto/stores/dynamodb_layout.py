"""DynamoDB single-table layout: the table definition, item keys, codecs and size rules.

One table, keys `pk` (partition) and `sk` (sort), no secondary index:

| item              | pk                          | sk                         |
|-------------------|-----------------------------|----------------------------|
| site              | `SITES`                     | `{site}`                   |
| article aggregate | `S#{site}#AGG`              | `A#{article}`              |
| vote              | `S#{site}#A#{article}`      | `V#{voter}`                |
| held-vote index   | `S#{site}#Q`                | `A#{article}#V#{voter}`    |
| event (the log)   | `S#{site}#D#{local day}`    | `{utc iso}#{id}`           |
| feedback index    | `S#{site}#FB` (`#FBP` once purged) | `{utc iso}#{id}`    |
| record            | `R#{kind}`                  | `{key}`                    |

`{article}` is the article id itself, or `~` and its SHA-256 when it is long or starts
with `~` (see `key_part`), so two articles never share a key.

Summaries of one site share a partition, so `articles(site)` is one Query and no index
(which would cost a second write per vote) is needed. Events are bucketed by the site's
local day, so a digest reads one partition per day and never what happened before.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from ascolto.errors import ConfigError, StoreError
from ascolto.ratings import Event, StoredVote, Summary

PK, SK = "pk", "sk"
TTL_ATTRIBUTE = "expires_at"
TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}\Z")
MAX_ITEM_BYTES = 400 * 1024
MAX_BATCH_GET = 100
SITES_PK = "SITES"
# Every DynamoDB action the store calls (TransactWriteItems is authorised per item action).
# The infra policy grants exactly these; Scan is not among them.
IAM_ACTIONS = ("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem")

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]


def table_definition(name: str) -> dict[str, Any]:
    """Return the CreateTable arguments of the table DynamoDBStore expects (one source of truth)."""
    validate_table_name(name)
    return {
        "TableName": name,
        "AttributeDefinitions": [
            {"AttributeName": PK, "AttributeType": "S"},
            {"AttributeName": SK, "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": PK, "KeyType": "HASH"},
            {"AttributeName": SK, "KeyType": "RANGE"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def validate_table_name(name: str) -> str:
    """Return a valid table name or raise ConfigError (3-255 of letters, digits, `_`, `.`, `-`)."""
    if not TABLE_NAME.fullmatch(name or ""):
        raise ConfigError("ASCOLTO_STORE", f"invalid DynamoDB table name {name!r}: use 3-255 letters, digits, "
                                           "'_', '.' or '-' (dynamodb://TABLE?region=eu-west-1)")
    return name


def iso(at: datetime) -> str:
    """Return a fixed-width UTC timestamp whose text order is its time order."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def key_part(text: str) -> str:
    """Return text fit for a key, one-to-one: itself, or `~` and its digest when it is long or starts with `~`.

    Long ids would break the 1 KB sort-key limit. Hashing every id that starts with `~` as
    well keeps the encoding injective: no id can equal another id's digest form.
    """
    if len(text.encode()) <= 600 and not text.startswith("~"):
        return text
    return "~" + hashlib.sha256(text.encode()).hexdigest()


def key(pk: str, sk: str) -> Item:
    """Return a typed primary key."""
    return {PK: {"S": pk}, SK: {"S": sk}}


def site_key(site_id: str) -> Item:
    """Return the key of a site item."""
    return key(SITES_PK, site_id)


def summary_key(site_id: str, article: str) -> Item:
    """Return the key of an article's summary (aggregate) item."""
    return key(f"S#{site_id}#AGG", f"A#{key_part(article)}")


def vote_key(site_id: str, article: str, voter: str) -> Item:
    """Return the key of one voter's vote on one article."""
    return key(votes_pk(site_id, article), f"V#{voter}")


def votes_pk(site_id: str, article: str) -> str:
    """Return the partition holding an article's votes."""
    return f"S#{site_id}#A#{key_part(article)}"


def events_pk(site_id: str, day: str) -> str:
    """Return the partition holding a site's events of one local day."""
    return f"S#{site_id}#D#{day}"


def event_key(site_id: str, day: str, at: datetime, event_id: str) -> Item:
    """Return the key of one event."""
    return key(events_pk(site_id, day), f"{iso(at)}#{event_id}")


def record_key(kind: str, record: str) -> Item:
    """Return the key of a small record (a long key, e.g. an article id, stored under its digest)."""
    return key(f"R#{kind}", key_part(record))


def held_key(site_id: str, article: str, voter: str) -> Item:
    """Return the key of the index item of a held-back (quarantined) vote."""
    return key(f"S#{site_id}#Q", f"A#{key_part(article)}#V#{voter}")


def feedback_key(site_id: str, at: datetime, event_id: str, purged: bool = False) -> Item:
    """Return the key of the index item of one feedback."""
    return key(f"S#{site_id}#FBP" if purged else f"S#{site_id}#FB", f"{iso(at)}#{event_id}")


# -- typed values --------------------------------------------------------------------------

def s(value: str) -> AttributeValue:
    """Return a string attribute."""
    return {"S": value}


def n(value: int) -> AttributeValue:
    """Return a number attribute."""
    return {"N": str(int(value))}


def b(value: bool) -> AttributeValue:
    """Return a boolean attribute."""
    return {"BOOL": bool(value)}


def text(item: Mapping[str, AttributeValue], name: str, default: str = "") -> str:
    """Read a string attribute."""
    value = item.get(name)
    return value["S"] if value and "S" in value else default


def number(item: Mapping[str, AttributeValue], name: str, default: int | None = 0) -> int | None:
    """Read a number attribute."""
    value = item.get(name)
    return int(value["N"]) if value and "N" in value else default


def flag(item: Mapping[str, AttributeValue], name: str) -> bool:
    """Read a boolean attribute."""
    value = item.get(name)
    return bool(value and value.get("BOOL"))


def item_size(item: Mapping[str, AttributeValue]) -> int:
    """Return an item's size by DynamoDB's rules: names plus values, in bytes."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: AttributeValue) -> int:
    (kind, raw), = value.items()
    if kind == "S":
        return len(raw.encode())
    if kind == "N":
        digits = raw.lstrip("-").replace(".", "").lstrip("0") or "0"
        return (len(digits) + 1) // 2 + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "B":
        return len(raw)
    if kind in ("SS", "NS", "BS"):
        return sum(_value_size({kind[0]: v}) for v in raw)
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in raw)
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + _value_size(v) for k, v in raw.items())
    raise ValueError(f"Unknown attribute type {kind}")


def check_size(item: Mapping[str, AttributeValue]) -> None:
    """Refuse an item DynamoDB would refuse (400 KB), before sending it."""
    size = item_size(item)
    if size > MAX_ITEM_BYTES:
        raise StoreError(f"The item is {size} bytes; DynamoDB stores at most {MAX_ITEM_BYTES}.")


# -- expressions ---------------------------------------------------------------------------

class Expr:
    """Collect expression names and values so that no attribute name ever appears bare.

    Every attribute goes through `#name` placeholders, so DynamoDB's reserved words
    (count, total, url, text, day, at …) can never break a request.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, AttributeValue] = {}

    def name(self, attribute: str) -> str:
        """Return the placeholder of an attribute name."""
        safe = re.sub(r"\W", "_", attribute)
        placeholder = f"#{safe}" if safe == attribute else f"#h_{hashlib.sha256(attribute.encode()).hexdigest()[:12]}"
        self.names[placeholder] = attribute
        return placeholder

    def value(self, label: str, value: AttributeValue) -> str:
        """Return the placeholder of a value."""
        placeholder = f":{label}"
        self.values[placeholder] = value
        return placeholder

    def params(self, **expressions: str) -> dict[str, Any]:
        """Return request parameters with the expressions and their placeholders."""
        out: dict[str, Any] = dict(expressions)
        if self.names:
            out["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            out["ExpressionAttributeValues"] = dict(self.values)
        return out


# -- items to domain -----------------------------------------------------------------------

def summary_from_item(article: str, item: Mapping[str, AttributeValue] | None) -> Summary:
    """Return the summary an aggregate item holds (zeros when there is none)."""
    if not item:
        return Summary(article=article)
    first = text(item, "first_at")
    return Summary(
        article=text(item, "article", article) or article,
        exists=True,
        version=number(item, "ver") or 0,
        count=number(item, "count") or 0,
        total=number(item, "total") or 0,
        histogram=tuple(number(item, f"h{i}") or 0 for i in range(1, 6)),  # type: ignore[arg-type]
        title=text(item, "title"),
        url=text(item, "url"),
        first_at=datetime.fromisoformat(first) if first else None,
    )


def event_item(event: Event, day: str) -> Item:
    """Return the immutable log item of an event."""
    item: Item = {
        **event_key(event.site, day, event.at, event.id),
        "kind": s(event.kind), "article": s(event.article), "voter": s(event.voter),
        "at": s(iso(event.at)), "id": s(event.id), "quarantined": b(event.quarantined),
    }
    if event.rating is not None:
        item["rating"] = n(event.rating)
    if event.previous_rating is not None:
        item["previous_rating"] = n(event.previous_rating)
    for name in ("title", "url", "text", "contact_email", "quarantine_reason"):
        if getattr(event, name):
            item[name] = s(getattr(event, name))
    if event.request_id:
        item["request_id"] = s(event.request_id)
    return item


def event_from_item(site_id: str, item: Mapping[str, AttributeValue]) -> Event:
    """Return the event a log item holds."""
    return Event(
        kind=text(item, "kind"), site=site_id, article=text(item, "article"), voter=text(item, "voter"),
        at=datetime.fromisoformat(text(item, "at")), rating=number(item, "rating", None),
        previous_rating=number(item, "previous_rating", None), title=text(item, "title"),
        url=text(item, "url"), text=text(item, "text"), contact_email=text(item, "contact_email"),
        quarantined=flag(item, "quarantined"), id=text(item, "id"),
        quarantine_reason=text(item, "quarantine_reason"), request_id=text(item, "request_id"),
    )


def vote_item(vote: StoredVote) -> Item:
    """Return the item of a stored vote (its key included)."""
    item: Item = {**vote_key(vote.site, vote.article, vote.voter), "rating": n(vote.rating),
                  "request_id": s(vote.request_id), "at": s(iso(vote.at)), "day": s(vote.day),
                  "created_at": s(iso(vote.created_at)), "quarantined": b(vote.quarantined)}
    for name in ("quarantine_reason", "title", "url"):
        if getattr(vote, name):
            item[name] = s(getattr(vote, name))
    return item


def vote_from_item(site_id: str, article: str, item: Mapping[str, AttributeValue]) -> StoredVote:
    """Return the stored vote an item holds."""
    return StoredVote(site=site_id, article=article, voter=item[SK]["S"][2:], rating=number(item, "rating") or 0,
                      request_id=text(item, "request_id"), at=datetime.fromisoformat(text(item, "at")),
                      day=text(item, "day"), created_at=datetime.fromisoformat(text(item, "created_at")),
                      quarantined=flag(item, "quarantined"), quarantine_reason=text(item, "quarantine_reason"),
                      title=text(item, "title"), url=text(item, "url"))


def chunks(keys: list[Item], size: int = MAX_BATCH_GET) -> Iterable[list[Item]]:
    """Split keys into BatchGetItem-sized lists."""
    for start in range(0, len(keys), size):
        yield keys[start:start + size]
