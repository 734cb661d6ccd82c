"""`ascolto quarantine list|release|discard`: review votes held back by the anti-stuffing checks."""

from __future__ import annotations

import sys

import click

from ascolto.abuse import REASONS
from ascolto.cli.options import data_dir_option, services, site_or_exit
from ascolto.errors import NotFound
from ascolto.ratings import normalize_article
from ascolto.voting import discard_vote, quarantined, release_vote


@click.group()
def quarantine() -> None:
    """Review votes held back by the anti-stuffing checks."""


@quarantine.command("list")
@click.option("--site", "site_id", required=True)
@data_dir_option
def quarantine_list(site_id: str, data_dir: str | None) -> None:
    """List quarantined votes with the reason each was held."""
    parts = services(data_dir)
    site_or_exit(parts, site_id)
    held = quarantined(parts.store, site_id)
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
    parts = services(data_dir)
    site_or_exit(parts, site_id)
    store = parts.store
    article = normalize_article(article)
    chosen = voters or tuple(v.voter for v in quarantined(store, site_id) if v.article == article)
    done = 0
    for voter in chosen:
        try:
            if release:
                release_vote(store, site_id, article, voter)
            else:
                discard_vote(store, site_id, article, voter)
            done += 1
        except NotFound:
            click.echo(f"error: voter: {voter} has no quarantined vote on {article}", err=True)
    click.echo(f"{'released' if release else 'discarded'} {done} vote(s)")
    if done < len(chosen):
        sys.exit(1)
