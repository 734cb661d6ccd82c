"""Inputs that once reached a 500 or slipped past a regex: each is a 400 naming its field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from ascolto.app import create_app
from ascolto.errors import ConfigError, InvalidInput
from ascolto.ratings import normalize_article, validate_site
from ascolto.settings import Settings
from ascolto.stores import dynamodb_layout as layout
from ascolto.stores.base import Store
from tests.api.test_v1 import H, assert_error, vote_body
from tests.conftest import make_site

SURROGATE = "\ud800"


@pytest.fixture
def any_client(any_store: Store, tmp_path: Path) -> FlaskClient:
    """A test client on a site without the dwell check, over each store."""
    any_store.put_site(make_site(min_dwell_ms=0))
    return create_app(Settings(data_dir=tmp_path, secret="s"), store=any_store).test_client()


def with_surrogate(body: dict[str, Any], field: str, value: str) -> bytes:
    """Return a body's JSON with <S> in the field's value written as the escape \\ud800 (a lone surrogate)."""
    return json.dumps(body | {field: value}).replace("<S>", "\\ud800").encode()


@pytest.mark.parametrize("field", ["article", "url", "title"])
def test_lone_surrogate_in_vote_text_is_400(any_client: FlaskClient, field: str) -> None:
    value = "https://blog.example.org/<S>" if field == "url" else "a <S> b"
    response = any_client.post("/v1/sites/blog/votes", data=with_surrogate(vote_body(), field, value),
                               headers=H | {"Content-Type": "application/json"})
    assert_error(response, 400, field)


@pytest.mark.parametrize("field", ["article", "text", "contact_email"])
def test_lone_surrogate_in_feedback_text_is_400(any_client: FlaskClient, field: str) -> None:
    assert any_client.post("/v1/sites/blog/votes", json=vote_body(rating=1), headers=H).status_code == 200
    body = {"article": "/posts/hello/", "voter": "voter-0001", "text": "Too short.",
            "contact_email": "reader@example.org"}
    value = "reader@<S>.example.org" if field == "contact_email" else "a <S> b"
    response = any_client.post("/v1/sites/blog/feedback", data=with_surrogate(body, field, value),
                               headers=H | {"Content-Type": "application/json"})
    assert_error(response, 400, field)


def test_lone_surrogate_in_summary_query_is_not_a_500(any_client: FlaskClient) -> None:
    # Werkzeug decodes %ED%A0%80 (a UTF-8-encoded surrogate) with replacement, so it is just an unknown article.
    response = any_client.get("/v1/sites/blog/summary?article=%ED%A0%80", headers=H)
    assert response.status_code == 200


def test_deeply_nested_json_is_400(any_client: FlaskClient) -> None:
    response = any_client.post("/v1/sites/blog/votes", data=b"[" * 1500 + b"]" * 1500,
                               headers=H | {"Content-Type": "application/json"})
    assert_error(response, 400, "body")
    nested = b'{"article": ' + b"[" * 1500 + b"]" * 1500 + b"}"
    response = any_client.post("/v1/sites/blog/feedback", data=nested, headers=H | {"Content-Type": "application/json"})
    assert_error(response, 400, "body")


@pytest.mark.parametrize("article", ["http://%5Bx/post", "http://x%5D/post", "https://%5B::1/a"])
def test_unparsable_article_url_is_400(any_client: FlaskClient, article: str) -> None:
    assert_error(any_client.get(f"/v1/sites/blog/summary?article={article}", headers=H), 400, "article")
    assert_error(any_client.get(f"/v1/sites/blog/summaries?article=/a&article={article}", headers=H),
                 400, "article.1")


@pytest.mark.parametrize("field", ["article", "url"])
def test_unparsable_url_in_vote_is_400(any_client: FlaskClient, field: str) -> None:
    response = any_client.post("/v1/sites/blog/votes", json=vote_body(**{field: "http://[x/post"}), headers=H)
    assert_error(response, 400, field)


def test_normalize_article_names_the_field_for_every_caller() -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_article("http://[x/post")
    assert "article" in caught.value.errors


@pytest.mark.parametrize("field", ["voter", "request_id"])
@pytest.mark.parametrize("value", ["abcdefgh\n", "abcdefgh\r\n", "\nabcdefgh"])
def test_token_with_a_newline_is_400(any_client: FlaskClient, field: str, value: str) -> None:
    assert_error(any_client.post("/v1/sites/blog/votes", json=vote_body(**{field: value}), headers=H), 400, field)


def test_feedback_voter_with_a_trailing_newline_is_400(any_client: FlaskClient) -> None:
    # Without the anchor this voter could vote, so its feedback would be stored.
    any_client.post("/v1/sites/blog/votes", json=vote_body(voter="voter-0001\n", rating=1), headers=H)
    body = {"article": "/posts/hello/", "voter": "voter-0001\n", "text": "Hi"}
    assert_error(any_client.post("/v1/sites/blog/feedback", json=body, headers=H), 400, "voter")


def test_site_id_and_table_name_refuse_a_trailing_newline() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_site(make_site("blog\n"))
    assert "id" in caught.value.errors
    with pytest.raises(ConfigError):
        layout.validate_table_name("ascolto\n")


@pytest.mark.parametrize("article", ["%3Fx", "%23top", "%20%20"])
def test_article_that_normalises_to_nothing_is_400(any_client: FlaskClient, article: str) -> None:
    assert_error(any_client.get(f"/v1/sites/blog/summary?article={article}", headers=H), 400, "article")
