"""`ascolto import`: bring a WordPress rating plugin's numbers (and Rate My Post's feedback) into a site."""

from __future__ import annotations

from pathlib import Path

import click

from ascolto.cli.options import data_dir_option, fail, services, site_or_exit
from ascolto.errors import InvalidInput
from ascolto.importing.apply import apply_import, remove_import
from ascolto.importing.plan import PLUGIN_NAMES, ImportPlan, plan_import, read_map
from ascolto.importing.wxr import PLUGINS, read_wxr


@click.group("import")
def import_group() -> None:
    """Bring ratings from elsewhere into a site."""


@import_group.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--site", "site_id", required=True)
@click.option("--plugin", type=click.Choice(PLUGINS), help="The plugin whose numbers to take (needed when the "
              "file has several).")
@click.option("--stars", type=int, default=5, show_default=True,
              help="How many stars the plugin was set to (WP-PostRatings allows up to 10).")
@click.option("--map", "map_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV of old,new rows: a permalink, path or post id, and its article id on the new site.")
@click.option("--dry-run", is_flag=True, help="Show what would be imported; write nothing.")
@click.option("--skip-problems", is_flag=True, help="Import the other posts when some have problems.")
@data_dir_option
def wordpress(file: Path, site_id: str, plugin: str | None, stars: int, map_file: Path | None, dry_run: bool,
              skip_problems: bool, data_dir: str | None) -> None:
    """Import a WordPress export (Tools > Export, WXR) with Rate My Post, kk Star Ratings or WP-PostRatings meta.

    Each published post's votes and points are added to the article its permalink names; a
    re-import replaces them. The widget counts them; the digest and the export mark them as imported.
    """
    parts = services(data_dir)
    site = site_or_exit(parts, site_id)
    try:
        export = read_wxr(file)
        mapping = read_map(map_file) if map_file else {}
        plan = plan_import(export, site, parts.clock(), plugin=plugin, stars=stars, mapping=mapping,
                           feedback_retention_days=parts.settings.feedback_retention_days)
    except InvalidInput as exc:
        key = next(iter(exc.errors), "file")
        fail(str(file) if key == "file" else f"--{key}", exc.message)
    show(plan)
    if plan.problems and not skip_problems:
        fail("file", f"{len(plan.problems)} posts have problems (listed above): fix the export or the map, "
                     "or pass --skip-problems to import the others")
    if dry_run:
        click.echo("dry run: nothing written")
        return
    result = apply_import(parts.store, plan, parts.clock())
    click.echo(f"imported {result.votes} votes on {result.articles} articles of {site.id}"
               f" and {result.feedback} feedback from {PLUGIN_NAMES[plan.plugin]}")
    for article in result.busy:
        click.echo(f"not yet counted (votes kept arriving): {article}; run the same import again", err=True)


@import_group.command()
@click.option("--site", "site_id", required=True)
@data_dir_option
def undo(site_id: str, data_dir: str | None) -> None:
    """Take every imported number out of a site's articles (imported feedback stays)."""
    parts = services(data_dir)
    site = site_or_exit(parts, site_id)
    click.echo(f"took the imported numbers out of {remove_import(parts.store, site, parts.clock())} articles")


def show(plan: ImportPlan) -> None:
    """Print the plan: a line per article, then what was left out and why."""
    click.echo(f"{PLUGIN_NAMES[plan.plugin]} -> {plan.site.id}: {len(plan.articles)} articles, {plan.votes} votes, "
               f"{plan.feedback} feedback")
    width = max((len(a.article) for a in plan.articles), default=0)
    for a in plan.articles:
        note = f"  (sum {a.stored_total:g} on {plan.stars} stars -> {a.total})" if a.rounded else ""
        click.echo(f"  {a.article:<{width}}  post {a.post_id:<6} {a.count:>5} votes  {a.average:4.2f}"
                   f"  {len(a.feedback)} feedback{note}")
    for line in plan.skipped:
        click.echo(f"skipped: {line}")
    if plan.old_feedback:
        click.echo(f"skipped: {plan.old_feedback} feedback older than ASCOLTO_FEEDBACK_RETENTION_DAYS")
    if plan.undated_feedback:
        click.echo(f"skipped: {plan.undated_feedback} feedback with no date (the plugin's old format)")
    others = {p: n for p, n in plan.found.items() if p != plan.plugin}
    for other, posts in others.items():
        click.echo(f"not imported: the numbers {PLUGIN_NAMES[other]} kept on {posts} post{'s' * (posts != 1)}"
                   f" (--plugin {other} takes them instead)")
    for line in plan.problems:
        click.echo(f"problem: {line}", err=True)
