"""`ascolto digest` from cron sends the due notices too, once; a bad ASCOLTO_NOTIFY stops it before any mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ascolto.cli import main
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import record_vote
from tests.conftest import make_site
from tests.notify.conftest import Receiver
from tests.stores.contract import vote


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site in UTC whose digest is due from midnight, with a low vote a day ago (the command reads the clock)."""
    for name in ("ASCOLTO_STORE", "ASCOLTO_MAILER", "ASCOLTO_SECRET", "ASCOLTO_DATA_DIR", "ASCOLTO_NOTIFY"):
        monkeypatch.delenv(name, raising=False)
    store = SqliteStore(tmp_path / "ascolto.db")
    site = make_site(timezone="UTC", digest_hour=0)
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 1, at=datetime.now(UTC) - timedelta(days=1)))
    store.close()
    return tmp_path


def run(data_dir: Path, notify: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["digest", "--data-dir", str(data_dir)], env={"ASCOLTO_NOTIFY": notify})
    return result.exit_code, result.stdout, result.stderr


def test_cron_sends_the_notice_once(data_dir: Path, receiver: Receiver) -> None:
    code, out, _ = run(data_dir, f"slack+{receiver.base}/s")
    assert code == 0 and len(receiver.requests) == 1 and receiver.requests[0].path == "/s"
    assert "\nnotified owner@example.org/" in out and "/notify/" in out
    code, out, _ = run(data_dir, f"slack+{receiver.base}/s")
    assert code == 0 and len(receiver.requests) == 1


def test_a_bad_notify_url_stops_cron_before_any_mail(data_dir: Path) -> None:
    code, out, err = run(data_dir, "discord+http://discord.com/api/webhooks/1/SECRET")
    assert code == 2 and out == "" and err.startswith("error: ASCOLTO_NOTIFY: plain http only") and "SECRET" not in err
    assert not (data_dir / "outbox").exists()


def test_the_hourly_event_sends_the_notice_once(data_dir: Path, receiver: Receiver,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from ascolto import scheduled

    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ASCOLTO_SECRET", "s")
    monkeypatch.setenv("ASCOLTO_NOTIFY", f"webhook+{receiver.base}/in?secret=whsec_{'A' * 32}")
    first = scheduled.hourly({"source": "aws.events"}, None)
    assert len(first["notify"]["sent"]) == 1 and len(receiver.requests) == 1
    assert receiver.requests[0].headers["Webhook-Signature"].startswith("v1,")
    again = scheduled.hourly({"source": "aws.events"}, None)
    assert again["notify"]["sent"] == [] and again["notify"]["skipped"] == first["notify"]["sent"]
    assert len(receiver.requests) == 1
