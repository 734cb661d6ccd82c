"""The project's exceptions; the API edge turns them into one JSON error shape."""

from __future__ import annotations


class AscoltoError(Exception):
    """Base of every error ascolto raises on purpose."""

    status = 500
    code = "error"

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(AscoltoError):
    """Input that breaks a rule; `errors` names the fields."""

    status = 400
    code = "invalid_input"


class NotFound(AscoltoError):
    """A site, vote or other thing that does not exist."""

    status = 404
    code = "not_found"


class Forbidden(AscoltoError):
    """A request the site's settings do not allow (e.g. its Origin)."""

    status = 403
    code = "forbidden"


class Conflict(AscoltoError):
    """A write that lost to a concurrent one or to an existing item."""

    status = 409
    code = "conflict"


class Unavailable(AscoltoError):
    """A backing service that is down or throttling; the client may retry."""

    status = 503
    code = "unavailable"

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyRequests(AscoltoError):
    """A client over its rate limit."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreError(AscoltoError):
    """A storage failure that is not the caller's fault."""

    status = 500
    code = "store_error"


class MailError(AscoltoError):
    """A mail that could not be sent."""

    status = 502
    code = "mail_error"
