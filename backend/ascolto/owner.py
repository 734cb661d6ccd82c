"""Signed owner links: the digest settings page and one-click unsubscribe (RFC 8058).

- GET  /owner/<token>              the settings page (never changes anything: mail scanners fetch links)
- POST /owner/<token>              save the settings form
- GET  /owner/<token>/unsubscribe  a page with one button that confirms
- POST /owner/<token>/unsubscribe  turn the digest off for every site of the owner; mail clients
                                   POST `List-Unsubscribe=One-Click` here without a page
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for

from ascolto.digest.i18n import Words
from ascolto.digest.links import read_owner_token
from ascolto.digest.render import environment
from ascolto.ratings import Site

bp = Blueprint("owner", __name__, url_prefix="/owner")


def _services() -> Any:
    return current_app.extensions["ascolto"]


def _sites(owner: str) -> list[Site]:
    sites = [s for s in _services().store.list_sites() if s.owner_email.strip().lower() == owner]
    return sorted(sites, key=lambda s: (s.created_at or "~", s.id))


def _page(words: Words, status: int = 200, **context: Any) -> Response:
    token = context["token"]
    html = environment().get_template("owner.html").render(
        w=words, settings_action=url_for("owner.settings_page", token=token),
        unsubscribe_action=url_for("owner.unsubscribe", token=token), **context)
    response = Response(html, status=status, mimetype="text/html")
    # The token in the URL is the owner's key: keep it out of caches, referrers and frames.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
    return response


def _owner(token: str) -> tuple[str, list[Site], Words] | Response:
    owner = read_owner_token(_services().settings.secret, token)
    sites = _sites(owner) if owner else []
    if not owner or not sites:
        return _page(Words("en"), 404, view="bad_link", token=token, sites=[], email="", message="")
    return owner, sites, Words(sites[0].language)


def _save(sites: list[Site], **changes: Any) -> list[Site]:
    store = _services().store
    saved = []
    for site in sites:
        new = replace(site, **changes)
        store.put_site(new)
        saved.append(new)
    return saved


@bp.route("/<token>", methods=["GET", "POST"])
def settings_page(token: str) -> Response:
    """Show the owner's digest settings; POST saves them."""
    found = _owner(token)
    if isinstance(found, Response):
        return found
    owner, sites, words = found
    message = ""
    if request.method == "POST":
        try:
            hour = int(request.form.get("digest_hour", sites[0].digest_hour))
        except ValueError:
            hour = sites[0].digest_hour
        sites = _save(sites, digest_hour=min(23, max(0, hour)),
                      digest_enabled=request.form.get("digest_enabled") == "on",
                      digest_send_empty=request.form.get("digest_send_empty") == "on")
        message = words("saved")
    return _page(words, view="settings", token=token, sites=sites, email=owner, message=message)


@bp.route("/<token>/unsubscribe", methods=["GET", "POST"])
def unsubscribe(token: str) -> Response:
    """Confirm with a button (GET), or turn the digest off (POST, including RFC 8058 one-click)."""
    found = _owner(token)
    if isinstance(found, Response):
        return found
    owner, sites, words = found
    if request.method == "GET":
        return _page(words, view="confirm", token=token, sites=sites, email=owner, message="")
    sites = _save(sites, digest_enabled=False)
    return _page(words, view="settings", token=token, sites=sites, email=owner,
                 message=words("unsubscribed", email=owner))
