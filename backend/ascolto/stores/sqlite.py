"""SqliteStore: the embedded default, one file in WAL mode with a versioned schema.

How SQLite keeps ascolto's records: one row per site, vote, aggregate, event and record.
A write is one `BEGIN IMMEDIATE` transaction (or joins the one `atomic()` opened), so a
vote, its event and its aggregate change together or not at all. Writers take turns on a
lock (see `_file_lock`). No writer copies the WAL back into the database inside its turn:
`_Checkpointer` does that in a thread of its own (see there).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from ascolto.errors import Conflict, StoreError, Unavailable
from ascolto.ratings import Delta, Event, Site, StoredVote, Summary, VoteWrite, local_days
from ascolto.stores.base import MAX_BATCH
from ascolto.stores.sqlite_schema import MIGRATIONS, iso, parse_dt

log = logging.getLogger(__name__)

AGGREGATE_COLUMNS = "count, total, h1, h2, h3, h4, h5"
_VOTE_KEY = "site = ? AND article = ? AND voter = ?"
_VOTE_EXISTS = f"SELECT 1 FROM votes WHERE {_VOTE_KEY}"


class SqliteStore:
    """Store adapter on one SQLite file; safe across threads and processes."""

    def __init__(self, path: str | Path, busy_timeout_ms: int = 10_000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            _create_private(Path(self.path))
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writer = threading.Lock()
        self._lock_fd: int | None = None
        self._checkpointer: _Checkpointer | None = None
        if self.path != ":memory:":
            self._lock_fd = os.open(f"{self.path}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            self._checkpointer = _Checkpointer(self.path, self.busy_timeout_ms)
        self._inherited: list[sqlite3.Connection] = []
        _OPEN.add(self)
        self._migrate()

    def _forked(self) -> None:
        """Start afresh in a forked child (a gunicorn worker of a preloaded app).

        SQLite connections must not cross a fork, and the child shares the parent's open lock
        file (so its flock would be the parent's own). The parent's connections are kept, unused
        and unclosed: closing them here could checkpoint or unlock the parent's file.
        """
        self._inherited.extend(self._all)
        self._all = []
        self._local = threading.local()
        self._lock, self._writer = threading.Lock(), threading.Lock()
        if self._lock_fd is not None:
            self._lock_fd = os.open(f"{self.path}.lock", os.O_CREAT | os.O_RDWR, 0o600)

    @classmethod
    def from_url(cls, url: str) -> SqliteStore:
        """Open `sqlite:///path/to/file.db`."""
        return cls(url.removeprefix("sqlite:///"))

    # -- connections and transactions -------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000,
                                   isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if self._checkpointer is not None:
                conn.execute("PRAGMA wal_autocheckpoint = 0")  # the checkpointer's job
            self._local.conn = conn
            self._local.depth = 0
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """Run the block in a write transaction, or inside the one already open on this thread."""
        conn = self._conn()
        if self._local.depth:
            self._local.depth += 1
            try:
                yield conn
            finally:
                self._local.depth -= 1
            return
        with self._writer, self._file_lock():
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _translate(exc) from exc
            self._local.depth = 1
            try:
                yield conn
            except sqlite3.OperationalError as exc:
                conn.execute("ROLLBACK")
                raise _translate(exc) from exc
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            finally:
                self._local.depth = 0
            conn.execute("COMMIT")
        if self._checkpointer is not None:
            self._checkpointer.wrote()

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Take this database's writer lock: threads queue on a mutex, processes on an OS file lock.

        A thread waiting on the mutex wakes the moment the previous writer is done; a process
        polls the file lock, 50 us after its first try and then twice as long each time, up to
        2 ms. Under bench/vote_path.py (gunicorn -w 2) about 28% of votes find the lock taken
        and wait about two polls for it. Left to SQLite alone, waiting writers poll its busy
        handler, which sleeps 1, 2, 5, 10 ms and more between tries: under load, most of a
        vote's time was spent asleep there. The deadline is the same busy timeout, so a stuck
        writer still ends in Unavailable, not a hang.
        """
        if self._lock_fd is None:
            yield
            return
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        pause = 0.00005
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise Unavailable("The database is busy; try again.", retry_after=1) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def atomic(self) -> Any:
        """Group the calls inside into one transaction."""
        return self._tx()

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._conn().execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            raise _translate(exc) from exc

    def _migrate(self) -> None:
        with self._tx() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")

    def schema_version(self) -> int:
        """Return the schema version the file is at."""
        return int(self._read("PRAGMA user_version")[0][0])

    def close(self) -> None:
        """Close every connection this store opened, and its lock file."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
        self._local = threading.local()

    # -- sites -----------------------------------------------------------------------

    def put_site(self, site: Site) -> None:
        """Create or replace a site."""
        with self._tx() as conn:
            conn.execute("INSERT OR REPLACE INTO sites (id, data) VALUES (?, ?)",
                         (site.id, json.dumps(site.to_dict())))

    def get_site(self, site_id: str) -> Site | None:
        """Return a site, or None."""
        rows = self._read("SELECT data FROM sites WHERE id = ?", (site_id,))
        return Site.from_dict(json.loads(rows[0]["data"])) if rows else None

    def list_sites(self) -> list[Site]:
        """Return every site, ordered by id."""
        return [Site.from_dict(json.loads(r["data"])) for r in self._read("SELECT data FROM sites ORDER BY id")]

    def delete_site(self, site_id: str, days: Sequence[str]) -> None:
        """Delete a site and all its rows in one transaction (every day's events: the table has them all)."""
        with self._tx() as conn:
            for table, column in (("sites", "id"), ("votes", "site"), ("aggregates", "site"), ("events", "site")):
                conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (site_id,))

    # -- votes and aggregates ---------------------------------------------------------

    def vote_and_summary(self, site_id: str, article: str, voter: str) -> tuple[StoredVote | None, Summary]:
        """Return the stored vote and the aggregate (inside `atomic()`, from the same snapshot)."""
        rows = self._read("SELECT * FROM votes WHERE site=? AND article=? AND voter=?", (site_id, article, voter))
        return (_vote(rows[0]) if rows else None), self.summary(site_id, article)

    def write_vote(self, write: VoteWrite) -> Summary:
        """Apply the vote write, its event and its delta in one transaction.

        The vote statement carries the condition (an INSERT that must not collide, or an UPDATE
        or DELETE of the row with the expected request), so nothing is read first.
        """
        with self._tx() as conn:
            key = (write.site, write.article, write.voter)
            expected, v = write.expected_request_id, write.vote
            if v is None and expected is None:
                changed = 0 if conn.execute(_VOTE_EXISTS, key).fetchone() else 1
            elif v is None:
                changed = conn.execute(f"DELETE FROM votes WHERE {_VOTE_KEY} AND request_id = ?",
                                       (*key, expected)).rowcount
            elif expected is None:
                changed = conn.execute(
                    "INSERT INTO votes (rating, request_id, created_at, updated_at, day, quarantined,"
                    " quarantine_reason, title, url, site, article, voter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (site, article, voter) DO NOTHING", (*_vote_values(v), *key)).rowcount
            else:
                changed = conn.execute(
                    "UPDATE votes SET rating = ?, request_id = ?, created_at = ?, updated_at = ?, day = ?,"
                    f" quarantined = ?, quarantine_reason = ?, title = ?, url = ? WHERE {_VOTE_KEY} AND request_id = ?",
                    (*_vote_values(v), *key, expected)).rowcount
            if changed != 1:
                raise Conflict("The vote changed meanwhile.")
            if write.event is not None:
                _insert_event(conn, write.event, write.day)
            if write.delta.zero:
                agg = conn.execute("SELECT * FROM aggregates WHERE site=? AND article=?",
                                   (write.site, write.article)).fetchone()
            else:
                d = write.delta
                agg = conn.execute(
                    f"INSERT INTO aggregates (site, article, title, url, first_at, ver, {AGGREGATE_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, article) DO UPDATE SET"
                    " count = count + excluded.count, total = total + excluded.total, h1 = h1 + excluded.h1,"
                    " h2 = h2 + excluded.h2, h3 = h3 + excluded.h3, h4 = h4 + excluded.h4, h5 = h5 + excluded.h5,"
                    " ver = ver + 1 RETURNING *",
                    (write.site, write.article, write.title, write.url, iso(write.at), d.count, d.total,
                     *d.histogram)).fetchone()
        return _summary(write.article, agg)

    def article_votes(self, site_id: str, article: str) -> list[StoredVote]:
        """Return every vote of an article."""
        return [_vote(r) for r in self._read("SELECT * FROM votes WHERE site=? AND article=?", (site_id, article))]

    def held_votes(self, site_id: str) -> list[StoredVote]:
        """Return a site's quarantined votes from their partial index."""
        return [_vote(r) for r in self._read("SELECT * FROM votes WHERE site=? AND quarantined=1", (site_id,))]

    def site_votes(self, site_id: str) -> list[StoredVote]:
        """Return every vote of a site."""
        return [_vote(r) for r in self._read("SELECT * FROM votes WHERE site=?", (site_id,))]

    def summary(self, site_id: str, article: str, consistent: bool = False) -> Summary:
        """Return one article's aggregate (every SQLite read is consistent)."""
        rows = self._read("SELECT * FROM aggregates WHERE site=? AND article=?", (site_id, article))
        return _summary(article, rows[0] if rows else None)

    def summaries(self, site_id: str, articles: Sequence[str]) -> dict[str, Summary]:
        """Return the aggregates of up to MAX_BATCH articles with one query."""
        wanted = list(dict.fromkeys(articles))[:MAX_BATCH]
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._read(f"SELECT * FROM aggregates WHERE site=? AND article IN ({marks})", (site_id, *wanted))
        found = {r["article"]: r for r in rows}
        return {a: _summary(a, found.get(a)) for a in wanted}

    def articles(self, site_id: str) -> list[Summary]:
        """Return every article aggregate of a site."""
        rows = self._read("SELECT * FROM aggregates WHERE site=? ORDER BY article", (site_id,))
        return [_summary(r["article"], r) for r in rows]

    def replace_aggregate(self, site_id: str, article: str, counted: Delta, expected_version: int,
                          first_at: datetime, title: str = "", url: str = "") -> None:
        """Set an aggregate's numbers if its version is unchanged."""
        with self._tx() as conn:
            row = conn.execute("SELECT ver FROM aggregates WHERE site=? AND article=?", (site_id, article)).fetchone()
            if (row["ver"] if row else 0) != expected_version:
                raise Conflict("The aggregate changed meanwhile.")
            conn.execute("INSERT INTO aggregates (site, article, first_at, title, url, ver) VALUES (?, ?, ?, ?, ?, 0)"
                         " ON CONFLICT (site, article) DO NOTHING", (site_id, article, iso(first_at), title, url))
            conn.execute(f"UPDATE aggregates SET ({AGGREGATE_COLUMNS}) = (?, ?, ?, ?, ?, ?, ?), ver = ver + 1"
                         " WHERE site=? AND article=?", (counted.count, counted.total, *counted.histogram,
                                                          site_id, article))

    # -- the event log ----------------------------------------------------------------

    def add_event(self, event: Event, day: str) -> None:
        """Append an event."""
        with self._tx() as conn:
            _insert_event(conn, event, day)

    def events(self, site: Site, start: datetime, end: datetime) -> list[Event]:
        """Return the site's events in [start, end), on the site-local days that window touches (the key's order)."""
        days = local_days(site, start, end)
        if not days:
            return []
        rows = self._read("SELECT * FROM events WHERE site=? AND day BETWEEN ? AND ? AND at >= ? AND at < ?"
                          " ORDER BY at, id", (site.id, days[0], days[-1], iso(start), iso(end)))
        return [_event(r) for r in rows]

    def day_events(self, site: Site, day: str) -> list[Event]:
        """Return the events logged under a local day."""
        return [_event(r) for r in self._read("SELECT * FROM events WHERE site=? AND day=? ORDER BY at, id",
                                              (site.id, day))]

    def site_feedback(self, site_id: str) -> list[Event]:
        """Return a site's feedback events from their partial index."""
        rows = self._read("SELECT * FROM events WHERE site=? AND kind='feedback' ORDER BY at, id", (site_id,))
        return [_event(r) for r in rows]

    def forget_contact(self, email: str) -> int:
        """Delete every feedback event that left this contact email."""
        with self._tx() as conn:
            return int(conn.execute("DELETE FROM events WHERE kind='feedback' AND contact_email = ? COLLATE NOCASE",
                                    (email.strip(),)).rowcount)

    def purge_feedback(self, before: datetime) -> int:
        """Blank the text and contact of feedback older than `before`."""
        with self._tx() as conn:
            return int(conn.execute(
                "UPDATE events SET text='', contact_email='' WHERE kind='feedback' AND at < ?"
                " AND (text != '' OR contact_email != '')", (iso(before),)).rowcount)

    # -- records ----------------------------------------------------------------------

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """Return a record's data, or None when missing."""
        return self.get_versioned(kind, key)[0]

    def get_versioned(self, kind: str, key: str) -> tuple[dict[str, Any] | None, int]:
        """Return a record's data (None when missing) and its version."""
        rows = self._read("SELECT data, ver FROM records WHERE kind=? AND key=?", (kind, key))
        return (json.loads(rows[0]["data"]), int(rows[0]["ver"])) if rows else (None, 0)

    def put_record(self, kind: str, key: str, data: dict[str, Any], *, expires: datetime | None = None,
                   expected_version: int | None = None) -> None:
        """Write a record with one statement that carries its condition on the version, when asked."""
        values = (json.dumps(data, sort_keys=True), expires.timestamp() if expires else None, kind, key)
        with self._tx() as conn:
            if expected_version is None:
                conn.execute("INSERT INTO records (data, expires_at, kind, key, ver) VALUES (?, ?, ?, ?, 1)"
                             " ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data,"
                             " expires_at = excluded.expires_at, ver = ver + 1", values)
                return
            if expected_version == 0:
                changed = conn.execute("INSERT INTO records (data, expires_at, kind, key, ver) VALUES (?, ?, ?, ?, 1)"
                                       " ON CONFLICT (kind, key) DO NOTHING", values).rowcount
            else:
                changed = conn.execute("UPDATE records SET data = ?, expires_at = ?, ver = ver + 1"
                                       " WHERE kind = ? AND key = ? AND ver = ?", (*values, expected_version)).rowcount
            if changed != 1:
                raise Conflict(f"The {kind} record changed meanwhile.")

    def delete_record(self, kind: str, key: str, *, expected_version: int | None = None) -> None:
        """Delete a record, conditionally on its version when asked."""
        with self._tx() as conn:
            if expected_version is not None:
                row = conn.execute("SELECT ver FROM records WHERE kind=? AND key=?", (kind, key)).fetchone()
                if (int(row["ver"]) if row else 0) != expected_version:
                    raise Conflict(f"The {kind} record changed meanwhile.")
            conn.execute("DELETE FROM records WHERE kind=? AND key=?", (kind, key))

    def records(self, kind: str, prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
        """Return the records of a kind whose key starts with prefix."""
        rows = self._read("SELECT key, data FROM records WHERE kind=? AND key >= ? AND key < ? ORDER BY key",
                          (kind, prefix, prefix + "\U0010ffff"))
        return [(r["key"], json.loads(r["data"])) for r in rows]

    def add_to_record(self, kind: str, key: str, field: str, amount: int, *, expires: datetime | None = None) -> int:
        """Add to a counter field of a record and return the new value."""
        with self._tx():
            data, version = self.get_versioned(kind, key)
            data = data or {}
            data[field] = int(data.get(field, 0)) + amount
            self.put_record(kind, key, data, expires=expires, expected_version=version)
        return int(data[field])

    def purge_expired(self, now: datetime) -> int:
        """Delete records past their expiry; return how many (DynamoDB's TTL does this by itself)."""
        with self._tx() as conn:
            return int(conn.execute("DELETE FROM records WHERE expires_at <= ?", (now.timestamp(),)).rowcount)


def _create_private(path: Path) -> None:
    """Create the data folder (0700) and the database file (0600): readers' feedback lives there.

    SQLite gives its -wal and -shm files the database file's mode.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)


class _Checkpointer:
    """Copies the WAL back into the database in a thread of its own, after writes, off every writer's turn.

    Left to SQLite, the commit that takes the WAL past 1,000 pages does the copy itself, inside the
    writer lock: about every hundredth vote waited 10-25 ms and so did every writer queued behind
    it (bench/vote_path.py's p99). A passive checkpoint here copies the same pages while writers go
    on. A write starts the thread when its process has none (a forked worker starts its own); the
    thread runs at most one checkpoint per `INTERVAL_S` and ends after `IDLE_S` without writes.
    Should a process exit first, SQLite checkpoints when the last connection closes, or the next
    writer's thread does.
    """

    INTERVAL_S = 0.05
    IDLE_S = 30.0

    def __init__(self, path: str, busy_timeout_ms: int) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.busy = threading.Lock()  # held while a checkpoint runs, and across a fork
        self._start_lock = threading.Lock()
        self._pid = 0
        self._thread: threading.Thread | None = None
        self._wrote = threading.Event()
        self._stopped = threading.Event()

    @property
    def running(self) -> bool:
        """Tell whether this process's thread is alive."""
        return self._thread is not None and self._pid == os.getpid() and self._thread.is_alive()

    def wrote(self) -> None:
        """Note that a write committed, and start this process's thread if it has none."""
        if not self.running:
            with self._start_lock:
                if not self.running:
                    self._pid = os.getpid()
                    self._wrote, self._stopped = threading.Event(), threading.Event()
                    self._thread = threading.Thread(target=self._run, args=(self._wrote, self._stopped),
                                                    name="ascolto-wal-checkpoint", daemon=True)
                    self._thread.start()
        self._wrote.set()

    def _run(self, wrote: threading.Event, stopped: threading.Event) -> None:
        with self.busy:  # every SQLite call of this thread holds `busy`: a fork never lands inside one
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None,
                                   check_same_thread=False)
        try:
            while wrote.wait(self.IDLE_S):
                wrote.clear()
                with self.busy:
                    try:
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    except sqlite3.Error as exc:  # e.g. a full disk: the next write tries again
                        log.warning("WAL checkpoint of %s failed: %s", self.path, exc)
                if stopped.wait(self.INTERVAL_S):
                    return
        finally:
            with self.busy:
                conn.close()

    def stop(self) -> None:
        """End this process's thread after its last checkpoint."""
        thread = self._thread
        if not self.running or thread is None:
            return
        self._stopped.set()
        self._wrote.set()
        thread.join(timeout=self.busy_timeout_ms / 1000)


_OPEN: weakref.WeakSet[SqliteStore] = weakref.WeakSet()


def _before_fork() -> None:
    """Fork only between checkpoints: a child must not inherit SQLite's locks mid-checkpoint."""
    for store in list(_OPEN):
        if store._checkpointer is not None:
            store._checkpointer.busy.acquire()


def _after_fork(child: bool) -> None:
    for store in list(_OPEN):
        if store._checkpointer is not None:
            store._checkpointer.busy.release()
        if child:
            store._forked()


os.register_at_fork(before=_before_fork, after_in_parent=lambda: _after_fork(child=False),
                    after_in_child=lambda: _after_fork(child=True))


def _translate(exc: sqlite3.OperationalError) -> Exception:
    if "locked" in str(exc) or "busy" in str(exc):
        return Unavailable("The database is busy; try again.", retry_after=1)
    return StoreError(f"SQLite failed: {exc}")


def _vote_values(v: StoredVote) -> tuple[Any, ...]:
    return (v.rating, v.request_id, iso(v.created_at), iso(v.at), v.day, int(v.quarantined), v.quarantine_reason,
            v.title, v.url)


def _vote(r: sqlite3.Row) -> StoredVote:
    return StoredVote(site=r["site"], article=r["article"], voter=r["voter"], rating=r["rating"],
                      request_id=r["request_id"], at=parse_dt(r["updated_at"]), day=r["day"],
                      created_at=parse_dt(r["created_at"]), quarantined=bool(r["quarantined"]),
                      quarantine_reason=r["quarantine_reason"], title=r["title"], url=r["url"])


def _summary(article: str, row: sqlite3.Row | None) -> Summary:
    if row is None:
        return Summary(article=article)
    return Summary(article=article, count=row["count"], total=row["total"],
                   histogram=(row["h1"], row["h2"], row["h3"], row["h4"], row["h5"]),
                   title=row["title"], url=row["url"], first_at=parse_dt(row["first_at"]), exists=True,
                   version=row["ver"])


def _insert_event(conn: sqlite3.Connection, e: Event, day: str) -> None:
    conn.execute(
        "INSERT INTO events (id, site, day, at, kind, article, voter, rating, previous_rating, title, url, text,"
        " contact_email, quarantined, quarantine_reason, request_id) VALUES"
        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (e.id, e.site, day, iso(e.at), e.kind, e.article, e.voter, e.rating, e.previous_rating,
         e.title, e.url, e.text, e.contact_email, int(e.quarantined), e.quarantine_reason, e.request_id))


def _event(r: sqlite3.Row) -> Event:
    return Event(kind=r["kind"], site=r["site"], article=r["article"], voter=r["voter"], at=parse_dt(r["at"]),
                 rating=r["rating"], previous_rating=r["previous_rating"], title=r["title"], url=r["url"],
                 text=r["text"], contact_email=r["contact_email"], quarantined=bool(r["quarantined"]),
                 id=r["id"], quarantine_reason=r["quarantine_reason"], request_id=r["request_id"])
