"""What an import will do, decided before anything is written: which plugin, which article, which numbers.

Rules:
- One plugin's numbers per post. Rate My Post can copy kk Star Ratings' numbers into its own
  meta, so a post often carries both: adding them would count the same votes twice. With
  one plugin in the file it is used; with several, the owner names one (`--plugin`).
- A post's article id is its permalink's path, as the widget derives it, or what the owner's
  map says (by permalink, path or post id), for a site whose URLs changed in the move.
- Only published posts and pages are imported: a draft has no page on the new site.
- Ratings are on ascolto's 1-5 scale. A plugin set to another number of stars is rescaled
  (`--stars`); kk Star Ratings already stores sums on a 5-star scale. A sum that is not whole
  (kk Star Ratings keeps decimals) is rounded half up, and the plan says so.
- Feedback keeps its original time and is filed under that day, so it never shows as today's
  news in the digest; feedback older than the retention period is not imported, since the
  hourly purge would blank it at once.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ascolto.errors import InvalidInput
from ascolto.importing.wxr import PLUGINS, PluginFeedback, WordPressExport, WordPressPost
from ascolto.ratings import Site, normalize_article
from ascolto.voting import clean_title

PLUGIN_NAMES = {"rate-my-post": "Rate My Post", "kk-star-ratings": "kk Star Ratings",
                "wp-postratings": "WP-PostRatings"}
MAX_FEEDBACK = 2000  # as the API's feedback text
MAX_TITLE = 300


@dataclass(frozen=True)
class ImportedArticle:
    """One post's numbers, as they will be stored for an article."""

    article: str
    post_id: int
    link: str
    title: str
    published: datetime | None
    count: int
    total: int  # rating points on the 1-5 scale
    stored_total: float  # the plugin's own sum, before rescaling and rounding
    scaled_total: Decimal  # that sum on five stars, before rounding
    feedback: tuple[PluginFeedback, ...] = ()

    @property
    def average(self) -> float:
        """Return the imported mean rating."""
        return round(self.total / self.count, 2) if self.count else 0.0

    @property
    def rounded(self) -> bool:
        """Tell whether the sum on five stars had to be rounded to whole points."""
        return self.scaled_total != self.total


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import will write, and every post it leaves out (one line each, saying why)."""

    site: Site
    plugin: str
    stars: int
    articles: tuple[ImportedArticle, ...]
    skipped: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    old_feedback: int = 0  # feedback older than the retention period, not imported
    undated_feedback: int = 0  # feedback the export gives no time for (Rate My Post's old format), not imported
    found: dict[str, int] = field(default_factory=dict)  # posts per plugin in the file

    @property
    def votes(self) -> int:
        """Return the number of votes the plan imports."""
        return sum(a.count for a in self.articles)

    @property
    def feedback(self) -> int:
        """Return the number of feedback texts the plan imports."""
        return sum(len(a.feedback) for a in self.articles)


def read_map(path: Path) -> dict[str, str]:
    """Read an owner's map: CSV rows `old,new`, old a permalink, a path or a post id; new an article id."""
    mapping: dict[str, str] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                    continue
                if len(row) != 2 or not row[0].strip() or not row[1].strip():
                    raise InvalidInput(f"{path}, line {number}: use two columns, old,new",
                                       {"map": [f"line {number}"]})
                mapping[_map_key(row[0])] = normalize_article(row[1])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{path}: {exc}", {"map": [str(exc)]}) from exc
    return mapping


def _map_key(old: str) -> str:
    """Return a map row's key: a post id (also from a plain permalink like /?p=42) or a path."""
    text = old.strip()
    query = parse_qs(urlsplit(text).query)
    for name in ("p", "page_id"):
        if query.get(name, [""])[0].isdigit():
            return query[name][0]
    return text if text.isdigit() else normalize_article(text)


