"""The `ascolto` command: serve, site add/list and the owner's tools."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from ascolto.errors import InvalidInput
from ascolto.ratings import Site, normalize_origin, utcnow, validate_site
from ascolto.settings import Settings
from ascolto.snippet import snippet
from ascolto.stores.base import Store, open_store

DEMO_SITE = "demo"


def load_settings(data_dir: str | None = None, **overrides: object) -> Settings:
    """Return settings from the environment with the command's flags on top."""
    return Settings.from_env(data_dir=Path(data_dir) if data_dir else None, **overrides)


def ensure_demo_site(store: Store, public_url: str, port: int) -> Site:
    """Create the demo site on first run, allowing the local origins."""
    origins = {normalize_origin(public_url), f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    existing = store.get_site(DEMO_SITE)
    if existing is not None and origins <= set(existing.origins):
        return existing
    site = Site(id=DEMO_SITE, name="ascolto demo", owner_email="owner@example.org",
                origins=tuple(sorted(origins | set(existing.origins if existing else ()))),
                timezone="Europe/Rome", language="en",
                created_at=existing.created_at if existing else utcnow().isoformat())
    store.put_site(site)
    return site


@click.group()
@click.version_option(package_name="ascolto")
def main() -> None:
    """ascolto: hear what readers think of each article."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--data-dir", envvar="ASCOLTO_DATA_DIR", help="Data folder (default ~/.local/share/ascolto).")
def serve(host: str, port: int, data_dir: str | None) -> None:
    """Run the API, the widget and a demo page on this machine."""
    from werkzeug.serving import run_simple

    from ascolto.app import create_app

    settings = load_settings(data_dir, demo=True)
    if "ASCOLTO_PUBLIC_URL" not in os.environ:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        settings = replace(settings, public_url=f"http://{shown}:{port}")
    app = create_app(settings)
    ensure_demo_site(app.extensions["ascolto"].store, settings.public_url, port)
    click.echo(f"ascolto {settings.store_url}")
    click.echo(f"Demo page: {settings.public_url}/  (Ctrl+C to stop)")
    run_simple(host, port, app, threaded=True, use_reloader=False)


@main.group()
def site() -> None:
    """Register and list sites."""


@site.command("add")
@click.option("--id", "site_id", help="Site id used in the snippet (default: from the name).")
@click.option("--name", required=True, help="Site name shown in the digest.")
@click.option("--origin", "origins", multiple=True, required=True,
              help="Origin allowed to use the widget, e.g. https://blog.example.org (repeatable).")
@click.option("--owner", required=True, help="Owner email that receives the digest.")
@click.option("--timezone", default="UTC", show_default=True, help="IANA time zone of the digest.")
@click.option("--language", type=click.Choice(["en", "it"]), default="en", show_default=True)
@click.option("--low-threshold", default=3, show_default=True, type=int,
              help="Ratings at or below this ask the reader for feedback.")
@click.option("--digest-hour", default=7, show_default=True, type=int, help="Local hour of the digest.")
@click.option("--data-dir", envvar="ASCOLTO_DATA_DIR", help="Data folder.")
def site_add(site_id: str | None, name: str, origins: tuple[str, ...], owner: str, timezone: str,
             language: str, low_threshold: int, digest_hour: int, data_dir: str | None) -> None:
    """Register a site and print the snippet to paste."""
    settings = load_settings(data_dir)
    store = open_store(settings.store_url)
    new = Site(
        id=site_id or _slug(name), name=name, owner_email=owner,
        origins=tuple(normalize_origin(o) for o in origins), timezone=timezone, language=language,
        low_threshold=low_threshold, digest_hour=digest_hour, created_at=utcnow().isoformat(),
    )
    try:
        validate_site(new)
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            click.echo(f"error: {field}: {' '.join(messages)}", err=True)
        sys.exit(2)
    if store.get_site(new.id) is not None:
        click.echo(f"error: id: a site {new.id!r} exists already", err=True)
        sys.exit(2)
    store.put_site(new)
    click.echo(f"Added site {new.id!r}. Paste this where the widget should appear:\n")
    click.echo(snippet(new, settings.public_url))


@site.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--data-dir", envvar="ASCOLTO_DATA_DIR", help="Data folder.")
def site_list(as_json: bool, data_dir: str | None) -> None:
    """List the registered sites."""
    store = open_store(load_settings(data_dir).store_url)
    sites = store.list_sites()
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in sites], indent=2))
        return
    for s in sites:
        click.echo(f"{s.id}\t{s.name}\t{s.owner_email}\t{s.timezone}\t{s.language}\t{' '.join(s.origins)}")


def _slug(name: str) -> str:
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:63] or "site"


from ascolto.cli_data import register as _register_data_commands  # noqa: E402
from ascolto.digest.command import digest as _digest_command  # noqa: E402

_register_data_commands(main)
main.add_command(_digest_command)
