"""The SQLite schema (versioned migrations) and the value conversions SqliteStore uses."""

from __future__ import annotations

from datetime import UTC, datetime

# Each entry moves the schema one version up; never edit a released entry.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE sites (id TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE votes (
        site TEXT NOT NULL, article TEXT NOT NULL, voter TEXT NOT NULL,
        rating INTEGER NOT NULL, request_id TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        quarantined INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (site, article, voter)
    ) WITHOUT ROWID;
    CREATE TABLE aggregates (
        site TEXT NOT NULL, article TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0,
        h1 INTEGER NOT NULL DEFAULT 0, h2 INTEGER NOT NULL DEFAULT 0, h3 INTEGER NOT NULL DEFAULT 0,
        h4 INTEGER NOT NULL DEFAULT 0, h5 INTEGER NOT NULL DEFAULT 0,
        title TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
        first_at TEXT NOT NULL,
        PRIMARY KEY (site, article)
    ) WITHOUT ROWID;
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE, site TEXT NOT NULL, day TEXT NOT NULL, at TEXT NOT NULL,
        kind TEXT NOT NULL, article TEXT NOT NULL, voter TEXT NOT NULL,
        rating INTEGER, previous_rating INTEGER,
        title TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '', contact_email TEXT NOT NULL DEFAULT '',
        quarantined INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX events_site_at ON events (site, at);
    CREATE TABLE digests (
        key TEXT PRIMARY KEY, state TEXT NOT NULL, claimed_at TEXT NOT NULL, sent_at TEXT
    ) WITHOUT ROWID;
    """,
    """
    ALTER TABLE votes ADD COLUMN quarantine_reason TEXT NOT NULL DEFAULT '';
    ALTER TABLE events ADD COLUMN quarantine_reason TEXT NOT NULL DEFAULT '';
    CREATE INDEX votes_quarantined ON votes (site, created_at) WHERE quarantined = 1;
    CREATE INDEX events_contact ON events (contact_email) WHERE contact_email != '';
    CREATE INDEX events_feedback_at ON events (at) WHERE kind = 'feedback';
    CREATE TABLE salts (day TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID;
    CREATE TABLE buckets (
        key TEXT PRIMARY KEY, tokens REAL NOT NULL, updated_at REAL NOT NULL, expires_at REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE visitor_counts (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL)
        WITHOUT ROWID;
    """,
    # Rules moved above the port: votes keep their local day (and a held vote its labels),
    # aggregates a version, events the request that made them; claims, buckets and counters
    # become small records. The stored salts and per-vote counters go: visitor keys are now
    # derived and coarse (ascolto.abuse), and those rows joined an address to a vote.
    """
    ALTER TABLE votes ADD COLUMN day TEXT NOT NULL DEFAULT '';
    ALTER TABLE votes ADD COLUMN title TEXT NOT NULL DEFAULT '';
    ALTER TABLE votes ADD COLUMN url TEXT NOT NULL DEFAULT '';
    UPDATE votes SET day = substr(updated_at, 1, 10);
    ALTER TABLE aggregates ADD COLUMN ver INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE events ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
    CREATE INDEX events_site_day ON events (site, day);
    CREATE INDEX events_site_feedback ON events (site, at) WHERE kind = 'feedback';
    CREATE TABLE records (
        kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, ver INTEGER NOT NULL, expires_at REAL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    INSERT INTO records (kind, key, data, ver)
        SELECT 'claim', key, json_object('state', state, 'claimed_at', claimed_at), 1 FROM digests;
    DROP TABLE digests;
    DROP TABLE salts;
    DROP TABLE buckets;
    DROP TABLE visitor_counts;
    """,
    # The event log keyed by what reads it, (site, day, at, id), as DynamoDB keys it: a vote's
    # event is one row in one b-tree page, no longer also a rowid, an AUTOINCREMENT counter, a
    # unique index of random ids and two indexes by time and day (four pages more in every
    # vote's commit). Ids sort in the order they were made (ratings.event_id), so events of one
    # moment keep their order.
    """
    CREATE TABLE events_by_time (
        site TEXT NOT NULL, at TEXT NOT NULL, id TEXT NOT NULL, day TEXT NOT NULL,
        kind TEXT NOT NULL, article TEXT NOT NULL, voter TEXT NOT NULL,
        rating INTEGER, previous_rating INTEGER,
        title TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '', contact_email TEXT NOT NULL DEFAULT '',
        quarantined INTEGER NOT NULL DEFAULT 0, quarantine_reason TEXT NOT NULL DEFAULT '',
        request_id TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (site, day, at, id)
    ) WITHOUT ROWID;
    INSERT INTO events_by_time (site, at, id, day, kind, article, voter, rating, previous_rating, title, url,
                                text, contact_email, quarantined, quarantine_reason, request_id)
        SELECT site, at, id, day, kind, article, voter, rating, previous_rating, title, url,
               text, contact_email, quarantined, quarantine_reason, request_id FROM events ORDER BY seq;
    DROP TABLE events;
    ALTER TABLE events_by_time RENAME TO events;
    CREATE INDEX events_contact ON events (contact_email) WHERE contact_email != '';
    CREATE INDEX events_site_feedback ON events (site, at) WHERE kind = 'feedback';
    CREATE INDEX events_feedback_at ON events (at) WHERE kind = 'feedback';
    """,
)


def iso(at: datetime) -> str:
    """Return a moment as a sortable UTC ISO string."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def parse_dt(text: str) -> datetime:
    """Return the moment an ISO string names."""
    return datetime.fromisoformat(text)
