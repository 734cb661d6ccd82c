"""The owner's signed pages: digest settings, one-click unsubscribe, the open list and its actions.

GET and HEAD only show; a POST from the page acts (mail scanners and link checkers fetch every
link in an email, with GET or HEAD). Cross-site POSTs are refused by their Origin or
Sec-Fetch-Site header; a POST with neither (a mail provider's RFC 8058 one-click unsubscribe,
or any non-browser client) is not a cross-site request, and the signed token is its key.
"""

from __future__ import annotations

from ascolto.owner import settings_pages, todo  # noqa: F401 (registers the routes)
from ascolto.owner.common import bp

__all__ = ["bp"]
