"""SesMailer on moto's SES v2: verified senders deliver, unverified ones are rejected."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.backends import get_backend

from ascolto.errors import MailError
from ascolto.mail import open_mailer
from ascolto.mail.ses import SesMailer
from tests.mail.conftest import sample_message

REGION = "eu-west-1"


@pytest.fixture
def ses() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("sesv2", region_name=REGION)


def sent_messages() -> list[Any]:
    return list(get_backend("ses")["123456789012"][REGION].sent_messages)


def test_verified_sender_delivers_raw_mime(ses: Any) -> None:
    ses.create_email_identity(EmailIdentity="ascolto@example.org")
    message = sample_message()
    message_id = SesMailer(REGION, client=ses).send(message)
    assert message_id
    [sent] = sent_messages()
    assert set(sent.destinations) == {"owner@example.org"}  # moto lists the To address twice
    got = message_from_bytes(sent.raw_data.encode(), policy=default)
    assert got["Message-ID"] == message["Message-ID"]
    assert got.get_body(("html",)) is not None


def test_unverified_sender_is_rejected(ses: Any) -> None:
    with pytest.raises(MailError, match="MessageRejected"):
        SesMailer(REGION, client=ses).send(sample_message(sender="nobody@unverified.example"))
    assert sent_messages() == []


def test_client_is_created_lazily_from_the_url(ses: Any) -> None:
    ses.create_email_identity(EmailIdentity="example.org")  # a verified domain covers its addresses
    mailer = open_mailer("ses://eu-west-1")
    assert isinstance(mailer, SesMailer)
    assert mailer._client is None
    mailer.send(sample_message())
    assert mailer._client is not None and len(sent_messages()) == 1


def test_opening_the_mailer_does_not_import_boto3() -> None:
    code = ("import sys; from ascolto.mail import open_mailer; open_mailer('ses://eu-west-1');"
            " print('boto3' in sys.modules)")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
