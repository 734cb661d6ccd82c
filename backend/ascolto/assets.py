"""The built widget files, each served at a content-versioned URL with long-cache headers and gzip.

Every file of the package's ``static/`` directory is served at
``/static/<stem>.<version>.<ext>``, where the version is the start of the
SHA-256 of the body as served. A file refers to another one as
``static/<name>`` (the card, widget.js, loads static/vote.js when a reader
reaches for the stars); serving rewrites that reference to the other file's versioned name,
so a changed chunk also changes the version of every file that loads it.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from flask import Blueprint, Response, abort, redirect, request
from werkzeug.wrappers import Response as HttpResponse

from ascolto.errors import AscoltoError

bp = Blueprint("assets", __name__)

IMMUTABLE = "public, max-age=31536000, immutable"
MAIN = "widget.js"
MIMETYPES = {"js": "text/javascript", "css": "text/css"}
VERSIONED = re.compile(r"(?P<stem>[\w-]+)\.(?P<version>[0-9a-f]{10})\.(?P<ext>\w+)")


class AssetError(AscoltoError):
    """The built files refer to each other in a cycle (a build mistake)."""


@dataclass(frozen=True)
class Asset:
    """One static file as served, with its content hash and precompressed body."""

    name: str
    body: bytes
    gzipped: bytes
    version: str

    @property
    def versioned_name(self) -> str:
        """Return the file name with the version before the extension: widget.0123456789.js."""
        stem, _, ext = self.name.rpartition(".")
        return f"{stem}.{self.version}.{ext}"

    @property
    def path(self) -> str:
        """Return the versioned path of the file, below the app's root."""
        return f"/static/{self.versioned_name}"


def build_assets(files: dict[str, bytes]) -> dict[str, Asset]:
    """Rewrite the files' references to each other and version each from its served body."""
    done: dict[str, Asset] = {}

    def load(name: str, loading: tuple[str, ...]) -> Asset:
        if name in done:
            return done[name]
        if name in loading:
            raise AssetError(f"static files refer to each other in a cycle: {' -> '.join((*loading, name))}")
        body = files[name]
        for other in sorted(files):
            ref = f"static/{other}".encode()
            if other != name and ref in body:
                body = body.replace(ref, f"static/{load(other, (*loading, name)).versioned_name}".encode())
        done[name] = Asset(name=name, body=body, gzipped=gzip.compress(body, compresslevel=9, mtime=0),
                           version=hashlib.sha256(body).hexdigest()[:10])
        return done[name]

    for name in sorted(files):
        load(name, ())
    return done


@cache
def assets() -> dict[str, Asset]:
    """Load the built files of the package's static/ directory once, by name."""
    static = resources.files("ascolto").joinpath("static")
    return build_assets({f.name: f.read_bytes() for f in static.iterdir()
                         if f.is_file() and not f.name.startswith(".")})


def widget_asset() -> Asset:
    """Return the widget's main file, the one a page's snippet loads."""
    return assets()[MAIN]


def widget_path() -> str:
    """Return the versioned path of the widget."""
    return widget_asset().path


@bp.get("/widget.js")
def widget_redirect() -> HttpResponse:
    """Redirect to the versioned widget, cacheable for a few minutes."""
    # script_root keeps API Gateway's stage prefix (/dev) that Zappa passes as SCRIPT_NAME.
    response = redirect(request.script_root + widget_path(), code=302)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/static/<filename>")
def static_file(filename: str) -> HttpResponse:
    """Serve a built file by versioned name with immutable caching, gzipped when the client accepts it."""
    match = VERSIONED.fullmatch(filename)
    name = f"{match['stem']}.{match['ext']}" if match else filename
    asset = assets().get(name)
    if asset is None:
        abort(404)
    if not match or match["version"] != asset.version:
        # An old or unversioned name: send the browser to the current file, briefly cacheable.
        # A redirect in a CORS request (a card's import() of an old form) must pass the CORS check too.
        response = redirect(request.script_root + asset.path, code=302)
        response.headers["Cache-Control"] = "public, max-age=300"
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(asset.gzipped if use_gzip else asset.body,
                        mimetype=MIMETYPES.get(name.rpartition(".")[2], "application/octet-stream"),
                        headers={"Cache-Control": IMMUTABLE})
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    # The card loads the feedback form with import(), a CORS request from the page's origin.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.set_etag(asset.version)
    return response.make_conditional(request)
