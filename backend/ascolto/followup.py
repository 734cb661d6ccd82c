"""The owner's follow-up: which comments are open, handled or spam, snoozed articles, link versions.

The rules live here, once, over the store's generic record primitives (`put_record`,
`get_record`, `records`, `delete_record`), so both stores keep the same state the same way.

Records (kind: key -> data):
- "owner-open": "<owner>/<site>/<feedback id>" -> an OpenItem. One record per comment the digest has
  shown and the owner has not dealt with. Handling it deletes the record, so listing what is open
  reads only what is open, never the history. Open records expire after OPEN_DAYS.
- "owner-done": same key -> the item and its status ("handled" or "spam"), kept DONE_DAYS so the owner
  can reopen it and a repeated digest leaves it out.
- "owner-snooze": "<site>/<article>" -> {"until": day}; expires when the snooze ends.
- "owner-links": "<owner>" -> {"version": n}, an atomic counter. Every owner link carries the
  version it was signed with, and a link whose version is not the current one is refused
  (`bump_link_version` revokes them all).

No reader text or contact address is copied into a record: the page reads them from the events,
so `ascolto forget` and `ascolto purge` still remove them everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from ascolto import voting
from ascolto.errors import NotFound

OPEN, DONE, SNOOZE, LINKS = "owner-open", "owner-done", "owner-snooze", "owner-links"
OPEN_DAYS = 60
DONE_DAYS = 30
SNOOZE_DAYS = 7
STATUSES = ("open", "handled", "spam")


class RecordStore(Protocol):
    """The store primitives the follow-up rules use."""

    def put_record(self, kind: str, key: str, data: dict[str, Any], expires: datetime | None = None) -> None:
        """Create or replace a record."""

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """Return a record's data, or None."""

    def records(self, kind: str, prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
        """Return (key, data) of the records of a kind whose key starts with prefix, by key."""

    def delete_record(self, kind: str, key: str) -> None:
        """Delete a record (no error if it is missing)."""

    def add_to_record(self, kind: str, key: str, field: str, amount: int, *, expires: datetime | None = None) -> int:
        """Add to a counter field of a record atomically and return the new value."""


@dataclass(frozen=True)
class OpenItem:
    """A comment the owner has been shown and has yet to deal with (no reader text in here)."""

    site: str
    article: str
    feedback_id: str
    day: str  # the site-local day the comment was written, YYYY-MM-DD
    title: str = ""
    url: str = ""
    rating: int | None = None
    held: str = ""  # why it is held back ('' when it is shown as a normal comment)

    def key(self, owner: str) -> str:
        """Return the record key of this item for an owner."""
        return item_key(owner, self.site, self.feedback_id)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> OpenItem:
        """Build an item from a record's data, ignoring unknown fields."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _whole_day(moment: datetime, days: int) -> datetime:
    """Return midnight UTC `days` after a moment's day (expiries carry no time of day to join on)."""
    return datetime.combine(moment.astimezone(UTC).date() + timedelta(days=days), time(0), tzinfo=UTC)


def _owner(owner: str) -> str:
    return owner.strip().lower()


def item_key(owner: str, site: str, feedback_id: str) -> str:
    """Return the record key of a comment for an owner."""
    return f"{_owner(owner)}/{site}/{feedback_id}"


def open_items(store: RecordStore, owner: str) -> list[OpenItem]:
    """Return everything open for an owner, across their sites, oldest day first."""
    items = [OpenItem.from_data(data) for _, data in store.records(OPEN, prefix=f"{_owner(owner)}/")]
    return sorted(items, key=lambda i: (i.day, i.site, i.article, i.feedback_id))


def note_shown(store: RecordStore, owner: str, items: Iterable[OpenItem], now: datetime) -> int:
    """Open the comments a digest has just shown, unless already open or dealt with; return how many."""
    added = 0
    for item in items:
        key = item.key(owner)
        if store.get_record(OPEN, key) is None and store.get_record(DONE, key) is None:
            store.put_record(OPEN, key, asdict(item), expires=_whole_day(now, OPEN_DAYS))
            added += 1
    return added


def set_status(store: RecordStore, owner: str, site: str, feedback_id: str, status: str, now: datetime) -> OpenItem:
    """Mark a comment handled or spam, or reopen it (a held-back one reopens as a shown comment)."""
    if status not in STATUSES:
        raise ValueError(f"Unknown status {status!r}: use one of {', '.join(STATUSES)}")
    key = item_key(owner, site, feedback_id)
    opened, done = store.get_record(OPEN, key), store.get_record(DONE, key)
    if opened is None and done is None:
        raise NotFound(f"No comment {feedback_id!r} on site {site!r} for this owner.")
    item = OpenItem.from_data(opened if opened is not None else done or {})
    if status == "open":
        item = replace(item, held="")
        store.put_record(OPEN, key, asdict(item), expires=_whole_day(now, OPEN_DAYS))
        store.delete_record(DONE, key)
        return item
    store.put_record(DONE, key, {**asdict(item), "status": status, "at": now.isoformat()},
                     expires=_whole_day(now, DONE_DAYS))
    store.delete_record(OPEN, key)
    return item


def status_of(store: RecordStore, owner: str, site: str, feedback_id: str) -> str:
    """Return 'open', 'handled', 'spam', or '' for a comment no digest has shown yet."""
    key = item_key(owner, site, feedback_id)
    if store.get_record(OPEN, key) is not None:
        return "open"
    done = store.get_record(DONE, key)
    return str(done.get("status", "")) if done else ""


def dealt_with(store: RecordStore, owner: str, site: str) -> set[str]:
    """Return the ids of the site's comments the owner marked handled or spam (within DONE_DAYS)."""
    return {key.rsplit("/", 1)[1] for key, _ in store.records(DONE, prefix=f"{_owner(owner)}/{site}/")}


def snooze(store: RecordStore, site: str, article: str, today: date, days: int = SNOOZE_DAYS) -> date:
    """Leave an article out of 'needs attention' until `days` from today; return the last snoozed day."""
    until = today + timedelta(days=days - 1)
    expires = datetime.combine(until + timedelta(days=2), time(0), tzinfo=UTC)
    store.put_record(SNOOZE, f"{site}/{article}", {"until": until.isoformat()}, expires=expires)
    return until


def unsnooze(store: RecordStore, site: str, article: str) -> None:
    """End an article's snooze."""
    store.delete_record(SNOOZE, f"{site}/{article}")


def snoozed(store: RecordStore, site: str, day: date) -> dict[str, date]:
    """Return the site's articles snoozed on a day, with the last snoozed day of each."""
    found = {}
    for key, data in store.records(SNOOZE, prefix=f"{site}/"):
        until = date.fromisoformat(str(data.get("until", "1970-01-01")))
        if until >= day:
            found[key.split("/", 1)[1]] = until
    return found


def link_version(store: RecordStore, owner: str) -> int:
    """Return the version the owner's links must carry (0 until they are first revoked)."""
    data = store.get_record(LINKS, _owner(owner))
    return int(data.get("version", 0)) if data else 0


def bump_link_version(store: RecordStore, owner: str) -> int:
    """Revoke every link sent to an owner so far; return the new version."""
    return store.add_to_record(LINKS, _owner(owner), "version", 1)  # atomic: two revocations never collide


def resolve_votes(store: Any, site: str, article: str, release: bool) -> int:
    """Release (count) or discard every vote held back on an article; return how many."""
    held = [v.voter for v in voting.quarantined(store, site) if v.article == article]
    done = 0
    for voter in held:
        try:
            (voting.release_vote if release else voting.discard_vote)(store, site, article, voter)
            done += 1
        except NotFound:
            continue  # released or discarded by someone else meanwhile
    return done
