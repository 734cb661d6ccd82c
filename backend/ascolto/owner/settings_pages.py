"""The digest settings page and one-click unsubscribe (RFC 8058).

- GET  /owner/<token>              the settings page
- POST /owner/<token>              save the settings form (it carries form=settings)
- GET  /owner/<token>/unsubscribe  a page with one button that confirms
- POST /owner/<token>/unsubscribe  turn the digest off for every site of the owner; mail clients
                                   POST `List-Unsubscribe=One-Click` here without a page
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Response, request, url_for

from ascolto.owner.common import OwnerView, bp, cross_site, owner_view, page, refused, services
from ascolto.ratings import Site


def _save(sites: list[Site], **changes: Any) -> list[Site]:
    store = services().store
    saved = []
    for site in sites:
        new = replace(site, **changes)
        store.put_site(new)
        saved.append(new)
    return saved


def _settings(view: OwnerView, status: int = 200, message: str = "", page_view: str = "settings") -> Response:
    return page("owner.html", view.words, status, view=page_view, token=view.token, sites=view.sites,
                email=view.email, message=message,
                settings_action=url_for("owner.settings_page", token=view.token),
                unsubscribe_action=url_for("owner.unsubscribe", token=view.token),
                todo_link=url_for("owner.open_list", token=view.token))


@bp.route("/<token>", methods=["GET", "POST"])
def settings_page(token: str) -> Response:
    """Show the owner's digest settings; a POST of the page's form saves them."""
    view = owner_view(token)
    if isinstance(view, Response):
        return view
    if request.method != "POST":
        return _settings(view)
    if cross_site():
        return refused(view)
    if request.form.get("form") != "settings":  # an empty or foreign POST changes nothing
        return _settings(view, 400)
    sites = view.sites
    try:
        hour = int(request.form.get("digest_hour", sites[0].digest_hour))
    except ValueError:
        hour = sites[0].digest_hour
    sites = _save(sites, digest_hour=min(23, max(0, hour)),
                  digest_enabled=request.form.get("digest_enabled") == "on",
                  digest_send_empty=request.form.get("digest_send_empty") == "on")
    return _settings(replace(view, sites=sites), message=view.words("saved"))


@bp.route("/<token>/unsubscribe", methods=["GET", "POST"])
def unsubscribe(token: str) -> Response:
    """Confirm with a button (GET, HEAD), or turn the digest off (POST, including RFC 8058 one-click)."""
    view = owner_view(token)
    if isinstance(view, Response):
        return view
    if request.method != "POST":
        return _settings(view, page_view="confirm")
    if cross_site():
        return refused(view)
    if request.form.get("List-Unsubscribe") != "One-Click":
        return _settings(view, 400, page_view="confirm")
    sites = _save(view.sites, digest_enabled=False)
    return _settings(replace(view, sites=sites), message=view.words("unsubscribed", email=view.email))
