"""An in-memory stand-in for the store's record primitives, for the follow-up rules' pure tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any


class MemoryRecords:
    """Records in a dict, with the port's semantics: ordered by key, prefix listing, optional expiry."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], tuple[dict[str, Any], datetime | None]] = {}

    def put_record(self, kind: str, key: str, data: dict[str, Any], expires: datetime | None = None) -> None:
        self.data[(kind, key)] = (dict(data), expires)

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        found = self.data.get((kind, key))
        return dict(found[0]) if found else None

    def records(self, kind: str, prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
        return sorted((k, dict(v[0])) for (kd, k), v in self.data.items() if kd == kind and k.startswith(prefix))

    def delete_record(self, kind: str, key: str) -> None:
        self.data.pop((kind, key), None)

    def add_to_record(self, kind: str, key: str, field: str, amount: int, *, expires: datetime | None = None) -> int:
        data = self.get_record(kind, key) or {}
        data[field] = int(data.get(field, 0)) + amount
        self.put_record(kind, key, data, expires)
        return int(data[field])
