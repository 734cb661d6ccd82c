"""The Store port: everything the rules and the digest need from storage."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol, runtime_checkable

from ascolto.errors import ConfigError, InvalidInput
from ascolto.ratings import Event, Feedback, Site, Summary, Vote, VoteResult

MAX_BATCH = 50


@runtime_checkable
class Store(Protocol):
    """Storage of sites, votes, aggregates, events and digest claims."""

    def put_site(self, site: Site) -> None:
        """Create or replace a site."""

    def get_site(self, site_id: str) -> Site | None:
        """Return a site, or None if it does not exist."""

    def list_sites(self) -> list[Site]:
        """Return every site, ordered by id."""

    def record_vote(self, vote: Vote) -> VoteResult:
        """Create or change a vote, moving the article's aggregate exactly.

        A vote whose request_id equals the stored vote's request_id is a retry and
        changes nothing. A vote with the same rating as the stored one changes nothing.
        """

    def add_feedback(self, feedback: Feedback) -> Feedback:
        """Store feedback with the voter's current rating; NotFound if they have not voted."""

    def summary(self, site_id: str, article: str) -> Summary:
        """Return one article's summary with one read (zeros when unknown)."""

    def summaries(self, site_id: str, articles: list[str]) -> dict[str, Summary]:
        """Return up to MAX_BATCH summaries with one batched read."""

    def events(self, site: Site, start: datetime, end: datetime) -> list[Event]:
        """Return the site's events with start <= at < end, oldest first."""

    def articles(self, site_id: str) -> list[Summary]:
        """Return every article aggregate of a site (for digest totals)."""

    def reconcile(self, site: Site, day: str, now: datetime, articles: Iterable[str] | None = None) -> int:
        """Recompute the aggregates of articles touched on a site-local day; return how many changed.

        The digest runs it before reading aggregates. It repairs a crash between a vote's
        writes; adapters whose vote is one atomic write return 0. A caller that has read the
        day's events already passes their articles, so the day is not read a second time.
        """

    def claim_digest(self, key: str, now: datetime) -> bool:
        """Claim a digest key before sending; False if it is claimed or sent."""

    def release_digest(self, key: str) -> None:
        """Release a claim whose sending failed, so a later run retries it."""

    def complete_digest(self, key: str, now: datetime) -> None:
        """Mark a claimed digest as sent, for good."""

    # -- anti-stuffing and data rights (issue: hardening) ---------------------------

    def salt(self, day: str, now: datetime) -> str:
        """Return the random salt of a UTC day, creating it once; salts expire after 48 hours."""

    def take_token(self, bucket: str, now: datetime, burst: int, per_hour: int) -> float:
        """Take one token from a bucket; return 0 if taken, else seconds until one is available."""

    def count_visitor_vote(self, site_id: str, article: str, network_key: str, visitor_key: str, day: str,
                           now: datetime) -> tuple[int, int]:
        """Count one more vote on an article that day; return the network's and the visitor's new counts.

        One record per (site, article, network key, day) holds both counts, so this is one write.
        """

    def quarantined(self, site_id: str) -> list[Vote]:
        """Return the site's quarantined votes, oldest first."""

    def release_vote(self, site_id: str, article: str, voter: str) -> Summary:
        """Count a quarantined vote after all; NotFound if there is no such quarantined vote."""

    def discard_vote(self, site_id: str, article: str, voter: str) -> None:
        """Delete a quarantined vote for good; NotFound if there is no such quarantined vote."""

    def export(self, site_id: str) -> tuple[list[Vote], list[Event]]:
        """Return every vote and every feedback event of a site, with no visitor keys."""

    def forget_contact(self, email: str) -> int:
        """Delete every feedback that left this contact email, text included; return how many."""

    def purge_feedback(self, before: datetime) -> int:
        """Delete the text and contact of feedback older than a moment; return how many."""

    def close(self) -> None:
        """Release connections."""


STORE_FORMS = "sqlite:///path/to/ascolto.db or dynamodb://TABLE?region=eu-west-1"


def open_store(url: str) -> Store:
    """Build the store adapter a URL names; ConfigError naming ASCOLTO_STORE if it cannot."""
    if url.startswith("sqlite:///"):
        import sqlite3

        from ascolto.stores.sqlite import SqliteStore

        try:
            return SqliteStore.from_url(url)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError("ASCOLTO_STORE", f"cannot open {url!r} ({exc}); use {STORE_FORMS}") from exc
    if url.startswith("dynamodb://"):
        from ascolto.stores.dynamodb import DynamoDBStore

        try:
            return DynamoDBStore.from_url(url)
        except InvalidInput as exc:
            raise ConfigError("ASCOLTO_STORE", f"{exc.message} Use {STORE_FORMS}, "
                                               "TABLE being 3-255 letters, digits, '_', '.' or '-'") from exc
    raise ConfigError("ASCOLTO_STORE", f"use {STORE_FORMS}, not {url!r}")
