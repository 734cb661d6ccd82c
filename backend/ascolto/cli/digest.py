"""`ascolto digest`: send the digests due now (run it hourly from cron), or one day's, or preview."""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import click

from ascolto.bootstrap import bootstrap, load_settings
from ascolto.cli.notify import channels_or_exit, echo_notified
from ascolto.digest.schedule import Owner, RunResult, ended, owners, prepare, run_due, send_once
from ascolto.notify.dispatch import notify_due
from ascolto.settings import Settings
from ascolto.stores.base import Store

CRON_HELP = """Send the daily digests that are due.

\b
Without options it sends what is due now; run it at minute 5 of every hour, e.g. in crontab:
    5 * * * *  ascolto digest --data-dir /var/lib/ascolto
Each owner gets one email a day at their site's hour; a second run sends nothing.
"""


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from None


def _yesterday(owner: Owner, now: datetime) -> date:
    return now.astimezone(owner.first.zone).date() - timedelta(days=1)


def _demo_store() -> Store:
    """Return a throwaway store for the demo week (removed when the command ends)."""
    from ascolto.stores.sqlite import SqliteStore

    folder = tempfile.TemporaryDirectory(prefix="ascolto-demo-")
    click.get_current_context().call_on_close(folder.cleanup)
    return SqliteStore(Path(folder.name) / "demo.db")


def _demo_day(store: Store, now: datetime) -> date:
    """Seed the demo site's week into the throwaway store; return the demo day (yesterday)."""
    from ascolto.digest.demo import seed_demo
    from ascolto.ratings import Site

    site = Site(id="demo", name="Slow Kitchen", owner_email="owner@example.org",
                origins=("https://slowkitchen.example",), timezone="Europe/Rome",
                created_at="2026-01-01T00:00:00+00:00")
    store.put_site(site)
    day = now.astimezone(site.zone).date() - timedelta(days=1)
    seed_demo(store, site, day)
    return day


@click.command("digest", help=CRON_HELP)
@click.option("--date", "day_text", metavar="YYYY-MM-DD", help="Send (or show) the digest of this local day.")
@click.option("--site", "site_id", help="Only this site (and its owner).")
@click.option("--dry-run", is_flag=True, help="Print recipient, subject and text instead of sending.")
@click.option("--preview", type=click.Path(dir_okay=False, writable=True),
              help="Write the HTML to this file instead of sending.")
@click.option("--demo", is_flag=True,
              help="Use a week of demo data in a throwaway store; never sends (prints, or writes --preview).")
@click.option("--data-dir", envvar="ASCOLTO_DATA_DIR", help="Data folder.")
def digest(day_text: str | None, site_id: str | None, dry_run: bool, preview: str | None, demo: bool,
           data_dir: str | None) -> None:
    settings = load_settings(data_dir)
    parts = bootstrap(settings, store=_demo_store() if demo else None)
    click.get_current_context().call_on_close(parts.close)
    settings, store, now = parts.settings, parts.store, parts.clock()
    day = _day(day_text)
    if demo:
        day = _demo_day(store, now)
    selected = owners(store.list_sites(), site_id)
    if site_id and not selected:
        click.echo(f"error: site: no site {site_id!r} with the digest on", err=True)
        sys.exit(2)
    if demo and not preview:
        dry_run = True  # demo data never goes through the configured mailer
    if dry_run or preview:
        _show(store, settings, selected, day, now, dry_run, preview)
        return
    unfinished = [o.email for o in selected if day is not None and not ended(o, day, now)]
    if unfinished:
        click.echo(f"error: date: {day} has not ended yet for {', '.join(unfinished)}; "
                   "preview it with --preview or --dry-run", err=True)
        sys.exit(2)
    mailer = parts.mailer
    notified = None
    if day is None and site_id is None:
        channels_or_exit(settings)
        notified = notify_due(store, settings, now)  # first: a channel given up now shows in the email
        result = run_due(store, mailer, settings, now)
    else:
        result = RunResult()
        for owner in selected:
            send_once(store, mailer, settings, owner, day or _yesterday(owner, now), now, result)
    for key in result.sent:
        click.echo(f"sent {key}")
    for key in result.empty:
        click.echo(f"empty {key} (nothing to report; nothing sent)")
    for key in result.skipped:
        click.echo(f"skipped {key} (already sent or being sent)")
    for key, why in result.failed.items():
        click.echo(f"failed {key}: {why} (will be retried by the next run)", err=True)
    if notified is not None:
        echo_notified(notified)
    if not any(result.as_dict().values()) and not (notified and notified.sent):
        click.echo("nothing due now")
    if result.failed:
        sys.exit(1)


def _show(store: Store, settings: Settings, selected: list[Owner], day: date | None, now: datetime,
          dry_run: bool, preview: str | None) -> None:
    for owner in selected:
        report, rendered = prepare(store, owner, day or _yesterday(owner, now), settings, now)
        if dry_run:
            click.echo(f"To: {owner.email}\nSubject: {rendered.subject}\n")
            click.echo(rendered.text)
        if preview:
            Path(preview).write_text(rendered.html, encoding="utf-8")
            click.echo(f"wrote {preview} ({len(rendered.html.encode()):,} bytes) for {owner.email}")
            return
