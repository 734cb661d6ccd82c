"""The Store port: the storage primitives the rules and the digest need, and nothing more.

A store says how its technology keeps these records and reads them atomically; it decides
nothing. What a vote, a change, a retry, a token, a release or a claim means is written
once above the port (ascolto.voting, ascolto.abuse, ascolto.claims), and the contract suite
(tests/stores/contract.py) holds every store to the same behaviour, field by field.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from ascolto.ratings import Delta, Event, Site, StoredVote, Summary, VoteWrite

MAX_BATCH = 50


@runtime_checkable
class Store(Protocol):
    """Storage of sites, votes, aggregates, the event log and small owner-side records."""

    # -- sites ----------------------------------------------------------------------------

    def put_site(self, site: Site) -> None:
        """Create or replace a site."""

    def get_site(self, site_id: str) -> Site | None:
        """Return a site, or None if it does not exist."""

    def list_sites(self) -> list[Site]:
        """Return every site, ordered by id."""

    def delete_site(self, site_id: str, days: Sequence[str]) -> None:
        """Delete a site, its votes, aggregates and the events of `days` (its records: see site_removal)."""

    # -- one unit of work -----------------------------------------------------------------

    def atomic(self) -> AbstractContextManager[None]:
        """Group the calls inside into one transaction where the technology has one (else each call stands alone)."""

    # -- votes and aggregates -------------------------------------------------------------

    def vote_and_summary(self, site_id: str, article: str, voter: str) -> tuple[StoredVote | None, Summary]:
        """Return a voter's stored vote on an article and the article's aggregate, both read consistently."""

    def write_vote(self, write: VoteWrite) -> Summary:
        """Apply one conditional vote write (see VoteWrite) and return the aggregate after it.

        Raise Conflict, writing nothing, when the stored vote's request_id is not
        `write.expected_request_id` (None: when a vote is stored).
        """

    def article_votes(self, site_id: str, article: str) -> list[StoredVote]:
        """Return every stored vote of an article (consistent), in no particular order."""

    def held_votes(self, site_id: str) -> list[StoredVote]:
        """Return a site's quarantined votes, in no particular order, without reading its other votes."""

    def site_votes(self, site_id: str) -> list[StoredVote]:
        """Return every stored vote of a site (for export), in no particular order."""

    def summary(self, site_id: str, article: str, consistent: bool = False) -> Summary:
        """Return one article's aggregate with one read (an empty, non-existing one when unknown)."""

    def summaries(self, site_id: str, articles: Sequence[str]) -> dict[str, Summary]:
        """Return up to MAX_BATCH aggregates with one batched read, in the order asked."""

    def articles(self, site_id: str) -> list[Summary]:
        """Return every article aggregate of a site, ordered by article."""

    def replace_aggregate(self, site_id: str, article: str, counted: Delta, expected_version: int,
                          first_at: datetime, title: str = "", url: str = "") -> None:
        """Set an aggregate to exact numbers if its version is still `expected_version`; else Conflict.

        The write that creates the aggregate sets `first_at`, `title` and `url`; a later one
        leaves them as they are (set once, as by write_vote).
        """

    # -- the event log --------------------------------------------------------------------

    def add_event(self, event: Event, day: str) -> None:
        """Append an event (feedback) to the site's log of a local day."""

    def events(self, site: Site, start: datetime, end: datetime) -> list[Event]:
        """Return the site's events with start <= at < end, oldest first."""

    def day_events(self, site: Site, day: str) -> list[Event]:
        """Return the events logged under a site-local day, oldest first."""

    def site_feedback(self, site_id: str) -> list[Event]:
        """Return every feedback event of a site, oldest first, without reading its votes."""

    def forget_contact(self, email: str) -> int:
        """Delete every feedback event that left this contact email (any case); return how many."""

    def purge_feedback(self, before: datetime) -> int:
        """Blank the text and contact of feedback older than a moment; return how many."""

    # -- small records: claims, counters, owner-side state --------------------------------

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """Return a record's data, or None when it is missing.

        Records past their `expires` may still be read until the store deletes them (DynamoDB's
        TTL is lazy): the rules key short-lived records so that an old one is never asked for.
        """

    def get_versioned(self, kind: str, key: str) -> tuple[dict[str, Any] | None, int]:
        """Return a record's data (None when missing) and its stored version (0 when missing)."""

    def put_record(self, kind: str, key: str, data: dict[str, Any], *, expires: datetime | None = None,
                   expected_version: int | None = None) -> None:
        """Write a record; with expected_version, only if the stored version is that (0: none stored), else Conflict."""

    def delete_record(self, kind: str, key: str, *, expected_version: int | None = None) -> None:
        """Delete a record (missing is fine); with expected_version, only if it still has it, else Conflict."""

    def records(self, kind: str, prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
        """Return the records of a kind whose key starts with prefix, ordered by key."""

    def add_to_record(self, kind: str, key: str, field: str, amount: int, *, expires: datetime | None = None) -> int:
        """Add to a counter field of a record atomically (creating it) and return the new value."""

    def purge_expired(self, now: datetime) -> int:
        """Delete records whose `expires` is past; return how many (0 where the technology does it itself)."""

    def close(self) -> None:
        """Release connections."""
