"""After real traffic, no client IP or user agent is anywhere in the stored data, on either store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from ascolto.app import create_app
from ascolto.settings import Settings
from ascolto.stores.dynamodb import DynamoDBStore
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import export_site, quarantined
from tests.conftest import ORIGIN, make_site

IPS = ["203.0.113.77", "198.51.100.23", "2001:db8::beef", "192.0.2.201"]
AGENTS = ["Mozilla/5.0 PrivacyProbeAlpha/1.0", "curl/8.99 PrivacyProbeBeta", "PrivacyProbeGamma-Bot/3"]


@pytest.fixture(params=["sqlite", "dynamodb"])
def backend(request: pytest.FixtureRequest, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    """Yield (store, dump) where dump() returns every stored byte as text."""
    if request.param == "sqlite":
        store = SqliteStore(tmp_path / "ascolto.db")

        def dump() -> str:
            store.close()
            return b"".join(p.read_bytes() for p in sorted(tmp_path.glob("ascolto.db*"))).decode("latin-1")

        yield store, dump
        return
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(**DynamoDBStore.table_definition("privacy"))
        store = DynamoDBStore("privacy", client=client, sleep=lambda _: None)

        def dump_items() -> str:
            pages = client.get_paginator("scan").paginate(TableName="privacy")  # a test may scan
            return json.dumps([item for page in pages for item in page["Items"]])

        yield store, dump_items


def test_no_ip_or_user_agent_is_stored(backend: tuple[Any, Any], tmp_path: Path) -> None:
    store, dump = backend
    store.put_site(make_site(rate_burst=12, vote_cap=2))
    client = create_app(Settings(data_dir=tmp_path, secret="privacy"), store=store).test_client()
    statuses = set()
    # given votes, changed votes, quarantined votes, rate-limited votes and feedback from many clients
    for n in range(60):
        ip, agent = IPS[n % len(IPS)], AGENTS[n % len(AGENTS)]
        headers = {"Origin": ORIGIN, "User-Agent": agent, "X-Forwarded-For": IPS[(n + 1) % len(IPS)]}
        body = {"article": f"/posts/{n % 3}", "url": f"{ORIGIN}/posts/{n % 3}", "title": "T",
                "rating": 1 + n % 5, "voter": f"voter-{n % 7:04d}", "dwell_ms": 200 if n % 9 == 0 else 4000,
                "hp": "x" if n % 11 == 0 else ""}
        response = client.post("/v1/sites/blog/votes", json=body, headers=headers, environ_base={"REMOTE_ADDR": ip})
        statuses.add(response.status_code)
        if response.status_code == 200 and response.get_json()["ask_feedback"]:
            client.post("/v1/sites/blog/feedback", headers=headers, environ_base={"REMOTE_ADDR": ip}, json={
                "article": body["article"], "voter": body["voter"], "text": "Could be clearer.",
                "contact_email": None})
    assert {200, 429} <= statuses  # every path was taken
    assert quarantined(store, "blog")
    assert export_site(store, "blog")[1], "feedback was stored"
    # then nothing stored holds an IP or a user agent
    stored = dump()
    assert "voter-0001" in stored  # the dump really holds the data
    for needle in IPS + ["PrivacyProbe", "Mozilla/5.0", "curl/8.99"]:
        assert needle not in stored, needle
