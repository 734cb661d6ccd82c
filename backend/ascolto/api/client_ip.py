"""Who is asking: the client IP, from the source the deployment can trust."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from ascolto.abuse import Keys
from ascolto.settings import Settings


def client_ip(environ: Mapping[str, Any], trusted_proxies: Iterable[str] = ()) -> str:
    """Return the client IP of a WSGI request.

    On API Gateway, the request context's sourceIp is the address API Gateway saw, which the
    client cannot forge; Zappa passes the event as `lambda.event` but fills REMOTE_ADDR from
    X-Forwarded-For, so REMOTE_ADDR is never used there. Behind a local reverse proxy,
    X-Forwarded-For is honoured only when REMOTE_ADDR is a configured trusted proxy, and
    then its right-most address that is not itself a trusted proxy wins.
    """
    source = _source_ip(environ.get("lambda.event"))
    if source:
        return source
    remote = str(environ.get("REMOTE_ADDR") or "")
    trusted = _trusted(tuple(trusted_proxies))
    if not trusted or _canonical(remote) not in trusted:
        return remote
    hops = [h.strip() for h in str(environ.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        canonical = _canonical(hop)
        if canonical not in trusted:
            return canonical if canonical else remote
    return remote


def reader_keys(environ: Mapping[str, Any], settings: Settings, site_id: str, now: datetime) -> Keys:
    """Return the coarse keys of the reader behind a request (network and browser).

    The API and the no-JavaScript form both key a vote this way, so their screening agrees.
    """
    ip = client_ip(environ, settings.trusted_proxies)
    return Keys.of(settings.secret, ip, str(environ.get("HTTP_USER_AGENT", "")), site_id, now)


@lru_cache(maxsize=16)
def _trusted(proxies: tuple[str, ...]) -> frozenset[str]:
    """Return the canonical forms of the trusted proxies (parsed once, not on every request)."""
    return frozenset(_canonical(p) or p for p in proxies)


def _source_ip(event: object) -> str:
    """Return the sourceIp of an API Gateway event (REST v1 or HTTP v2), or ''."""
    if not isinstance(event, dict):
        return ""
    context = event.get("requestContext") or {}
    ip = (context.get("identity") or {}).get("sourceIp") or (context.get("http") or {}).get("sourceIp")
    return str(ip) if ip and _is_ip(str(ip)) else ""


@lru_cache(maxsize=4096)
def _canonical(address: str) -> str:
    """Return an address in its one canonical spelling, or '' if it is not an address."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