def choose_plugin(export: WordPressExport, plugin: str | None) -> tuple[str, dict[str, int]]:
    """Return the plugin whose numbers to import, and how many posts each plugin rated."""
    found = {p: sum(1 for post in export.posts if any(r.plugin == p for r in post.ratings)) for p in PLUGINS}
    found = {p: n for p, n in found.items() if n}
    if plugin is not None:
        if plugin not in PLUGINS:
            raise InvalidInput(f"use one of {', '.join(PLUGINS)}", {"plugin": [plugin]})
        return plugin, found
    if not found:
        names = ", ".join(PLUGIN_NAMES.values())
        raise InvalidInput(f"no ratings of {names} in the file", {"file": ["no ratings"]})
    if len(found) > 1:
        listed = ", ".join(f"{p} ({n} posts)" for p, n in found.items())
        raise InvalidInput(f"the file has ratings of several plugins: {listed}; name the one to import",
                           {"plugin": [listed]})
    return next(iter(found)), found


def plan_import(export: WordPressExport, site: Site, now: datetime, *, plugin: str | None = None,
                stars: int = 5, mapping: dict[str, str] | None = None,
                feedback_retention_days: int = 365) -> ImportPlan:
    """Decide what importing an export into a site writes; InvalidInput for options that can't work."""
    if not 2 <= stars <= 10:
        raise InvalidInput("use a number of stars from 2 to 10", {"stars": [str(stars)]})
    chosen, found = choose_plugin(export, plugin)
    if chosen == "kk-star-ratings" and stars != 5:
        raise InvalidInput("kk Star Ratings stores its sums on a 5-star scale already; leave --stars out",
                           {"stars": [str(stars)]})
    mapping = mapping or {}
    oldest = now - timedelta(days=feedback_retention_days)
    articles: dict[str, ImportedArticle] = {}
    skipped, problems = [], list(export.problems)
    old_feedback = undated_feedback = 0
    for post in export.posts:
        ratings = next((r for r in post.ratings if r.plugin == chosen), None)
        feedback = tuple(f for f in post.feedback if f.plugin == chosen)
        if ratings is None and not feedback:
            continue
        label = f"post {post.post_id} ({post.title or post.link})"
        if post.status != "publish":
            skipped.append(f"{label}: {post.status}, not published")
            continue
        article = _article(post, mapping)
        if article is None:
            skipped.append(f"{label}: its link {post.link} has no path; map post {post.post_id} with --map")
            continue
        if article in articles:
            problems.append(f"{label}: becomes {article}, as post {articles[article].post_id} does; "
                            "map one of them elsewhere with --map")
            continue
        count, stored = (ratings.count, ratings.total) if ratings else (0, 0.0)
        scaled = Decimal(str(stored)) * 5 / stars
        total = int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if count and not count <= total <= 5 * count:
            problems.append(f"{label}: {count} votes with {stored:g} points on {stars} stars is not an average "
                            "from 1 to 5; check --stars")
            continue
        kept = tuple(_clip(f) for f in feedback if f.at is not None and f.at >= oldest and f.text.strip())
        old_feedback += sum(1 for f in feedback if f.at is not None and f.at < oldest)
        undated_feedback += sum(1 for f in feedback if f.at is None)
        articles[article] = ImportedArticle(
            article=article, post_id=post.post_id, link=post.link, title=clean_title(post.title)[:MAX_TITLE],
            published=post.published, count=count, total=total, stored_total=stored, scaled_total=scaled,
            feedback=kept)
    return ImportPlan(site=site, plugin=chosen, stars=stars, articles=tuple(articles.values()),
                      skipped=tuple(skipped), problems=tuple(problems), old_feedback=old_feedback,
                      undated_feedback=undated_feedback, found=found)


def _article(post: WordPressPost, mapping: dict[str, str]) -> str | None:
    path = normalize_article(post.link)
    plain = path == "/" and "?" in post.link  # https://blog.example.org/?p=42: the path says nothing
    if str(post.post_id) in mapping:
        return mapping[str(post.post_id)]
    if not plain and path in mapping:
        return mapping[path]
    return None if plain else path


def _clip(feedback: PluginFeedback) -> PluginFeedback:
    return replace(feedback, text=feedback.text.strip()[:MAX_FEEDBACK])
