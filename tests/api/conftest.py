"""The API tests run on each store: the same requests, the same answers, on SQLite and on DynamoDB."""

from __future__ import annotations

import pytest
from flask import Flask

from ascolto.app import create_app
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.base import Store
from tests.conftest import Clock, make_site


@pytest.fixture
def store(any_store: Store) -> Store:
    """Each store in turn (tests/conftest.py's any_store)."""
    return any_store


@pytest.fixture
def site(store: Store) -> Site:
    site = make_site()
    store.put_site(site)
    return site


@pytest.fixture
def app(settings: Settings, store: Store, site: Site, clock: Clock) -> Flask:
    return create_app(settings, store=store, clock=clock)
