"""The Mailer port and `open_mailer(url)`, which builds the adapter a URL names."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP, default
from typing import Protocol, runtime_checkable


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


