"""POST one request with a timeout and a few retries, honouring `Retry-After` and Discord's `retry_after`.

Retried: 429, 5xx, timeouts and refused connections. Not retried: any other 4xx (a deleted
webhook stays deleted), and a wait the server asks for that is longer than `max_wait` (the
next hourly run tries again). Redirects are not followed: a notice goes where its URL says.
Errors name the status or the network failure, never the URL, which holds secrets.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.utils import parsedate_to_datetime

from ascolto.notify.formats import Request

TIMEOUT = 10.0
ATTEMPTS = 4
BACKOFF = 1.0  # seconds before the second attempt, doubled for each one after
MAX_WAIT = 60.0


@dataclass(frozen=True)
class Delivery:
    """How sending one request went."""

    ok: bool
    attempts: int
    status: int | None = None
    error: str = ""
    waits: tuple[float, ...] = ()  # the pauses taken between attempts, in seconds


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def retry_after(headers: Message | None, body: bytes, now: datetime | None = None) -> float | None:
    """Return the seconds a 429/503 asks to wait: Retry-After (seconds or a date), else a JSON `retry_after`."""
    value = headers.get("Retry-After") if headers is not None else None
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None and now is not None:
                return max(0.0, (when - now).total_seconds())
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return None
    if isinstance(data, dict):
        # Discord: {"retry_after": 1.5}; Telegram: {"parameters": {"retry_after": 3}}.
        for source in (data, data.get("parameters")):
            if isinstance(source, dict) and isinstance(source.get("retry_after"), int | float):
                return max(0.0, float(source["retry_after"]))
    return None


def post(request: Request, *, timeout: float = TIMEOUT, attempts: int = ATTEMPTS, backoff: float = BACKOFF,
         max_wait: float = MAX_WAIT, sleep: Callable[[float], None] = time.sleep,
         now: datetime | None = None) -> Delivery:
    """Send a request until it succeeds, fails for good, or runs out of attempts."""
    opener = urllib.request.build_opener(_NoRedirect)
    waits: list[float] = []
    status: int | None = None
    error = ""
    for attempt in range(1, attempts + 1):
        wanted: float | None = None
        http = urllib.request.Request(request.url, data=request.body, headers=request.headers, method="POST")
        try:
            with opener.open(http, timeout=timeout) as response:
                response.read()
                return Delivery(True, attempt, response.status, waits=tuple(waits))
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
            error = f"HTTP {exc.code}"
            if status != 429 and status < 500:
                return Delivery(False, attempt, status, error, tuple(waits))
            wanted = retry_after(exc.headers, body, now)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            status, error = None, f"network: {type(reason).__name__}: {reason}"[:200]
        if attempt == attempts:
            break
        wait = wanted if wanted is not None else backoff * 2 ** (attempt - 1)
        if wait > max_wait:
            return Delivery(False, attempt, status, f"{error}; asked to wait {wait:.0f} s", tuple(waits))
        waits.append(wait)
        sleep(wait)
    return Delivery(False, attempts, status, error, tuple(waits))
