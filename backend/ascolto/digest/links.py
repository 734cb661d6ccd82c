"""Signed owner links (settings page and one-click unsubscribe), made with itsdangerous."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "ascolto.owner-links"


def _serializer(secret: str) -> URLSafeSerializer:
    if not secret:
        raise ValueError("Owner links need ASCOLTO_SECRET (Settings.with_secret() creates one).")
    return URLSafeSerializer(secret, salt=SALT)


def owner_token(secret: str, owner_email: str) -> str:
    """Return the signed token that stands for an owner in links (no expiry: old digests keep working)."""
    return str(_serializer(secret).dumps({"owner": owner_email.strip().lower()}))


def read_owner_token(secret: str, token: str) -> str | None:
    """Return the owner email a token was signed for, or None if it is forged or damaged."""
    try:
        data = _serializer(secret).loads(token)
    except BadSignature:
        return None
    owner = data.get("owner") if isinstance(data, dict) else None
    return owner if isinstance(owner, str) else None


def settings_url(public_url: str, secret: str, owner_email: str) -> str:
    """Return the owner's digest settings page."""
    return f"{public_url}/owner/{owner_token(secret, owner_email)}"


def unsubscribe_url(public_url: str, secret: str, owner_email: str) -> str:
    """Return the one-click unsubscribe URL (RFC 8058: POST List-Unsubscribe=One-Click)."""
    return f"{settings_url(public_url, secret, owner_email)}/unsubscribe"
