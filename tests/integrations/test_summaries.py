"""Every article's summary in one cacheable document: GET summaries.json and `export --format summaries`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from flask.testing import FlaskClient

from ascolto.cli import main
from ascolto.integrations.summaries import label
from ascolto.ratings import Site
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import cast_vote
from tests.conftest import Clock


def seed(store: SqliteStore, site: Site, clock: Clock) -> None:
    for n, rating in enumerate((5, 4, 5)):
        cast_vote(store, site, {"article": "/posts/first/", "voter": f"voter-{n:04}", "rating": rating}, clock())
    cast_vote(store, site, {"article": "/posts/second", "voter": "voter-0009", "rating": 1}, clock())
    # A quarantined vote is not a counted vote: it never reaches baked numbers.
    cast_vote(store, site, {"article": "/posts/held", "voter": "voter-0010", "rating": 5}, clock(),
              quarantine_reason="too_fast")


def test_summaries_json_has_every_counted_article_with_its_labels(client: FlaskClient, sqlite_store: SqliteStore,
                                                                   site: Site, clock: Clock) -> None:
    seed(sqlite_store, site, clock)
    response = client.get("/v1/sites/blog/summaries.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    assert response.headers["ETag"].startswith('W/"')
    body = json.loads(response.get_data())
    assert body["site"] == "blog" and body["generated_at"] == "2026-11-20T09:30:00+00:00"
    assert list(body["articles"]) == ["/posts/first", "/posts/second"]
    assert body["articles"]["/posts/first"] == {
        "count": 3, "average": 4.67, "rating_value": "4.7",
        "histogram": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 2},
        "label": {"en": "4.7 \u00b7 3 votes", "it": "4,7 \u00b7 3 voti"}}
    assert body["articles"]["/posts/second"]["label"] == {"en": "1.0 \u00b7 1 vote", "it": "1,0 \u00b7 1 voto"}
    assert body["empty_label"] == {"en": "No votes yet", "it": "Ancora nessun voto"}


def test_summaries_json_revalidates_until_the_numbers_change(client: FlaskClient, sqlite_store: SqliteStore,
                                                              site: Site, clock: Clock) -> None:
    seed(sqlite_store, site, clock)
    etag = client.get("/v1/sites/blog/summaries.json").headers["ETag"]
    clock.now = clock.now.replace(hour=10)  # a later build, same numbers
    again = client.get("/v1/sites/blog/summaries.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    cast_vote(sqlite_store, site, {"article": "/posts/second", "voter": "voter-0011", "rating": 5}, clock())
    changed = client.get("/v1/sites/blog/summaries.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_summaries_json_of_an_unknown_site_is_404(client: FlaskClient) -> None:
    response = client.get("/v1/sites/nope/summaries.json")
    assert response.status_code == 404 and response.get_json()["errors"] == {"site": ["No site with this id."]}


def test_export_summaries_writes_the_same_document(client: FlaskClient, sqlite_store: SqliteStore, site: Site,
                                                   clock: Clock, tmp_path: Path) -> None:
    seed(sqlite_store, site, clock)
    served = json.loads(client.get("/v1/sites/blog/summaries.json").get_data())
    result = CliRunner().invoke(main, ["export", "--site", "blog", "--format", "summaries",
                                       "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.output)
    assert exported.pop("generated_at") and served.pop("generated_at")
    assert exported == served


def test_label_words_the_numbers_as_the_widget_does() -> None:
    assert label(23, 4.61, "en") == "4.6 \u00b7 23 votes"
    assert label(1, 5.0, "it") == "5,0 \u00b7 1 voto"
    assert label(0, None, "it") == "Ancora nessun voto"
    assert label(2, 3.5, "fr") == "3.5 \u00b7 2 votes"  # a language the widget lacks falls back to English
