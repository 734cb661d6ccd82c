"""Urgent alerts found in a site's recent events: a burst, a sharp drop, a new low rating with a comment.

`detect` is a pure function over plain `ascolto.ratings.Event` lists and article summaries, so
the hourly job only reads the last hours of events and the aggregates of the articles they name.
Each channel opts in to the kinds it wants (`?alerts=burst,drop,low`) and sets its thresholds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ascolto.ratings import Event, Summary

KINDS = ("burst", "drop", "low")


@dataclass(frozen=True)
class AlertRules:
    """Which alerts a channel wants, and when each fires."""

    kinds: frozenset[str] = field(default_factory=frozenset)
    burst_votes: int = 10  # this many vote events on one article ...
    burst_minutes: int = 5  # ... within this many minutes (brigading, or a link shared somewhere big)
    drop_points: float = 1.0  # the recent mean is this far below the article's average ...
    drop_readers: int = 20  # ... and the article has at least this many counted votes in all
    drop_votes: int = 3  # recent ratings needed before a drop means anything
    low_rating: int = 2  # a comment left with a rating at or below this
    cooldown_hours: int = 6  # at most one alert of a kind per article per period of this length

    @property
    def cooldown(self) -> timedelta:
        """Return the cool-down period."""
        return timedelta(hours=self.cooldown_hours)

    def window(self, at: datetime) -> int:
        """Return the number of the cool-down period a moment falls in (periods aligned to the Unix epoch)."""
        return int(at.timestamp() // self.cooldown.total_seconds())


@dataclass(frozen=True)
class Alert:
    """One alert about one article: what happened, with the numbers that make it one."""

    kind: str
    site: str
    article: str
    at: datetime  # the moment that places it in a cool-down period
    votes: int = 0
    minutes: int = 0
    average: float | None = None
    recent: float | None = None
    rating: int | None = None
    text: str = ""  # a low rating's comment (raw reader text: sent only where a channel opts in)
    title: str = ""
    url: str = ""


def _densest(times: list[datetime], span: timedelta) -> tuple[int, datetime]:
    """Return the most events within any `span` and where that window starts."""
    times = sorted(times)
    best, start, lo = 0, times[0], 0
    for hi, at in enumerate(times):
        while at - times[lo] >= span:
            lo += 1
        if hi - lo + 1 > best:
            best, start = hi - lo + 1, times[lo]
    return best, start


def find_bursts(events: Iterable[Event], votes: int, minutes: int) -> list[Alert]:
    """Return an alert per article with at least `votes` vote events (counted or held back) within `minutes`."""
    times: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.kind in ("vote", "change"):
            times[e.article].append(e)
    alerts = []
    for article, group in times.items():
        if len(group) < votes:
            continue
        count, start = _densest([e.at for e in group], timedelta(minutes=minutes))
        if count >= votes:
            last = group[-1]
            alerts.append(Alert("burst", last.site, article, start, votes=count, minutes=minutes,
                                title=last.title, url=last.url))
    return alerts


def find_drops(events: Iterable[Event], summaries: Mapping[str, Summary], points: float, readers: int,
               min_votes: int) -> list[Alert]:
    """Return an alert per article whose recent counted ratings average `points` below its overall average."""
    last: dict[tuple[str, str], Event] = {}
    for e in events:
        if e.kind in ("vote", "change") and e.rating is not None and not e.quarantined:
            last[(e.article, e.voter)] = e
    recent: dict[str, list[Event]] = defaultdict(list)
    for (article, _), e in last.items():
        recent[article].append(e)
    alerts = []
    for article, group in recent.items():
        summary = summaries.get(article)
        if summary is None or summary.count < readers or len(group) < min_votes or summary.average is None:
            continue
        mean = sum(e.rating or 0 for e in group) / len(group)
        if summary.average - mean >= points:
            newest = max(group, key=lambda e: e.at)
            alerts.append(Alert("drop", newest.site, article, newest.at, votes=len(group),
                                average=summary.average, recent=round(mean, 2),
                                title=newest.title or summary.title, url=newest.url or summary.url))
    return alerts


def find_low_comments(events: Iterable[Event], low_rating: int) -> list[Alert]:
    """Return an alert per feedback text left with a rating at or below `low_rating`."""
    return [Alert("low", e.site, e.article, e.at, rating=e.rating, text=e.text.strip(), title=e.title, url=e.url)
            for e in events
            if e.kind == "feedback" and e.text.strip() and e.rating is not None and e.rating <= low_rating]


def detect(events: Iterable[Event], summaries: Mapping[str, Summary], rules: AlertRules) -> list[Alert]:
    """Return the alerts a channel's rules find in a site's recent events, oldest first."""
    events = list(events)
    found: list[Alert] = []
    if "burst" in rules.kinds:
        found += find_bursts(events, rules.burst_votes, rules.burst_minutes)
    if "drop" in rules.kinds:
        found += find_drops(events, summaries, rules.drop_points, rules.drop_readers, rules.drop_votes)
    if "low" in rules.kinds:
        found += find_low_comments(events, rules.low_rating)
    return sorted(found, key=lambda a: (a.at, a.kind, a.article))
