"""The publishable packages under integrations/ carry copies of the templates, kept equal by a test.

`python -m ascolto.integrations.packages ROOT` rewrites them from the templates (ROOT: the repository).
The copies leave the site and the API empty: a package takes them from the owner's configuration.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ascolto.integrations.writers import MIN_COUNT, render

# package file (under integrations/) -> the template it is a copy of
PACKAGE_FILES: dict[str, str] = {
    "eleventy-plugin-ascolto/index.js": "eleventy/ascolto.eleventy.js",
    "astro-ascolto/Ascolto.astro": "astro/Ascolto.astro",
    "hugo-ascolto/layouts/partials/ascolto.html": "hugo/partial.html",
    "hugo-ascolto/layouts/shortcodes/ascolto.html": "hugo/shortcode.html",
    "docusaurus-theme-ascolto/theme/Ascolto.js": "docusaurus/Ascolto.js",
    "docusaurus-theme-ascolto/theme/DocItem/Footer/index.js": "docusaurus/DocItemFooter.js",
    "docusaurus-theme-ascolto/theme/BlogPostItem/Footer/index.js": "docusaurus/BlogPostItemFooter.js",
}


def package_text(template: str) -> str:
    """Return a package's copy of a template."""
    text = render(template, "", "", MIN_COUNT)
    # In the theme package the component sits beside the wrappers, not in the owner's src/.
    return text.replace("@site/src/components/Ascolto", "@theme/Ascolto")


def write_packages(root: Path) -> list[Path]:
    """Rewrite every package copy under root/integrations; return the paths written."""
    written = []
    for path, template in PACKAGE_FILES.items():
        target = root / "integrations" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(package_text(template), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for written_path in write_packages(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(written_path)
