"""The Mailer port and `open_mailer(url)`, which builds the adapter a URL names."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP, default
from typing import Protocol, runtime_checkable
from urllib.parse import parse_qs, unquote, urlsplit

from ascolto.errors import ConfigError


@runtime_checkable
class Mailer(Protocol):
    """Something that delivers a complete message or raises MailError."""

    def send(self, message: EmailMessage) -> str:
        """Deliver a message; return an id for the log (a path, a queue id, an SES MessageId)."""


# Headers are written with RFC 5322's hard limit (998) instead of the 78-character folding width:
# Python cannot fold a long token such as the List-Unsubscribe URL, and at 78 it falls back to
# RFC 2047-encoding the whole header (=?utf-8?q?=3Chttps=3A...), which no mail client reads as a URL.
# Bodies keep their 76-character quoted-printable lines: they were encoded when the content was set.
WIRE = SMTP.clone(max_line_length=998)
# The policy to build messages with: set_content encodes quoted-printable bodies at the policy's
# line length, and RFC 2045 allows 76 characters (Python's default is 78).
BODY = default.clone(max_line_length=76)


def wire_bytes(message: EmailMessage) -> bytes:
    """Return the message exactly as every mailer puts it on the wire (CRLF, long header lines)."""
    return message.as_bytes(policy=WIRE)


def recipients(message: EmailMessage) -> list[str]:
    """Return the addresses of the To header (the only recipients ascolto ever uses)."""
    return [a.addr_spec for a in message["To"].addresses] if message["To"] else []


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
