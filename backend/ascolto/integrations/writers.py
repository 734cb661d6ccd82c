"""What `ascolto integrate` writes for each generator: files from templates/, then the steps left to the owner."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from ascolto.errors import InvalidInput

MIN_COUNT = 5  # JSON-LD only from this many counted votes: fewer says little, and Google may ignore it


@dataclass(frozen=True)
class Integration:
    """One generator's files (template -> path in the site's tree) and what the owner does next."""

    name: str
    files: tuple[tuple[str, str], ...]
    next_steps: str


GENERATORS: dict[str, Integration] = {i.name: i for i in (
    Integration("hugo", (("hugo/partial.html", "layouts/partials/ascolto.html"),
                         ("hugo/shortcode.html", "layouts/shortcodes/ascolto.html")),
                "Add {{ partial \"ascolto.html\" . }} to layouts/_default/single.html (or use {{< ascolto >}} "
                "in a page).\nThe article id is the page's .RelPermalink; its language is .Language.Lang."),
    Integration("jekyll", (("jekyll/include.html", "_includes/ascolto.html"),
                           ("jekyll/plugin.rb", "_plugins/ascolto.rb")),
                "Add {% include ascolto.html %} to _layouts/post.html.\nOn GitHub Pages (no plugins), "
                "commit `ascolto export --site SITE --format summaries > _data/ascolto.json` before each build.\n"
                "The article id is page.url; its language is page.lang or site.lang."),
    Integration("eleventy", (("eleventy/ascolto.eleventy.js", "ascolto.eleventy.js"),),
                "In your Eleventy config: eleventyConfig.addPlugin(require(\"./ascolto.eleventy.js\"), "
                "{ site: \"SITE\", api: \"API\", baseUrl: \"https://your.site\" });\nthen in a layout: "
                "{% ascolto title, ascolto_schema %}. The article id is page.url; its language is page.lang."),
    Integration("mkdocs", (("mkdocs/comments.html", "overrides/partials/comments.html"),),
                "pip install mkdocs-ascolto (integrations/mkdocs-ascolto in the ascolto repository), then in "
                "mkdocs.yml:\n  theme: {name: material, custom_dir: overrides}\n  plugins: [search, {ascolto: "
                "{site: SITE, api: API}}]\nThe article id is the page's URL; its language is theme.language."),
    Integration("astro", (("astro/Ascolto.astro", "src/components/Ascolto.astro"),),
                "In a layout: import Ascolto from \"../components/Ascolto.astro\"; then <Ascolto title={title} />.\n"
                "The article id is Astro.url.pathname; its language is Astro.currentLocale."),
    Integration("docusaurus", (("docusaurus/plugin.js", "plugins/ascolto/index.js"),
                               ("docusaurus/Ascolto.js", "src/components/Ascolto.js"),
                               ("docusaurus/DocItemFooter.js", "src/theme/DocItem/Footer/index.js"),
                               ("docusaurus/BlogPostItemFooter.js", "src/theme/BlogPostItem/Footer/index.js")),
                "Add plugins: [\"./plugins/ascolto\"] to docusaurus.config.js.\nThe article id is the page's "
                "path; its language is i18n.currentLocale."),
    Integration("html", (("html/snippet.html", "ascolto-snippet.html"),),
                "Paste ascolto-snippet.html where the widget should appear, with PAGE_URL replaced by the page's "
                "address.\nThe article id is the path of the page's canonical URL."),
)}


def render(template: str, site_id: str, api: str, min_count: int = MIN_COUNT) -> str:
    """Return a template with the site, the API's URL and the JSON-LD threshold filled in."""
    text = files("ascolto.integrations").joinpath("templates", *template.split("/")).read_text(encoding="utf-8")
    return (text.replace("__ASCOLTO_SITE__", site_id).replace("__ASCOLTO_API__", api.rstrip("/"))
            .replace("__ASCOLTO_MIN_COUNT__", str(min_count)))


def write(generator: str, root: Path, site_id: str, api: str, *, force: bool = False,
          min_count: int = MIN_COUNT) -> list[Path]:
    """Write a generator's files under root; refuse to overwrite a file unless forced."""
    integration = GENERATORS[generator]
    if not root.is_dir():
        raise InvalidInput("The site's folder does not exist.", {"dir": [f"No folder {str(root)!r}."]})
    targets = [(template, root / path) for template, path in integration.files]
    existing = [str(path) for _, path in targets if path.exists() and not force]
    if existing:
        raise InvalidInput("Files exist already.",
                           {"dir": [f"{p} exists (use --force to replace it)" for p in existing]})
    for template, path in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(template, site_id, api, min_count), encoding="utf-8")
    return [path for _, path in targets]
