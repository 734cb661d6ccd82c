"""SqliteStore passes the Store contract, plus its own file-level behaviour."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ascolto.stores.base import Store
from ascolto.stores.sqlite import MIGRATIONS, SqliteStore
from ascolto.voting import record_vote
from tests.conftest import make_site
from tests.stores.contract import HardeningContract, StoreContract, vote


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(tmp_path / "contract.db")
    yield s
    s.close()


class TestSqliteStore(StoreContract, HardeningContract):
    pass


def test_uses_wal_and_versioned_schema(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "x.db")
    assert store.schema_version() == len(MIGRATIONS)
    mode = sqlite3.connect(tmp_path / "x.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    store.close()


def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "x.db")
    site = make_site()
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 4))
    store.close()
    again = SqliteStore(tmp_path / "x.db")
    assert again.summary(site.id, "/a").count == 1
    assert again.schema_version() == len(MIGRATIONS)
    again.close()


def test_is_a_store(tmp_path: Path) -> None:
    assert isinstance(SqliteStore(tmp_path / "x.db"), Store)


def test_two_stores_on_one_file_lose_nothing(tmp_path: Path) -> None:
    first, second = SqliteStore(tmp_path / "x.db"), SqliteStore(tmp_path / "x.db")
    site = make_site()
    first.put_site(site)
    for i in range(40):
        record_vote(first if i % 2 else second, vote(site, "/a", f"voter-{i:04d}", 1 + i % 5))
    assert first.summary(site.id, "/a").count == 40
    assert second.summary(site.id, "/a").total == sum(1 + i % 5 for i in range(40))
