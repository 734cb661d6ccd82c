"""`ascolto serve`: the API, the widget and a demo page on this machine."""

from __future__ import annotations

import os
from dataclasses import replace

import click

from ascolto.bootstrap import utcnow
from ascolto.cli.options import data_dir_option, services
from ascolto.ratings import DEMO_SITE, Site, normalize_origin
from ascolto.stores.base import Store


def ensure_demo_site(store: Store, public_url: str, port: int) -> Site:
    """Create the demo site on first run, allowing the local origins."""
    origins = {normalize_origin(public_url), f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    existing = store.get_site(DEMO_SITE)
    if existing is not None and origins <= set(existing.origins) and not existing.digest_enabled:
        return existing
    # digest_enabled=False: the demo's owner is a made-up address, so it gets no daily email.
    site = Site(id=DEMO_SITE, name="ascolto demo", owner_email="owner@example.org", digest_enabled=False,
                origins=tuple(sorted(origins | set(existing.origins if existing else ()))),
                timezone="Europe/Rome", language="en",
                created_at=existing.created_at if existing else utcnow().isoformat())
    store.put_site(site)
    return site


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@data_dir_option
def serve(host: str, port: int, data_dir: str | None) -> None:
    """Run the API, the widget and a demo page on this machine."""
    from werkzeug.serving import run_simple

    from ascolto.app import create_app
    from ascolto.serving import RequestHandler

    parts = services(data_dir, demo=True)
    if "ASCOLTO_PUBLIC_URL" not in os.environ:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        parts.settings = replace(parts.settings, public_url=f"http://{shown}:{port}")
    app = create_app(services=parts)
    ensure_demo_site(parts.store, parts.settings.public_url, port)
    click.echo(f"ascolto {parts.settings.store_url}")
    click.echo(f"Demo page: {parts.settings.public_url}/  (Ctrl+C to stop)")
    run_simple(host, port, app, threaded=True, use_reloader=False, request_handler=RequestHandler)
