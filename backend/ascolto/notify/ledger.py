"""Exactly-once claims and given-up records for notices, over ascolto.claims and the Store's records."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ascolto import claims
from ascolto.stores.base import Store

FAILURE_KIND = "notify-failure"  # the email digest lists these: store.records(FAILURE_KIND, prefix=owner + "/")
FAILURE_KEEP = timedelta(days=14)

claim = claims.claim
release = claims.release
complete = claims.complete


def mark(store: Store, key: str, now: datetime) -> bool:
    """Set a lasting marker on a key; True if this call set it (False: it was set already)."""
    if claim(store, key, now):
        complete(store, key, now)
        return True
    return False


def record_failure(store: Store, key: str, data: dict[str, Any], now: datetime) -> None:
    """Keep a given-up channel's record (kind 'notify-failure', key '<owner>/<day>/<channel id>') for 14 days."""
    store.put_record(FAILURE_KIND, key, data, expires=now + FAILURE_KEEP)
