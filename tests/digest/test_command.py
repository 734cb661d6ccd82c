"""`ascolto digest` and the hourly event: same entry point, outbox by default."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from click.testing import CliRunner

from ascolto.cli import main
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import add_feedback, record_vote
from tests.conftest import make_site
from tests.stores.contract import feedback, vote

YESTERDAY = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("ASCOLTO_STORE", "ASCOLTO_MAILER", "ASCOLTO_SECRET", "ASCOLTO_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    store = SqliteStore(tmp_path / "ascolto.db")
    site = make_site()
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 2, at=YESTERDAY))
    add_feedback(store, feedback(site, "/a", "voter-0001", "Où est l'exemple ?", at=YESTERDAY))
    store.close()
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_dry_run_prints_recipient_subject_and_text(data_dir: Path) -> None:
    code, out = run("digest", "--date", "2026-11-19", "--dry-run", "--data-dir", str(data_dir))
    assert code == 0
    assert "To: owner@example.org\nSubject: A blog, 19 November: 1 article needs you, 1 comment to read" in out
    assert "Où est l'exemple ?" in out
    assert not (data_dir / "outbox").exists()


def test_preview_writes_html(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    code, out = run("digest", "--date", "2026-11-19", "--site", "blog", "--preview", str(target),
                    "--data-dir", str(data_dir))
    assert code == 0 and target.read_text().startswith("<!doctype html>")
    assert "Où est l&#39;exemple ?" in target.read_text()


def test_date_and_site_send_one_digest_once(data_dir: Path) -> None:
    code, out = run("digest", "--date", "2026-11-19", "--site", "blog", "--data-dir", str(data_dir))
    assert (code, out.strip()) == (0, "sent owner@example.org/2026-11-19")
    [eml] = (data_dir / "outbox").glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=default)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    code, out = run("digest", "--date", "2026-11-19", "--site", "blog", "--data-dir", str(data_dir))
    assert "skipped owner@example.org/2026-11-19" in out
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 1


def test_unknown_site_and_bad_date(data_dir: Path) -> None:
    assert run("digest", "--site", "nope", "--data-dir", str(data_dir))[0] == 2
    assert run("digest", "--date", "19/11/2026", "--data-dir", str(data_dir))[0] == 2


def test_without_flags_sends_what_is_due_now(data_dir: Path) -> None:
    code, out = run("digest", "--data-dir", str(data_dir))
    assert code == 0
    assert out.strip() == "nothing due now" or out.startswith(("sent", "empty"))


def test_demo_preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASCOLTO_STORE", raising=False)
    target = tmp_path / "demo.html"
    code, out = run("digest", "--demo", "--preview", str(target), "--data-dir", str(tmp_path))
    assert code == 0, out
    html = target.read_text()
    assert "Sous-vide steak" in html and "Held back" in html
    assert len(html.encode()) < 100_000


def test_hourly_event_sends_due_digests(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ascolto import scheduled

    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ASCOLTO_SECRET", "s")
    monkeypatch.setattr("ascolto.bootstrap.utcnow", lambda: datetime(2026, 11, 20, 6, 5, tzinfo=UTC))
    result = scheduled.hourly({"source": "aws.events"}, None)
    assert result["sent"] == ["owner@example.org/2026-11-19"]
    assert scheduled.hourly({}, None)["skipped"] == ["owner@example.org/2026-11-19"]
    assert json.dumps(result)


def test_importing_the_event_module_is_cheap() -> None:
    code = ("import sys, ascolto.scheduled; heavy = [m for m in ('boto3', 'botocore', 'jinja2', 'flask', 'sqlite3')"
            " if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_day_that_has_not_ended_can_be_previewed_never_sent(data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    monkeypatch.setattr("ascolto.bootstrap.utcnow", lambda: datetime(2026, 11, 19, 15, 0, tzinfo=UTC))
    code, out = run("digest", "--date", "2026-11-19", "--site", "blog", "--data-dir", str(data_dir))
    assert code == 2 and "error: date: 2026-11-19 has not ended yet" in out
    assert not (data_dir / "outbox").exists()
    code, out = run("digest", "--date", "2026-11-19", "--dry-run", "--data-dir", str(data_dir))
    assert code == 0 and "Your readers today, so far" in out and "cannot be sent" in out
    # The claim was not used up: once the day has ended, it is sent.
    monkeypatch.setattr("ascolto.bootstrap.utcnow", lambda: datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    code, out = run("digest", "--date", "2026-11-19", "--site", "blog", "--data-dir", str(data_dir))
    assert (code, out.strip()) == (0, "sent owner@example.org/2026-11-19")


def test_the_words_match_the_day(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ascolto.bootstrap.utcnow", lambda: datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    assert "Your readers yesterday" in run("digest", "--date", "2026-11-19", "--dry-run", "--data-dir",
                                           str(data_dir))[1]
    monkeypatch.setattr("ascolto.bootstrap.utcnow", lambda: datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    out = run("digest", "--date", "2026-11-19", "--dry-run", "--data-dir", str(data_dir))[1]
    assert "Your readers on 19 November" in out and "yesterday" not in out


def test_demo_never_sends_through_the_configured_mailer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASCOLTO_STORE", raising=False)
    monkeypatch.setenv("ASCOLTO_MAILER", "smtp://127.0.0.1:9?timeout=0.1")  # nothing listens: a send would fail
    code, out = run("digest", "--demo", "--data-dir", str(tmp_path))
    assert code == 0, out
    assert "To: owner@example.org" in out and "Sous-vide steak" in out
    assert "sent " not in out


def test_the_demo_site_of_serve_gets_no_digest(tmp_path: Path) -> None:
    from ascolto.cli.serve import ensure_demo_site
    from ascolto.digest.schedule import owners

    store = SqliteStore(tmp_path / "ascolto.db")
    site = ensure_demo_site(store, "http://127.0.0.1:8000", 8000)
    assert site.digest_enabled is False
    assert owners(store.list_sites()) == []
    store.close()
