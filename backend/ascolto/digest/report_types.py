"""The digest report's plain types: rows, comments, held-back things and the report itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ascolto.followup import OpenItem
from ascolto.ratings import Site


@dataclass(frozen=True)
class Limits:
    """How many rows each section lists before pointing to the full list (keeps the HTML < 100 KB)."""

    attention: int = 20
    feedback: int = 50
    feedback_bytes: int = 50_000  # texts can be 2,000 characters: stop listing past this many bytes
    best: int = 5
    first: int = 10
    bursts: int = 10
    still_open: int = 10


@dataclass(frozen=True)
class FollowUp:
    """The owner's follow-up state the digest needs, read before building it (see ascolto.followup)."""

    open: tuple[OpenItem, ...] = ()
    dealt: frozenset[str] = frozenset()  # comment ids marked handled or spam
    snoozed: frozenset[tuple[str, str]] = frozenset()  # (site, article)
    link_version: int = 0
    failed_channels: tuple[str, ...] = ()  # chat and webhook channels given up since the day before


@dataclass(frozen=True)
class Comment:
    """One reader's comment, as the owner reads it."""

    id: str
    site_id: str
    article: str
    title: str
    url: str
    text: str
    rating: int | None
    at: datetime
    email: str
    reply: str
    problem: bool
    held: str = ""


@dataclass(frozen=True)
class ArticleRow:
    """One article's numbers for the day, why it is listed, and its comments (most telling first)."""

    site_id: str
    site_name: str
    article: str
    title: str
    url: str
    votes: int
    average: float | None
    histogram: tuple[int, int, int, int, int]
    weighted: float
    change: float | None
    first_time: bool
    impact: float = 0.0
    needs_attention: bool = False
    why: tuple[str, ...] = ()
    comments: tuple[Comment, ...] = ()
    hidden_comments: int = 0
    snoozed: bool = False


@dataclass(frozen=True)
class Burst:
    """Many counted votes on one article within a few minutes."""

    site_id: str
    title: str
    votes: int
    minutes: int
    start: datetime


@dataclass(frozen=True)
class HeldVotes:
    """Votes on one article held back by the anti-stuffing checks."""

    site_id: str
    article: str
    title: str
    votes: int
    reasons: dict[str, int]
    first: datetime
    last: datetime

    @property
    def reason_list(self) -> list[str]:
        """Return one reason per held vote."""
        return [r for r, n in self.reasons.items() for _ in range(n)]


@dataclass(frozen=True)
class StillOpen:
    """Comments on one article that an earlier digest showed and the owner has not dealt with."""

    site_id: str
    site_name: str
    article: str
    title: str
    url: str
    comments: int
    held: int
    days: int


@dataclass(frozen=True)
class Headline:
    """The day in three numbers and their change against the week before."""

    votes: int
    average: float | None
    feedback: int
    week_daily_votes: float
    week_average: float | None
    held_votes: int = 0
    held_comments: int = 0
    withdrawn: int = 0  # votes taken back that day

    @property
    def votes_change(self) -> float | None:
        """Return the relative change of votes against the 7-day daily mean."""
        return (self.votes - self.week_daily_votes) / self.week_daily_votes if self.week_daily_votes else None

    @property
    def average_change(self) -> float | None:
        """Return the change of the average against the 7 days before."""
        if self.average is None or self.week_average is None:
            return None
        return round(self.average - self.week_average, 2)


@dataclass(frozen=True)
class Totals:
    """Numbers since the start, from the article aggregates."""

    votes: int
    articles: int
    average: float | None
    imported_votes: int = 0  # of `votes`, imported from WordPress (ascolto.importing)
    imported_from: str = ""  # the plugins' names
    imported_on: date | None = None  # the latest import


@dataclass(frozen=True)
class Report:
    """Everything the digest shows, ready to render."""

    owner_email: str
    language: str
    day: date
    relative: str  # "yesterday", "today" (a preview of a day not ended) or "day"
    sites: list[Site]
    headline: Headline
    attention: list[ArticleRow]
    attention_total: int
    best: list[ArticleRow]
    first: list[ArticleRow]
    others: list[ArticleRow]  # articles not needing attention whose comments are shown
    comments_total: int
    comments_shown: int
    held_comments: list[Comment]
    held_votes: list[HeldVotes]
    held_reasons: dict[str, int]
    bursts: list[Burst]
    still_open: list[StillOpen]
    still_open_total: int
    snoozed: int
    totals: Totals
    articles_total: int
    link_version: int = 0
    failed_channels: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Tell whether nothing happened and nothing is open."""
        h = self.headline
        return not (h.votes or h.feedback or h.held_votes or h.held_comments or self.still_open
                    or self.failed_channels)

    @property
    def held_reason_counts(self) -> dict[str, int]:
        """Return why comments were held back, counted."""
        counts: dict[str, int] = {}
        for c in self.held_comments:
            key = c.held if c.held in ("link", "spam") else "flagged"
            counts[key] = counts.get(key, 0) + 1
        return counts
