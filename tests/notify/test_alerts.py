"""Alert detection is a pure function over plain events and summaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ascolto.notify.alerts import AlertRules, detect
from ascolto.ratings import Event, Summary

T = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
ALL = AlertRules(kinds=frozenset({"burst", "drop", "low"}))


def ev(kind: str, article: str, voter: str, minutes: float, rating: int | None = None, **extra: object) -> Event:
    return Event(kind=kind, site="blog", article=article, voter=voter, at=T + timedelta(minutes=minutes),
                 rating=rating, title=f"T {article}", url=f"https://blog.example.org{article}", **extra)  # type: ignore[arg-type]


def test_a_burst_needs_enough_votes_within_the_window() -> None:
    nine = [ev("vote", "/a", f"v{i}", i * 0.5, 5) for i in range(9)]
    assert detect(nine, {}, ALL) == []
    ten = [*nine, ev("vote", "/a", "v9", 4.9, 5, quarantined=True)]  # held-back votes count towards a burst
    (alert,) = detect(ten, {}, ALL)
    assert (alert.kind, alert.votes, alert.minutes, alert.at) == ("burst", 10, 5, T)
    spread = [ev("vote", "/a", f"v{i}", i * 1.0, 5) for i in range(10)]  # 10 votes over 9 minutes
    assert detect(spread, {}, ALL) == []


def test_thresholds_come_from_the_rules() -> None:
    votes = [ev("vote", "/a", f"v{i}", i, 5) for i in range(4)]
    rules = AlertRules(kinds=frozenset({"burst"}), burst_votes=4, burst_minutes=10)
    assert [a.votes for a in detect(votes, {}, rules)] == [4]
    assert detect(votes, {}, AlertRules(kinds=frozenset({"drop", "low"}), burst_votes=4)) == []


def test_a_drop_needs_enough_readers_and_recent_ratings() -> None:
    recent = [ev("vote", "/a", f"v{i}", i, 2) for i in range(3)]
    popular = {"/a": Summary(article="/a", count=40, total=168)}  # average 4.2
    (alert,) = detect(recent, popular, ALL)
    assert (alert.kind, alert.recent, alert.average, alert.votes) == ("drop", 2.0, 4.2, 3)
    assert detect(recent, {"/a": Summary(article="/a", count=10, total=42)}, ALL) == []  # too few readers
    assert detect(recent[:2], popular, ALL) == []  # too few recent ratings
    mild = [ev("vote", "/a", f"v{i}", i, 4) for i in range(3)]
    assert detect(mild, popular, ALL) == []
    changed = [*recent, ev("change", "/a", "v0", 5, 5, previous_rating=2), ev("change", "/a", "v1", 6, 5)]
    assert detect(changed, popular, ALL) == []  # each voter's last rating counts


def test_a_low_rating_with_a_comment() -> None:
    events = [ev("feedback", "/a", "v1", 1, 1, text="  It is wrong  "), ev("feedback", "/b", "v2", 2, 4, text="ok"),
              ev("feedback", "/c", "v3", 3, 1, text="   ")]
    (alert,) = detect(events, {}, ALL)
    assert (alert.kind, alert.article, alert.rating, alert.text) == ("low", "/a", 1, "It is wrong")


def test_the_cool_down_period_is_stable_for_one_alert() -> None:
    rules = AlertRules(cooldown_hours=6)
    assert rules.window(T) == rules.window(T + timedelta(hours=1, minutes=59))
    assert rules.window(T) != rules.window(T + timedelta(hours=6))
