"""Every article's summary of a site in one document, for generators to bake in at build time.

The same JSON comes from `GET /v1/sites/{site}/summaries.json` and `ascolto export --format
summaries`. `generated_at` travels with the numbers into the built page (`data-built`), so a page
built from cached numbers says how old they are. Each article carries its visible label in every
language the widget speaks, worded as the widget words it, so a template needs no plural rules and
the widget's first paint matches the baked text exactly.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from ascolto.ratings import Summary
from ascolto.stores.base import Store

VERSION = 1
# (no votes, one vote, many votes, decimal mark): the widget's own words (widget/src/strings.js).
WORDS = {
    "en": ("No votes yet", "vote", "votes", "."),
    "it": ("Ancora nessun voto", "voto", "voti", ","),
}


def label(count: int, average: float | None, language: str) -> str:
    """Return the visible numbers as the widget shows them, e.g. '4.6 · 23 votes'."""
    none, one, many, mark = WORDS.get(language, WORDS["en"])
    if not count or average is None:
        return none
    return f"{average:.1f}".replace(".", mark) + f" \u00b7 {count} {one if count == 1 else many}"


def article_entry(summary: Summary) -> dict[str, Any]:
    """Return one article's counted numbers and labels."""
    return {
        "count": summary.count,
        "average": summary.average,
        # What JSON-LD's ratingValue says: the visible number, not a more precise one.
        "rating_value": f"{summary.average:.1f}" if summary.average is not None else None,
        "histogram": {str(i + 1): n for i, n in enumerate(summary.histogram)},
        "label": {lang: label(summary.count, summary.average, lang) for lang in WORDS},
    }


def site_summaries(store: Store, site_id: str, now: datetime) -> dict[str, Any]:
    """Return the summaries document of a site: counted votes only, articles ordered by id."""
    summaries = sorted(store.articles(site_id), key=lambda s: s.article)
    return {
        "version": VERSION,
        "site": site_id,
        "generated_at": now.isoformat(timespec="seconds"),
        "empty_label": {lang: label(0, None, lang) for lang in WORDS},
        "articles": {s.article: article_entry(s) for s in summaries if s.count},
    }


def etag(document: dict[str, Any]) -> str:
    """Return an entity tag that changes with the numbers, not with generated_at."""
    numbers = json.dumps(document["articles"], sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(numbers).hexdigest()[:32]
