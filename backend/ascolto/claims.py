"""Exactly-once claims: what claiming, releasing and completing a piece of work means.

The digest claims `owner/day` before sending and completes it after; a notification
channel claims its own key. A claim is a small record:
- free when there is none, or when a claim is older than LEASE (its runner died);
- taken by one runner only: the write is conditional on the version it read;
- released when the work failed, so a later run retries it;
- completed for good (kept KEEP long, so a re-run in those days sends nothing).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ascolto.errors import Conflict
from ascolto.stores.base import Store

KIND = "claim"
LEASE = timedelta(minutes=30)
KEEP = timedelta(days=90)


def claim(store: Store, key: str, now: datetime) -> bool:
    """Claim a piece of work; False if it is done or someone else holds a fresh claim."""
    data, version = store.get_versioned(KIND, key)
    if data is not None and (data.get("state") == "sent"
                             or datetime.fromisoformat(data["claimed_at"]) > now - LEASE):
        return False
    try:
        store.put_record(KIND, key, {"state": "claimed", "claimed_at": now.isoformat()},
                         expires=now + KEEP, expected_version=version)
    except Conflict:
        return False  # another runner claimed it between our read and our write
    return True


def release(store: Store, key: str) -> None:
    """Give a claim back after the work failed, so the next run retries (a completed claim stays)."""
    data, version = store.get_versioned(KIND, key)
    if data is None or data.get("state") != "claimed":
        return
    try:
        store.delete_record(KIND, key, expected_version=version)
    except Conflict:
        pass  # it changed hands meanwhile: the new holder decides


def complete(store: Store, key: str, now: datetime) -> None:
    """Mark claimed work as done for good."""
    store.put_record(KIND, key, {"state": "sent", "claimed_at": now.isoformat(), "sent_at": now.isoformat()},
                     expires=now + KEEP)
