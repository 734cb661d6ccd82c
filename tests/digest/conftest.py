"""Digest test fixtures.

Until the stores offer the record primitives (put_record, get_record, records, delete_record),
SqliteStore gets in-memory ones here so the follow-up flow can be tested end to end; once main's
stores have them, this does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ascolto.stores.dynamodb import DynamoDBStore
from ascolto.stores.sqlite import SqliteStore
from tests.digest.records import MemoryRecords


@pytest.fixture(autouse=True)
def record_primitives(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    shared: dict[str, MemoryRecords] = {}

    def records_of(store: Any) -> MemoryRecords:
        where = getattr(store, "path", None) or getattr(store, "table", None) or id(store)
        return shared.setdefault(str(where), MemoryRecords())

    for cls in (SqliteStore, DynamoDBStore):
        if hasattr(cls, "put_record"):
            continue
        for name in ("put_record", "get_record", "records", "delete_record"):
            monkeypatch.setattr(cls, name, lambda self, *a, _n=name, **k: getattr(records_of(self), _n)(*a, **k),
                                raising=False)
    yield
