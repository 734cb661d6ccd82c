"""`ascolto notify test`: send a sample notice to every configured channel and say which worked."""

from __future__ import annotations

import sys

import click

from ascolto.cli.options import data_dir_option, fail, services
from ascolto.errors import ConfigError
from ascolto.notify.channels import Channel, parse_channels
from ascolto.notify.deliver import post
from ascolto.notify.formats import render
from ascolto.notify.notice import sample_notice

TEST_WAIT = 10.0  # seconds a 429 may ask us to wait before the test reports the channel as failing


@click.group()
def notify() -> None:
    """Chat and webhook notifications (ASCOLTO_NOTIFY and each site's notify list)."""


@notify.command("test")
@data_dir_option
def test(data_dir: str | None) -> None:
    """Send a sample to every configured channel; print one line each; exit 1 if any failed."""
    parts = services(data_dir)
    try:
        channels: dict[str, Channel] = {c.id: c for c in parse_channels(parts.settings.notify)}
        for site in parts.store.list_sites():
            for channel in parse_channels(tuple(site.notify), setting=f"site {site.id} notify"):
                channels.setdefault(channel.id, channel)
    except ConfigError as exc:
        fail(exc.setting, exc.expected)
    if not channels:
        fail("ASCOLTO_NOTIFY", "no channel is configured (see docs/notifications.md)")
    now = parts.clock()
    notice = sample_notice(f"test/{now.isoformat()}", parts.settings.public_url)
    failed = 0
    for channel in channels.values():
        delivery = post(render(notice, channel, now), max_wait=TEST_WAIT, now=now)
        tries = f"{delivery.attempts} attempt{'s' if delivery.attempts != 1 else ''}"
        if delivery.ok:
            click.echo(f"ok      {channel.label} ({tries})")
        else:
            failed += 1
            click.echo(f"FAILED  {channel.label} ({tries}): {delivery.error}")
    sys.exit(1 if failed else 0)
