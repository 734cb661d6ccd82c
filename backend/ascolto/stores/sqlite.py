"""SqliteStore: the embedded default, one file in WAL mode with a versioned schema."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from ascolto.errors import NotFound, StoreError, Unavailable
from ascolto.ratings import Event, Feedback, Site, Summary, Vote, VoteResult
from ascolto.stores.base import MAX_BATCH
from ascolto.stores.sqlite_hardening import SqliteHardening
from ascolto.stores.sqlite_schema import CLAIM_LEASE, MIGRATIONS
from ascolto.stores.sqlite_schema import iso as _iso
from ascolto.stores.sqlite_schema import parse_dt as _dt

T = TypeVar("T")

class SqliteStore(SqliteHardening):
    """Store adapter on one SQLite file; safe across threads and processes."""

    def __init__(self, path: str | Path, busy_timeout_ms: int = 10_000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._migrate()

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
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _run(self, work: Callable[[], T], attempts: int = 5) -> T:
        """Run work, retrying when another process holds the write lock too long."""
        for attempt in range(attempts):
            try:
                return work()
            except sqlite3.OperationalError as exc:
                locked = "locked" in str(exc) or "busy" in str(exc)
                if not locked:
                    raise StoreError(f"SQLite failed: {exc}") from exc
                if attempt == attempts - 1:
                    raise Unavailable("The database is busy; try again.", retry_after=1) from exc
                time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")

    def _migrate(self) -> None:
        def work() -> None:
            with self._tx() as conn:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    for statement in script.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {number}")

        self._run(work)

    def schema_version(self) -> int:
        """Return the schema version the file is at."""
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    # -- sites -----------------------------------------------------------------------

    def put_site(self, site: Site) -> None:
        """Create or replace a site."""
        def work() -> None:
            with self._tx() as conn:
                conn.execute("INSERT OR REPLACE INTO sites (id, data) VALUES (?, ?)",
                             (site.id, json.dumps(site.to_dict())))

        self._run(work)

    def get_site(self, site_id: str) -> Site | None:
        """Return a site, or None."""
        row = self._conn().execute("SELECT data FROM sites WHERE id = ?", (site_id,)).fetchone()
        return Site.from_dict(json.loads(row["data"])) if row else None

    def list_sites(self) -> list[Site]:
        """Return every site, ordered by id."""
        rows = self._conn().execute("SELECT data FROM sites ORDER BY id").fetchall()
        return [Site.from_dict(json.loads(r["data"])) for r in rows]

    # -- votes -----------------------------------------------------------------------

    def record_vote(self, vote: Vote) -> VoteResult:
        """Create or change a vote and its aggregate in one transaction."""
        return self._run(lambda: self._record_vote(vote))

    def _record_vote(self, vote: Vote) -> VoteResult:
        with self._tx() as conn:
            old = conn.execute(
                "SELECT rating, request_id, quarantined FROM votes WHERE site=? AND article=? AND voter=?",
                (vote.site, vote.article, vote.voter),
            ).fetchone()
            if old is not None and (old["request_id"] == vote.request_id or old["rating"] == vote.rating):
                return VoteResult(self._summary(conn, vote.site, vote.article), old["rating"],
                                  old["rating"], changed=False)
            at = _iso(vote.at)
            if old is None:
                conn.execute(
                    "INSERT INTO votes (site, article, voter, rating, request_id, created_at, updated_at,"
                    " quarantined, quarantine_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (vote.site, vote.article, vote.voter, vote.rating, vote.request_id, at, at,
                     int(vote.quarantined), vote.quarantine_reason),
                )
            else:
                conn.execute(
                    "UPDATE votes SET rating=?, request_id=?, updated_at=?, quarantined=?, quarantine_reason=?"
                    " WHERE site=? AND article=? AND voter=?",
                    (vote.rating, vote.request_id, at, int(vote.quarantined), vote.quarantine_reason,
                     vote.site, vote.article, vote.voter),
                )
            previous = old["rating"] if old is not None else None
            was_counted = old is not None and not old["quarantined"]
            self._move_aggregate(conn, vote, previous if was_counted else None)
            conn.execute(
                "INSERT INTO events (id, site, day, at, kind, article, voter, rating, previous_rating,"
                " title, url, quarantined, quarantine_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, vote.site, vote.day, at,
                 "vote" if old is None else "change", vote.article, vote.voter, vote.rating,
                 previous, vote.title, vote.url, int(vote.quarantined), vote.quarantine_reason),
            )
            return VoteResult(self._summary(conn, vote.site, vote.article), vote.rating, previous,
                              changed=True)

    def _move_aggregate(self, conn: sqlite3.Connection, vote: Vote, counted_old: int | None) -> None:
        conn.execute(
            "INSERT INTO aggregates (site, article, title, url, first_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (site, article) DO UPDATE SET"
            " title = CASE WHEN excluded.title != '' THEN excluded.title ELSE title END,"
            " url = CASE WHEN excluded.url != '' THEN excluded.url ELSE url END",
            (vote.site, vote.article, vote.title, vote.url, _iso(vote.at)),
        )
        if vote.quarantined and counted_old is None:
            return
        delta = {f"h{i}": 0 for i in range(1, 6)}
        count, total = 0, 0
        if counted_old is not None:
            delta[f"h{counted_old}"] -= 1
            count -= 1
            total -= counted_old
        if not vote.quarantined:
            delta[f"h{vote.rating}"] += 1
            count += 1
            total += vote.rating
        conn.execute(
            "UPDATE aggregates SET count = count + ?, total = total + ?, h1 = h1 + ?, h2 = h2 + ?,"
            " h3 = h3 + ?, h4 = h4 + ?, h5 = h5 + ? WHERE site = ? AND article = ?",
            (count, total, *delta.values(), vote.site, vote.article),
        )

    # -- feedback --------------------------------------------------------------------

    def add_feedback(self, feedback: Feedback) -> Feedback:
        """Store feedback tied to the voter's current vote."""
        return self._run(lambda: self._add_feedback(feedback))

    def _add_feedback(self, feedback: Feedback) -> Feedback:
        with self._tx() as conn:
            vote = conn.execute(
                "SELECT rating FROM votes WHERE site=? AND article=? AND voter=?",
                (feedback.site, feedback.article, feedback.voter),
            ).fetchone()
            if vote is None:
                raise NotFound("No vote by this voter on this article.")
            agg = conn.execute("SELECT title, url FROM aggregates WHERE site=? AND article=?",
                               (feedback.site, feedback.article)).fetchone()
            conn.execute(
                "INSERT INTO events (id, site, day, at, kind, article, voter, rating, title, url, text,"
                " contact_email) VALUES (?, ?, ?, ?, 'feedback', ?, ?, ?, ?, ?, ?, ?)",
                (feedback.id, feedback.site, feedback.day, _iso(feedback.at), feedback.article,
                 feedback.voter, vote["rating"], agg["title"] if agg else "", agg["url"] if agg else "",
                 feedback.text, feedback.contact_email),
            )
        return Feedback(**{**feedback.__dict__, "rating": vote["rating"]})

    # -- summaries -------------------------------------------------------------------

    @staticmethod
    def _row_summary(article: str, row: sqlite3.Row | None) -> Summary:
        if row is None:
            return Summary(article=article)
        return Summary(
            article=article, count=row["count"], total=row["total"],
            histogram=(row["h1"], row["h2"], row["h3"], row["h4"], row["h5"]),
            title=row["title"], url=row["url"], first_at=_dt(row["first_at"]),
        )

    def _summary(self, conn: sqlite3.Connection, site_id: str, article: str) -> Summary:
        row = conn.execute("SELECT * FROM aggregates WHERE site=? AND article=?",
                           (site_id, article)).fetchone()
        return self._row_summary(article, row)

    def summary(self, site_id: str, article: str) -> Summary:
        """Return one article's summary."""
        return self._summary(self._conn(), site_id, article)

    def summaries(self, site_id: str, articles: list[str]) -> dict[str, Summary]:
        """Return the summaries of up to MAX_BATCH articles with one query."""
        wanted = list(dict.fromkeys(articles))[:MAX_BATCH]
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._conn().execute(
            f"SELECT * FROM aggregates WHERE site=? AND article IN ({marks})", (site_id, *wanted)
        ).fetchall()
        found = {r["article"]: r for r in rows}
        return {a: self._row_summary(a, found.get(a)) for a in wanted}

    def articles(self, site_id: str) -> list[Summary]:
        """Return every article aggregate of a site."""
        rows = self._conn().execute("SELECT * FROM aggregates WHERE site=? ORDER BY article",
                                    (site_id,)).fetchall()
        return [self._row_summary(r["article"], r) for r in rows]

    # -- events ----------------------------------------------------------------------

    def events(self, site: Site, start: datetime, end: datetime) -> list[Event]:
        """Return the site's events in [start, end) from the (site, at) index."""
        rows = self._conn().execute(
            "SELECT * FROM events WHERE site=? AND at >= ? AND at < ? ORDER BY at, seq",
            (site.id, _iso(start), _iso(end)),
        ).fetchall()
        return [
            Event(kind=r["kind"], site=r["site"], article=r["article"], voter=r["voter"],
                  at=_dt(r["at"]), rating=r["rating"], previous_rating=r["previous_rating"],
                  title=r["title"], url=r["url"], text=r["text"], contact_email=r["contact_email"],
                  quarantined=bool(r["quarantined"]), id=r["id"], quarantine_reason=r["quarantine_reason"])
            for r in rows
        ]

    def reconcile(self, site: Site, day: str, now: datetime, articles: Iterable[str] | None = None) -> int:
        """Return 0: a vote and its aggregate change in one transaction, so nothing drifts."""
        return 0

    # -- digest claims ---------------------------------------------------------------

    def claim_digest(self, key: str, now: datetime) -> bool:
        """Claim a digest unless it is sent or claimed within the lease."""
        def work() -> bool:
            with self._tx() as conn:
                row = conn.execute("SELECT state, claimed_at FROM digests WHERE key=?", (key,)).fetchone()
                if row is not None and (row["state"] == "sent"
                                        or _dt(row["claimed_at"]) > now - CLAIM_LEASE):
                    return False
                conn.execute("INSERT OR REPLACE INTO digests (key, state, claimed_at) VALUES (?, 'claimed', ?)",
                             (key, _iso(now)))
                return True

        return self._run(work)

    def release_digest(self, key: str) -> None:
        """Drop a claim so the next run retries."""
        def work() -> None:
            with self._tx() as conn:
                conn.execute("DELETE FROM digests WHERE key=? AND state='claimed'", (key,))

        self._run(work)

    def complete_digest(self, key: str, now: datetime) -> None:
        """Mark a digest as sent."""
        def work() -> None:
            with self._tx() as conn:
                conn.execute("UPDATE digests SET state='sent', sent_at=? WHERE key=?", (_iso(now), key))

        self._run(work)
