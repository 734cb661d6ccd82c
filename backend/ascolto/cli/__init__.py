"""The `ascolto` command: one module per command group, registered here."""

from __future__ import annotations

import click

from ascolto.cli.data_rights import export, forget, purge
from ascolto.cli.digest import digest
from ascolto.cli.importing import import_group
from ascolto.cli.notify import notify
from ascolto.cli.options import Command
from ascolto.cli.owner_links import owner
from ascolto.cli.quarantine import quarantine
from ascolto.cli.serve import ensure_demo_site, serve
from ascolto.cli.sites import site
from ascolto.integrations.command import integrate

__all__ = ["ensure_demo_site", "main"]


@click.group(cls=Command)
@click.version_option(package_name="ascolto")
def main() -> None:
    """ascolto: hear what readers think of each article."""


for _command in (serve, site, digest, quarantine, export, forget, purge, notify, owner, integrate, import_group):
    main.add_command(_command)
