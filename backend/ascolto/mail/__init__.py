"""Mailers: the port (base.py), its adapters (outbox, smtp, ses) and `open_mailer`, which picks one by URL.

The adapters import the port; only this package's `open_mailer` imports the adapters, and
only when called, so the port never depends on what implements it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from ascolto.errors import ConfigError
from ascolto.mail.base import Mailer

MAILER_FORMS = "outbox:///folder, smtp://user:pass@host:587?starttls=1, smtps://user:pass@host:465 or ses://eu-west-1"


def open_mailer(url: str) -> Mailer:
    """Build the mailer a URL names; ConfigError naming ASCOLTO_MAILER if it cannot."""
    try:
        parts = urlsplit(url)
        port = parts.port
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        timeout = float(query.get("timeout", "10"))
    except ValueError as exc:  # a port that is not a number, an unclosed [ in the host, a bad timeout
        raise ConfigError("ASCOLTO_MAILER", f"{exc}; use {MAILER_FORMS}") from exc
    if parts.scheme == "outbox" and parts.path:
        from ascolto.mail.outbox import OutboxMailer

        return OutboxMailer(unquote(parts.path))
    if parts.scheme in ("smtp", "smtps"):
        from ascolto.mail.smtp import SmtpMailer

        return SmtpMailer(
            host=parts.hostname or "localhost",
            port=port or (465 if parts.scheme == "smtps" else 587),
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            ssl=parts.scheme == "smtps",
            starttls=query.get("starttls", "0").lower() in ("1", "true", "yes"),
            timeout=timeout,
        )
    if parts.scheme == "ses":
        from ascolto.mail.ses import SesMailer

        return SesMailer(region=parts.netloc or None, endpoint=query.get("endpoint"))
    # Only the scheme is echoed: the rest of a mailer URL may hold a password.
    raise ConfigError("ASCOLTO_MAILER", f"use {MAILER_FORMS}, not a {parts.scheme or 'schemeless'!r} URL")
