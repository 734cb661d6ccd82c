"""One JSON error shape for every failure the API returns."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ascolto.errors import (
    AscoltoError,
    Conflict,
    InvalidInput,
    MailError,
    NotFound,
    TooManyRequests,
    Unavailable,
)

log = logging.getLogger("ascolto.api")

# The HTTP status of each domain error; anything else the project raises is a 500.
STATUS: dict[type[AscoltoError], int] = {
    InvalidInput: 400,
    NotFound: 404,
    Conflict: 409,
    TooManyRequests: 429,
    MailError: 502,
    Unavailable: 503,
}
# The part of the request each of Werkzeug's HTTP errors is about, for the `errors` object.
HTTP_ERROR_FIELDS = {404: "url", 405: "method", 413: "body", 414: "url", 415: "body", 431: "headers"}


def status_of(exc: AscoltoError) -> int:
    """Return the HTTP status a domain error maps to."""
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


def error_response(status: int, code: str, message: str,
                   errors: dict[str, list[str]] | None = None) -> Response:
    """Build the JSON error response `{code, status, message, errors}`."""
    response = jsonify({"code": code, "status": status, "message": message, "errors": errors or {}})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _flatten(messages: object, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into {field: [messages]}."""
    if isinstance(messages, dict):
        out: dict[str, list[str]] = {}
        for key, value in messages.items():
            name = "body" if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
        return out
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "body": list(messages)}
    if isinstance(messages, list):
        out = {}
        for value in messages:
            for k, v in _flatten(value, prefix).items():
                out.setdefault(k, []).extend(v)
        return out
    return {prefix or "body": [str(messages)]}


def register_error_handlers(app: Flask) -> None:
    """Make every error, expected or not, leave as the one JSON shape."""

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError) -> Response:
        errors = _flatten(exc.messages)
        names = ", ".join(sorted(errors))
        return error_response(400, "invalid_input", f"Invalid field(s): {names}.", errors)

    @app.errorhandler(AscoltoError)
    def _ascolto(exc: AscoltoError) -> Response:
        status = status_of(exc)
        response = error_response(status, exc.code, exc.message, exc.errors)
        if isinstance(exc, (Unavailable, TooManyRequests)):
            response.headers["Retry-After"] = str(exc.retry_after)
        if status >= 500:
            log.error("%s: %s", exc.code, exc.message)
        return response

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = (exc.name or "error").lower().replace(" ", "_")
        field = HTTP_ERROR_FIELDS.get(status)
        detail = "The body is larger than allowed." if status == 413 else (exc.description or exc.name)
        errors = {field: [detail]} if field else None
        response = error_response(status, code, exc.description or exc.name, errors)
        allowed = getattr(exc, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unexpected error")
        return error_response(500, "internal_error", "Something went wrong on our side.")
