"""The public HTTP API v1: votes, feedback and summaries (the widget's only contract)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from werkzeug.wrappers import Response as HttpResponse

from ascolto.abuse import limit_feedback
from ascolto.api.client_ip import client_ip, reader_keys
from ascolto.api.errors import error_response
from ascolto.api.schemas import (
    FeedbackSchema,
    SummariesQuerySchema,
    SummaryQuerySchema,
    VoteSchema,
    WithdrawSchema,
)
from ascolto.errors import InvalidInput, NotFound
from ascolto.ratings import Site, asks_feedback, local_day, normalize_article
from ascolto.voting import cast_screened_vote, leave_feedback, withdraw_vote

bp = Blueprint("v1", __name__, url_prefix="/v1/sites/<site_id>")

SUMMARY_CACHE = "public, max-age=60, stale-while-revalidate=600"
VOTE_SCHEMA = VoteSchema()
FEEDBACK_SCHEMA = FeedbackSchema()
WITHDRAW_SCHEMA = WithdrawSchema()
SUMMARY_QUERY = SummaryQuerySchema()
SUMMARIES_QUERY = SummariesQuerySchema()


def services() -> Any:
    """Return the parts create_app wired for this app."""
    return current_app.extensions["ascolto"]


@bp.url_value_preprocessor
def _load_site(endpoint: str | None, values: dict[str, Any] | None) -> None:
    site_id = (values or {}).pop("site_id", "")
    site = services().store.get_site(site_id)
    if site is None:
        raise NotFound(f"Unknown site {site_id!r}.", {"site": ["No site with this id."]})
    g.site = site


@bp.before_request
def _check_origin() -> Response | None:
    site: Site = g.site
    origin = request.headers.get("Origin")
    if not site.allows_origin(origin):
        return error_response(403, "origin_not_allowed",
                              f"Origin {origin!r} may not use site {site.id!r}.",
                              {"origin": ["Not on the site's allowlist."]})
    if request.method == "OPTIONS":
        return Response(status=204)
    return None


@bp.after_request
def _cors(response: Response) -> Response:
    origin = request.headers.get("Origin")
    site: Site | None = g.get("site")
    if origin and site is not None and site.allows_origin(origin) and response.status_code != 403:
        response.headers["Access-Control-Allow-Origin"] = origin
        if request.method == "OPTIONS":  # browsers read these three from a preflight's answer only
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
    elif origin and (site is None and response.status_code == 404
                     or request.method == "GET" and response.status_code == 403):
        # An unknown site, or a summary refused to this origin, is no secret: let the widget read why (it
        # drops its queued votes and names the origin and the fix in the console). "*" grants no credentials;
        # a POST stays opaque, as its preflight fails (403, no Allow-Methods) before any body is read.
        response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Origin")
    return response


def _json_body() -> dict[str, Any]:
    """Return the request's JSON object, or raise InvalidInput naming the body."""
    try:
        data = request.get_json(force=True, silent=True)
    except RecursionError as exc:  # json's parser gives up on ~1,000 nested arrays or objects
        raise InvalidInput("The body is nested too deeply.", {"body": ["Nested too deeply."]}) from exc
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.", {"body": ["Expected a JSON object."]})
    return data


@bp.route("/votes", methods=["POST", "OPTIONS"])
def post_vote() -> Response:
    """Create or change the voter's vote and return the article's summary."""
    data = VOTE_SCHEMA.load(_json_body())
    site: Site = g.site
    parts = services()
    now = parts.clock()
    keys = reader_keys(request.environ, parts.settings, site.id, now)
    result = cast_screened_vote(parts.store, site, data, now, keys)
    body = result.summary.to_json() | {
        "rating": result.rating,
        "ask_feedback": asks_feedback(site, result.rating),
    }
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/votes/withdraw", methods=["POST", "OPTIONS"])
def post_withdraw() -> Response:
    """Take back the voter's vote on an article and return the article's summary."""
    data = WITHDRAW_SCHEMA.load(_json_body())
    site: Site = g.site
    parts = services()
    now = parts.clock()
    article = normalize_article(data["article"])
    summary = withdraw_vote(parts.store, site.id, article, data["voter"], now, local_day(now, site),
                            data.get("request_id") or "")
    response = jsonify(summary.to_json() | {"rating": None, "ask_feedback": False})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/feedback", methods=["POST", "OPTIONS"])
def post_feedback() -> tuple[Response, int]:
    """Store a reader's feedback tied to their vote."""
    data = FEEDBACK_SCHEMA.load(_json_body())
    parts = services()
    now = parts.clock()
    ip = client_ip(request.environ, parts.settings.trusted_proxies)
    with parts.store.atomic():
        limit_feedback(parts.store, g.site, ip, now, parts.settings.secret)
        feedback = leave_feedback(parts.store, g.site, data, now)
    response = jsonify({"id": feedback.id, "article": feedback.article, "rating": feedback.rating})
    response.headers["Cache-Control"] = "no-store"
    return response, 201


@bp.route("/summary", methods=["GET", "OPTIONS"])
def get_summary() -> HttpResponse:
    """Return one article's summary."""
    query = SUMMARY_QUERY.load(request.args.to_dict())
    summary = services().store.summary(g.site.id, normalize_article(query["article"]))
    response = jsonify(summary.to_json())
    response.headers["Cache-Control"] = SUMMARY_CACHE
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/summaries", methods=["GET", "OPTIONS"])
def get_summaries() -> Response:
    """Return up to 50 summaries in one request, in the order asked."""
    query = SUMMARIES_QUERY.load({"article": request.args.getlist("article")}
                                 if "article" in request.args else {})
    unknown = set(request.args) - {"article"}
    if unknown:
        raise InvalidInput("Unknown query parameter.", {name: ["Unknown field."] for name in unknown})
    articles = [normalize_article(a) for a in query["article"]]
    found = services().store.summaries(g.site.id, articles)
    response = jsonify({"summaries": [found[a].to_json() for a in dict.fromkeys(articles)]})
    response.headers["Cache-Control"] = SUMMARY_CACHE
    return response


@bp.route("/summaries.json", methods=["GET", "OPTIONS"])
def get_site_summaries() -> HttpResponse:
    """Return every article's summary of the site in one cacheable document (for build-time baking)."""
    from ascolto.integrations.summaries import etag, site_summaries

    document = site_summaries(services().store, g.site.id, services().clock())
    response = jsonify(document)
    response.headers["Cache-Control"] = SUMMARY_CACHE
    response.set_etag(etag(document), weak=True)
    return response.make_conditional(request)
