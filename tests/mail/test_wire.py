"""What every mailer puts on the wire, checked on the raw bytes: List-Unsubscribe as a plain URL,
quoted-printable body lines of at most 76 characters, CRLF line ends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.backends import get_backend

from ascolto.digest.render import compose, render
from ascolto.digest.report import build_report
from ascolto.mail import open_mailer
from ascolto.mail.ses import SesMailer
from ascolto.settings import Settings
from tests.conftest import make_site
from tests.digest.helpers import DAY, at, feedback, site_day, vote
from tests.mail.test_smtp import Recorder, start

SITE = make_site(owner_email="ascolto@example.org")
NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
SETTINGS = Settings(data_dir=Path("/nonexistent"), secret="wire-secret", public_url="https://ratings.example.org",
                    mail_from="ascolto@example.org")


def digest_message() -> Any:
    text = ("Il tempo di cottura è sbagliato: con 54 °C la carne resta cruda, e la tabella non lo dice. " * 8)
    events = [vote(SITE, "/a", f"v{i}", 2, at(SITE, DAY, 9, i)) for i in range(4)]
    events.append(feedback(SITE, "/a", "v0", 2, text, at(SITE, DAY, 10), email="josé@exämple.com", id="f1"))
    report = build_report([site_day(events, site=SITE)], owner_email="owner@example.org", language="it", day=DAY)
    return compose(report, render(report, SETTINGS), SETTINGS, NOW)


def check_wire(raw: bytes) -> None:
    head, _, body = raw.partition(b"\r\n\r\n")
    unsubscribe = re.search(rb"^List-Unsubscribe: (.*)$", head, re.MULTILINE)
    assert unsubscribe is not None
    value = unsubscribe.group(1).rstrip(b"\r")
    assert re.fullmatch(rb"<https://ratings\.example\.org/owner/[A-Za-z0-9._-]+/unsubscribe>", value), value
    assert b"=?utf-8?" not in value
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in head
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CRLF
    in_qp = False
    for line in body.split(b"\r\n"):
        if line.lower().startswith(b"content-transfer-encoding:"):
            in_qp = b"quoted-printable" in line.lower()
        elif in_qp:
            assert len(line) <= 76, line
    assert max(len(line) for line in head.split(b"\r\n")) <= 998


def test_outbox_writes_the_wire_form(tmp_path: Path) -> None:
    path = open_mailer(f"outbox://{tmp_path}").send(digest_message())
    raw = Path(path).read_bytes()
    check_wire(raw)
    assert b"quoted-printable" in raw.lower() or b"base64" in raw.lower()


@pytest.fixture
def recorder() -> Iterator[tuple[Recorder, int]]:
    handler = Recorder()
    controller = start(handler)
    yield handler, controller.port
    controller.stop()


def test_smtp_sends_the_wire_form(recorder: tuple[Recorder, int]) -> None:
    handler, port = recorder
    open_mailer(f"smtp://127.0.0.1:{port}").send(digest_message())
    [(_, to, content)] = handler.received
    assert to == ["owner@example.org"]
    check_wire(content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))  # aiosmtpd keeps the server's line ends


def test_ses_sends_the_wire_form() -> None:
    with mock_aws():
        client = boto3.client("sesv2", region_name="eu-west-1")
        client.create_email_identity(EmailIdentity="ascolto@example.org")
        SesMailer("eu-west-1", client=client).send(digest_message())
        [sent] = get_backend("ses")["123456789012"]["eu-west-1"].sent_messages
        check_wire(sent.raw_data.encode())
