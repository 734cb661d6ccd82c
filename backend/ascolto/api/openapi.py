"""The OpenAPI 3 document of the public API, generated from the marshmallow schemas."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Blueprint, Response, jsonify

from ascolto import __version__
from ascolto.api.schemas import (
    ARTICLE_PATTERN,
    MAX_ARTICLE_IDS,
    ErrorOut,
    FeedbackSchema,
    SummaryOut,
    VoteOut,
    VoteSchema,
    WithdrawSchema,
)
from ascolto.ratings import SITE_ID

bp = Blueprint("openapi", __name__)

SITE = {"name": "site", "in": "path", "required": True, "schema": {"type": "string", "pattern": SITE_ID.pattern}}
ORIGIN = {"name": "Origin", "in": "header", "required": False, "schema": {"type": "string"},
          "description": "Browsers send it; it must be on the site's allowlist."}
ARTICLE = {"type": "string", "minLength": 1, "maxLength": 500, "pattern": ARTICLE_PATTERN}


def ecma_patterns(node: Any) -> Any:
    """Return the document with every regex in ECMA-262 form: Python's `\\Z` (end of text) is `$` there."""
    if isinstance(node, dict):
        return {k: (v.replace("\\Z", "$") if k == "pattern" and isinstance(v, str) else ecma_patterns(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [ecma_patterns(v) for v in node]
    return node


def _errors(*statuses: int) -> dict[str, Any]:
    words = {400: "Invalid input; `errors` names each field.", 403: "Origin not allowed.",
             404: "Unknown site.", 413: "Body too large.", 429: "Rate limited; see Retry-After.",
             503: "Storage unavailable; see Retry-After."}
    return {str(s): {"description": words[s], "content": {"application/json": {"schema": "Error"}}}
            for s in statuses}


@cache
def openapi_document() -> dict[str, Any]:
    """Build the OpenAPI document once."""
    # Imported here, not at module level: apispec (and the regex packaging compiles on import)
    # would add ~30 ms to every Lambda cold start for a document few clients ever ask for.
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    spec = APISpec(title="ascolto public API", version=__version__, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Votes, feedback and summaries: the widget's only contract."})
    spec.components.schema("Vote", schema=VoteSchema)
    spec.components.schema("Feedback", schema=FeedbackSchema)
    spec.components.schema("Withdraw", schema=WithdrawSchema)
    spec.components.schema("Summary", schema=SummaryOut)
    spec.components.schema("VoteResult", schema=VoteOut)
    spec.components.schema("Error", schema=ErrorOut)
    common = _errors(400, 403, 404, 429, 503)
    spec.path(path="/v1/sites/{site}/votes", operations={"post": {
        "summary": "Create or change the voter's vote; retrying a request_id is a no-op.",
        "parameters": [SITE, ORIGIN],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "Vote"}}},
        "responses": {"200": {"description": "The article's summary after the vote.",
                              "content": {"application/json": {"schema": "VoteResult"}}},
                      **common, **_errors(413)},
    }})
    spec.path(path="/v1/sites/{site}/votes/withdraw", operations={"post": {
        "summary": "Take back the voter's vote on an article (no vote: no change); returns the summary.",
        "parameters": [SITE, ORIGIN],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "Withdraw"}}},
        "responses": {"200": {"description": "The article's summary without the vote (`rating` is null).",
                              "content": {"application/json": {"schema": "VoteResult"}}},
                      **common, **_errors(413)},
    }})
    spec.path(path="/v1/sites/{site}/feedback", operations={"post": {
        "summary": "Store feedback tied to the voter's vote.",
        "parameters": [SITE, ORIGIN],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "Feedback"}}},
        "responses": {"201": {"description": "Stored.", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"id": {"type": "string"}, "article": {"type": "string"},
                                             "rating": {"type": "integer"}}}}}},
                      **common, **_errors(413)},
    }})
    spec.path(path="/v1/sites/{site}/summary", operations={"get": {
        "summary": "One article's summary.",
        "parameters": [SITE, ORIGIN, {"name": "article", "in": "query", "required": True, "schema": ARTICLE}],
        "responses": {"200": {"description": "The summary.",
                              "content": {"application/json": {"schema": "Summary"}}}, **common},
    }})
    spec.path(path="/v1/sites/{site}/summaries", operations={"get": {
        "summary": "Up to 50 summaries in one request.",
        "parameters": [SITE, ORIGIN, {"name": "article", "in": "query", "required": True, "explode": True,
                                      "schema": {"type": "array", "items": ARTICLE, "minItems": 1,
                                                 "maxItems": MAX_ARTICLE_IDS}}],
        "responses": {"200": {"description": "The summaries, in the order asked.", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "summaries": {"type": "array", "items": {"$ref": "#/components/schemas/Summary"}}}}}}},
            **common},
    }})
    return ecma_patterns(spec.to_dict())  # type: ignore[no-any-return]


@bp.get("/v1/openapi.json")
def openapi_json() -> Response:
    """Serve the OpenAPI document."""
    response = jsonify(openapi_document())
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
