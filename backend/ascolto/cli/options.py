"""Options and helpers every command shares: the data folder, the parts, one-line errors."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from ascolto.bootstrap import Services, bootstrap, load_settings
from ascolto.errors import ConfigError
from ascolto.ratings import Site

data_dir_option = click.option("--data-dir", envvar="ASCOLTO_DATA_DIR",
                               help="Data folder (default ~/.local/share/ascolto).")


def services(data_dir: str | None, **overrides: Any) -> Services:
    """Build the parts from the environment and the command's flags; close them with the command."""
    parts = bootstrap(load_settings(data_dir, **overrides))
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(parts.close)
    return parts


def fail(setting: str, message: str) -> NoReturn:
    """Print one line naming what is wrong and exit 2."""
    click.echo(f"error: {setting}: {message}", err=True)
    sys.exit(2)


def site_or_exit(parts: Services, site_id: str) -> Site:
    """Return a site, or exit 2 naming it."""
    site = parts.store.get_site(site_id)
    if site is None:
        fail("site", f"no site {site_id!r}")
    return site


class Command(click.Group):
    """The `ascolto` group: a configuration mistake in any command is one line and exit 2, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, printing a ConfigError as `error: VARIABLE: expected form`."""
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            fail(exc.setting, exc.expected)
