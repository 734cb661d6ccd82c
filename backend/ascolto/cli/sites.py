"""`ascolto site add|list|update|remove`: register sites, print the snippet, change and remove them."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ascolto.bootstrap import utcnow
from ascolto.cli.options import data_dir_option, fail, services, site_or_exit
from ascolto.errors import ConfigError, InvalidInput
from ascolto.notify.channels import channel_id, parse_channel
from ascolto.ratings import LANGUAGES, Site, normalize_origin, validate_site
from ascolto.snippet import snippet


@click.group()
def site() -> None:
    """Register, list, change and remove sites."""


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
@click.option("--notify", "notify", multiple=True, metavar="URL",
              help="Chat or webhook channel for this site's digest and alerts (repeatable; forms in the README).")
@data_dir_option
def site_add(site_id: str | None, name: str, origins: tuple[str, ...], owner: str, timezone: str,
             language: str, low_threshold: int, digest_hour: int, notify: tuple[str, ...],
             data_dir: str | None) -> None:
    """Register a site and print the snippet to paste."""
    parts = services(data_dir)
    site_id = site_id or slug(name)
    new = Site(
        id=site_id, name=name, owner_email=owner,
        origins=tuple(normalize_origin(o) for o in origins), timezone=timezone, language=language,
        low_threshold=low_threshold, digest_hour=digest_hour, created_at=utcnow().isoformat(),
        notify=channels_changed(site_id, (), notify, ()),
    )
    try:
        validate_site(new)
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            click.echo(f"error: {field}: {' '.join(messages)}", err=True)
        raise SystemExit(2) from None
    if parts.store.get_site(new.id) is not None:
        fail("id", f"a site {new.id!r} exists already; change it with `ascolto site update {new.id} ...` "
                   "(e.g. --add-origin), or pick another --id")
    parts.store.put_site(new)
    click.echo(f"Added site {new.id!r}. Paste this where the widget should appear:\n")
    click.echo(snippet(new, parts.settings.public_url))
    click.echo(f"\nUsing Hugo, Jekyll, Eleventy, MkDocs, Astro or Docusaurus? `ascolto integrate hugo --site {new.id} "
               "--dir PATH` (or jekyll, eleventy, mkdocs, astro, docusaurus) writes the widget into your site, "
               "with the numbers baked in and a way to rate without JavaScript.")


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
        line = f"{s.id}\t{s.name}\t{s.owner_email}\t{s.timezone}\t{s.language}\t{' '.join(s.origins)}"
        click.echo(line + (f"\tnotify: {channel_labels(s.notify)}" if s.notify else ""))


@site.command("update")
@click.argument("site_id")
@click.option("--name", help="Site name shown in the digest.")
@click.option("--owner", help="Owner email that receives the digest.")
@click.option("--add-origin", "add", multiple=True,
              help="Allow another origin, e.g. http://localhost:1313 (repeatable).")
@click.option("--remove-origin", "remove", multiple=True, help="Stop allowing an origin (repeatable).")
@click.option("--timezone", help="IANA time zone of the digest.")
@click.option("--language", type=click.Choice(LANGUAGES))
@click.option("--low-threshold", type=int, help="Ratings at or below this ask the reader for feedback.")
@click.option("--digest-hour", type=int, help="Local hour of the digest.")
@click.option("--vote-cap", type=int, help="Counted votes per visitor per article per day.")
@click.option("--rate-burst", type=int, help="Votes a network may send at once.")
@click.option("--rate-per-hour", type=int, help="Votes a network may send per hour after the burst.")
@click.option("--min-dwell-ms", type=int, help="Time on the page before a vote counts, in milliseconds.")
@click.option("--add-notify", multiple=True, metavar="URL",
              help="Send this site's digest and alerts to a chat or webhook channel too (repeatable).")
@click.option("--remove-notify", multiple=True, metavar="URL_OR_ID",
              help="Stop notifying a channel, named by its URL or the #id that `site list` prints (repeatable).")
@data_dir_option
def site_update(site_id: str, add: tuple[str, ...], remove: tuple[str, ...], add_notify: tuple[str, ...],
                remove_notify: tuple[str, ...], data_dir: str | None, **changes: object) -> None:
    """Change a site's settings; say what changed."""
    parts = services(data_dir)
    current = site_or_exit(parts, site_id)
    fields = {"owner": "owner_email"}
    values: dict[str, Any] = {fields.get(k, k): v for k, v in changes.items() if v is not None}
    origins = list(current.origins)
    for origin in (normalize_origin(o) for o in remove):
        if origin not in origins:
            fail("origins", f"{origin} is not an origin of {site_id!r} ({' '.join(origins)})")
        origins.remove(origin)
    origins += [o for o in dict.fromkeys(normalize_origin(o) for o in add) if o not in origins]
    values["origins"] = tuple(origins)
    values["notify"] = channels_changed(site_id, current.notify, add_notify, remove_notify)
    new = replace(current, **values)
    try:
        # The origins as typed first: normalising would drop a path the owner should hear about.
        validate_site(replace(new, origins=tuple(o.strip() for o in add)))
        validate_site(new)
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            click.echo(f"error: {field}: {' '.join(messages)}", err=True)
        raise SystemExit(2) from None
    changed = {k: (getattr(current, k), v) for k, v in values.items() if getattr(current, k) != v}
    if not changed:
        click.echo(f"Nothing to change on {site_id!r}.")
        return
    parts.store.put_site(new)
    for name, (old, value) in changed.items():
        shown = channel_labels if name == "notify" else _shown
        click.echo(f"{name}: {shown(old)} -> {shown(value)}")


