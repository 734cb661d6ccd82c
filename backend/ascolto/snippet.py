"""The snippet an owner pastes into their site's template."""

from __future__ import annotations

from html import escape

from ascolto.ratings import Site

# The card's height (widget/src/widget.css, :host), in em so that it follows the page's text size.
RESERVED_HEIGHT = "calc(6em + 2px)"


def snippet(site: Site, public_url: str) -> str:
    """Return the HTML to paste where the widget should appear."""
    src = escape(f"{public_url.rstrip('/')}/widget.js", quote=True)
    # The placeholder reserves the card's height (the card's own :host min-height), so the page never shifts.
    return (
        f'<div data-ascolto style="min-height:{RESERVED_HEIGHT}"></div>\n'
        f'<script src="{src}" data-site="{escape(site.id, quote=True)}" async></script>'
    )
