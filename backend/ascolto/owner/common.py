"""What every owner page shares: the blueprint, the token check, the CSRF check, the page response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, request

from ascolto import followup
from ascolto.digest.i18n import Words
from ascolto.digest.links import read_owner_link
from ascolto.digest.render import environment
from ascolto.ratings import Site, normalize_origin

bp = Blueprint("owner", __name__, url_prefix="/owner")


@dataclass(frozen=True)
class OwnerView:
    """The owner a valid link stands for, their sites and their language."""

    email: str
    token: str
    sites: list[Site]
    words: Words


def services() -> Any:
    """Return the app's parts (store, settings, clock)."""
    return current_app.extensions["ascolto"]


def page(template: str, words: Words, status: int = 200, **context: Any) -> Response:
    """Render an owner page with the headers that keep its token private."""
    html = environment().get_template(template).render(w=words, **context)
    response = Response(html, status=status, mimetype="text/html")
    # The token in the URL is the owner's key: keep it out of caches, referrers and frames.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
    return response


def owner_view(token: str) -> OwnerView | Response:
    """Return the owner of a valid, current link, or the 'not valid' page (404)."""
    parts = services()
    found = read_owner_link(parts.settings.secret, token)
    sites: list[Site] = []
    if found:
        owner, version = found
        if version == followup.link_version(parts.store, owner):
            sites = [s for s in parts.store.list_sites() if s.owner_email.strip().lower() == owner]
    if not sites:
        return page("owner.html", Words("en"), 404, view="bad_link", token=token, sites=[], email="", message="")
    sites.sort(key=lambda s: (s.created_at or "~", s.id))
    return OwnerView(email=found[0] if found else "", token=token, sites=sites, words=Words(sites[0].language))


def cross_site() -> bool:
    """Tell whether a POST came from a page of another site (a forged form), by Fetch metadata or Origin."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False  # no browser sent this: a mail provider's one-click POST, or a script holding the token
    ours = {normalize_origin(request.host_url), normalize_origin(services().settings.public_url)}
    return origin.rstrip("/").lower() not in ours


def refused(view: OwnerView) -> Response:
    """Return the page that says a cross-site form changed nothing (403)."""
    return page("owner.html", view.words, 403, view="refused", token=view.token, sites=view.sites,
                email=view.email, message="")
