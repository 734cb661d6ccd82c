"""The demo week (which has reader spam on its last day) sent as a real digest message, as bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from ascolto.digest.demo import seed_demo
from ascolto.digest.render import compose
from ascolto.digest.schedule import owners, prepare
from ascolto.mail.base import wire_bytes
from ascolto.ratings import Site
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore

DAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def demo_site(language: str = "en") -> Site:
    return Site(id="demo", name="Slow Kitchen", owner_email="owner@example.org",
                origins=("https://slowkitchen.example",), timezone="Europe/Rome", language=language,
                created_at="2026-01-01T00:00:00+00:00")


def demo_digest(folder: Path, language: str = "en") -> tuple[bytes, str, str]:
    """Return the demo day's digest as wire bytes, and its HTML and text parts."""
    store = SqliteStore(folder / f"demo-{language}.db")
    site = demo_site(language)
    store.put_site(site)
    seed_demo(store, site, DAY)
    settings = Settings(data_dir=folder, secret="demo", public_url="https://ratings.example.org",
                        mail_from="digest@ratings.example.org")
    report, rendered = prepare(store, owners(store.list_sites())[0], DAY, settings, NOW)
    store.close()
    return wire_bytes(compose(report, rendered, settings, NOW)), rendered.html, rendered.text
