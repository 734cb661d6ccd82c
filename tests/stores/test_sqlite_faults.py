"""SQLite under contention: a lock held by another process is waited out or reported, never lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from ascolto.errors import Unavailable
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import export_site, record_vote
from tests.conftest import ORIGIN, make_site
from tests.stores.contract import vote


def hold_write_lock(path: Path, seconds: float, ready: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    ready.set()
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def test_lock_held_briefly_is_retried(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "x.db", busy_timeout_ms=5000)
    site = make_site()
    store.put_site(site)
    ready = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(tmp_path / "x.db", 0.3, ready))
    holder.start()
    ready.wait()
    record_vote(store, vote(site, "/a", "voter-0001", 4))  # SQLite's busy timeout waits the lock out
    holder.join()
    assert store.summary(site.id, "/a").count == 1


def test_lock_held_too_long_is_503_and_nothing_written(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "x.db", busy_timeout_ms=10)
    site = make_site()
    store.put_site(site)
    ready = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(tmp_path / "x.db", 2.0, ready))
    holder.start()
    ready.wait()
    with pytest.raises(Unavailable):
        record_vote(store, vote(site, "/a", "voter-0001", 4))
    holder.join()
    assert store.summary(site.id, "/a").count == 0


def test_api_answers_503_with_retry_after_when_locked(client: FlaskClient, sqlite_store: SqliteStore) -> None:
    sqlite_store.busy_timeout_ms = 10
    sqlite_store.close()  # reconnect with the short timeout
    ready = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(Path(sqlite_store.path), 2.0, ready))
    holder.start()
    ready.wait()
    response = client.post("/v1/sites/blog/votes", headers={"Origin": ORIGIN}, json={
        "article": "/a", "url": ORIGIN + "/a", "title": "A", "rating": 3, "voter": "voter-0001",
        "dwell_ms": 5000})
    holder.join()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["code"] == "unavailable"


def test_second_process_writing_at_the_same_time_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    store = SqliteStore(db)
    site = make_site()
    store.put_site(site)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from ascolto.stores.sqlite import SqliteStore
        from tests.conftest import make_site
        from tests.stores.contract import vote
        from ascolto.voting import record_vote
        store = SqliteStore({str(db)!r})
        site = make_site()
        for i in range(150):
            record_vote(store, vote(site, "/a", f"proc-{{i:05d}}", 1 + i % 5))
    """)
    other = subprocess.Popen([sys.executable, "-c", script])
    for i in range(150):
        record_vote(store, vote(site, "/a", f"main-{i:05d}", 1 + i % 5))
    assert other.wait(timeout=120) == 0
    summary = store.summary(site.id, "/a")
    assert summary.count == 300
    assert summary.total == 2 * sum(1 + i % 5 for i in range(150))
    assert sum(summary.histogram) == 300


def test_process_killed_mid_vote_leaves_nothing_half_done(tmp_path: Path) -> None:
    # given a process that dies (os._exit) after writing the vote row but before the aggregate
    db = tmp_path / "x.db"
    store = SqliteStore(db)
    site = make_site()
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 5))
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from ascolto.stores.sqlite import SqliteStore
        from tests.conftest import make_site
        from tests.stores.contract import vote
        from ascolto.stores import sqlite
        from ascolto.voting import record_vote
        store = SqliteStore({str(db)!r})
        sqlite._insert_event = lambda *a, **k: os._exit(9)  # die after the vote row, before the aggregate
        record_vote(store, vote(make_site(), "/a", "voter-0002", 1))
    """)
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == 9
    # then the transaction was rolled back whole: no vote row, no event, an exact aggregate
    reopened = SqliteStore(db)
    assert reopened.summary(site.id, "/a").count == 1
    assert reopened.summary(site.id, "/a").total == 5
    votes, _ = export_site(reopened, site.id)
    assert [v.voter for v in votes] == ["voter-0001"]
    # and the same voter can vote afterwards
    record_vote(reopened, vote(site, "/a", "voter-0002", 1))
    assert reopened.summary(site.id, "/a").count == 2
