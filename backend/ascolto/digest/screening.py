"""Counting helpers of the digest: final ratings, bursts of counted votes, held-back votes by article."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from ascolto.digest.collect import SiteDay
from ascolto.digest.report_types import Burst, HeldVotes
from ascolto.ratings import Event, Site

PRIOR_WEIGHT = 5
PRIOR = 3.0
BURST_VOTES = 10
BURST_MINUTES = 5


def final_ratings(events: Iterable[Event]) -> dict[tuple[str, str], int]:
    """Return the last counted rating of each (article, voter) among vote, change and withdraw events."""
    last: dict[tuple[str, str], Event] = {}
    for e in events:
        if e.kind in ("vote", "change") and e.rating is not None:
            last[(e.article, e.voter)] = e
        elif e.kind == "withdraw":  # a vote taken back counts for nothing
            last.pop((e.article, e.voter), None)
    return {k: e.rating for k, e in last.items() if not e.quarantined and e.rating is not None}


def weighted_average(ratings_sum: int, n: int, prior: float = PRIOR, weight: int = PRIOR_WEIGHT) -> float:
    """Return the Bayesian average of n ratings (orders the best-rated list: one 5 after twenty 4s)."""
    return (weight * prior + ratings_sum) / (weight + n)


def find_bursts(site: Site, events: Sequence[Event], title_of: dict[str, str]) -> list[Burst]:
    """Return, per article, the densest BURST_MINUTES window of at least BURST_VOTES counted votes.

    Held-back votes are left out here: they are reported once, as held back.
    """
    times: dict[str, list[datetime]] = defaultdict(list)
    for e in events:
        if e.kind in ("vote", "change") and not e.quarantined:
            times[e.article].append(e.at)
    span = timedelta(minutes=BURST_MINUTES)
    bursts = []
    for article, ats in times.items():
        if len(ats) < BURST_VOTES:
            continue
        ats.sort()
        best, best_start, lo = 0, ats[0], 0
        for hi, at in enumerate(ats):
            while at - ats[lo] >= span:
                lo += 1
            if hi - lo + 1 > best:
                best, best_start = hi - lo + 1, ats[lo]
        if best >= BURST_VOTES:
            bursts.append(Burst(site.id, title_of.get(article, article), best, BURST_MINUTES,
                                best_start.astimezone(site.zone)))
    return sorted(bursts, key=lambda b: -b.votes)


def held_votes(day: SiteDay, title_of: dict[str, str]) -> list[HeldVotes]:
    """Return the day's held-back votes grouped by article, with their reasons and time span."""
    by_article: dict[str, list[Event]] = defaultdict(list)
    for e in day.events:
        if e.kind in ("vote", "change") and e.quarantined:
            by_article[e.article].append(e)
    groups = []
    for article, events in by_article.items():
        reasons = Counter(e.quarantine_reason or "other" for e in events)
        ats = sorted(e.at.astimezone(day.site.zone) for e in events)
        groups.append(HeldVotes(site_id=day.site.id, article=article, title=title_of.get(article, article),
                                votes=len(events), reasons=dict(reasons), first=ats[0], last=ats[-1]))
    return sorted(groups, key=lambda g: -g.votes)
