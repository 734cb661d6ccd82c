"""SqliteStore's anti-stuffing, quarantine and data-rights methods (a mixin of SqliteStore)."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from ascolto.errors import NotFound
from ascolto.ratings import Event, Site, Summary, Vote
from ascolto.stores.sqlite_schema import SALT_LIFETIME, SHORT_LIVED
from ascolto.stores.sqlite_schema import iso as _iso
from ascolto.stores.sqlite_schema import parse_dt as _dt

T = TypeVar("T")


class SqliteHardening:
    """Salts, token buckets, visitor counts, quarantine, export, forget and purge on SQLite."""

    if TYPE_CHECKING:
        def _run(self, work: Callable[[], T], attempts: int = 5) -> T: ...
        def _tx(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _conn(self) -> sqlite3.Connection: ...
        def _summary(self, conn: sqlite3.Connection, site_id: str, article: str) -> Summary: ...
        def get_site(self, site_id: str) -> Site | None: ...
        def events(self, site: Site, start: datetime, end: datetime) -> list[Event]: ...

    # -- anti-stuffing ---------------------------------------------------------------

    def salt(self, day: str, now: datetime) -> str:
        """Return the day's salt, creating it once; expired salts are deleted here."""
        def work() -> str:
            with self._tx() as conn:
                row = conn.execute("SELECT value FROM salts WHERE day=? AND expires_at > ?",
                                   (day, now.timestamp())).fetchone()
                if row is not None:
                    return str(row["value"])
                for table in SHORT_LIVED:
                    conn.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (now.timestamp(),))
                value = secrets.token_hex(32)
                conn.execute("INSERT OR REPLACE INTO salts (day, value, expires_at) VALUES (?, ?, ?)",
                             (day, value, (now + SALT_LIFETIME).timestamp()))
                return value

        return self._run(work)

    def take_token(self, bucket: str, now: datetime, burst: int, per_hour: int) -> float:
        """Take a token from a bucket refilled at per_hour, holding at most burst."""
        rate = per_hour / 3600.0

        def work() -> float:
            with self._tx() as conn:
                row = conn.execute("SELECT tokens, updated_at FROM buckets WHERE key=?", (bucket,)).fetchone()
                t = now.timestamp()
                tokens = float(burst) if row is None else min(
                    float(burst), row["tokens"] + max(0.0, t - row["updated_at"]) * rate)
                if tokens < 1.0:
                    return (1.0 - tokens) / rate
                conn.execute("INSERT OR REPLACE INTO buckets (key, tokens, updated_at, expires_at)"
                             " VALUES (?, ?, ?, ?)", (bucket, tokens - 1.0, t, t + burst / rate + 60))
                return 0.0

        return self._run(work)

    def count_visitor_vote(self, site_id: str, article: str, network_key: str, visitor_key: str, day: str,
                           now: datetime) -> tuple[int, int]:
        """Count a vote of a network and visitor key on an article that day (rows expire after 48 hours)."""
        keys = (f"{site_id}\n{article}\n{network_key}\n{day}", f"{site_id}\n{article}\n{visitor_key}\n{day}")

        def work() -> tuple[int, int]:
            counts = []
            with self._tx() as conn:
                for key in keys:
                    conn.execute(
                        "INSERT INTO visitor_counts (key, count, expires_at) VALUES (?, 1, ?)"
                        " ON CONFLICT (key) DO UPDATE SET count = count + 1",
                        (key, (now + SALT_LIFETIME).timestamp()))
                    counts.append(int(conn.execute("SELECT count FROM visitor_counts WHERE key=?",
                                                   (key,)).fetchone()[0]))
            return counts[0], counts[1]

        return self._run(work)

    # -- quarantine ------------------------------------------------------------------

    def quarantined(self, site_id: str) -> list[Vote]:
        """Return the quarantined votes of a site, oldest first."""
        rows = self._conn().execute(
            "SELECT v.*, a.title, a.url FROM votes v LEFT JOIN aggregates a"
            " ON a.site = v.site AND a.article = v.article"
            " WHERE v.site=? AND v.quarantined=1 ORDER BY v.created_at", (site_id,)).fetchall()
        return [self._row_vote(r) for r in rows]

    @staticmethod
    def _row_vote(r: sqlite3.Row) -> Vote:
        at = _dt(r["updated_at"])
        return Vote(site=r["site"], article=r["article"], voter=r["voter"], rating=r["rating"], at=at,
                    day=at.date().isoformat(), url=r["url"] or "", title=r["title"] or "",
                    request_id=r["request_id"], quarantined=bool(r["quarantined"]),
                    quarantine_reason=r["quarantine_reason"])

    def _quarantined_vote(self, conn: sqlite3.Connection, site_id: str, article: str, voter: str) -> sqlite3.Row:
        row = conn.execute("SELECT rating FROM votes WHERE site=? AND article=? AND voter=? AND quarantined=1",
                           (site_id, article, voter)).fetchone()
        if row is None:
            raise NotFound("No such quarantined vote.", {"vote": ["Not in quarantine."]})
        return row

    def release_vote(self, site_id: str, article: str, voter: str) -> Summary:
        """Count a quarantined vote in the aggregate after all."""
        def work() -> Summary:
            with self._tx() as conn:
                row = self._quarantined_vote(conn, site_id, article, voter)
                conn.execute("UPDATE votes SET quarantined=0, quarantine_reason='' WHERE site=? AND article=?"
                             " AND voter=?", (site_id, article, voter))
                r = row["rating"]
                conn.execute(f"UPDATE aggregates SET count = count + 1, total = total + ?, h{r} = h{r} + 1"
                             " WHERE site=? AND article=?", (r, site_id, article))
                return self._summary(conn, site_id, article)

        return self._run(work)

    def discard_vote(self, site_id: str, article: str, voter: str) -> None:
        """Delete a quarantined vote for good."""
        def work() -> None:
            with self._tx() as conn:
                self._quarantined_vote(conn, site_id, article, voter)
                conn.execute("DELETE FROM votes WHERE site=? AND article=? AND voter=?", (site_id, article, voter))

        self._run(work)

    # -- data rights -----------------------------------------------------------------

    def export(self, site_id: str) -> tuple[list[Vote], list[Event]]:
        """Return every vote and feedback of a site."""
        conn = self._conn()
        votes = conn.execute(
            "SELECT v.*, a.title, a.url FROM votes v LEFT JOIN aggregates a"
            " ON a.site = v.site AND a.article = v.article WHERE v.site=? ORDER BY v.created_at",
            (site_id,)).fetchall()
        site = self.get_site(site_id)
        feedback = [e for e in self.events(site, datetime.min.replace(tzinfo=UTC),
                                           datetime.max.replace(tzinfo=UTC))
                    if e.kind == "feedback"] if site else []
        return [self._row_vote(r) for r in votes], feedback

    def forget_contact(self, email: str) -> int:
        """Delete every feedback event that left this contact email."""
        def work() -> int:
            with self._tx() as conn:
                return conn.execute("DELETE FROM events WHERE kind='feedback' AND contact_email = ? COLLATE NOCASE",
                                    (email.strip(),)).rowcount

        return self._run(work)

    def purge_feedback(self, before: datetime) -> int:
        """Blank the text and contact of feedback older than `before`."""
        def work() -> int:
            with self._tx() as conn:
                return conn.execute(
                    "UPDATE events SET text='', contact_email='' WHERE kind='feedback' AND at < ?"
                    " AND (text != '' OR contact_email != '')", (_iso(before),)).rowcount

        return self._run(work)
