"""The WAL goes back into the database file from a thread of the store's own, never inside a write."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import record_vote
from tests.conftest import make_site
from tests.stores.contract import vote

VOTES = 400  # several thousand WAL pages: past SQLite's own 1,000-page auto-checkpoint


def main_file_votes(db: Path, copy: Path) -> int:
    """Count the votes in the database file alone, as if its WAL were lost."""
    shutil.copyfile(db, copy)
    conn = sqlite3.connect(copy)
    try:
        return int(conn.execute("SELECT count(*) FROM votes").fetchone()[0])
    except sqlite3.DatabaseError:  # no table yet: the schema is still in the WAL
        return 0
    finally:
        conn.close()


def wait_for(check: object, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_no_writer_checkpoints_in_its_own_turn(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "x.db")
    settings = []

    def read_setting() -> None:
        settings.append(store._conn().execute("PRAGMA wal_autocheckpoint").fetchone()[0])

    read_setting()
    worker = threading.Thread(target=read_setting)
    worker.start()
    worker.join()
    assert settings == [0, 0]
    store.close()


def test_the_store_thread_copies_the_wal_into_the_database(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "x.db")
    site = make_site()
    store.put_site(site)
    for i in range(VOTES):
        record_vote(store, vote(site, f"/a{i % 7}", f"voter-{i:04d}", 1 + i % 5))
    # No write runs from here on: only the store's thread can move the votes into the file.
    assert wait_for(lambda: main_file_votes(tmp_path / "x.db", tmp_path / "copy.db") == VOTES)
    assert store._checkpointer is not None and store._checkpointer.running
    store.close()
    assert not store._checkpointer.running


def test_a_forked_worker_checkpoints_its_own_writes(tmp_path: Path) -> None:
    # A fresh interpreter, as a gunicorn master with a preloaded app: forking inside this test
    # process would also copy the locks of every other test's threads.
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from pathlib import Path
        from ascolto.stores.sqlite import SqliteStore
        from ascolto.voting import record_vote
        from tests.conftest import make_site
        from tests.stores.contract import vote
        from tests.stores.test_sqlite_checkpoint import VOTES, main_file_votes, wait_for
        db = Path({str(tmp_path / "x.db")!r})
        store = SqliteStore(db)
        site = make_site()
        store.put_site(site)  # the master's checkpoint thread starts here; a fork does not copy it
        master_conn, master_lock = store._conn(), store._lock_fd
        pid = os.fork()
        if pid == 0:  # a worker
            ok = False
            try:
                # SQLite: a connection must not be used across a fork; nor may the lock file's description
                assert store._conn() is not master_conn and store._lock_fd != master_lock
                for i in range(VOTES):
                    record_vote(store, vote(site, "/a", f"voter-{{i:04d}}", 1 + i % 5))
                ok = wait_for(lambda: main_file_votes(db, db.with_name("copy.db")) == VOTES)
            finally:
                os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        sys.exit(os.waitstatus_to_exitcode(status))
    """)
    assert subprocess.run([sys.executable, "-c", script], timeout=120).returncode == 0
