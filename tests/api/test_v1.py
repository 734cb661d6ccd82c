"""The public API v1: votes, feedback, summaries, errors, origins and caching."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from ascolto.stores.base import Store
from ascolto.voting import export_site
from tests.conftest import ORIGIN

H = {"Origin": ORIGIN}


def vote_body(**overrides: Any) -> dict[str, Any]:
    body = {"article": "/posts/hello/", "url": "https://blog.example.org/posts/hello/",
            "title": "Hello", "rating": 4, "voter": "voter-0001", "request_id": "request-0001",
            "hp": "", "dwell_ms": 5000}
    body.update(overrides)
    return body


def post_vote(client: FlaskClient, **overrides: Any):
    return client.post("/v1/sites/blog/votes", json=vote_body(**overrides), headers=H)


def assert_error(response, status: int, field: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"}
    assert body["status"] == status
    assert field in body["errors"], body


def test_vote_returns_summary_and_cors(client: FlaskClient) -> None:
    response = post_vote(client)
    assert response.status_code == 200
    assert response.get_json() == {"article": "/posts/hello", "count": 1, "average": 4.0,
                                   "histogram": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
                                   "rating": 4, "ask_feedback": False}
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "no-store"


def test_changed_vote_moves_average_exactly(client: FlaskClient) -> None:
    post_vote(client)
    post_vote(client, voter="voter-0002", rating=2, request_id="request-0002")
    changed = post_vote(client, rating=1, request_id="request-0003").get_json()
    assert (changed["count"], changed["average"], changed["rating"]) == (2, 1.5, 1)
    assert changed["ask_feedback"] is True


def test_retry_is_noop(client: FlaskClient) -> None:
    first = post_vote(client).get_json()
    again = post_vote(client).get_json()
    assert first == again


def test_article_is_normalised(client: FlaskClient) -> None:
    post_vote(client, article="https://blog.example.org/posts/hello/?utm=x#top")
    summary = client.get("/v1/sites/blog/summary", query_string={"article": "/posts/hello"}, headers=H)
    assert summary.get_json()["count"] == 1


def test_summary_is_cacheable(client: FlaskClient) -> None:
    post_vote(client)
    response = client.get("/v1/sites/blog/summary?article=/posts/hello", headers=H)
    assert response.status_code == 200
    assert response.get_json()["average"] == 4.0
    assert response.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_summary_without_origin_is_allowed(client: FlaskClient) -> None:
    response = client.get("/v1/sites/blog/summary?article=/x")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_batch_summaries_in_order(client: FlaskClient) -> None:
    post_vote(client, article="/b")
    response = client.get("/v1/sites/blog/summaries?article=/a&article=/b&article=/a", headers=H)
    assert [s["article"] for s in response.get_json()["summaries"]] == ["/a", "/b"]
    assert [s["count"] for s in response.get_json()["summaries"]] == [0, 1]


def test_batch_over_50_is_refused(client: FlaskClient) -> None:
    query = "&".join(f"article=/p{i}" for i in range(51))
    assert_error(client.get(f"/v1/sites/blog/summaries?{query}", headers=H), 400, "article")


def test_feedback_after_low_vote(client: FlaskClient, store: Store) -> None:
    post_vote(client, rating=2)
    response = client.post("/v1/sites/blog/feedback", headers=H, json={
        "article": "/posts/hello", "voter": "voter-0001", "text": "Needs an example.",
        "contact_email": "reader@example.com"})
    assert response.status_code == 201
    assert response.get_json()["rating"] == 2


def test_feedback_without_vote_names_voter(client: FlaskClient) -> None:
    response = client.post("/v1/sites/blog/feedback", headers=H, json={
        "article": "/posts/hello", "voter": "voter-0009", "text": "Hi"})
    assert_error(response, 400, "voter")


@pytest.mark.parametrize("email", ["not-an-email", "a@b.c\r\nBcc: x@evil.example", "x" * 250 + "@e.com"])
def test_feedback_email_is_validated(client: FlaskClient, email: str) -> None:
    post_vote(client, rating=1)
    response = client.post("/v1/sites/blog/feedback", headers=H, json={
        "article": "/posts/hello", "voter": "voter-0001", "text": "Hi", "contact_email": email})
    assert_error(response, 400, "contact_email")


def test_unknown_site_is_404(client: FlaskClient) -> None:
    response = client.post("/v1/sites/nope/votes", json=vote_body(), headers=H)
    assert_error(response, 404, "site")
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # so the widget can drop the vote


def test_summary_revalidates_with_etag(client: FlaskClient) -> None:
    first = client.get("/v1/sites/blog/summary?article=/posts/hello", headers=H)
    again = client.get("/v1/sites/blog/summary?article=/posts/hello",
                       headers={**H, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    post_vote(client)
    changed = client.get("/v1/sites/blog/summary?article=/posts/hello",
                         headers={**H, "If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["count"] == 1


def test_forbidden_origin_is_403_without_cors(client: FlaskClient, store: Store) -> None:
    response = client.post("/v1/sites/blog/votes", json=vote_body(), headers={"Origin": "https://evil.example"})
    assert_error(response, 403, "origin")
    assert "Access-Control-Allow-Origin" not in response.headers
    assert store.summary("blog", "/posts/hello").count == 0


def test_preflight(client: FlaskClient) -> None:
    response = client.options("/v1/sites/blog/votes", headers={
        **H, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Max-Age"] == "86400"
    vote = client.post("/v1/sites/blog/votes", json=vote_body(), headers=H)
    assert vote.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert not {"Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age"} & set(
        vote.headers.keys())  # a preflight's headers, not an answer's
    bad = client.options("/v1/sites/blog/votes", headers={"Origin": "https://evil.example"})
    assert bad.status_code == 403 and "Access-Control-Allow-Origin" not in bad.headers


@pytest.mark.parametrize(("overrides", "field"), [
    ({"rating": 0}, "rating"),
    ({"rating": 6}, "rating"),
    ({"rating": "5"}, "rating"),
    ({"rating": 4.5}, "rating"),
    ({"rating": None}, "rating"),
    ({"voter": "short"}, "voter"),
    ({"voter": "has space in it"}, "voter"),
    ({"article": ""}, "article"),
    ({"article": "x" * 501}, "article"),
    ({"title": "t" * 301}, "title"),
    ({"title": "bad\u0000title"}, "title"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"extra": 1}, "extra"),
])
def test_bad_vote_names_the_field(client: FlaskClient, store: Store,
                                  overrides: dict[str, Any], field: str) -> None:
    assert_error(post_vote(client, **overrides), 400, field)
    assert store.summary("blog", "/posts/hello").count == 0


def test_missing_field_is_named(client: FlaskClient) -> None:
    body = vote_body()
    del body["rating"]
    assert_error(client.post("/v1/sites/blog/votes", json=body, headers=H), 400, "rating")


@pytest.mark.parametrize("raw", [b"{", b"[1, 2]", b"null", b"\xff\xfe", b""])
def test_malformed_json_is_400(client: FlaskClient, raw: bytes) -> None:
    response = client.post("/v1/sites/blog/votes", data=raw, headers={**H, "Content-Type": "application/json"})
    assert_error(response, 400, "body")


def test_oversized_body_is_413(client: FlaskClient) -> None:
    response = client.post("/v1/sites/blog/feedback", headers=H, json={
        "article": "/a", "voter": "voter-0001", "text": "x" * 20_000})
    assert_error(response, 413, "body")


def test_over_long_feedback_text_is_400(client: FlaskClient) -> None:
    post_vote(client, rating=1)
    response = client.post("/v1/sites/blog/feedback", headers=H, json={
        "article": "/posts/hello", "voter": "voter-0001", "text": "x" * 2001})
    assert_error(response, 400, "text")


def test_wrong_method_is_json_405(client: FlaskClient) -> None:
    response = client.get("/v1/sites/blog/votes", headers=H)
    assert response.status_code == 405
    assert response.get_json()["status"] == 405


def test_unknown_query_parameter_is_named(client: FlaskClient) -> None:
    assert_error(client.get("/v1/sites/blog/summary?article=/a&foo=1", headers=H), 400, "foo")


def test_healthz(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_text_is_nfc_normalised(client: FlaskClient, store: Store) -> None:
    decomposed = "Cafe\u0301 e\u0300 pronto"
    post_vote(client, title=decomposed, article="/caf\u0065\u0301", rating=2)
    summary = store.summary("blog", "/caf\u00e9")
    assert summary.count == 1 and summary.title == "Caf\u00e9 \u00e8 pronto"


@pytest.mark.parametrize("text", ["bell\u0007", "escape \u001b[31m", "nul\u0000", "line\u2028sep", "c1\u0085"])
def test_control_characters_in_feedback_are_refused(client: FlaskClient, text: str) -> None:
    post_vote(client, rating=1)
    response = client.post("/v1/sites/blog/feedback", headers=H, json={
        "article": "/posts/hello", "voter": "voter-0001", "text": text})
    assert_error(response, 400, "text")


def test_feedback_keeps_newlines_and_tabs(client: FlaskClient, store: Store, site: Any) -> None:
    post_vote(client, rating=1)
    response = client.post("/v1/sites/blog/feedback", headers=H, json={
        "article": "/posts/hello", "voter": "voter-0001", "text": "Line one\r\n\tLine two"})
    assert response.status_code == 201
    _, feedback = export_site(store, "blog")
    assert feedback[0].text == "Line one\n\tLine two"
