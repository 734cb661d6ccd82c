"""Data rights: export a site's data, forget a reader's contact, purge old feedback."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from typing import Any

import click

from ascolto.bootstrap import Services
from ascolto.cli.options import data_dir_option, services, site_or_exit
from ascolto.export_csv import write_csv
from ascolto.importing.apply import imported_from
from ascolto.voting import export_site, imported_kind

VOTE_FIELDS = ("kind", "article", "title", "url", "rating", "at", "quarantined", "quarantine_reason",
               "text", "contact_email", "imported_from", "imported_votes", "imported_points")


@click.command()
@click.option("--site", "site_id", required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "summaries"]), default="csv", show_default=True)
@data_dir_option
def export(site_id: str, fmt: str, data_dir: str | None) -> None:
    """Export every vote and feedback of a site (no voter ids, no visitor keys), or its summaries."""
    parts = services(data_dir)
    site_or_exit(parts, site_id)
    if fmt == "summaries":  # the document of GET /v1/sites/{site}/summaries.json, for offline builds
        from ascolto.integrations.summaries import site_summaries

        click.echo(json.dumps(site_summaries(parts.store, site_id, parts.clock()), ensure_ascii=False, indent=1))
        return
    rows = export_rows(parts, site_id)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    write_csv(sys.stdout, VOTE_FIELDS, rows)


def export_rows(parts: Services, site_id: str) -> list[dict[str, Any]]:
    """Return every vote and feedback of a site as export rows."""
    votes, feedback = export_site(parts.store, site_id)
    none = {"imported_from": "", "imported_votes": "", "imported_points": ""}
    return [
        {"kind": "vote", "article": v.article, "title": v.title, "url": v.url, "rating": v.rating,
         "at": v.at.isoformat(), "quarantined": v.quarantined, "quarantine_reason": v.quarantine_reason,
         "text": "", "contact_email": "", **none} for v in votes
    ] + [
        {"kind": "feedback", "article": e.article, "title": e.title, "url": e.url, "rating": e.rating,
         "at": e.at.isoformat(), "quarantined": False, "quarantine_reason": "", "text": e.text,
         "contact_email": e.contact_email, **none, "imported_from": imported_from(e.request_id)} for e in feedback
    ] + [
        {"kind": "imported", "article": article, "title": data.get("title", ""), "url": data.get("link", ""),
         "rating": "", "at": data["imported_at"], "quarantined": False, "quarantine_reason": "", "text": "",
         "contact_email": "", "imported_from": data["plugin"], "imported_votes": data["count"],
         "imported_points": data["total"]} for article, data in parts.store.records(imported_kind(site_id))
    ]


@click.command()
@click.option("--contact", required=True, help="The reader's email address.")
@data_dir_option
def forget(contact: str, data_dir: str | None) -> None:
    """Delete every feedback that left this email, with its text."""
    count = services(data_dir).store.forget_contact(contact)
    click.echo(f"deleted {count} feedback item(s) that left {contact}")


@click.command()
@data_dir_option
def purge(data_dir: str | None) -> None:
    """Blank feedback text and contacts older than ASCOLTO_FEEDBACK_RETENTION_DAYS."""
    parts = services(data_dir)
    days = parts.settings.feedback_retention_days
    count = parts.store.purge_feedback(parts.clock() - timedelta(days=days))
    click.echo(f"purged {count} feedback item(s) older than {days} days")
