"""The snippet an owner pastes into their site's template."""

from __future__ import annotations

from html import escape

from ascolto.ratings import Site


def snippet(site: Site, public_url: str) -> str:
    """Return the HTML to paste where the widget should appear."""
    src = escape(f"{public_url.rstrip('/')}/widget.js", quote=True)
    return (
        "<div data-ascolto></div>\n"
        f'<script src="{src}" data-site="{escape(site.id, quote=True)}" async></script>'
    )
