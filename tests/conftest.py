"""Shared fixtures: settings, a store per backend, the app and its test client."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ascolto.app import create_app
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.base import Store
from ascolto.stores.dynamodb import DynamoDBStore
from ascolto.stores.sqlite import SqliteStore

ORIGIN = "https://blog.example.org"
CHROMIUM = Path(os.environ.get("ASCOLTO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
sync_api = pytest.importorskip("playwright.sync_api")


class Clock:
    """A settable clock for tests."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_site(site_id: str = "blog", **overrides: object) -> Site:
    """Return a site as an owner would register it."""
    values: dict[str, object] = dict(
        id=site_id, name="A blog", owner_email="owner@example.org", origins=(ORIGIN,),
        timezone="Europe/Rome", language="en", created_at="2026-01-01T00:00:00+00:00",
    )
    values.update(overrides)
    return Site(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, secret="test-secret", public_url="https://ratings.example.org")


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "ascolto.db")
    yield store
    store.close()


DYNAMODB_TABLE = "ascolto-test"


@pytest.fixture
def dynamodb_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A moto DynamoDB client with ascolto's table created (the one way every test builds it)."""
    import boto3
    from moto import mock_aws

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(**DynamoDBStore.table_definition(DYNAMODB_TABLE))
        yield client


@pytest.fixture
def dynamodb_store(dynamodb_client: Any) -> DynamoDBStore:
    """A DynamoDBStore on moto whose requests apply one at a time, as DynamoDB applies each atomically."""
    from tests.stores.atomic_client import AtomicClient

    return DynamoDBStore(DYNAMODB_TABLE, client=AtomicClient(dynamodb_client), sleep=lambda _: None)


@pytest.fixture(params=["sqlite", "dynamodb"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each store in turn: SQLite, then DynamoDB on moto."""
    if request.param == "sqlite":
        store = SqliteStore(tmp_path / "ascolto.db")
        yield store
        store.close()
        return
    yield request.getfixturevalue("dynamodb_store")


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 20, 9, 30, tzinfo=UTC))


@pytest.fixture
def site(sqlite_store: SqliteStore) -> Site:
    site = make_site()
    sqlite_store.put_site(site)
    return site


@pytest.fixture
def app(settings: Settings, sqlite_store: SqliteStore, site: Site, clock: Clock) -> Flask:
    return create_app(settings, store=sqlite_store, clock=clock)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM} (make test-deps installs it)")
        pytest.skip(f"Chromium is missing at {CHROMIUM} (make test-deps installs it)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Tab:
    """A page in its own browser context, with what it reported."""

    page: Any
    errors: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@pytest.fixture
def new_tab(browser: Any) -> Iterator[Callable[..., Tab]]:
    """Open pages, each in a fresh context (a new visitor) unless one is given."""
    contexts: list[Any] = []

    def open_tab(context: Any = None, **options: Any) -> Tab:
        if context is None:
            context = browser.new_context(**options)
            context.set_default_timeout(10_000)
            contexts.append(context)
        tab = Tab(page=context.new_page())
        tab.page.on("pageerror", lambda e: tab.errors.append(e))
        tab.page.on("console", lambda m: m.type == "warning" and tab.warnings.append(m.text))
        return tab

    yield open_tab
    for context in contexts:
        context.close()
