"""Each built file is served at a versioned, immutable URL, gzipped; /widget.js redirects to the card."""

from __future__ import annotations

import gzip

import pytest
from flask.testing import FlaskClient

from ascolto.assets import AssetError, assets, build_assets, widget_asset


def test_widget_redirects_to_versioned_asset(client: FlaskClient) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/static/widget.{widget_asset().version}.js")
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_redirect_keeps_the_path_prefix(client: FlaskClient) -> None:
    # given the app below API Gateway's stage prefix, as Zappa runs it
    response = client.get("/widget.js", environ_overrides={"SCRIPT_NAME": "/dev"})
    assert response.headers["Location"].endswith(f"/dev/static/widget.{widget_asset().version}.js")


@pytest.mark.parametrize("name", ["widget.js", "vote.js", "feedback.js", "it.js", "diagnose.js"])
def test_versioned_asset_is_immutable_and_gzipped(client: FlaskClient, name: str) -> None:
    asset = assets()[name]
    path = f"/static/{asset.versioned_name}"
    response = client.get(path, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # import() of the chunk is a CORS request
    assert response.mimetype == "text/javascript"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.data) == asset.body
    plain = client.get(path)
    assert "Content-Encoding" not in plain.headers and plain.data == asset.body
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_card_refers_to_the_versioned_chunks(client: FlaskClient) -> None:
    # given the card as served
    card = client.get(widget_asset().path).data

    # then it loads voting, the Italian strings and the diagnosis by their current versioned names, and voting
    # loads the form by its own; all are served
    vote, form = assets()["vote.js"], assets()["feedback.js"]
    for chunk in (vote, assets()["it.js"], assets()["diagnose.js"]):
        assert f'"static/{chunk.versioned_name}"'.encode() in card
        assert client.get(chunk.path).status_code == 200
    assert f'"static/feedback.{form.version}.js"'.encode() in client.get(vote.path).data
    assert client.get(form.path).status_code == 200


@pytest.mark.parametrize("name", ["widget", "feedback"])
def test_stale_or_unversioned_name_redirects_to_current(client: FlaskClient, name: str) -> None:
    current = assets()[f"{name}.js"].path
    for path in (f"/static/{name}.0000000000.js", f"/static/{name}.js"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(current)
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_file_is_404(client: FlaskClient) -> None:
    assert client.get("/static/nothing.0123456789.js").status_code == 404
    assert client.get("/static/nothing.js").status_code == 404


def test_version_follows_the_referenced_file() -> None:
    # given a card that loads a chunk
    card = b'import("static/chunk.js")'
    before = build_assets({"main.js": card, "chunk.js": b"export default 1"})

    # when only the chunk changes
    after = build_assets({"main.js": card, "chunk.js": b"export default 2"})

    # then the card's body and version change too, so a cached card never loads a stale chunk
    assert before["main.js"].body == f'import("static/chunk.{before["chunk.js"].version}.js")'.encode()
    assert after["main.js"].version != before["main.js"].version
    assert after["main.js"].body == f'import("static/chunk.{after["chunk.js"].version}.js")'.encode()


def test_files_referring_to_each_other_in_a_cycle_are_refused() -> None:
    with pytest.raises(AssetError, match="cycle"):
        build_assets({"a.js": b'"static/b.js"', "b.js": b'"static/a.js"'})
