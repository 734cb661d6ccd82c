"""Exactly-once claims and given-up records for notices, over the Store.

Until `ascolto.claims` is on main these call the digest's claim methods, which already mean
"claim / release / mark sent" for any key; each function is then a one-line change.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from ascolto.stores.base import Store

log = logging.getLogger("ascolto.notify")
FAILURE_KIND = "notify-failure"
FAILURE_KEEP = timedelta(days=14)


def claim(store: Store, key: str, now: datetime) -> bool:
    """Claim a key before sending; False if it is claimed or done."""
    return store.claim_digest(key, now)


def release(store: Store, key: str) -> None:
    """Release a claim whose sending failed, so a later run retries it."""
    store.release_digest(key)


def complete(store: Store, key: str, now: datetime) -> None:
    """Mark a claimed key as done, for good."""
    store.complete_digest(key, now)


def mark(store: Store, key: str, now: datetime) -> bool:
    """Set a lasting marker on a key; True if this call set it (False: it was set already)."""
    if claim(store, key, now):
        complete(store, key, now)
        return True
    return False


def record_failure(store: Store, key: str, data: dict[str, Any], now: datetime) -> None:
    """Keep a given-up channel's record for the email digest to show (kind 'notify-failure')."""
    put = getattr(store, "put_record", None)
    if put is None:  # a store from before the records primitive: the run's result still lists it
        log.warning("notify channel given up: %s %s", key, data)
        return
    put(FAILURE_KIND, key, data, expires=now + FAILURE_KEEP)
