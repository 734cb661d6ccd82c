"""Refuse chunked request bodies over the size limit before Flask sees them.

Flask's MAX_CONTENT_LENGTH checks the Content-Length header. A chunked body has none: Werkzeug
then reads it through a stream capped at the limit, so an oversized body was silently cut to
the limit and parsed. This middleware reads such a body itself, up to one byte past the limit,
and answers 413 in the API's JSON error shape if it is longer; a body within the limit is
handed on with its Content-Length set, as if the client had sent one.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import RequestEntityTooLarge

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

READ_SIZE = 4096


class BodyLimit:
    """WSGI middleware: 413 for a chunked body longer than `limit` bytes."""

    def __init__(self, app: WSGIApplication, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Buffer a chunked body within the limit, or refuse it."""
        # Transfer-Encoding wins over a Content-Length sent alongside it (RFC 9112 6.3), as in Werkzeug.
        if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self.app(environ, start_response)
        body = read_at_most(environ["wsgi.input"], self.limit + 1)
        if len(body) > self.limit:
            return too_large(start_response)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)


def read_at_most(stream: Any, size: int) -> bytes:
    """Read from a stream until it ends or `size` bytes are in hand (one read may return fewer)."""
    parts: list[bytes] = []
    left = size
    while left > 0:
        chunk = stream.read(min(left, READ_SIZE))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def too_large(start_response: StartResponse) -> list[bytes]:
    """Answer 413 in the one JSON error shape."""
    exc = RequestEntityTooLarge()
    body = json.dumps({"code": (exc.name or "").lower().replace(" ", "_"), "status": 413,
                       "message": exc.description, "errors": {"body": ["The body is larger than allowed."]}}).encode()
    start_response("413 Request Entity Too Large", [("Content-Type", "application/json"),
                                                     ("Content-Length", str(len(body))),
                                                     ("Cache-Control", "no-store")])
    return [body]
