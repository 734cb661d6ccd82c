"""build_report with plain data: no store, no clock, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

from ascolto.digest.collect import SiteDay, day_window
from ascolto.digest.i18n import STRINGS, Words
from ascolto.digest.report import Report, build_report, final_ratings, shown_items, weighted_average
from ascolto.digest.report_types import FollowUp
from ascolto.followup import OpenItem
from tests.conftest import make_site
from tests.digest.helpers import DAY, aggregates, at, feedback, site_day, vote

SITE = make_site()


def report(*days: SiteDay, language: str = "en", day: date = DAY, follow: FollowUp | None = None,
           today: date | None = None) -> Report:
    return build_report(list(days), owner_email="owner@example.org", language=language, day=day, follow=follow,
                        today=today)


def test_empty_day() -> None:
    r = report(site_day())
    assert r.empty
    assert (r.headline.votes, r.headline.average, r.headline.feedback) == (0, None, 0)
    assert r.attention == r.best == r.first == r.others == []
    assert r.headline.votes_change is None and r.headline.average_change is None


def test_one_vote() -> None:
    r = report(site_day([vote(SITE, "/a", "v1", 4, at(SITE, DAY, 10))]))
    assert not r.empty
    assert (r.headline.votes, r.headline.average) == (1, 4.0)
    [row] = r.best
    assert (row.article, row.votes, row.average, row.histogram) == ("/a", 1, 4.0, (0, 0, 0, 1, 0))
    assert row.url == "https://blog.example.org/a"
    assert r.attention == []
    assert r.totals.votes == 1


def test_changed_vote_counts_once_with_its_final_rating() -> None:
    events = [vote(SITE, "/a", f"v{i}", 5, at(SITE, DAY, 10, i)) for i in range(3)]
    events += [vote(SITE, "/a", f"v{i}", 1, at(SITE, DAY, 11, i), kind="change", previous_rating=5) for i in range(3)]
    assert final_ratings(events) == {("/a", "v0"): 1, ("/a", "v1"): 1, ("/a", "v2"): 1}
    r = report(site_day(events))
    assert (r.headline.votes, r.headline.average) == (3, 1.0)
    assert r.attention[0].why == ("fell 3.0 over 3 readers",) or r.attention[0].votes == 3


def test_dst_days_have_23_and_25_hours() -> None:
    rome = make_site().zone
    start, end = day_window(rome, date(2026, 10, 25))
    assert end - start == timedelta(hours=25)
    assert start == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    start, end = day_window(rome, date(2026, 3, 29))
    assert end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)


def test_dst_day_counts_both_02_30s_and_the_last_hour() -> None:
    day = date(2026, 10, 25)
    start, end = day_window(SITE.zone, day)
    first_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second_0230 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    last = end - timedelta(minutes=1)  # 23:59 CET
    events = [vote(SITE, "/a", f"v{i}", 5, t) for i, t in enumerate((first_0230, second_0230, last))]
    r = report(site_day(events, day=day), day=day)
    assert r.headline.votes == 3
    feedback_at = [feedback(SITE, "/a", "v1", 5, "late", second_0230, id="f1")]
    r = report(site_day(events + feedback_at, day=day), day=day)
    [item] = r.others[0].comments
    assert item.at.strftime("%H:%M %Z") == "02:30 CET"


def test_best_rated_one_top_vote_does_not_outrank_twenty_fours() -> None:
    twenty_fours = [vote(SITE, "/twenty-fours", f"v{i}", 4, at(SITE, DAY, 9, i)) for i in range(20)]
    one_five = [vote(SITE, "/one-five", "w1", 5, at(SITE, DAY, 10))]
    r = report(site_day(twenty_fours + one_five))
    assert [row.article for row in r.best] == ["/twenty-fours", "/one-five"]
    assert weighted_average(80, 20) > weighted_average(5, 1)


def test_change_against_the_week_before() -> None:
    previous = [vote(SITE, "/a", f"p{i}", 5, at(SITE, DAY - timedelta(days=1 + i % 7), 12)) for i in range(14)]
    today = [vote(SITE, "/a", f"t{i}", 3, at(SITE, DAY, 12, i)) for i in range(4)]
    r = report(site_day(today, previous))
    assert r.headline.week_daily_votes == 2.0
    assert r.headline.votes_change == 1.0  # 4 votes against a mean of 2
    assert r.headline.average_change == -2.0
    [row] = r.attention
    assert row.change == -2.0 and row.why == ("fell 2.0 over 4 readers",)


def test_comments_ride_on_their_row_most_telling_first_with_reply_links() -> None:
    events = [vote(SITE, "/a", "v1", 2, at(SITE, DAY, 9)),
              feedback(SITE, "/a", "v1", 2, "Too short.\nAdd examples & code?", at(SITE, DAY, 9, 5),
                       email="reader@example.com", id="f1"),
              vote(SITE, "/b", "v2", 5, at(SITE, DAY, 10)),
              feedback(SITE, "/b", "v2", 5, "Loved it", at(SITE, DAY, 10, 1), id="f2"),
              feedback(SITE, "/a", "v3", 1, "The formula in step 2 is wrong: it divides by the weight twice.",
                       at(SITE, DAY, 14), email="bad address@x", id="f3")]
    r = report(site_day(events))
    [row] = r.attention
    assert row.article == "/a" and row.why[-1] == "2 readers report a problem"
    assert [c.id for c in row.comments] == ["f3", "f1"]  # the 1-star, specific one first
    first = row.comments[1]
    assert first.reply.startswith("mailto:reader@example.com?subject=")
    assert "\n" not in first.reply and " " not in first.reply
    body = unquote(first.reply.split("&body=")[1])
    assert "> Too short.\r\n> Add examples & code?\r\n" in body
    assert "(https://blog.example.org/a)" in body
    assert row.comments[0].reply == ""
    assert [o.article for o in r.others] == ["/b"] and r.others[0].comments[0].problem is False
    assert r.headline.feedback == 3


def test_first_rated_articles() -> None:
    start, _ = day_window(SITE.zone, DAY)
    events = [vote(SITE, "/new", f"v{i}", r, at(SITE, DAY, 9, i)) for i, r in enumerate((3, 4))]
    r = report(site_day(events, articles=aggregates(events, first_at=start + timedelta(hours=9))))
    assert [row.article for row in r.first] == ["/new"]


def test_held_back_votes_are_counted_once_not_as_a_burst() -> None:
    burst = [vote(SITE, "/a", f"b{i}", 1, at(SITE, DAY, 3) + timedelta(seconds=20 * i), quarantined=True,
                  quarantine_reason="over_cap") for i in range(12)]
    steady = [vote(SITE, "/a", f"s{i}", 5, at(SITE, DAY, 8 + i)) for i in range(5)]
    r = report(site_day(burst + steady))
    assert r.headline.votes == 5 and r.headline.average == 5.0
    assert r.headline.held_votes == 12 and r.held_reasons == {"over_cap": 12}
    [g] = r.held_votes
    assert (g.votes, g.first.strftime("%H:%M"), g.last.strftime("%H:%M")) == (12, "03:00", "03:03")
    assert r.bursts == []
    counted = [vote(SITE, "/b", f"c{i}", 4, at(SITE, DAY, 5) + timedelta(seconds=20 * i)) for i in range(11)]
    [b] = report(site_day(burst + counted)).bursts
    assert (b.votes, b.start.strftime("%H:%M")) == (11, "05:00")


def test_spam_and_quarantined_comments_are_held_back_not_shown() -> None:
    events = [vote(SITE, "/a", f"v{i}", 4, at(SITE, DAY, 9, i)) for i in range(3)]
    events += [
        feedback(SITE, "/a", "v0", 4, "Dear friend, cheap V1AGRA $$$ today", at(SITE, DAY, 10), id="s1"),
        feedback(SITE, "/a", "v1", 4, "see my site https://spam.example/x", at(SITE, DAY, 10, 1), id="s2"),
        feedback(SITE, "/a", "v2", 4, "Nice", at(SITE, DAY, 10, 2), id="q1", quarantined=True,
                 quarantine_reason="honeypot"),
    ]
    r = report(site_day(events))
    assert r.headline.feedback == 0 and r.headline.held_comments == 3
    assert {c.id: c.held for c in r.held_comments} == {"s1": "spam", "s2": "link", "q1": "honeypot"}
    assert r.held_reason_counts == {"spam": 1, "link": 1, "flagged": 1}
    assert all(c.reply == "" for c in r.held_comments)
    assert {i.feedback_id: i.held for i in shown_items(r)} == {"s1": "spam", "s2": "link", "q1": "honeypot"}


def test_still_open_comments_are_listed_with_their_age_and_handled_ones_left_out() -> None:
    events = [vote(SITE, "/a", "v1", 2, at(SITE, DAY, 9)),
              feedback(SITE, "/a", "v1", 2, "Step 3 is wrong", at(SITE, DAY, 9, 5), id="today"),
              feedback(SITE, "/a", "v2", 2, "Handled already", at(SITE, DAY, 9, 6), id="done")]
    old = OpenItem(site="blog", article="/old", feedback_id="f-old", day=(DAY - timedelta(days=2)).isoformat(),
                   title="An old post")
    r = report(site_day(events), follow=FollowUp(open=(old,), dealt=frozenset({"done"})))
    [s] = r.still_open
    assert (s.title, s.comments, s.days) == ("An old post", 1, 3)
    assert [c.id for row in r.attention for c in row.comments] == ["today"]


def test_words_match_the_day() -> None:
    events = [vote(SITE, "/a", "v1", 4, at(SITE, DAY, 10))]
    assert report(site_day(events), today=DAY + timedelta(days=1)).relative == "yesterday"
    assert report(site_day(events), today=DAY).relative == "today"
    assert report(site_day(events), today=DAY + timedelta(days=3)).relative == "day"


def test_many_articles_are_capped() -> None:
    events = []
    for a in range(300):
        events += [vote(SITE, f"/p{a}", f"v{a}-{i}", 1 + (a + i) % 3, at(SITE, DAY, 8, i)) for i in range(3)]
        events.append(feedback(SITE, f"/p{a}", f"v{a}-0", 1, f"text {a} is wrong", at(SITE, DAY, 20), id=f"f{a}"))
    r = report(site_day(events))
    assert len(r.attention) == 20 and r.attention_total == 300
    assert r.comments_shown == 50 and r.comments_total == 300
    assert r.articles_total == 300


def test_language_switch_formats_numbers_and_dates() -> None:
    events = [vote(SITE, "/a", f"v{i}", r, at(SITE, DAY, 9, i)) for i, r in enumerate((4, 5, 4))]
    en = report(site_day(events))
    it = report(site_day(events), language="it")
    assert (en.language, it.language) == ("en", "it")
    assert it.headline.average == en.headline.average == 4.33
    assert Words("it").decimal(4.33) == "4,3" and Words("en").decimal(4.33) == "4.3"
    assert Words("it").integer(12345) == "12.345" and Words("en").integer(12345) == "12,345"
    assert Words("it").day(DAY) == "giovedì 19 novembre 2026"
    assert Words("en").day(DAY) == "Thursday 19 November 2026"
    assert Words("it").signed(-0.25, 2) == "−0,25"
    assert Words("en").signed(-0.04) == "±0.0" and Words("en").signed(0.04) == "±0.0"


def test_every_string_exists_in_both_languages() -> None:
    assert set(STRINGS["en"]) == set(STRINGS["it"])


def test_two_sites_of_one_owner() -> None:
    other = make_site("shop", name="The shop", timezone="America/New_York")
    r = report(site_day([vote(SITE, "/a", "v1", 5, at(SITE, DAY, 9))]),
               site_day([vote(other, "/a", f"v{i}", 1, at(other, DAY, 23, i)) for i in range(3)], site=other))
    assert r.headline.votes == 4
    assert [row.site_name for row in r.attention] == ["The shop"]
    assert r.totals.votes == 4


def test_a_vote_taken_back_counts_for_nothing_and_is_counted_as_taken_back() -> None:
    from datetime import timedelta

    from ascolto.digest.report import build_report
    from ascolto.ratings import Event
    from tests.digest.helpers import DAY, site_day

    site = make_site()
    at = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)

    def event(kind: str, voter: str, rating: int | None, previous: int | None = None, minutes: int = 0) -> Event:
        return Event(kind=kind, site=site.id, article="/a", voter=voter, at=at + timedelta(minutes=minutes),
                     rating=rating, previous_rating=previous, title="A", url="https://blog.example.org/a")

    events = [event("vote", "reader-1", 1), event("vote", "reader-2", 5, minutes=1),
              event("withdraw", "reader-1", None, previous=1, minutes=2)]
    report = build_report([site_day(events, site=site)], owner_email="owner@example.org", language="en", day=DAY)
    assert (report.headline.votes, report.headline.average, report.headline.withdrawn) == (1, 5.0, 1)