def _shown(value: object) -> str:
    return " ".join(value) if isinstance(value, tuple) else str(value)


def channels_changed(site_id: str, current: tuple[str, ...], add: tuple[str, ...],
                     remove: tuple[str, ...]) -> tuple[str, ...]:
    """Return a site's channel URLs with some removed (by URL or #id) and some added, or exit naming `notify`.

    Each added URL must parse as a channel; one that is there already (same id) is not added twice.
    No message repeats a URL: channel URLs hold secrets.
    """
    urls = list(current)
    for name in (n.strip() for n in remove):
        found = [u for u in urls if u.strip() == name or channel_id(u) == name.removeprefix("#")]
        if not found:
            ids = " ".join(f"#{channel_id(u)}" for u in urls) or "none"
            fail("notify", f"that URL or id names no channel of {site_id!r} (its channels: {ids})")
        urls.remove(found[0])
    for url in (u.strip() for u in add):
        try:
            parse_channel(url, "notify")
        except ConfigError as exc:
            fail("notify", exc.expected)
        if channel_id(url) not in {channel_id(u) for u in urls}:
            urls.append(url)
    return tuple(urls)


def channel_labels(urls: object) -> str:
    """Return channel URLs as names safe to print (kind, host, #id), or `none`."""
    labels = []
    for url in urls if isinstance(urls, tuple) else ():
        try:
            labels.append(parse_channel(url, "notify").label)
        except ConfigError:
            labels.append(f"#{channel_id(url)} (not a channel URL)")
    return ", ".join(labels) or "none"


@site.command("remove")
@click.argument("site_id")
@click.option("--export-to", type=click.Path(dir_okay=False, path_type=Path),
              help="Where the export goes first (default: <data dir>/<site>-export-<date>.json).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@data_dir_option
def site_remove(site_id: str, export_to: Path | None, yes: bool, data_dir: str | None) -> None:
    """Export a site's votes, feedback and settings to a file, then delete the site and its data."""
    from ascolto.cli.data_rights import export_rows
    from ascolto.site_removal import remove_site

    parts = services(data_dir)
    current = site_or_exit(parts, site_id)
    if not yes:
        click.confirm(f"Remove site {site_id!r} ({current.name}) and all its votes and feedback?", abort=True)
    now = parts.clock()
    path = export_to or parts.settings.data_dir / f"{site_id}-export-{now:%Y%m%d-%H%M%S}.json"
    document = {"site": current.to_dict(), "exported_at": now.isoformat(), "rows": export_rows(parts, site_id)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"Exported {len(document['rows'])} vote(s) and feedback to {path}")
    remove_site(parts.store, current, now)
    click.echo(f"Removed site {site_id!r}.")


def slug(name: str) -> str:
    """Return a site id made from a name."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:63] or "site"
