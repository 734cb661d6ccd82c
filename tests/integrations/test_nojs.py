"""Voting without JavaScript: the /rate page and its form, through the API's rules."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import quarantined
from tests.conftest import ORIGIN, Clock

PAGE = f"{ORIGIN}/posts/hello/"
BACKEND = "https://ratings.example.org"  # the settings fixture's public URL
SAME = {"Origin": BACKEND, "Sec-Fetch-Site": "same-origin"}


def open_form(client: FlaskClient, **params: str) -> tuple[str, str]:
    query = {"url": PAGE, "article": "/posts/hello", "lang": "en", "title": "Hello"} | params
    response = client.get("/rate/blog?" + urlencode(query), base_url=BACKEND)
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token
    return token.group(1), html


def post(client: FlaskClient, token: str, rating: str = "4", headers: dict[str, str] | None = None, **form: str):
    return client.post("/rate/blog", data={"token": token, "rating": rating, "lang": "en"} | form,
                       headers=SAME if headers is None else headers, base_url=BACKEND)


def test_the_page_shows_the_numbers_and_a_form_and_sets_no_cookie(client: FlaskClient) -> None:
    response = client.get("/rate/blog?" + urlencode({"url": PAGE, "title": "<b>Hi</b>"}), base_url=BACKEND)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"].endswith(f"form-action 'self' {ORIGIN}")
    assert "<p data-numbers>No votes yet</p>" in html
    assert "&lt;b&gt;Hi&lt;/b&gt;" in html and "<b>Hi</b>" not in html  # reader-supplied text is never markup
    assert html.count('<button name="rating"') == 5


def test_a_vote_after_dwelling_counts_and_redirects_back_with_303(client: FlaskClient, sqlite_store: SqliteStore,
                                                                  clock: Clock) -> None:
    token, _ = open_form(client)
    clock.now += timedelta(seconds=4)
    response = post(client, token)
    assert response.status_code == 303
    assert response.headers["Location"] == PAGE
    assert "Set-Cookie" not in response.headers
    summary = sqlite_store.summary("blog", "/posts/hello")
    assert (summary.count, summary.total) == (1, 4)
    # the same form sent twice is a retry, not a second vote
    assert post(client, token).status_code == 303
    assert sqlite_store.summary("blog", "/posts/hello").count == 1


@pytest.mark.parametrize(("wait_s", "honeypot", "reason"), [(0.2, "", "too_fast"), (5, "http://spam", "honeypot")])
def test_a_suspect_vote_is_quarantined_as_through_the_api(client: FlaskClient, sqlite_store: SqliteStore,
                                                          clock: Clock, wait_s: float, honeypot: str,
                                                          reason: str) -> None:
    token, _ = open_form(client)
    clock.now += timedelta(seconds=wait_s)
    assert post(client, token, website=honeypot).status_code == 303
    assert sqlite_store.summary("blog", "/posts/hello").count == 0
    assert [v.quarantine_reason for v in quarantined(sqlite_store, "blog")] == [reason]


@pytest.mark.parametrize("headers", [
    {"Origin": ORIGIN, "Sec-Fetch-Site": "cross-site"},
    {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    {"Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "null"},
])
def test_a_post_from_another_page_is_refused(client: FlaskClient, sqlite_store: SqliteStore, clock: Clock,
                                             headers: dict[str, str]) -> None:
    token, _ = open_form(client)
    clock.now += timedelta(seconds=5)
    response = post(client, token, headers=headers)
    assert response.status_code == 403 and response.get_json()["errors"] == {"origin": ["Not this backend's own page."]}
    assert sqlite_store.summary("blog", "/posts/hello").count == 0


def test_a_forged_or_stale_form_is_refused(client: FlaskClient, clock: Clock) -> None:
    token, _ = open_form(client)
    forged = post(client, token[:-3] + "abc")
    assert forged.status_code == 400 and "token" in forged.get_json()["errors"]
    clock.now += timedelta(days=2)
    assert post(client, token).status_code == 400


@pytest.mark.parametrize("rating", ["0", "6", "", "4.5"])
def test_a_rating_out_of_range_names_the_field(client: FlaskClient, clock: Clock, rating: str) -> None:
    token, _ = open_form(client)
    clock.now += timedelta(seconds=5)
    response = post(client, token, rating=rating)
    assert response.status_code == 400 and "rating" in response.get_json()["errors"]


@pytest.mark.parametrize("url", ["https://evil.example/posts/hello", "javascript:alert(1)", ""])
def test_the_way_back_must_be_on_the_allowlist(client: FlaskClient, url: str) -> None:
    response = client.get("/rate/blog?" + urlencode({"url": url}), base_url=BACKEND)
    assert response.status_code == 400 and "url" in response.get_json()["errors"]


def test_an_unknown_site_is_404(client: FlaskClient) -> None:
    assert client.get("/rate/nope?" + urlencode({"url": PAGE}), base_url=BACKEND).status_code == 404
