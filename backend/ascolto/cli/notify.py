"""`ascolto notify test`: send a sample notice to every configured channel and say which worked."""

from __future__ import annotations

import sys
from functools import partial

import click

from ascolto.cli.options import data_dir_option, fail, services
from ascolto.errors import ConfigError
from ascolto.notify.base import Notifier, open_notifiers
from ascolto.notify.channels import parse_channels
from ascolto.notify.deliver import post
from ascolto.notify.dispatch import DispatchResult
from ascolto.notify.notice import sample_notice
from ascolto.settings import Settings

TEST_WAIT = 10.0  # seconds a 429 may ask us to wait before the test reports the channel as failing


def channels_or_exit(settings: Settings) -> None:
    """Exit 2 with one line naming ASCOLTO_NOTIFY if it lists a URL ascolto cannot use."""
    try:
        parse_channels(settings.notify)
    except ConfigError as exc:
        fail(exc.setting, exc.expected)


def echo_notified(result: DispatchResult) -> None:
    """Print what a notify run did, one line per channel claim (failures on stderr)."""
    for key in result.sent:
        click.echo(f"notified {key}")
    for key, why in result.failed.items():
        click.echo(f"notify failed {key}: {why} (will be retried by the next run)", err=True)
    for failure in result.failures:
        click.echo(f"notify given up {failure['notice']} to {failure['channel']}: {failure['error']}", err=True)


@click.group()
def notify() -> None:
    """Chat and webhook notifications (ASCOLTO_NOTIFY and each site's notify list)."""


@notify.command("test")
@data_dir_option
def test(data_dir: str | None) -> None:
    """Send a sample to every configured channel; print one line each; exit 1 if any failed."""
    parts = services(data_dir)
    send = partial(post, max_wait=TEST_WAIT)
    try:
        found: list[Notifier] = open_notifiers(parts.settings.notify, send=send)
        for site in parts.store.list_sites():
            found += open_notifiers(tuple(site.notify), f"site {site.id} notify", send)
    except ConfigError as exc:
        fail(exc.setting, exc.expected)
    notifiers = {n.channel.id: n for n in reversed(found)}
    if not notifiers:
        fail("ASCOLTO_NOTIFY", "no channel is configured (see docs/notifications.md)")
    now = parts.clock()
    notice = sample_notice(f"test/{now.isoformat()}", parts.settings.public_url)
    failed = 0
    for notifier in reversed(notifiers.values()):
        channel, delivery = notifier.channel, notifier.send(notice, now)
        tries = f"{delivery.attempts} attempt{'s' if delivery.attempts != 1 else ''}"
        if delivery.ok:
            click.echo(f"ok      {channel.label} ({tries})")
        else:
            failed += 1
            click.echo(f"FAILED  {channel.label} ({tries}): {delivery.error}")
    sys.exit(1 if failed else 0)
