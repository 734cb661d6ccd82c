"""Ranking by impact, with the hand-made cases of docs/digest.md."""

from __future__ import annotations

from datetime import timedelta

from ascolto.digest.ranking import MIN_IMPACT, impact, reach
from ascolto.digest.report import Report, build_report
from ascolto.ratings import Event
from tests.conftest import make_site
from tests.digest.helpers import DAY, at, feedback, site_day, vote

SITE = make_site()


def votes(article: str, ratings: list[int], days_ago: int = 0, tag: str = "") -> list[Event]:
    """Return one vote per rating on an article, `days_ago` days before DAY."""
    day = DAY - timedelta(days=days_ago)
    return [vote(SITE, article, f"{tag}{article}-{days_ago}-{i}", r, at(SITE, day, 8) + timedelta(minutes=i))
            for i, r in enumerate(ratings)]


def spread(mean: float, n: int) -> list[int]:
    """Return n ratings of 1..5 whose mean is as close to `mean` as integers allow."""
    low = int(mean)
    highs = round((mean - low) * n)
    return [low + 1] * highs + [low] * (n - highs)


# A site whose readers usually rate about 4.3: the background every case is judged against.
BACKGROUND = [e for d in range(1, 8) for e in votes(f"/steady{d}", spread(4.3, 10), d)] + votes(
    "/steady-today", spread(4.3, 20))


def rank(today: list[Event], past: list[Event] = ()) -> Report:  # type: ignore[assignment]
    background_today = [e for e in BACKGROUND if e.at >= at(SITE, DAY, 0)]
    background_past = [e for e in BACKGROUND if e.at < at(SITE, DAY, 0)]
    return build_report([site_day(today + background_today, list(past) + background_past)],
                        owner_email="owner@example.org", language="en", day=DAY)


def order(r: Report) -> list[str]:
    return [row.article for row in r.attention]


def test_the_hand_made_cases_rank_as_documented() -> None:
    one_low = votes("/one-low", [1])
    stable_low = votes("/stable-3.2", spread(3.2, 40))
    stable_low_past = [e for d in range(1, 8) for e in votes("/stable-3.2", spread(3.2, 10), d)]
    thanks = votes("/thanks", [5]) + [feedback(SITE, "/thanks", "/thanks-0-0", 5, "Thanks!", at(SITE, DAY, 9))]
    small_fall = votes("/small-fall", spread(3.0, 6))
    small_fall_past = votes("/small-fall", spread(4.5, 6), 3)
    big_fall = votes("/big-fall", spread(3.9, 50))
    big_fall_past = [e for d in range(1, 8) for e in votes("/big-fall", spread(4.8, 10), d)]
    twenty_twos = votes("/twenty-twos", [2] * 20)
    r = rank(one_low + stable_low + thanks + small_fall + big_fall + twenty_twos,
             stable_low_past + small_fall_past + big_fall_past)
    assert order(r) == ["/big-fall", "/twenty-twos", "/stable-3.2", "/small-fall"]
    rows = {row.article: row for row in r.attention}
    assert rows["/big-fall"].why == ("fell 0.9 over 50 readers",)
    assert rows["/small-fall"].why == ("fell 1.5 over 6 readers",)
    assert rows["/stable-3.2"].why[0].endswith("below your site's average, 40 readers")
    # A single vote is noise: it is not listed at all, and never above many readers.
    assert "/one-low" not in order(r)
    # Praise is not a problem, and an article is in at most one list.
    assert "/thanks" not in order(r)
    lists = [row.article for row in r.attention + r.best + r.first]
    assert len(lists) == len(set(lists))


def test_twenty_twos_outrank_one_one() -> None:
    r = rank(votes("/one-one", [1]) + votes("/twenty-twos", [2] * 20))
    assert order(r) == ["/twenty-twos"]
    assert impact([2] * 20, [], 4.3, 0).score > impact([1], [], 4.3, 0).score


def test_a_single_vote_never_outranks_readers_who_report_a_problem() -> None:
    problems = votes("/steak", [4, 4, 3]) + [
        feedback(SITE, "/steak", f"/steak-0-{i}", 4 - (i == 2), text, at(SITE, DAY, 10, i))
        for i, text in enumerate(["The table says 54 °C but the photo is well done. Which is right?",
                                  "Steps 3 and 4 contradict each other.", "Times for thick cuts are missing."])]
    r = rank(votes("/one-one", [1]) + problems)
    assert order(r) == ["/steak"]
    [row] = r.attention
    assert row.why[-1] == "3 readers report a problem"
    assert row.comments[0].problem


def test_one_vote_alone_can_never_reach_the_threshold() -> None:
    assert max(5 - 1, 0) * reach(1) < MIN_IMPACT
    assert impact([1], [5, 5, 5], 5.0, 0).score < MIN_IMPACT
    assert impact([5], [], 4.3, 1).score >= MIN_IMPACT  # one reader who names a problem is always heard


def test_a_snoozed_article_is_left_out_and_counted() -> None:
    from ascolto.digest.report_types import FollowUp

    today = votes("/twenty-twos", [2] * 20)
    r = build_report([site_day(today)], owner_email="o@example.org", language="en", day=DAY,
                     follow=FollowUp(snoozed=frozenset({("blog", "/twenty-twos")})))
    assert r.attention == [] and r.snoozed == 1
