"""After real traffic, no client IP or user agent is anywhere in the stored data, on either store."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ascolto.app import create_app
from ascolto.settings import Settings
from ascolto.stores.dynamodb import DynamoDBStore
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import export_site, quarantined
from tests.conftest import DYNAMODB_TABLE, ORIGIN, make_site

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
    client = request.getfixturevalue("dynamodb_client")
    store = DynamoDBStore(DYNAMODB_TABLE, client=client, sleep=lambda _: None)

    def dump_items() -> str:
        pages = client.get_paginator("scan").paginate(TableName=DYNAMODB_TABLE)  # a test may scan
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


def test_a_copy_with_the_secret_narrows_a_vote_to_thousands_of_addresses() -> None:
    # Someone holding the database and ASCOLTO_SECRET can recompute the day's salt. A network key
    # then stands for every IPv4 address whose keyed hash has the same KEY_BITS leading bits.
    from ascolto.abuse import KEY_BITS, day_salt, network_key

    salt = day_salt("the-owner's-secret", "2026-11-20")
    keys = [network_key(salt, f"10.{a}.{b}.7", "blog") for a in range(64) for b in range(256)]
    assert all(len(k) == 5 and int(k, 16) < 2**KEY_BITS for k in keys)
    assert 2**32 / 2**KEY_BITS >= 4096  # addresses per key, on average
    # the keys spread evenly: 16,384 addresses fill about 16,384 * e^(-1/64) distinct keys, so the
    # hash is not clumping addresses (which would leave some keys standing for few addresses)
    assert 15_800 < len(set(keys)) <= 16_384


def test_ipv6_addresses_of_one_64_are_one_network() -> None:
    from ascolto.abuse import day_salt, network_key

    salt = day_salt("s", "2026-11-20")
    keys = {network_key(salt, f"2001:db8:1:2::{n:x}", "blog") for n in range(1, 41)}
    assert len(keys) == 1
    assert network_key(salt, "2001:db8:1:3::1", "blog") not in keys


def test_no_anti_abuse_record_carries_a_time_that_joins_it_to_a_vote(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "ascolto.db")
    store.put_site(make_site())
    client = create_app(Settings(data_dir=tmp_path, secret="privacy"), store=store).test_client()
    for n in range(5):
        client.post("/v1/sites/blog/votes", headers={"Origin": ORIGIN}, environ_base={"REMOTE_ADDR": IPS[n % 4]},
                    json={"article": "/a", "url": f"{ORIGIN}/a", "title": "A", "rating": 4,
                          "voter": f"joiner-{n:04d}", "dwell_ms": 5000})
    votes, _ = export_site(store, "blog")
    moments = {int(v.at.timestamp()) for v in votes}
    for kind in ("net#blog", "new-articles"):
        for _, data in store.records(kind):
            numbers = [int(x) for x in re.findall(r"\d{6,}", json.dumps(data))]
            assert not any(abs(n - m) < 600 for n in numbers for m in moments)  # nothing finer than 10 minutes
    rows = sqlite3.connect(tmp_path / "ascolto.db").execute("SELECT expires_at FROM records").fetchall()
    assert all(at is None or int(at) % 86400 == 0 for (at,) in rows)  # expiries are whole UTC days


def test_the_data_folder_and_its_database_files_are_private(tmp_path: Path) -> None:
    # Readers' feedback and contact emails live in these files; `secret` was already 0600.
    data = tmp_path / "data"
    store = SqliteStore(data / "ascolto.db")
    store.put_site(make_site())
    files = sorted(p.name for p in data.iterdir())
    assert {"ascolto.db", "ascolto.db-wal", "ascolto.db-shm"} <= set(files)
    assert (data.stat().st_mode & 0o777) == 0o700
    for name in files:
        assert ((data / name).stat().st_mode & 0o077) == 0, name  # nothing for group or others
    store.close()


def test_bootstrap_creates_a_private_data_folder(tmp_path: Path) -> None:
    from ascolto.bootstrap import bootstrap

    data = tmp_path / "fresh"
    parts = bootstrap(Settings(data_dir=data))
    assert (data.stat().st_mode & 0o777) == 0o700
    assert ((data / "secret").stat().st_mode & 0o777) == 0o600
    parts.close()
