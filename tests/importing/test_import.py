"""Importing a WordPress plugin's ratings: the plan's rules, and what both stores hold afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ascolto.errors import InvalidInput
from ascolto.importing.apply import apply_import, remove_import
from ascolto.importing.note import import_note
from ascolto.importing.plan import plan_import
from ascolto.importing.wxr import PluginFeedback, PluginRatings, WordPressExport, WordPressPost
from ascolto.ratings import Site, local_day
from ascolto.site_removal import remove_site
from ascolto.stores.base import Store
from ascolto.voting import imported_kind, reconcile, record_vote, withdraw_vote
from tests.conftest import ORIGIN, make_site
from tests.stores.contract import vote

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
PUBLISHED = datetime(2019, 3, 2, 9, 0, tzinfo=UTC)


def post(post_id: int, link: str, *ratings: tuple[str, int, float], status: str = "publish",
         feedback: tuple[PluginFeedback, ...] = (), title: str = "") -> WordPressPost:
    return WordPressPost(post_id=post_id, post_type="post", status=status, title=title or f"Post {post_id}",
                         link=link, published=PUBLISHED,
                         ratings=tuple(PluginRatings(p, c, t) for p, c, t in ratings), feedback=feedback)


def wxr(*posts: WordPressPost) -> WordPressExport:
    return WordPressExport(site_url="https://old.example.org", posts=posts, problems=())


RMP = "rate-my-post"
KK = "kk-star-ratings"
WPPR = "wp-postratings"


@pytest.fixture
def site(any_store: Store) -> Site:
    s = make_site()
    any_store.put_site(s)
    return s


# -- the plan: nothing written, every rule decided ------------------------------------------


def test_a_post_becomes_the_article_its_permalink_names() -> None:
    plan = plan_import(wxr(post(12, "https://old.example.org/2019/03/slow-cooker-ragu/", (RMP, 38, 160))),
                       make_site(), NOW)
    [item] = plan.articles
    assert (item.article, item.count, item.total, item.average) == ("/2019/03/slow-cooker-ragu", 38, 160, 4.21)


def test_several_plugins_need_the_owner_to_choose_one() -> None:
    export = wxr(post(1, "https://o.example/a/", (RMP, 10, 40), (KK, 10, 40)), post(2, "https://o.example/b/",
                                                                                  (KK, 3, 9)))
    with pytest.raises(InvalidInput) as caught:
        plan_import(export, make_site(), NOW)
    assert "plugin" in caught.value.errors and "rate-my-post (1 posts)" in caught.value.message
    plan = plan_import(export, make_site(), NOW, plugin=KK)
    assert [(a.article, a.count) for a in plan.articles] == [("/a", 10), ("/b", 3)]  # never 20 for /a
    assert plan.found == {RMP: 1, KK: 2}


def test_drafts_plain_links_and_collisions_are_left_out_with_a_reason() -> None:
    export = wxr(post(1, "https://o.example/a/", (RMP, 2, 8), status="draft"),
                 post(42, "https://o.example/?p=42", (RMP, 5, 20)),
                 post(3, "https://o.example/b/", (RMP, 1, 5)),
                 post(4, "https://o.example/b", (RMP, 1, 1)))
    plan = plan_import(export, make_site(), NOW)
    assert [a.article for a in plan.articles] == ["/b"]
    assert plan.skipped[0].startswith("post 1 (Post 1): draft")
    assert "map post 42 with --map" in plan.skipped[1]
    assert plan.problems == ("post 4 (Post 4): becomes /b, as post 3 does; map one of them elsewhere with --map",)


def test_the_owners_map_moves_posts_by_id_path_or_permalink() -> None:
    export = wxr(post(42, "https://o.example/?p=42", (RMP, 5, 20)),
                 post(7, "https://o.example/2019/03/ragu/", (RMP, 1, 5)),
                 post(8, "https://o.example/2020/01/pane/", (RMP, 2, 6)))
    mapping = {"42": "/posts/first", "/2019/03/ragu": "/posts/ragu"}
    plan = plan_import(export, make_site(), NOW, mapping=mapping)
    assert [a.article for a in plan.articles] == ["/posts/first", "/posts/ragu", "/2020/01/pane"]


def test_sums_are_rescaled_to_five_stars_and_rounded_half_up() -> None:
    export = wxr(post(1, "https://o.example/a/", (WPPR, 4, 30)), post(2, "https://o.example/b/", (WPPR, 3, 25)))
    plan = plan_import(export, make_site(), NOW, stars=10)
    assert [(a.count, a.total, a.rounded) for a in plan.articles] == [(4, 15, False), (3, 13, True)]  # 12.5 -> 13
    kk = plan_import(wxr(post(1, "https://o.example/a/", (KK, 4, 17.5))), make_site(), NOW)
    assert (kk.articles[0].total, kk.articles[0].rounded) == (18, True)
    with pytest.raises(InvalidInput) as caught:
        plan_import(wxr(post(1, "https://o.example/a/", (KK, 4, 17.5))), make_site(), NOW, stars=10)
    assert "stars" in caught.value.errors


def test_numbers_that_are_no_average_from_one_to_five_are_a_problem() -> None:
    plan = plan_import(wxr(post(1, "https://o.example/a/", (WPPR, 4, 36))), make_site(), NOW)  # 10 stars, not 5
    assert plan.articles == () and "check --stars" in plan.problems[0]


def test_feedback_older_than_the_retention_period_is_not_imported() -> None:
    entries = (PluginFeedback(RMP, "a1", "Too salty.", NOW - timedelta(days=30)),
               PluginFeedback(RMP, "a2", "Old remark", NOW - timedelta(days=400)),
               PluginFeedback(RMP, "a3", "No date", None))
    plan = plan_import(wxr(post(1, "https://o.example/a/", (RMP, 2, 4), feedback=entries)), make_site(), NOW)
    assert [f.id for f in plan.articles[0].feedback] == ["a1"]
    assert (plan.old_feedback, plan.undated_feedback) == (1, 1)


# -- applied on both stores -------------------------------------------------------------


def imported(store: Store, site: Site, *posts: WordPressPost, plugin: str | None = None) -> None:
    apply_import(store, plan_import(wxr(*posts), site, NOW, plugin=plugin), NOW)


def test_imported_numbers_create_named_articles_without_a_per_star_split(any_store: Store, site: Site) -> None:
    imported(any_store, site, post(12, "https://old.example.org/2019/03/ragu/", (RMP, 38, 160), title="Ragù"))
    summary = any_store.summary(site.id, "/2019/03/ragu", consistent=True)
    assert (summary.count, summary.total, summary.histogram) == (38, 160, (0, 0, 0, 0, 0))
    assert (summary.title, summary.url, summary.first_at) == ("Ragù", f"{ORIGIN}/2019/03/ragu", NOW)
    record = any_store.get_record(imported_kind(site.id), "/2019/03/ragu")
    assert record is not None and (record["plugin"], record["count"], record["post_id"]) == (RMP, 38, 12)
    note = import_note(any_store, site.id)
    assert note is not None and (note.plugin_name, note.votes, note.articles, note.on) == ("Rate My Post", 38, 1,
                                                                                           NOW.date())


def test_a_reimport_replaces_and_votes_add_on_top(any_store: Store, site: Site) -> None:
    imported(any_store, site, post(12, "https://old.example.org/a/", (RMP, 10, 40)))
    record_vote(any_store, vote(site, "/a", "voter-0001", 1, at=NOW))
    imported(any_store, site, post(12, "https://old.example.org/a/", (RMP, 10, 40)))
    imported(any_store, site, post(12, "https://old.example.org/a/", (RMP, 12, 50)))
    summary = any_store.summary(site.id, "/a", consistent=True)
    assert (summary.count, summary.total, summary.histogram) == (13, 51, (1, 0, 0, 0, 0))
    withdraw_vote(any_store, site.id, "/a", "voter-0001", NOW + timedelta(minutes=1), local_day(NOW, site), "w-1")
    assert any_store.summary(site.id, "/a", consistent=True).count == 12


def test_the_reconcile_keeps_imported_numbers(any_store: Store, site: Site) -> None:
    imported(any_store, site, post(12, "https://old.example.org/a/", (RMP, 10, 40)))
    record_vote(any_store, vote(site, "/a", "voter-0001", 5, at=NOW))
    later = NOW + timedelta(hours=2)
    assert reconcile(any_store, site, local_day(NOW, site), later) == 0
    assert (any_store.summary(site.id, "/a").count, any_store.summary(site.id, "/a").total) == (11, 45)


def test_undo_takes_the_imported_numbers_out_and_keeps_the_votes(any_store: Store, site: Site) -> None:
    imported(any_store, site, post(12, "https://old.example.org/a/", (RMP, 10, 40)),
             post(13, "https://old.example.org/b/", (RMP, 3, 9)))
    record_vote(any_store, vote(site, "/a", "voter-0001", 2, at=NOW))
    assert remove_import(any_store, site, NOW + timedelta(hours=1)) == 2
    a, b = any_store.summary(site.id, "/a", consistent=True), any_store.summary(site.id, "/b", consistent=True)
    assert (a.count, a.total, b.count, b.total) == (1, 2, 0, 0)
    assert import_note(any_store, site.id) is None and any_store.records(imported_kind(site.id)) == []


def test_feedback_is_filed_under_its_own_day_once_and_screened(any_store: Store, site: Site) -> None:
    at = NOW - timedelta(days=20)
    entries = (PluginFeedback(RMP, "5e1", "<b>Step 3</b> is missing the oven temperature", at),
               PluginFeedback(RMP, "5e2", "Cheap pills at https://spam.example and https://spam2.example", at))
    page = post(12, "https://old.example.org/a/", (RMP, 10, 40), feedback=entries)
    imported(any_store, site, page)
    imported(any_store, site, page)  # a re-run adds no copy
    found = any_store.site_feedback(site.id)
    assert [(e.text, e.quarantined, e.request_id) for e in found] == [
        ("<b>Step 3</b> is missing the oven temperature", False, "import:rate-my-post:12:5e1"),
        ("Cheap pills at https://spam.example and https://spam2.example", True, "import:rate-my-post:12:5e2")]
    assert [e.request_id for e in any_store.day_events(site, local_day(at, site))] == [e.request_id for e in found]
    assert any_store.day_events(site, local_day(NOW, site)) == []  # nothing shows as today's news


def test_removing_a_site_removes_what_was_imported(any_store: Store, site: Site) -> None:
    imported(any_store, site, post(12, "https://old.example.org/a/", (RMP, 10, 40)))
    remove_site(any_store, site, NOW)
    assert any_store.records(imported_kind(site.id)) == [] and import_note(any_store, site.id) is None
    assert any_store.articles(site.id) == []
