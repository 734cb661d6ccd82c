"""`ascolto integrate SSG --site S --dir PATH`: write the widget into a static site's source tree."""

from __future__ import annotations

from pathlib import Path

import click

from ascolto.cli.options import data_dir_option, fail, services, site_or_exit
from ascolto.errors import InvalidInput
from ascolto.integrations.writers import GENERATORS, MIN_COUNT, write


@click.command()
@click.argument("generator", type=click.Choice(sorted(GENERATORS)))
@click.option("--site", "site_id", required=True, help="The site id from `ascolto site add`.")
@click.option("--dir", "root", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The root of the site's source tree.")
@click.option("--api", help="The backend's public URL (default: ASCOLTO_PUBLIC_URL).")
@click.option("--min-count", default=MIN_COUNT, show_default=True, type=click.IntRange(min=1),
              help="Counted votes a page needs before its opt-in JSON-LD rating is emitted.")
@click.option("--force", is_flag=True, help="Replace files written before.")
@data_dir_option
def integrate(generator: str, site_id: str, root: Path, api: str | None, min_count: int, force: bool,
              data_dir: str | None) -> None:
    """Write the star ratings, numbers baked in at build time, into a static site."""
    parts = services(data_dir)
    site = site_or_exit(parts, site_id)
    api = (api or parts.settings.public_url).rstrip("/")
    if not api.startswith(("http://", "https://")):
        fail("api", f"not an http(s) URL: {api!r}")
    try:
        written = write(generator, root, site.id, api, force=force, min_count=min_count)
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            for message in messages:
                click.echo(f"error: {field}: {message}", err=True)
        raise SystemExit(2) from None
    for path in written:
        click.echo(f"wrote {path}")
    steps = GENERATORS[generator].next_steps.replace("SITE", site.id).replace("API", api)
    click.echo(f"\n{steps}\nSee docs/integrations/{generator}.md.")
