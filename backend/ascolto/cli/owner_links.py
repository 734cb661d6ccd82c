"""`ascolto owner revoke-links`: invalidate every owner link sent so far (settings, unsubscribe, actions)."""

from __future__ import annotations

import click

from ascolto import followup
from ascolto.cli.options import data_dir_option, fail, services


@click.group("owner")
def owner() -> None:
    """Manage a site owner's signed links."""


@owner.command("revoke-links")
@click.option("--email", required=True, help="The owner's email address (as registered on their sites).")
@data_dir_option
def revoke_links(email: str, data_dir: str | None) -> None:
    """Make every link in the owner's past digests stop working; the next digest carries new ones."""
    parts = services(data_dir)
    email = email.strip().lower()
    if not any(s.owner_email.strip().lower() == email for s in parts.store.list_sites()):
        fail("email", f"no site is owned by {email!r}")
    version = followup.bump_link_version(parts.store, email)  # type: ignore[arg-type]
    click.echo(f"revoked: links sent to {email} so far no longer work (link version {version})")
