"""Voting without JavaScript: a small server-rendered page with a form, linked from baked pages.

- GET  /rate/<site>?url=…&article=…&lang=…&title=…  the page: current numbers and five buttons
- POST /rate/<site>                                 cast the vote, then 303 back to the article

The form carries a signed token (ASCOLTO_SECRET) holding the article, the page and the time the
form was served, so dwell time is measured here and a replayed form is a retry of one request.
The vote goes through the API's schema and cast_screened_vote. No cookie is set; a POST must
come from this page (Origin and Sec-Fetch-Site), and the way back must be on the site's allowlist.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, redirect, render_template, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response as HttpResponse

from ascolto.api.client_ip import reader_keys
from ascolto.api.errors import error_response
from ascolto.api.schemas import VoteSchema
from ascolto.errors import InvalidInput, NotFound
from ascolto.integrations.summaries import label
from ascolto.ratings import Site, normalize_article, normalize_origin
from ascolto.voting import cast_screened_vote

bp = Blueprint("nojs", __name__, url_prefix="/rate")

SALT = "ascolto.nojs-vote"
MAX_AGE_S = 24 * 3600
VOTE_SCHEMA = VoteSchema()
WORDS = {
    "en": {"heading": "Rate this page", "back": "Back to the page", "star": "star", "stars": "stars",
           "expired": "This form is more than a day old. Go back to the page and rate it again."},
    "it": {"heading": "Valuta questa pagina", "back": "Torna alla pagina", "star": "stella", "stars": "stelle",
           "expired": "Questo modulo ha più di un giorno. Torna alla pagina e valutala di nuovo."},
}


def _services() -> Any:
    return current_app.extensions["ascolto"]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(_services().settings.secret, salt=SALT)


def _site(site_id: str) -> Site:
    site: Site | None = _services().store.get_site(site_id)
    if site is None:
        raise NotFound(f"Unknown site {site_id!r}.", {"site": ["No site with this id."]})
    return site


def _page_url(site: Site, url: str) -> str:
    """Return the article's URL if it is on the site's allowlist (it is where the reader goes back to)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or normalize_origin(url) not in site.origins:
        raise InvalidInput("The page is not on the site's allowlist.", {"url": ["Not an origin of this site."]})
    return url


def _html(body: str, status: int = 200, back_to: str = "") -> Response:
    response = Response(body, status=status, mimetype="text/html")
    # The form holds a one-off signed token: keep it out of caches and frames. form-action covers the
    # 303 after the POST too, so it names the article's origin.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; style-src 'unsafe-inline'; form-action 'self' {back_to}".rstrip())
    return response


@bp.get("/<site_id>")
def form(site_id: str) -> Response:
    """Show the article's numbers and a form of five buttons (GET changes nothing)."""
    site = _site(site_id)
    url = _page_url(site, request.args.get("url", ""))
    article = normalize_article(request.args.get("article") or url)
    lang = request.args.get("lang", site.language)
    lang = lang if lang in WORDS else "en"
    title = request.args.get("title", "")[:300]
    now: datetime = _services().clock()
    token = _serializer().dumps({"a": article, "u": url, "t": title, "n": secrets.token_hex(16),
                                 "at": int(now.timestamp() * 1000)})
    summary = _services().store.summary(site.id, article)
    return _html(render_template("rate.html", site=site, words=WORDS[lang], lang=lang, token=token, url=url,
                                 title=title, numbers=label(summary.count, summary.average, lang)),
                 back_to=normalize_origin(url))


def _same_origin() -> bool:
    """Tell whether a POST comes from this backend's own page (CSRF: no cookie, but no forged votes)."""
    own = {normalize_origin(request.host_url), normalize_origin(_services().settings.public_url)}
    origin = request.headers.get("Origin")
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    return origin is None or (origin != "null" and normalize_origin(origin) in own)


@bp.post("/<site_id>")
def vote(site_id: str) -> HttpResponse:
    """Cast the vote the form sent through the API's rules, then go back to the article with 303."""
    site = _site(site_id)
    if not _same_origin():
        return error_response(403, "cross_site_post", "Votes are accepted from this page only.",
                              {"origin": ["Not this backend's own page."]})
    try:
        token = _serializer().loads(request.form.get("token", ""))
    except BadSignature:
        raise InvalidInput("The form is damaged.", {"token": ["Bad signature."]}) from None
    now: datetime = _services().clock()
    served = datetime.fromtimestamp(token["at"] / 1000, UTC)
    if (now - served).total_seconds() > MAX_AGE_S:
        words = WORDS.get(request.form.get("lang", ""), WORDS["en"])
        return _html(f'<!doctype html><p>{words["expired"]}</p>', status=400)
    data = VOTE_SCHEMA.load({
        "article": token["a"], "url": _page_url(site, token["u"]), "title": token["t"],
        "rating": _rating(request.form.get("rating", "")), "voter": token["n"], "request_id": token["n"],
        "hp": request.form.get("website", "")[:200], "dwell_ms": max(0, int((now - served).total_seconds() * 1000)),
    })
    _cast(site, data, now)
    return redirect(data["url"], code=303)


def _rating(raw: str) -> int:
    if raw not in ("1", "2", "3", "4", "5"):
        raise InvalidInput("Choose a rating from 1 to 5.", {"rating": ["Use 1, 2, 3, 4 or 5."]})
    return int(raw)


def _cast(site: Site, data: dict[str, Any], now: datetime) -> None:
    """Screen and record a vote exactly as POST /v1/sites/{site}/votes does."""
    parts = _services()
    cast_screened_vote(parts.store, site, data, now, reader_keys(request.environ, parts.settings, site.id, now))
