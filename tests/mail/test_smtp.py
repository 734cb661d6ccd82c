"""SmtpMailer against a real aiosmtpd server on 127.0.0.1: plain, STARTTLS, SSL, refusals."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from ascolto.errors import MailError
from ascolto.mail import open_mailer
from ascolto.mail.smtp import SmtpMailer
from tests.mail.conftest import free_port, sample_message


class Recorder:
    """An aiosmtpd handler that answers each DATA with the next scripted reply and keeps what it accepted."""

    def __init__(self, replies: list[str] | None = None) -> None:
        self.replies = list(replies or [])
        self.received: list[tuple[str, list[str], bytes]] = []
        self.attempts = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        reply = self.replies.pop(0) if self.replies else "250 OK"
        if reply.startswith("250"):
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return reply


def start(handler: Recorder, **options: Any) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def plain(recorder: Recorder) -> Iterator[Controller]:
    controller = start(recorder)
    yield controller
    controller.stop()


def no_sleep(seconds: float) -> None:
    pass


def test_plain_smtp_delivers_the_message(plain: Controller, recorder: Recorder) -> None:
    mailer = open_mailer(f"smtp://127.0.0.1:{plain.port}")
    sent = sample_message()
    assert mailer.send(sent) == sent["Message-ID"]
    [(mail_from, to, content)] = recorder.received
    assert (mail_from, to) == ("ascolto@example.org", ["owner@example.org"])
    got = message_from_bytes(content, policy=default)
    assert got["Subject"] == "Your readers yesterday"
    assert got["Message-ID"] == sent["Message-ID"]
    assert got.get_body(("plain",)).get_content().strip() == "Plain text part: 12 votes, average 4.2"
    assert "HTML part" in got.get_body(("html",)).get_content()


def test_starttls_with_a_verified_certificate(recorder: Recorder, server_tls: ssl.SSLContext,
                                              client_tls: ssl.SSLContext) -> None:
    controller = start(recorder, tls_context=server_tls, require_starttls=True)
    try:
        mailer = SmtpMailer("127.0.0.1", controller.port, starttls=True, ssl_context=client_tls)
        mailer.send(sample_message())
        assert len(recorder.received) == 1
        without_tls = SmtpMailer("127.0.0.1", controller.port, attempts=1)
        with pytest.raises(MailError):
            without_tls.send(sample_message())
    finally:
        controller.stop()


def test_starttls_refuses_an_untrusted_certificate(recorder: Recorder, server_tls: ssl.SSLContext) -> None:
    controller = start(recorder, tls_context=server_tls, require_starttls=True)
    try:
        mailer = SmtpMailer("127.0.0.1", controller.port, starttls=True, attempts=2, sleep=no_sleep)
        with pytest.raises(MailError):
            mailer.send(sample_message())
        assert recorder.received == []
    finally:
        controller.stop()


def test_smtps_delivers(recorder: Recorder, server_tls: ssl.SSLContext, client_tls: ssl.SSLContext) -> None:
    controller = start(recorder, ssl_context=server_tls)
    try:
        SmtpMailer("127.0.0.1", controller.port, ssl=True, ssl_context=client_tls).send(sample_message())
        assert len(recorder.received) == 1
    finally:
        controller.stop()


def test_temporary_refusal_is_retried_then_accepted() -> None:
    recorder = Recorder(["451 4.3.0 Try again later", "421 4.7.0 Busy"])
    controller = start(recorder)
    waits: list[float] = []
    try:
        SmtpMailer("127.0.0.1", controller.port, backoff=0.5, sleep=waits.append).send(sample_message())
    finally:
        controller.stop()
    assert recorder.attempts == 3
    assert len(recorder.received) == 1
    assert waits == [0.5, 1.0]


def test_permanent_refusal_raises_at_once() -> None:
    recorder = Recorder(["554 5.7.1 Rejected"])
    controller = start(recorder)
    try:
        with pytest.raises(MailError, match="refused"):
            SmtpMailer("127.0.0.1", controller.port, sleep=no_sleep).send(sample_message())
    finally:
        controller.stop()
    assert recorder.attempts == 1 and recorder.received == []


def test_no_server_raises_mail_error_after_retries() -> None:
    waits: list[float] = []
    mailer = SmtpMailer("127.0.0.1", free_port(), attempts=3, backoff=0.1, timeout=2, sleep=waits.append)
    with pytest.raises(MailError, match="after 3 attempts"):
        mailer.send(sample_message())
    assert waits == [0.1, 0.2]


def test_url_options() -> None:
    mailer = open_mailer("smtps://user%40example.org:p%40ss@mail.example.org?timeout=3")
    assert isinstance(mailer, SmtpMailer)
    assert (mailer.host, mailer.port, mailer.ssl, mailer.starttls) == ("mail.example.org", 465, True, False)
    assert (mailer.username, mailer.password, mailer.timeout) == ("user@example.org", "p@ss", 3.0)
    starttls = open_mailer("smtp://mail.example.org?starttls=1")
    assert isinstance(starttls, SmtpMailer) and (starttls.port, starttls.starttls) == (587, True)
