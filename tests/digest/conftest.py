"""Digest test fixtures.

Until the stores offer the record primitives (put_record, get_record, records, delete_record),
SqliteStore gets in-memory ones here so the follow-up flow can be tested end to end; once main's
stores have them, this does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ascolto.stores.sqlite import SqliteStore
from tests.digest.records import MemoryRecords


@pytest.fixture(autouse=True)
def record_primitives(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if hasattr(SqliteStore, "put_record"):
        yield
        return
    shared: dict[str, MemoryRecords] = {}

    def records_of(store: Any) -> MemoryRecords:
        return shared.setdefault(str(getattr(store, "path", id(store))), MemoryRecords())

    for name in ("put_record", "get_record", "records", "delete_record"):
        monkeypatch.setattr(SqliteStore, name, lambda self, *a, _n=name, **k: getattr(records_of(self), _n)(*a, **k),
                            raising=False)
    yield
