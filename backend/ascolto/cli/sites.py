"""`ascolto site add|list`: register sites and print the snippet."""

from __future__ import annotations

import json
import re
import unicodedata

import click

from ascolto.bootstrap import utcnow
from ascolto.cli.options import data_dir_option, fail, services
from ascolto.errors import InvalidInput
from ascolto.ratings import Site, normalize_origin, validate_site
from ascolto.snippet import snippet


@click.group()
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
@data_dir_option
def site_add(site_id: str | None, name: str, origins: tuple[str, ...], owner: str, timezone: str,
             language: str, low_threshold: int, digest_hour: int, data_dir: str | None) -> None:
    """Register a site and print the snippet to paste."""
    parts = services(data_dir)
    new = Site(
        id=site_id or slug(name), name=name, owner_email=owner,
        origins=tuple(normalize_origin(o) for o in origins), timezone=timezone, language=language,
        low_threshold=low_threshold, digest_hour=digest_hour, created_at=utcnow().isoformat(),
    )
    try:
        validate_site(new)
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            click.echo(f"error: {field}: {' '.join(messages)}", err=True)
        raise SystemExit(2) from None
    if parts.store.get_site(new.id) is not None:
        fail("id", f"a site {new.id!r} exists already")
    parts.store.put_site(new)
    click.echo(f"Added site {new.id!r}. Paste this where the widget should appear:\n")
    click.echo(snippet(new, parts.settings.public_url))


@site.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_dir_option
def site_list(as_json: bool, data_dir: str | None) -> None:
    """List the registered sites."""
    sites = services(data_dir).store.list_sites()
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in sites], indent=2))
        return
    for s in sites:
        click.echo(f"{s.id}\t{s.name}\t{s.owner_email}\t{s.timezone}\t{s.language}\t{' '.join(s.origins)}")


def slug(name: str) -> str:
    """Return a site id made from a name."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:63] or "site"
