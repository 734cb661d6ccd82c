"""The widget is served at a versioned, immutable URL, gzipped; /widget.js redirects there."""

from __future__ import annotations

import gzip

from flask.testing import FlaskClient

from ascolto.assets import widget_asset


def test_widget_redirects_to_versioned_asset(client: FlaskClient) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/static/widget.{widget_asset().version}.js")
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_versioned_asset_is_immutable_and_gzipped(client: FlaskClient) -> None:
    path = f"/static/widget.{widget_asset().version}.js"
    response = client.get(path, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.mimetype == "text/javascript"
    assert gzip.decompress(response.data) == widget_asset().body
    plain = client.get(path)
    assert "Content-Encoding" not in plain.headers and plain.data == widget_asset().body
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_stale_version_redirects_to_current(client: FlaskClient) -> None:
    response = client.get("/static/widget.0000000000.js")
    assert response.status_code == 302
    assert widget_asset().version in response.headers["Location"]
