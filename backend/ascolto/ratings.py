"""Domain rules and types: votes, vote changes, feedback and summaries (no I/O here)."""

from __future__ import annotations

import re
import secrets
import time
import unicodedata
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ascolto.errors import InvalidInput

SITE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}\Z")
LANGUAGES = ("en", "it")
DEMO_SITE = "demo"  # the site `ascolto serve` creates for its demo page


@dataclass(frozen=True)
class Site:
    """A registered site: who owns it, where its pages live, how its digest is sent."""

    id: str
    name: str
    owner_email: str
    origins: tuple[str, ...]
    timezone: str = "UTC"
    language: str = "en"
    low_threshold: int = 3
    digest_hour: int = 7
    digest_send_empty: bool = False
    digest_enabled: bool = True  # off after the owner unsubscribes (ascolto.owner)
    created_at: str = ""
    # Anti-stuffing, per site: see ascolto.abuse for how each is used.
    vote_cap: int = 8
    rate_burst: int = 30
    rate_per_hour: int = 120
    min_dwell_ms: int = 1000
    new_articles_per_day: int = 100  # past it, votes that would create an article are held back
    notify: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "origins", tuple(self.origins))
        object.__setattr__(self, "notify", tuple(self.notify))

    @property
    def zone(self) -> ZoneInfo:
        """Return the site's time zone."""
        return ZoneInfo(self.timezone)

    def article_url(self, article: str) -> str:
        """Return an article's URL on the site's first origin ('' when the site has none or the id is no path)."""
        return f"{self.origins[0]}{article}" if self.origins and article.startswith("/") else ""

    def allows_origin(self, origin: str | None) -> bool:
        """Tell whether a browser Origin may use this site's API."""
        return origin is None or origin.rstrip("/") in self.origins

    def to_dict(self) -> dict[str, Any]:
        """Return the site as plain JSON-able data."""
        data = asdict(self)
        data["origins"] = list(self.origins)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Site:
        """Build a site from `to_dict` output, ignoring unknown keys."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["origins"] = tuple(known.get("origins", ()))
        return cls(**known)


def validate_site(site: Site) -> None:
    """Raise InvalidInput naming each bad field of a site."""
    errors: dict[str, list[str]] = {}
    if not SITE_ID.match(site.id):
        errors["id"] = ["Use 2-63 lowercase letters, digits or hyphens."]
    if not site.name.strip():
        errors["name"] = ["A site needs a name."]
    if "@" not in site.owner_email or any(c.isspace() for c in site.owner_email):
        errors["owner_email"] = ["Not a valid email address."]
    for origin in site.origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            errors.setdefault("origins", []).append(f"Not an origin like https://example.org: {origin!r}")
    try:
        ZoneInfo(site.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = [f"Unknown time zone {site.timezone!r}."]
    if site.language not in LANGUAGES:
        errors["language"] = [f"Use one of {', '.join(LANGUAGES)}."]
    if not 1 <= site.low_threshold <= 5:
        errors["low_threshold"] = ["Use a rating from 1 to 5."]
    if not 0 <= site.digest_hour <= 23:
        errors["digest_hour"] = ["Use an hour from 0 to 23."]
    for name in ("vote_cap", "rate_burst", "rate_per_hour", "new_articles_per_day"):
        if getattr(site, name) < 1:
            errors[name] = ["Use a whole number of at least 1."]
    if site.min_dwell_ms < 0:
        errors["min_dwell_ms"] = ["Use 0 or more milliseconds."]
    if errors:
        raise InvalidInput("The site settings are not valid.", errors)


def normalize_origin(origin: str) -> str:
    """Return an origin as scheme://host[:port] with no trailing slash."""
    parts = urlsplit(origin.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def normalize_article(article: str) -> str:
    """Return the stable article id: a URL's path, no query or fragment, no trailing slash."""
    text = unicodedata.normalize("NFC", article.strip())
    if "://" in text:
        try:
            text = urlsplit(text).path or "/"
        except ValueError as exc:  # e.g. "http://[x/post": an unclosed IPv6 bracket
            raise InvalidInput("Not a valid URL or article id.", {"article": [str(exc)]}) from exc
    text = text.split("#", 1)[0].split("?", 1)[0]
    if len(text) > 1:
        text = text.rstrip("/") or "/"
    return text


@dataclass(frozen=True)
class Summary:
    """The public numbers of one article."""

    article: str
    count: int = 0
    total: int = 0
    histogram: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    title: str = ""
    url: str = ""
    first_at: datetime | None = None
    exists: bool = False  # False for an article no counted vote has created
    version: int = 0  # grows with every write of the aggregate (the reconcile's condition)

    @property
    def average(self) -> float | None:
        """Return the mean rating rounded to two places, or None with no votes."""
        return round(self.total / self.count, 2) if self.count else None

    def plus(self, delta: Delta) -> Summary:
        """Return the summary with a delta added."""
        h = tuple(a + b for a, b in zip(self.histogram, delta.histogram, strict=True))
        return replace(self, count=self.count + delta.count, total=self.total + delta.total,
                       histogram=h)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        """Return the API representation."""
        return {
            "article": self.article,
            "count": self.count,
            "average": self.average,
            "histogram": {str(i + 1): n for i, n in enumerate(self.histogram)},
        }


@dataclass(frozen=True)
class Delta:
    """What a write adds to an article's aggregate: votes, rating points and histogram counts."""

    count: int = 0
    total: int = 0
    histogram: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)

    def plus(self, rating: int) -> Delta:
        """Return this delta with one more vote of a rating."""
        return self + Delta(1, rating, _one_hot(rating))

    def minus(self, rating: int) -> Delta:
        """Return this delta with one vote of a rating taken away."""
        return self + Delta(-1, -rating, tuple(-n for n in _one_hot(rating)))  # type: ignore[arg-type]

    def __add__(self, other: Delta) -> Delta:
        h = tuple(a + b for a, b in zip(self.histogram, other.histogram, strict=True))
        return Delta(self.count + other.count, self.total + other.total, h)  # type: ignore[arg-type]

    @property
    def zero(self) -> bool:
        """Tell whether adding this changes nothing."""
        return self.count == 0 and self.total == 0 and not any(self.histogram)


