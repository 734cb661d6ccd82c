"""Rank articles by impact: how many readers an article disappointed, and how far it fell.

For one article on one day, with n counted ratings averaging `avg` (docs/digest.md has the
worked cases):
- its *reference* is its own average over the 7 days before when it had at least MIN_BASELINE
  ratings then, otherwise the site's average (the 7 days before plus the day, when at least
  SITE_MIN ratings), otherwise DEFAULT_REF;
- its *gap* is the larger of (reference − avg), how far it fell, and TRAIL_WEIGHT × (site − avg),
  how far it trails the site when it has trailed for a while (an old sore, worth half a new fall);
- its *reach* is n² / (n + REACH_PRIOR): about n for many readers, about n²/5 for a few, so one
  vote weighs 1/6 of a reader and twenty weigh 16;
- its *impact* is max(gap, 0) × reach + PROBLEM_WEIGHT × (comments that report a problem).

An article needs attention when its impact is at least MIN_IMPACT and it is not snoozed. One
vote alone can never get there (its reach caps it at 4/6 of a point), while a comment that
names a problem always does. Praise adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_BASELINE = 3
SITE_MIN = 10
DEFAULT_REF = 4.0  # web ratings skew high; with no history, 4 is the typical mean
TRAIL_WEIGHT = 0.5
REACH_PRIOR = 5
PROBLEM_WEIGHT = 2.0
MIN_IMPACT = 2.0
DROP = 0.3  # a fall smaller than this is noise, not news


@dataclass(frozen=True)
class Impact:
    """An article's impact and the figures that explain it."""

    score: float
    fall: float | None  # reference − avg when the reference is the article's own past
    trail: float | None  # site − avg
    problems: int

    @property
    def needs_attention(self) -> bool:
        """Tell whether the impact is high enough to ask the owner for time."""
        return self.score >= MIN_IMPACT


def reach(n: int) -> float:
    """Return how many readers n ratings stand for, shrunk for small n."""
    return n * n / (n + REACH_PRIOR)


def impact(ratings: list[int], past: list[int], site_average: float | None, problems: int) -> Impact:
    """Return an article's impact from its ratings of the day, of the 7 days before, and the site's average."""
    n = len(ratings)
    fall = trail = None
    gap = 0.0
    if n:
        avg = sum(ratings) / n
        own = sum(past) / len(past) if len(past) >= MIN_BASELINE else None
        reference = own if own is not None else (site_average if site_average is not None else DEFAULT_REF)
        gap = reference - avg
        if own is not None:
            fall = round(own - avg, 2)
        if site_average is not None:
            trail = round(site_average - avg, 2)
            if own is not None:
                gap = max(gap, TRAIL_WEIGHT * trail)
    score = max(gap, 0.0) * reach(n) + PROBLEM_WEIGHT * problems
    return Impact(score=round(score, 3), fall=fall, trail=trail, problems=problems)


def site_average(total: int, count: int, own: list[int]) -> float | None:
    """Return the average of the site's other articles (8 days' ratings minus the article's own), or None."""
    n = count - len(own)
    return (total - sum(own)) / n if n >= SITE_MIN else None
