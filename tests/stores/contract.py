"""The Store contract: every adapter's test module subclasses StoreContract and supplies `store`."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ascolto.abuse import network_kind
from ascolto.claims import claim, complete, release
from ascolto.errors import Conflict, InvalidInput, NotFound
from ascolto.ratings import Delta, Event, Feedback, Site, Vote, local_day
from ascolto.site_removal import remove_site
from ascolto.stores.base import Store
from ascolto.voting import (
    NEW_ARTICLES,
    add_feedback,
    discard_vote,
    export_site,
    quarantined,
    reconcile,
    record_vote,
    release_vote,
    withdraw_vote,
)
from tests.conftest import make_site

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def vote(site: Site, article: str, voter: str, rating: int, at: datetime = T0,
         request_id: str | None = None, **extra: object) -> Vote:
    """Build a vote as cast_vote would."""
    return Vote(site=site.id, article=article, voter=voter, rating=rating, at=at,
                day=local_day(at, site), url=f"https://blog.example.org{article}",
                title=f"Title of {article}", request_id=request_id or f"req-{voter}-{rating}-{at.timestamp()}",
                **extra)  # type: ignore[arg-type]


def feedback(site: Site, article: str, voter: str, text: str, at: datetime = T0,
             email: str = "") -> Feedback:
    """Build feedback as leave_feedback would."""
    return Feedback(site=site.id, article=article, voter=voter, text=text, at=at,
                    day=local_day(at, site), contact_email=email)


class WithSite:
    """Gives a contract class a registered site in the store under test."""

    @pytest.fixture
    def site(self, store: Store) -> Site:
        site = make_site()
        store.put_site(site)
        return site


class StoreContract(WithSite):
    """Behaviour every Store adapter must have."""

    def test_sites_round_trip(self, store: Store) -> None:
        site = make_site("other-site", origins=("https://a.example", "http://localhost:1313"),
                         timezone="America/New_York", language="it", low_threshold=2)
        store.put_site(site)
        assert store.get_site("other-site") == site
        assert store.get_site("missing") is None
        assert [s.id for s in store.list_sites()] == ["other-site"]

    def test_unknown_article_has_empty_summary(self, store: Store, site: Site) -> None:
        summary = store.summary(site.id, "/nothing")
        assert (summary.count, summary.average, summary.histogram) == (0, None, (0, 0, 0, 0, 0))

    def test_vote_counts(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 4))
        result = record_vote(store, vote(site, "/a", "voter-0002", 5))
        assert result.changed and result.previous_rating is None
        assert (result.summary.count, result.summary.total, result.summary.average) == (2, 9, 4.5)
        assert result.summary.histogram == (0, 0, 0, 1, 1)
        assert store.summary(site.id, "/a") == result.summary

    def test_changed_vote_moves_aggregate_exactly(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        record_vote(store, vote(site, "/a", "voter-0002", 4))
        result = record_vote(store, vote(site, "/a", "voter-0001", 1, at=T0 + timedelta(minutes=5)))
        assert result.previous_rating == 5 and result.rating == 1
        assert (result.summary.count, result.summary.total) == (2, 5)
        assert result.summary.histogram == (1, 0, 0, 1, 0)

    def test_retry_with_same_request_id_is_noop(self, store: Store, site: Site) -> None:
        first = record_vote(store, vote(site, "/a", "voter-0001", 3, request_id="request-0001"))
        again = record_vote(store, vote(site, "/a", "voter-0001", 3, request_id="request-0001"))
        assert again.changed is False
        assert again.summary == first.summary
        events = store.events(site, T0 - timedelta(hours=1), T0 + timedelta(hours=1))
        assert len(events) == 1

    def test_same_rating_again_changes_nothing(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 3))
        again = record_vote(store, vote(site, "/a", "voter-0001", 3, at=T0 + timedelta(seconds=9)))
        assert again.changed is False and again.summary.count == 1

    def test_votes_are_per_article_and_site(self, store: Store, site: Site) -> None:
        other = make_site("second")
        store.put_site(other)
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        record_vote(store, vote(site, "/b", "voter-0001", 1))
        record_vote(store, vote(other, "/a", "voter-0001", 2))
        assert store.summary(site.id, "/a").total == 5
        assert store.summary(site.id, "/b").total == 1
        assert store.summary(other.id, "/a").total == 2

    def test_feedback_needs_a_vote(self, store: Store, site: Site) -> None:
        with pytest.raises(InvalidInput):
            add_feedback(store, feedback(site, "/a", "voter-0001", "nope"))

    def test_feedback_is_tied_to_current_rating(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 4))
        record_vote(store, vote(site, "/a", "voter-0001", 2, at=T0 + timedelta(minutes=1)))
        saved = add_feedback(store, feedback(site, "/a", "voter-0001", "Too short.\nAdd examples.",
                                            at=T0 + timedelta(minutes=2), email="r@example.com"))
        assert saved.rating == 2
        events = store.events(site, T0, T0 + timedelta(hours=1))
        fb = [e for e in events if e.kind == "feedback"]
        assert len(fb) == 1
        assert (fb[0].text, fb[0].contact_email, fb[0].rating) == ("Too short.\nAdd examples.",
                                                                    "r@example.com", 2)
        assert fb[0].title == "Title of /a"

    def test_batch_summaries(self, store: Store, site: Site) -> None:
        for i in range(60):
            record_vote(store, vote(site, f"/post-{i}", "voter-0001", 1 + i % 5))
        articles = [f"/post-{i}" for i in range(50)]
        found = store.summaries(site.id, articles + ["/post-0"])
        assert list(found) == articles
        assert all(found[f"/post-{i}"].total == 1 + i % 5 for i in range(50))
        assert store.summaries(site.id, ["/missing"])["/missing"].count == 0
        assert store.summaries(site.id, []) == {}

    def test_events_of_one_moment_keep_the_order_they_were_written(self, store: Store, site: Site) -> None:
        written = [Event(kind="vote", site=site.id, article="/a", voter="voter-0001", at=T0, rating=rating,
                         request_id=f"request-{rating}") for rating in (5, 1, 4, 2, 3)]
        for event in written:
            store.add_event(event, local_day(T0, site))
        ids = [e.id for e in written]
        assert [e.id for e in store.day_events(site, local_day(T0, site))] == ids
        assert [e.id for e in store.events(site, T0, T0 + timedelta(seconds=1))] == ids

    def test_events_in_window(self, store: Store, site: Site) -> None:
        day = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)  # 00:00 on the 20th in Rome
        record_vote(store, vote(site, "/a", "voter-0001", 5, at=day - timedelta(minutes=1)))
        record_vote(store, vote(site, "/a", "voter-0002", 4, at=day))
        record_vote(store, vote(site, "/a", "voter-0002", 2, at=day + timedelta(hours=5)))
        add_feedback(store, feedback(site, "/a", "voter-0002", "Hmm", at=day + timedelta(hours=6)))
        record_vote(store, vote(site, "/b", "voter-0003", 3, at=day + timedelta(days=1)))
        events = store.events(site, day, day + timedelta(days=1))
        assert [(e.kind, e.voter, e.rating, e.previous_rating) for e in events] == [
            ("vote", "voter-0002", 4, None),
            ("change", "voter-0002", 2, 4),
            ("feedback", "voter-0002", 2, None),
        ]
        assert all(day <= e.at < day + timedelta(days=1) for e in events)
        assert events[0].title == "Title of /a" and events[0].url == "https://blog.example.org/a"
        across_midnight = store.events(site, day - timedelta(hours=2), day + timedelta(hours=1))
        assert [(e.voter, e.rating) for e in across_midnight] == [("voter-0001", 5), ("voter-0002", 4)]

    def test_articles_lists_aggregates(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        record_vote(store, vote(site, "/b", "voter-0001", 3))
        got = {s.article: s.total for s in store.articles(site.id)}
        assert got == {"/a": 5, "/b": 3}
        first = {s.article: s.first_at for s in store.articles(site.id)}
        assert first["/a"] == T0

    def test_concurrent_votes_stay_exact(self, store: Store, site: Site) -> None:
        errors: list[BaseException] = []

        def worker(n: int) -> None:
            try:
                for i in range(25):
                    voter = f"voter-{n:02d}-{i:04d}"
                    record_vote(store, vote(site, "/hot", voter, 1 + (i % 5)))
                    if i % 3 == 0:
                        record_vote(store, vote(site, "/hot", voter, 5, at=T0 + timedelta(seconds=1)))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        expected = [0, 0, 0, 0, 0]
        for i in range(25):
            expected[(5 if i % 3 == 0 else 1 + i % 5) - 1] += 8
        summary = store.summary(site.id, "/hot")
        assert summary.count == 200
        assert list(summary.histogram) == expected
        assert summary.total == sum((k + 1) * n for k, n in enumerate(expected))

    def test_quarantined_vote_is_excluded_from_average(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        record_vote(store, vote(site, "/a", "voter-0002", 1, quarantined=True))
        summary = store.summary(site.id, "/a")
        assert (summary.count, summary.total) == (1, 5)
        events = store.events(site, T0 - timedelta(hours=1), T0 + timedelta(hours=1))
        assert [e.quarantined for e in events] == [False, True]

    def test_reconcile_keeps_exact_aggregates(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        record_vote(store, vote(site, "/a", "voter-0001", 2, at=T0 + timedelta(minutes=1)))
        record_vote(store, vote(site, "/b", "voter-0002", 1, quarantined=True))
        assert reconcile(store, site, local_day(T0, site), T0 + timedelta(days=1)) == 0
        assert (store.summary(site.id, "/a").total, store.summary(site.id, "/b").count) == (2, 0)

    def test_withdraw_takes_back_exactly_what_was_counted(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        record_vote(store, vote(site, "/a", "voter-0002", 2))
        summary = withdraw_vote(store, site.id, "/a", "voter-0001", T0 + timedelta(minutes=1), "2026-11-20", "w-1")
        assert (summary.count, summary.total, summary.histogram) == (1, 2, (0, 1, 0, 0, 0))
        assert store.vote_and_summary(site.id, "/a", "voter-0001")[0] is None
        events = store.events(site, T0, T0 + timedelta(hours=1))
        assert [(e.kind, e.voter, e.rating, e.previous_rating) for e in events][-1] == ("withdraw", "voter-0001",
                                                                                        None, 5)
        again = withdraw_vote(store, site.id, "/a", "voter-0001", T0 + timedelta(minutes=2), "2026-11-20", "w-2")
        assert again == store.summary(site.id, "/a")  # nothing left to take back: a no-op
        record_vote(store, vote(site, "/a", "voter-0001", 4, at=T0 + timedelta(minutes=3)))  # and may vote again
        assert store.summary(site.id, "/a").total == 6

    def test_withdrawing_a_held_vote_changes_no_numbers(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        record_vote(store, vote(site, "/a", "voter-0002", 1, quarantined=True, quarantine_reason="too_fast"))
        summary = withdraw_vote(store, site.id, "/a", "voter-0002", T0 + timedelta(minutes=1), "2026-11-20", "w-1")
        assert (summary.count, summary.total) == (1, 5)
        assert quarantined(store, site.id) == []

    def test_reconcile_repairs_an_aggregate_that_drifted(self, store: Store, site: Site) -> None:
        # given an aggregate left wrong (as a process killed between a vote's writes leaves it)
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        record_vote(store, vote(site, "/a", "voter-0002", 2))
        broken = store.summary(site.id, "/a", consistent=True)
        store.replace_aggregate(site.id, "/a", Delta(7, 30, (0, 0, 0, 0, 7)), broken.version, first_at=T0)
        # when the digest's reconcile runs after the votes' window
        fixed = reconcile(store, site, local_day(T0, site), T0 + timedelta(hours=1))
        # then it recounted from the votes, once
        assert fixed == 1
        summary = store.summary(site.id, "/a")
        assert (summary.count, summary.total, summary.histogram) == (2, 7, (0, 1, 0, 0, 1))
        assert reconcile(store, site, local_day(T0, site), T0 + timedelta(hours=2)) == 0

    def test_replacing_an_aggregate_creates_it_named_and_never_renames_it(self, store: Store, site: Site) -> None:
        # an import creates articles with no vote behind them
        store.replace_aggregate(site.id, "/old", Delta(4, 15), 0, first_at=T0 - timedelta(days=900),
                                title="Slow-cooker ragù", url="https://blog.example.org/old")
        created = store.summary(site.id, "/old", consistent=True)
        assert (created.exists, created.count, created.total, created.histogram) == (True, 4, 15, (0, 0, 0, 0, 0))
        assert (created.title, created.url, created.first_at) == ("Slow-cooker ragù", "https://blog.example.org/old",
                                                                  T0 - timedelta(days=900))
        store.replace_aggregate(site.id, "/old", Delta(5, 20, (0, 0, 0, 0, 1)), created.version, first_at=T0,
                                title="Another title", url="https://evil.example/")
        again = store.summary(site.id, "/old", consistent=True)
        assert (again.count, again.total, again.histogram, again.version) == (5, 20, (0, 0, 0, 0, 1),
                                                                            created.version + 1)
        assert (again.title, again.url, again.first_at) == (created.title, created.url, created.first_at)
        with pytest.raises(Conflict):
            store.replace_aggregate(site.id, "/old", Delta(), created.version, first_at=T0)

    def test_reconcile_leaves_votes_in_flight_alone(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        broken = store.summary(site.id, "/a", consistent=True)
        store.replace_aggregate(site.id, "/a", Delta(3, 3, (3, 0, 0, 0, 0)), broken.version, first_at=T0)
        assert reconcile(store, site, local_day(T0, site), T0 + timedelta(minutes=5)) == 0  # its writes may land
        assert store.summary(site.id, "/a").count == 3

    def test_the_first_vote_names_the_article_and_later_voters_do_not(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 5), site)
        record_vote(store, replace(vote(site, "/a", "voter-0002", 1), title="\u202eURGENT: reset your password",
                                   url="https://evil.example/reset"), site)
        summary = store.summary(site.id, "/a")
        assert (summary.title, summary.url) == ("Title of /a", "https://blog.example.org/a")
        events = store.events(site, T0, T0 + timedelta(hours=1))
        assert {(e.title, e.url) for e in events} == {("Title of /a", "https://blog.example.org/a")}

    def test_a_held_vote_creates_no_public_article(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/new", "voter-0001", 1, quarantined=True, quarantine_reason="honeypot"), site)
        assert not store.summary(site.id, "/new").exists
        assert store.articles(site.id) == []
        [held] = quarantined(store, site.id)
        assert (held.title, held.url) == ("Title of /new", "https://blog.example.org/new")
        summary = release_vote(store, site.id, "/new", "voter-0001")
        assert (summary.exists, summary.count, summary.title) == (True, 1, "Title of /new")

    def test_new_articles_past_the_daily_limit_are_held_back(self, store: Store) -> None:
        site = make_site(new_articles_per_day=2)
        store.put_site(site)
        for n in range(4):
            record_vote(store, vote(site, f"/p{n}", f"voter-{n:04d}", 5), site)
        assert [a.article for a in store.articles(site.id)] == ["/p0", "/p1"]
        assert [(v.article, v.quarantine_reason) for v in quarantined(store, site.id)] == [
            ("/p2", "too_many_articles"), ("/p3", "too_many_articles")]
        record_vote(store, vote(site, "/p0", "voter-0009", 4), site)  # votes on known articles still count
        assert store.summary(site.id, "/p0").count == 2

    def test_feedback_from_a_held_voter_or_with_links_is_held(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 1, quarantined=True, quarantine_reason="honeypot"))
        record_vote(store, vote(site, "/a", "voter-0002", 2))
        record_vote(store, vote(site, "/a", "voter-0003", 2))
        add_feedback(store, feedback(site, "/a", "voter-0001", "Fine words", at=T0 + timedelta(seconds=1)))
        add_feedback(store, feedback(site, "/a", "voter-0002", "See https://pills.example/buy now",
                                     at=T0 + timedelta(seconds=2)))
        add_feedback(store, feedback(site, "/a", "voter-0003", "Step 3 needs the oven temperature.",
                                     at=T0 + timedelta(seconds=3)))
        held = [(e.voter, e.quarantined, bool(e.quarantine_reason)) for e in store.site_feedback(site.id)]
        assert held == [("voter-0001", True, True), ("voter-0002", True, True), ("voter-0003", False, False)]

    def test_records(self, store: Store) -> None:
        assert store.get_record("owner", "a@example.org") is None
        assert store.get_versioned("owner", "a@example.org") == (None, 0)
        store.put_record("owner", "a@example.org", {"links": 1, "sites": ["blog"]}, expected_version=0)
        assert store.get_versioned("owner", "a@example.org") == ({"links": 1, "sites": ["blog"]}, 1)
        with pytest.raises(Conflict):
            store.put_record("owner", "a@example.org", {"links": 2}, expected_version=0)
        store.put_record("owner", "a@example.org", {"links": 2}, expected_version=1)
        store.put_record("owner", "b@example.org", {"links": 1})
        store.put_record("other", "a@example.org", {"x": 1})
        assert store.records("owner") == [("a@example.org", {"links": 2}), ("b@example.org", {"links": 1})]
        assert store.records("owner", prefix="b@") == [("b@example.org", {"links": 1})]
        with pytest.raises(Conflict):
            store.delete_record("owner", "a@example.org", expected_version=1)
        store.delete_record("owner", "a@example.org", expected_version=2)
        store.delete_record("owner", "nobody@example.org")
        assert store.records("owner") == [("b@example.org", {"links": 1})]
        assert [store.add_to_record("count", "k", "n", 2) for _ in range(3)] == [2, 4, 6]

    def test_records_keep_long_keys_as_they_are(self, store: Store) -> None:
        # an article id the API accepts (500 characters) can be 1,000+ bytes: past DynamoDB's sort-key limit
        long = "blog/" + "ж" * 500
        other, tilde = "blog/" + "ж" * 499 + "x", "~" + "a" * 64
        store.put_record("seen", long, {"n": 1})
        store.put_record("seen", other, {"n": 2}, expected_version=0)
        store.put_record("seen", tilde, {"n": 3})
        store.put_record("seen", "blog/short", {"n": 4})
        assert store.get_versioned("seen", long) == ({"n": 1}, 1)
        assert store.get_record("seen", other) == {"n": 2} and store.get_record("seen", tilde) == {"n": 3}
        assert store.records("seen") == sorted([(long, {"n": 1}), (other, {"n": 2}), (tilde, {"n": 3}),
                                                ("blog/short", {"n": 4})])
        assert [k for k, _ in store.records("seen", prefix="blog/")] == sorted([long, other, "blog/short"])
        assert [k for k, _ in store.records("seen", prefix="~")] == [tilde]
        assert store.add_to_record("hits", long, "n", 3) == 3 and store.records("hits") == [(long, {"n": 3})]
        store.delete_record("seen", long, expected_version=1)
        assert store.get_record("seen", long) is None and store.get_record("seen", other) == {"n": 2}

    def test_removing_a_site_deletes_everything_under_it(self, store: Store, site: Site) -> None:
        other = make_site("other")
        store.put_site(other)
        for s in (site, other):
            record_vote(store, vote(s, "/a", "voter-0001", 2), s)
            record_vote(store, vote(s, "/b", "voter-0002", 1, quarantined=True, quarantine_reason="honeypot"), s)
            add_feedback(store, feedback(s, "/a", "voter-0001", "More detail", at=T0 + timedelta(seconds=1)))
            store.put_record(network_kind(s.id), "2026-11-20#12345", {"votes": 1})
        remove_site(store, site, T0 + timedelta(days=1))
        assert store.records(network_kind(site.id)) == []
        assert [k for k, _ in store.records(NEW_ARTICLES)] == [f"other#{local_day(T0, other)}"]
        assert [k for k, _ in store.records(network_kind(other.id))] == ["2026-11-20#12345"]
        assert store.get_site(site.id) is None
        assert store.articles(site.id) == [] and store.held_votes(site.id) == []
        assert store.site_votes(site.id) == [] and store.site_feedback(site.id) == []
        assert store.events(site, T0 - timedelta(days=1), T0 + timedelta(days=1)) == []
        assert len(store.site_votes(other.id)) == 2 and len(store.site_feedback(other.id)) == 1  # the other stays

    def test_digest_claim_is_exclusive(self, store: Store) -> None:
        assert claim(store, "owner@example.org/2026-11-20", T0)
        assert not claim(store, "owner@example.org/2026-11-20", T0 + timedelta(seconds=1))
        release(store, "owner@example.org/2026-11-20")
        assert claim(store, "owner@example.org/2026-11-20", T0 + timedelta(seconds=2))
        complete(store, "owner@example.org/2026-11-20", T0 + timedelta(seconds=3))
        assert not claim(store, "owner@example.org/2026-11-20", T0 + timedelta(days=2))

    def test_stale_claim_can_be_taken_over(self, store: Store) -> None:
        assert claim(store, "k/2026-11-20", T0)
        assert not claim(store, "k/2026-11-20", T0 + timedelta(minutes=5))
        assert claim(store, "k/2026-11-20", T0 + timedelta(hours=1))

    def test_concurrent_claims_only_one_wins(self, store: Store) -> None:
        wins: list[bool] = []
        barrier = threading.Barrier(8)

        def worker() -> None:
            barrier.wait()
            wins.append(claim(store, "race/2026-11-20", T0))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert wins.count(True) == 1


class HardeningContract(WithSite):
    """Anti-stuffing, quarantine and data-rights behaviour every Store adapter must have."""

    def test_quarantine_release_and_discard(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 5))
        record_vote(store, vote(site, "/a", "voter-0002", 1, quarantined=True, quarantine_reason="over_cap"))
        record_vote(store, vote(site, "/a", "voter-0003", 2, quarantined=True, quarantine_reason="honeypot"))
        held = quarantined(store, site.id)
        assert [(v.voter, v.rating, v.quarantine_reason) for v in held] == [
            ("voter-0002", 1, "over_cap"), ("voter-0003", 2, "honeypot")]
        assert store.summary(site.id, "/a").count == 1
        summary = release_vote(store, site.id, "/a", "voter-0002")
        assert (summary.count, summary.total, summary.histogram) == (2, 6, (1, 0, 0, 0, 1))
        discard_vote(store, site.id, "/a", "voter-0003")
        assert quarantined(store, site.id) == []
        assert store.summary(site.id, "/a").count == 2
        with pytest.raises(NotFound):
            release_vote(store, site.id, "/a", "voter-0001")
        with pytest.raises(NotFound):
            discard_vote(store, site.id, "/a", "voter-0003")

    def test_export_and_forget(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 2))
        record_vote(store, vote(site, "/b", "voter-0002", 5))
        add_feedback(store, feedback(site, "/a", "voter-0001", "More detail", email="Reader@Example.com"))
        add_feedback(store, feedback(site, "/b", "voter-0002", "Great", at=T0 + timedelta(seconds=1)))
        votes, fb = export_site(store, site.id)
        assert sorted((v.article, v.rating) for v in votes) == [("/a", 2), ("/b", 5)]
        assert sorted(e.text for e in fb) == ["Great", "More detail"]
        assert store.forget_contact("reader@example.com") == 1
        _, fb = export_site(store, site.id)
        assert [e.text for e in fb] == ["Great"]

    def test_purge_feedback_keeps_votes(self, store: Store, site: Site) -> None:
        record_vote(store, vote(site, "/a", "voter-0001", 2))
        add_feedback(store, feedback(site, "/a", "voter-0001", "Old text", email="r@example.com"))
        assert store.purge_feedback(T0 + timedelta(days=1)) == 1
        _, fb = export_site(store, site.id)
        assert [(e.text, e.contact_email, e.rating) for e in fb] == [("", "", 2)]
        assert store.summary(site.id, "/a").count == 1