def _one_hot(rating: int) -> tuple[int, int, int, int, int]:
    h = [0, 0, 0, 0, 0]
    h[rating - 1] = 1
    return (h[0], h[1], h[2], h[3], h[4])


@dataclass(frozen=True)
class Vote:
    """One voter's rating of one article, as cast at a moment."""

    site: str
    article: str
    voter: str
    rating: int
    at: datetime
    day: str
    url: str = ""
    title: str = ""
    request_id: str = ""
    quarantined: bool = False
    quarantine_reason: str = ""


@dataclass(frozen=True)
class StoredVote:
    """A vote as a store keeps it: the voter's current rating of an article.

    `at` is when it was last cast, `created_at` when first; `day` is the site-local day of `at`.
    A held-back (quarantined) vote also keeps the title and URL it came with, because it
    creates no article for them to live on.
    """

    site: str
    article: str
    voter: str
    rating: int
    request_id: str
    at: datetime
    day: str
    created_at: datetime
    quarantined: bool = False
    quarantine_reason: str = ""
    title: str = ""
    url: str = ""

    def as_vote(self) -> Vote:
        """Return the vote as the rules and the owner's commands see it."""
        return Vote(site=self.site, article=self.article, voter=self.voter, rating=self.rating, at=self.at,
                    day=self.day, url=self.url, title=self.title, request_id=self.request_id,
                    quarantined=self.quarantined, quarantine_reason=self.quarantine_reason)


@dataclass(frozen=True)
class VoteWrite:
    """One conditional write the rules ask a store for.

    The stored vote must still have `expected_request_id` (None: there must be none). Then:
    `vote` replaces it (None: delete it), `event` is appended to the day's log (if any), and
    `delta` is added to the article's aggregate. A zero delta leaves the aggregate untouched,
    and never creates one; the first non-zero delta creates it with `title`, `url` and `at`.
    """

    site: str
    article: str
    voter: str
    expected_request_id: str | None
    vote: StoredVote | None
    event: Event | None
    day: str
    delta: Delta
    at: datetime
    title: str = ""
    url: str = ""


@dataclass(frozen=True)
class VoteResult:
    """What casting a vote did."""

    summary: Summary
    rating: int
    previous_rating: int | None
    changed: bool


@dataclass(frozen=True)
class Feedback:
    """A reader's text about an article, tied to their vote."""

    site: str
    article: str
    voter: str
    text: str
    at: datetime
    day: str
    contact_email: str = ""
    rating: int | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


def event_id() -> str:
    """Return a new event id that sorts after those made earlier, so events of one moment keep their order."""
    return f"{time.time_ns():x}{secrets.token_hex(6)}"


@dataclass(frozen=True)
class Event:
    """One thing that happened on a site: a vote, a changed vote or feedback."""

    kind: str  # "vote" | "change" | "withdraw" | "feedback"
    site: str
    article: str
    voter: str
    at: datetime
    rating: int | None = None
    previous_rating: int | None = None
    title: str = ""
    url: str = ""
    text: str = ""
    contact_email: str = ""
    quarantined: bool = False
    id: str = field(default_factory=event_id)  # made here, once, for every store
    quarantine_reason: str = ""
    request_id: str = ""


def local_days(site: Site, start: datetime, end: datetime) -> list[str]:
    """Return every site-local day that [start, end) touches, in order (none if the window is empty)."""
    if end <= start:
        return []
    first = start.astimezone(site.zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(site.zone).date()
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def local_day(at: datetime, site: Site) -> str:
    """Return the site-local calendar day of a moment, as YYYY-MM-DD."""
    return at.astimezone(site.zone).date().isoformat()


def asks_feedback(site: Site, rating: int) -> bool:
    """Tell whether a rating is low enough to ask the reader how to improve."""
    return rating <= site.low_threshold
