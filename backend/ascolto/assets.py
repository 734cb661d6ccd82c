"""The built widget, served at a versioned URL with long-cache headers and gzip."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from flask import Blueprint, Response, redirect, request, url_for

bp = Blueprint("assets", __name__)

IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    """One static file with its content hash and precompressed body."""

    body: bytes
    gzipped: bytes
    version: str


@cache
def widget_asset() -> Asset:
    """Load the built widget once and compute its version from its content."""
    body = resources.files("ascolto").joinpath("static/widget.js").read_bytes()
    return Asset(body=body, gzipped=gzip.compress(body, compresslevel=9, mtime=0),
                 version=hashlib.sha256(body).hexdigest()[:10])


def widget_path() -> str:
    """Return the versioned path of the widget."""
    return f"/static/widget.{widget_asset().version}.js"


@bp.get("/widget.js")
def widget_redirect() -> Response:
    """Redirect to the versioned widget, cacheable for a few minutes."""
    # script_root keeps API Gateway's stage prefix (/dev) that Zappa passes as SCRIPT_NAME.
    response = redirect(request.script_root + widget_path(), code=302)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/static/widget.<version>.js")
def widget(version: str) -> Response:
    """Serve the widget with immutable caching, gzipped when the client accepts it."""
    asset = widget_asset()
    if version != asset.version:
        return redirect(url_for("assets.widget", version=asset.version), code=302)
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(asset.gzipped if use_gzip else asset.body,
                        mimetype="text/javascript", headers={"Cache-Control": IMMUTABLE})
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.set_etag(asset.version)
    return response.make_conditional(request)


