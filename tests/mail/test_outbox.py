"""OutboxMailer: one complete .eml file per message."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from ascolto.errors import ConfigError, MailError
from ascolto.mail import open_mailer
from ascolto.mail.outbox import OutboxMailer
from tests.mail.conftest import sample_message


def test_writes_one_eml_per_message(tmp_path: Path) -> None:
    mailer = open_mailer(f"outbox:///{tmp_path / 'outbox'}")
    assert isinstance(mailer, OutboxMailer)
    first, second = sample_message(), sample_message()
    paths = [Path(mailer.send(first)), Path(mailer.send(second))]
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == sorted(p.name for p in paths)
    got = message_from_bytes(paths[0].read_bytes(), policy=default)
    assert got["Message-ID"] == first["Message-ID"]
    assert b"\r\n" in paths[0].read_bytes()


def test_unwritable_outbox_raises_mail_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(MailError):
        OutboxMailer(blocker / "outbox").send(sample_message())


def test_unknown_mailer_url() -> None:
    with pytest.raises(ConfigError) as caught:
        open_mailer("carrier-pigeon://roof")
    assert caught.value.setting == "ASCOLTO_MAILER"


def test_messages_without_a_message_id_never_overwrite_each_other(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path / "outbox")
    paths = []
    for _ in range(3):
        message = sample_message()
        del message["Message-ID"]
        paths.append(mailer.send(message))
    assert len(set(paths)) == 3 and len(list((tmp_path / "outbox").iterdir())) == 3


def test_a_repeated_message_id_keeps_both_messages(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path / "outbox")
    message = sample_message()
    assert mailer.send(message) != mailer.send(message)
    assert len(list((tmp_path / "outbox").iterdir())) == 2
