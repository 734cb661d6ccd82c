"""build_report with plain data: no store, no clock, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

from ascolto.digest.collect import SiteDay, day_window
from ascolto.digest.i18n import STRINGS, Words
from ascolto.digest.report import Report, build_report, final_ratings, weighted_average
from tests.conftest import make_site
from tests.digest.helpers import DAY, aggregates, at, feedback, site_day, vote

SITE = make_site()


def report(*days: SiteDay, language: str = "en", day: date = DAY) -> Report:
    return build_report(list(days), owner_email="owner@example.org", language=language, day=day)


def test_empty_day() -> None:
    r = report(site_day())
    assert r.empty
    assert (r.headline.votes, r.headline.average, r.headline.feedback) == (0, None, 0)
    assert r.attention == r.best == r.first == r.feedback == []
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
    events = [vote(SITE, "/a", "v1", 5, at(SITE, DAY, 10)),
              vote(SITE, "/a", "v1", 2, at(SITE, DAY, 11), kind="change", previous_rating=5)]
    assert final_ratings(events) == {("/a", "v1"): 2}
    r = report(site_day(events))
    assert (r.headline.votes, r.headline.average) == (1, 2.0)
    assert r.attention[0].reasons == ("low",)


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
    feedback_at = [feedback(SITE, "/a", "v1", 5, "late", second_0230)]
    r = report(site_day(events + feedback_at, day=day), day=day)
    [item] = r.feedback[0].items
    assert item.at.strftime("%H:%M %Z") == "02:30 CET"


def test_bayesian_ranking_one_low_vote_does_not_outrank_many() -> None:
    many_low = [vote(SITE, "/many-twos", f"v{i}", 2, at(SITE, DAY, 9, i)) for i in range(20)]
    one_low = [vote(SITE, "/one-one", "w1", 1, at(SITE, DAY, 10))]
    history = [vote(SITE, f"/old{i % 9}", f"h{i}", 4 + i % 2, at(SITE, DAY - timedelta(days=30), 9)) for i in range(80)]
    r = report(site_day(many_low + one_low, articles=aggregates(history + many_low + one_low)))
    assert [row.article for row in r.attention] == ["/many-twos", "/one-one"]


def test_bayesian_ranking_one_top_vote_does_not_outrank_twenty_fours() -> None:
    twenty_fours = [vote(SITE, "/twenty-fours", f"v{i}", 4, at(SITE, DAY, 9, i)) for i in range(20)]
    one_five = [vote(SITE, "/one-five", "w1", 5, at(SITE, DAY, 10))]
    one_one = [vote(SITE, "/one-one", "x1", 1, at(SITE, DAY, 11))]
    r = report(site_day(twenty_fours + one_five + one_one))
    assert [row.article for row in r.best] == ["/twenty-fours", "/one-five"]
    assert weighted_average(80, 20) > weighted_average(5, 1)
    assert weighted_average(40, 20) < weighted_average(1, 1)
    assert [row.article for row in r.attention] == ["/one-one"]


def test_change_against_the_week_before() -> None:
    previous = [vote(SITE, "/a", f"p{i}", 5, at(SITE, DAY - timedelta(days=1 + i % 7), 12)) for i in range(14)]
    today = [vote(SITE, "/a", f"t{i}", 3, at(SITE, DAY, 12, i)) for i in range(4)]
    r = report(site_day(today, previous))
    assert r.headline.week_daily_votes == 2.0
    assert r.headline.votes_change == 1.0  # 4 votes against a mean of 2
    assert r.headline.average_change == -2.0
    [row] = r.attention
    assert row.change == -2.0 and set(row.reasons) == {"low", "drop"}


def test_feedback_grouped_by_article_with_reply_links() -> None:
    events = [vote(SITE, "/a", "v1", 2, at(SITE, DAY, 9)),
              feedback(SITE, "/a", "v1", 2, "Too short.\nAdd examples & code?", at(SITE, DAY, 9, 5),
                       email="reader@example.com"),
              vote(SITE, "/b", "v2", 5, at(SITE, DAY, 10)),
              feedback(SITE, "/b", "v2", 5, "Loved it", at(SITE, DAY, 10, 1)),
              feedback(SITE, "/a", "v3", 1, "Wrong formula", at(SITE, DAY, 14), email="bad address@x")]
    r = report(site_day(events))
    assert [g.title for g in r.feedback] == ["Title /a", "Title /b"]
    first, second = r.feedback[0].items
    assert (first.rating, first.at.strftime("%H:%M")) == (2, "09:05")
    assert first.reply.startswith("mailto:reader@example.com?subject=")
    assert "\n" not in first.reply and " " not in first.reply
    assert "> Too short.\n> Add examples & code?" in unquote(first.reply)
    assert second.reply == ""
    assert r.headline.feedback == 3


def test_first_rated_articles() -> None:
    start, _ = day_window(SITE.zone, DAY)
    events = [vote(SITE, "/new", "v1", 5, at(SITE, DAY, 9))]
    r = report(site_day(events, articles=aggregates(events, first_at=start + timedelta(hours=9))))
    assert [row.article for row in r.first] == ["/new"]


def test_quarantined_and_bursty_votes_are_counted_not_dropped() -> None:
    burst = [vote(SITE, "/a", f"b{i}", 1, at(SITE, DAY, 3) + timedelta(seconds=20 * i), quarantined=True,
                  quarantine_reason="over_cap") for i in range(12)]
    steady = [vote(SITE, "/a", f"s{i}", 5, at(SITE, DAY, 8 + i)) for i in range(5)]
    r = report(site_day(burst + steady))
    assert r.headline.votes == 5 and r.headline.average == 5.0
    assert r.suspicious.quarantined == 12 and r.suspicious.reasons == {"over_cap": 12}
    [b] = r.suspicious.bursts
    assert (b.votes, b.start.strftime("%H:%M")) == (12, "03:00")


def test_many_articles_are_capped() -> None:
    events = []
    for a in range(300):
        events += [vote(SITE, f"/p{a}", f"v{a}-{i}", 1 + (a + i) % 3, at(SITE, DAY, 8, i)) for i in range(3)]
        events.append(feedback(SITE, f"/p{a}", f"v{a}-0", 1, f"text {a}", at(SITE, DAY, 20)))
    r = report(site_day(events))
    assert len(r.attention) == 20 and r.attention_total == 300
    assert r.feedback_shown == 50 and r.feedback_total == 300
    assert sum(len(g.items) for g in r.feedback) == 50
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


def test_every_string_exists_in_both_languages() -> None:
    assert set(STRINGS["en"]) == set(STRINGS["it"])


def test_two_sites_of_one_owner() -> None:
    other = make_site("shop", name="The shop", timezone="America/New_York")
    r = report(site_day([vote(SITE, "/a", "v1", 5, at(SITE, DAY, 9))]),
               site_day([vote(other, "/a", "v1", 1, at(other, DAY, 23, 30))], site=other))
    assert r.headline.votes == 2
    assert [row.site_name for row in r.attention] == ["The shop"]
    assert r.totals.votes == 2
