"""Owner data commands: quarantine list/release/discard, export, forget, purge."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from ascolto.cli import main
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import add_feedback, export_site, quarantined, record_vote
from tests.conftest import make_site
from tests.stores.contract import feedback, vote


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SqliteStore:
    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(tmp_path))
    store = SqliteStore(tmp_path / "ascolto.db")
    site = make_site()
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 5))
    record_vote(store, vote(site, "/a", "voter-0002", 1, quarantined=True, quarantine_reason="over_cap"))
    record_vote(store, vote(site, "/a", "voter-0003", 1, quarantined=True, quarantine_reason="honeypot"))
    add_feedback(store, feedback(site, "/a", "voter-0001", "Loved it, but:\n\"quotes\", commas",
                                email="reader@example.com"))
    return store


def test_quarantine_list_release_discard(seeded: SqliteStore) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["quarantine", "list", "--site", "blog"])
    assert listed.exit_code == 0
    assert "voter-0002" in listed.output and "over_cap" in listed.output and "2 quarantined" in listed.output
    released = runner.invoke(main, ["quarantine", "release", "--site", "blog", "--article", "/a",
                                    "--voter", "voter-0002"])
    assert released.exit_code == 0 and "released 1" in released.output
    assert seeded.summary("blog", "/a").count == 2
    discarded = runner.invoke(main, ["quarantine", "discard", "--site", "blog", "--article", "/a/"])
    assert discarded.exit_code == 0 and "discarded 1" in discarded.output
    assert quarantined(seeded, "blog") == []
    missing = runner.invoke(main, ["quarantine", "release", "--site", "blog", "--article", "/a",
                                   "--voter", "voter-0001"])
    assert missing.exit_code == 1


def test_export_csv_and_json(seeded: SqliteStore) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["export", "--site", "blog"])
    assert out.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [r["kind"] for r in rows] == ["vote", "vote", "vote", "feedback"]
    assert rows[3]["text"] == "Loved it, but:\n\"quotes\", commas"
    assert "voter-000" not in out.output
    data = json.loads(runner.invoke(main, ["export", "--site", "blog", "--format", "json"]).output)
    assert {d["kind"] for d in data} == {"vote", "feedback"}
    assert all("voter" not in d for d in data)
    assert runner.invoke(main, ["export", "--site", "nope"]).exit_code == 2


def test_forget_contact(seeded: SqliteStore) -> None:
    out = CliRunner().invoke(main, ["forget", "--contact", "Reader@Example.com"])
    assert out.exit_code == 0 and "deleted 1" in out.output
    _, fb = export_site(seeded, "blog")
    assert fb == []


def test_purge_respects_retention(seeded: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASCOLTO_FEEDBACK_RETENTION_DAYS", "3650")
    assert "purged 0" in CliRunner().invoke(main, ["purge"]).output
    monkeypatch.setenv("ASCOLTO_FEEDBACK_RETENTION_DAYS", "1")
    out = CliRunner().invoke(main, ["purge"])
    assert "purged 1" in out.output  # the feedback was left at T0, more than a day before the real clock
    _, fb = export_site(seeded, "blog")
    assert fb[0].text == "" and fb[0].contact_email == ""
    assert seeded.summary("blog", "/a").count == 1


FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_export_csv_neutralises_formulas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(tmp_path))
    store = SqliteStore(tmp_path / "ascolto.db")
    site = make_site()
    store.put_site(site)
    for n, formula in enumerate(FORMULAS):
        voter = f"voter-{n:04d}"
        record_vote(store, replace(vote(site, f"/f{n}", voter, 2), title=formula, url=formula))
        add_feedback(store, feedback(site, f"/f{n}", voter, formula, email=f"{formula}@example.org"))
    out = CliRunner().invoke(main, ["export", "--site", "blog"])
    assert out.exit_code == 0, out.output
    rows = list(csv.reader(io.StringIO(out.output)))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # Every reader-written cell kept its text, behind the one quote a spreadsheet hides.
    texts = [row[rows[0].index("text")] for row in rows[1:] if row[0] == "feedback"]
    assert sorted(texts) == sorted("'" + f for f in FORMULAS)
    assert "'=HYPERLINK(" in out.output and ",=HYPERLINK(" not in out.output
