"""The follow-up rules on both stores: the same open list, statuses, snoozes and link versions,
and a two-day digest flow (today's comments open; tomorrow lists what is still open)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from ascolto import followup
from ascolto.settings import Settings
from ascolto.stores.dynamodb import DynamoDBStore
from ascolto.stores.sqlite import SqliteStore
from tests.digest.flow import DAY, seed, send_digest

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if request.param == "sqlite":
        sqlite = SqliteStore(tmp_path / "ascolto.db")
        yield sqlite
        sqlite.close()
        return
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(**DynamoDBStore.table_definition("ascolto"))
        yield DynamoDBStore("ascolto", client=client)


def test_the_rules_keep_the_same_state_on_every_store(store: Any) -> None:
    items = [followup.OpenItem(site="blog", article="/a", feedback_id=f"f{i}", day="2026-11-19", rating=None)
             for i in range(3)]
    assert followup.note_shown(store, "owner@example.org", items, NOW) == 3
    followup.set_status(store, "owner@example.org", "blog", "f0", "handled", NOW)
    followup.set_status(store, "owner@example.org", "blog", "f1", "spam", NOW)
    assert [i.feedback_id for i in followup.open_items(store, "owner@example.org")] == ["f2"]
    assert len(store.records(followup.OPEN)) == 1  # only what is open is stored as open
    followup.set_status(store, "owner@example.org", "blog", "f1", "open", NOW)
    assert followup.status_of(store, "owner@example.org", "blog", "f1") == "open"
    followup.snooze(store, "blog", "/a", date(2026, 11, 20))
    assert followup.snoozed(store, "blog", date(2026, 11, 26)) == {"/a": date(2026, 11, 26)}
    assert followup.link_version(store, "owner@example.org") == 0
    assert followup.bump_link_version(store, "owner@example.org") == 1
    assert followup.bump_link_version(store, "owner@example.org") == 2
    assert followup.link_version(store, "owner@example.org") == 2


def test_tomorrow_lists_what_is_still_open_on_every_store(store: Any, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret="s", public_url="https://ratings.example.org")
    seed(store)
    first = send_digest(store, settings)
    assert "3 held back to review" in first["Subject"] or "held back" in first["Subject"]
    shown = [i for i in followup.open_items(store, "owner@example.org") if not i.held]
    followup.set_status(store, "owner@example.org", "blog", shown[0].feedback_id, "handled", NOW)
    second = send_digest(store, settings, DAY + timedelta(days=1), datetime(2026, 11, 21, 6, 0, tzinfo=UTC))
    text = second.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "2 comments, open for 2 days, 1 held back" in text
