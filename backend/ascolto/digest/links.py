"""Signed owner links (settings, unsubscribe, to-do page, actions), made with itsdangerous.

A token signs {"owner": email, "v": link version}. The version is the owner's current link
version when the link was made (`ascolto.followup.link_version`); the owner pages refuse a
token whose version is not the current one, so `ascolto owner revoke-links` invalidates every
link sent so far without changing ASCOLTO_SECRET. Tokens made before versions existed read as 0.
"""

from __future__ import annotations

from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "ascolto.owner-links"


def _serializer(secret: str) -> URLSafeSerializer:
    if not secret:
        raise ValueError("Owner links need ASCOLTO_SECRET (Settings.with_secret() creates one).")
    return URLSafeSerializer(secret, salt=SALT)


def owner_token(secret: str, owner_email: str, version: int = 0) -> str:
    """Return the signed token that stands for an owner in links (no expiry: old digests keep working)."""
    data: dict[str, object] = {"owner": owner_email.strip().lower()}
    if version:
        data["v"] = version
    return str(_serializer(secret).dumps(data))


def read_owner_link(secret: str, token: str) -> tuple[str, int] | None:
    """Return (owner email, link version) of a token, or None if it is forged or damaged."""
    try:
        data = _serializer(secret).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    owner, version = data.get("owner"), data.get("v", 0)
    if not isinstance(owner, str) or not isinstance(version, int) or isinstance(version, bool):
        return None
    return owner, version


def read_owner_token(secret: str, token: str) -> str | None:
    """Return the owner email a token was signed for, or None if it is forged or damaged."""
    found = read_owner_link(secret, token)
    return found[0] if found else None


def settings_url(public_url: str, secret: str, owner_email: str, version: int = 0) -> str:
    """Return the owner's digest settings page."""
    return f"{public_url}/owner/{owner_token(secret, owner_email, version)}"


def unsubscribe_url(public_url: str, secret: str, owner_email: str, version: int = 0) -> str:
    """Return the one-click unsubscribe URL (RFC 8058: POST List-Unsubscribe=One-Click)."""
    return f"{settings_url(public_url, secret, owner_email, version)}/unsubscribe"


def todo_url(public_url: str, secret: str, owner_email: str, version: int = 0) -> str:
    """Return the owner's page of everything open across their sites."""
    return f"{settings_url(public_url, secret, owner_email, version)}/open"


def action_url(base: str, do: str, site: str, item: str) -> str:
    """Return the page that confirms one action (GET shows it; its button POSTs it).

    `base` is the owner's settings URL; `do` is handled, spam, snooze or review; `item` is a
    comment id or, for snooze, the article.
    """
    return f"{base}/act?{urlencode({'do': do, 'site': site, 'item': item})}"
