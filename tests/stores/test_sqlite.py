"""SqliteStore passes the Store contract, plus its own file-level behaviour."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
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


def test_the_event_log_moves_to_its_time_key_with_every_event(tmp_path: Path) -> None:
    """Schema 4 rebuilds the event log keyed (site, day, at, id); every event written at schema 3 survives, in order."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:3], start=1):
        conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {number}")
    rows = [("2026-11-20", "2026-11-20T08:00:00.000001+00:00", "vote", 4, "", ""),
            ("2026-11-20", "2026-11-20T08:00:05.000000+00:00", "change", 2, "", ""),
            ("2026-11-21", "2026-11-21T09:00:00.000000+00:00", "feedback", 2, "Add an example.", "reader@example.org")]
    for n, (day, at, kind, rating, text, email) in enumerate(rows):
        conn.execute("INSERT INTO events (id, site, day, at, kind, article, voter, rating, text, contact_email)"
                     " VALUES (?, 'blog', ?, ?, ?, '/a', 'voter-0001', ?, ?, ?)",
                     (f"{9 - n}0f3c-old-uuid", day, at, kind, rating, text, email))
    conn.close()
    store = SqliteStore(path)
    site = make_site()
    assert store.schema_version() == len(MIGRATIONS)
    moved = store.events(site, datetime(2026, 11, 19, tzinfo=UTC), datetime(2026, 11, 22, tzinfo=UTC))
    assert [(e.id, e.kind, e.rating, e.text, e.contact_email) for e in moved] == [
        ("90f3c-old-uuid", "vote", 4, "", ""), ("80f3c-old-uuid", "change", 2, "", ""),
        ("70f3c-old-uuid", "feedback", 2, "Add an example.", "reader@example.org")]
    assert [e.kind for e in store.day_events(site, "2026-11-20")] == ["vote", "change"]
    assert store.forget_contact("Reader@example.org") == 1
    store.close()
    schema = sqlite3.connect(path)
    assert schema.execute("SELECT count(*) FROM sqlite_sequence WHERE name = 'events'").fetchone()[0] == 0
    assert {r[0] for r in schema.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'events'")} == {
        "events", "events_contact", "events_site_feedback", "events_feedback_at"}
    schema.close()
