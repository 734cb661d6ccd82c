"""Plain-data builders for digest tests: events, summaries and site days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from ascolto.digest.collect import SiteDay, day_window
from ascolto.ratings import Event, Site, Summary
from tests.conftest import make_site

DAY = date(2026, 11, 19)


def at(site: Site, day: date, hour: int, minute: int = 0) -> datetime:
    """Return a UTC moment at a local wall-clock time of a day."""
    start, _ = day_window(site.zone, day)
    return start + timedelta(hours=hour, minutes=minute)


def vote(site: Site, article: str, voter: str, rating: int, when: datetime, **extra: object) -> Event:
    """Return a vote event."""
    values: dict[str, object] = dict(kind="vote", site=site.id, article=article, voter=voter, at=when,
                                     rating=rating, title=f"Title {article}",
                                     url=f"https://blog.example.org{article}")
    values.update(extra)
    return Event(**values)  # type: ignore[arg-type]


def feedback(site: Site, article: str, voter: str, rating: int, text: str, when: datetime,
             email: str = "", **extra: object) -> Event:
    """Return a feedback event."""
    values: dict[str, object] = dict(kind="feedback", site=site.id, article=article, voter=voter, at=when,
                                     rating=rating, text=text, contact_email=email, title=f"Title {article}",
                                     url=f"https://blog.example.org{article}")
    values.update(extra)
    return Event(**values)  # type: ignore[arg-type]


def aggregates(events: Sequence[Event], first_at: datetime | None = None) -> list[Summary]:
    """Return article summaries counting the final counted rating of each voter."""
    last: dict[tuple[str, str], int] = {}
    for e in events:
        if e.kind in ("vote", "change") and not e.quarantined and e.rating:
            last[(e.article, e.voter)] = e.rating
    out: dict[str, list[int]] = {}
    for (article, _), rating in last.items():
        out.setdefault(article, []).append(rating)
    return [Summary(article=a, count=len(r), total=sum(r),
                    histogram=tuple(r.count(i) for i in range(1, 6)),  # type: ignore[arg-type]
                    title=f"Title {a}", url=f"https://blog.example.org{a}",
                    first_at=first_at or datetime(2026, 1, 1, tzinfo=UTC))
            for a, r in out.items()]


def site_day(events: Sequence[Event] = (), previous: Sequence[Event] = (), site: Site | None = None,
             day: date = DAY, articles: Sequence[Summary] | None = None) -> SiteDay:
    """Return one site's plain digest input."""
    site = site or make_site()
    start, end = day_window(site.zone, day)
    return SiteDay(site=site, day=day, start=start, end=end, events=list(events), previous=list(previous),
                   articles=list(articles) if articles is not None else aggregates([*previous, *events]))
