"""Owner commands for data: quarantine review, export, forget and retention purge."""

from __future__ import annotations

import csv
import json
import sys
from datetime import timedelta
from typing import Any

import click

from ascolto.abuse import REASONS
from ascolto.errors import NotFound
from ascolto.ratings import normalize_article, utcnow
from ascolto.stores.base import Store, open_store

VOTE_FIELDS = ("kind", "article", "title", "url", "rating", "at", "quarantined", "quarantine_reason",
               "text", "contact_email")


def _store(data_dir: str | None) -> Store:
    from ascolto.cli import load_settings

    return open_store(load_settings(data_dir).store_url)


def _site_or_exit(store: Store, site_id: str) -> None:
    if store.get_site(site_id) is None:
        click.echo(f"error: site: no site {site_id!r}", err=True)
        sys.exit(2)


data_dir_option = click.option("--data-dir", envvar="ASCOLTO_DATA_DIR", help="Data folder.")


@click.group()
def quarantine() -> None:
    """Review votes held back by the anti-stuffing checks."""


@quarantine.command("list")
@click.option("--site", "site_id", required=True)
@data_dir_option
def quarantine_list(site_id: str, data_dir: str | None) -> None:
    """List quarantined votes with the reason each was held."""
    store = _store(data_dir)
    _site_or_exit(store, site_id)
    held = store.quarantined(site_id)
    for v in held:
        click.echo(f"{v.at:%Y-%m-%d %H:%M}Z\t{v.article}\t{v.rating}\t{v.voter}\t{v.quarantine_reason}"
                   f" ({REASONS.get(v.quarantine_reason, '')})")
    click.echo(f"{len(held)} quarantined vote(s)")


@quarantine.command("release")
@click.option("--site", "site_id", required=True)
@click.option("--article", required=True)
@click.option("--voter", "voters", multiple=True, help="Voter id (repeatable); default: all held on the article.")
@data_dir_option
def quarantine_release(site_id: str, article: str, voters: tuple[str, ...], data_dir: str | None) -> None:
    """Count quarantined votes after all."""
    _resolve(site_id, article, voters, data_dir, release=True)


@quarantine.command("discard")
@click.option("--site", "site_id", required=True)
@click.option("--article", required=True)
@click.option("--voter", "voters", multiple=True, help="Voter id (repeatable); default: all held on the article.")
@data_dir_option
def quarantine_discard(site_id: str, article: str, voters: tuple[str, ...], data_dir: str | None) -> None:
    """Delete quarantined votes for good."""
    _resolve(site_id, article, voters, data_dir, release=False)


def _resolve(site_id: str, article: str, voters: tuple[str, ...], data_dir: str | None, release: bool) -> None:
    store = _store(data_dir)
    _site_or_exit(store, site_id)
    article = normalize_article(article)
    chosen = voters or tuple(v.voter for v in store.quarantined(site_id) if v.article == article)
    done = 0
    for voter in chosen:
        try:
            if release:
                store.release_vote(site_id, article, voter)
            else:
                store.discard_vote(site_id, article, voter)
            done += 1
        except NotFound:
            click.echo(f"error: voter: {voter} has no quarantined vote on {article}", err=True)
    click.echo(f"{'released' if release else 'discarded'} {done} vote(s)")
    if done < len(chosen):
        sys.exit(1)


@click.command()
@click.option("--site", "site_id", required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@data_dir_option
def export(site_id: str, fmt: str, data_dir: str | None) -> None:
    """Export every vote and feedback of a site (no voter ids, no visitor keys)."""
    store = _store(data_dir)
    _site_or_exit(store, site_id)
    votes, feedback = store.export(site_id)
    rows: list[dict[str, Any]] = [
        {"kind": "vote", "article": v.article, "title": v.title, "url": v.url, "rating": v.rating,
         "at": v.at.isoformat(), "quarantined": v.quarantined, "quarantine_reason": v.quarantine_reason,
         "text": "", "contact_email": ""} for v in votes
    ] + [
        {"kind": "feedback", "article": e.article, "title": e.title, "url": e.url, "rating": e.rating,
         "at": e.at.isoformat(), "quarantined": False, "quarantine_reason": "", "text": e.text,
         "contact_email": e.contact_email} for e in feedback
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=VOTE_FIELDS)
    writer.writeheader()
    writer.writerows(rows)


@click.command()
@click.option("--contact", required=True, help="The reader's email address.")
@data_dir_option
def forget(contact: str, data_dir: str | None) -> None:
    """Delete every feedback that left this email, with its text."""
    count = _store(data_dir).forget_contact(contact)
    click.echo(f"deleted {count} feedback item(s) that left {contact}")


@click.command()
@data_dir_option
def purge(data_dir: str | None) -> None:
    """Blank feedback text and contacts older than ASCOLTO_FEEDBACK_RETENTION_DAYS."""
    from ascolto.cli import load_settings

    settings = load_settings(data_dir)
    count = open_store(settings.store_url).purge_feedback(utcnow() - timedelta(days=settings.feedback_retention_days))
    click.echo(f"purged {count} feedback item(s) older than {settings.feedback_retention_days} days")


def register(group: click.Group) -> None:
    """Add the data commands to the `ascolto` group."""
    for command in (quarantine, export, forget, purge):
        group.add_command(command)
