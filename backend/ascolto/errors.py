"""The project's exceptions. They say what went wrong, never how to answer it over HTTP:
the API edge (ascolto.api.errors) maps each to a status and the one JSON error shape."""

from __future__ import annotations


class AscoltoError(Exception):
    """Base of every error ascolto raises on purpose."""

    code = "error"

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(AscoltoError):
    """Input that breaks a rule; `errors` names the fields."""

    code = "invalid_input"


class NotFound(AscoltoError):
    """A site, vote or other thing that does not exist."""

    code = "not_found"


class Conflict(AscoltoError):
    """A write that lost to a concurrent one or to an existing item."""

    code = "conflict"


class Unavailable(AscoltoError):
    """A backing service that is down or throttling; the caller may retry after `retry_after` seconds."""

    code = "unavailable"

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyRequests(AscoltoError):
    """A client over its rate limit; it may try again after `retry_after` seconds."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreError(AscoltoError):
    """A storage failure that is not the caller's fault."""

    code = "store_error"


class MailError(AscoltoError):
    """A mail that could not be sent."""

    code = "mail_error"


class ConfigError(AscoltoError):
    """A setting with a value ascolto cannot use; `setting` names its variable."""

    code = "config_error"

    def __init__(self, setting: str, expected: str) -> None:
        super().__init__(f"{setting}: {expected}", {setting: [expected]})
        self.setting = setting
        self.expected = expected
