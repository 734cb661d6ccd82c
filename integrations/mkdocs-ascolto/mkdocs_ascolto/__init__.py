"""MkDocs plugin: fetch every page's ascolto numbers once per build and hand each page its markup.

The markup reaches the page through the template variable `ascolto`, which Material's
`partials/comments.html` override (written by `ascolto integrate mkdocs`) prints. A backend
that is down never fails the build: the last numbers fetched (with their date) are used, or none.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

log = logging.getLogger("mkdocs.plugins.ascolto")

ELIGIBLE = ("Book", "Course", "Event", "Game", "LocalBusiness", "Movie", "Product", "Recipe", "SoftwareApplication")
RATE = {"en": "Rate this page", "it": "Valuta questa pagina"}
RESERVE = "min-height:calc(6em + 2px)"  # the widget card's height, so the page does not move when it replaces the text


class AscoltoConfig(Config):
    """The plugin's options in mkdocs.yml."""

    site = c.Type(str)
    api = c.Type(str)
    min_count = c.Type(int, default=5)
    cache_file = c.Type(str, default=".cache/ascolto.json")
    timeout = c.Type(float, default=10.0)


class AscoltoPlugin(BasePlugin[AscoltoConfig]):
    """Bake ascolto's numbers into every page."""

    data: dict[str, Any] | None = None

    def on_pre_build(self, config: Any) -> None:
        """Fetch the site's summaries once, falling back to the last ones fetched."""
        api = self.config.api.rstrip("/")
        cache = Path(config["config_file_path"]).parent / self.config.cache_file
        try:
            with urllib.request.urlopen(f"{api}/v1/sites/{self.config.site}/summaries.json",
                                        timeout=self.config.timeout) as response:
                self.data = json.load(response)
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(self.data))
        except (OSError, ValueError) as exc:
            log.warning("ascolto: numbers not baked (%s)", exc)
            try:
                self.data = json.loads(cache.read_text())
            except (OSError, ValueError):
                self.data = None

    def on_page_context(self, context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
        """Put the page's markup in the template variable `ascolto`."""
        meta = page.meta or {}
        context["ascolto"] = Markup("") if meta.get("ascolto") is False else Markup(self.markup(page, config))
        return context

    def markup(self, page: Any, config: Any) -> str:
        """Return the widget's placeholder with the baked numbers, the no-JS link and the script."""
        api, site, meta = self.config.api.rstrip("/"), self.config.site, page.meta or {}
        article = str(meta.get("ascolto_id") or "/" + page.url)
        if len(article) > 1:
            article = article.rstrip("/") or "/"
        lang = "it" if str(config["theme"].get("language") or "en").startswith("it") else "en"
        url = page.canonical_url or page.abs_url or article
        link = (f"{api}/rate/{quote(site)}?url={quote(url, safe='')}&article={quote(article, safe='')}"
                f"&lang={lang}&title={quote(page.title or '', safe='')}")
        data = self.data
        found = (data or {}).get("articles", {}).get(article)
        attrs = numbers = ""
        if data:
            attrs = f' data-built="{escape(data["generated_at"])}" data-count="{found["count"] if found else 0}"'
            attrs += f' data-average="{found["average"]}"' if found else ""
            text = found["label"][lang] if found else data["empty_label"][lang]
            numbers = f'<span title="{escape(data["generated_at"])}">{escape(text)}</span> '
        html = (f'<div data-ascolto style="{RESERVE}" data-article="{escape(article)}"{attrs}>{numbers}'
                f'<a href="{escape(link)}" rel="nofollow">{RATE[lang]}</a></div>\n'
                f'<script src="{escape(api)}/widget.js" data-site="{escape(site)}" data-article="{escape(article)}"'
                f' data-lang="{lang}" async></script>')
        schema = meta.get("ascolto_schema")
        if schema in ELIGIBLE and found and found["count"] >= self.config.min_count:
            ld = {"@context": "https://schema.org", "@type": schema, "name": page.title,
                  "aggregateRating": {"@type": "AggregateRating", "ratingValue": found["rating_value"],
                                      "ratingCount": found["count"], "bestRating": 5, "worstRating": 1}}
            text = json.dumps(ld).replace("<", "\\u003c")  # no "</script>" inside the script
            html += f'\n<script type="application/ld+json">{text}</script>'
        return html
