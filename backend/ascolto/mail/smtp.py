"""SmtpMailer: the standard library's smtplib, with STARTTLS or SSL and retries."""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage

from ascolto.errors import MailError
from ascolto.mail.base import recipients, wire_bytes

log = logging.getLogger("ascolto.mail")


def _temporary(exc: Exception) -> bool:
    """Tell whether a failure may pass on its own: no connection, or a 4xx answer."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


class SmtpMailer:
    """Send through an SMTP server; retry connection errors and 4xx answers with backoff."""

    def __init__(self, host: str, port: int = 587, *, username: str = "", password: str = "",
                 ssl: bool = False, starttls: bool = False, timeout: float = 10.0, attempts: int = 4,
                 backoff: float = 1.0, ssl_context: ssl.SSLContext | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.ssl = ssl
        self.starttls = starttls
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.ssl_context = ssl_context
        self.sleep = sleep

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        if self.ssl:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context())
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            client.starttls(context=self._context())
        return client

    def send(self, message: EmailMessage) -> str:
        """Send the message; raise MailError when the server refuses it for good or stays away."""
        to = recipients(message)
        for attempt in range(1, self.attempts + 1):
            try:
                with self._connect() as client:
                    if self.username:
                        client.login(self.username, self.password)
                    # sendmail with our own bytes: send_message would re-serialise with the
                    # message's 78-column policy and RFC 2047-encode List-Unsubscribe.
                    client.sendmail(message["From"].addresses[0].addr_spec, to, wire_bytes(message))
                return str(message["Message-ID"])
            except (smtplib.SMTPException, OSError) as exc:
                if not _temporary(exc):
                    raise MailError(f"The SMTP server refused the message: {exc}") from exc
                if attempt == self.attempts:
                    raise MailError(f"SMTP failed after {attempt} attempts: {exc}") from exc
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("SMTP attempt %d failed (%s); retrying in %.1f s", attempt, exc, delay)
                self.sleep(delay)
        raise AssertionError("unreachable")
