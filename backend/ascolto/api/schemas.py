"""Marshmallow schemas for every body and query of the public API."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, validate, validates

from ascolto.ratings import normalize_article

# \Z, not $: `$` also matches before a final newline, so "abcdefgh\n" would pass.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}\Z")
# Control characters other than tab and newline never belong in reader text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# A lone surrogate ("\ud800" in JSON) is no character: UTF-8 cannot encode it, so no store can keep it.
SURROGATE = re.compile(r"[\ud800-\udfff]")
HTTP_URL = re.compile(r"https?://[^\s/]+")
MAX_TEXT = 2000
MAX_ARTICLE_IDS = 50

# The same rules as JSON Schema patterns, for the OpenAPI document (openapi.py writes `\Z` as ECMA-262's
# `$`, which means the same there). They let a client or a fuzzer build bodies that are really valid.
# ARTICLE and URL are a little narrower than the code: they leave out `[` and `]`, which urlsplit refuses
# when unbalanced, and an article that starts with whitespace, `?` or `#` (it could normalise to nothing).
# Lone surrogates are left out of the patterns (generators drop a pattern with a surrogate range): a JSON
# string is Unicode text, which holds none, and the code refuses the escape that would make one.
_NOT_IN_LINE = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
_NOT_IN_TEXT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"  # tab, LF and CR allowed
LINE_PATTERN = rf"^[^{_NOT_IN_LINE}]*\Z"
TEXT_PATTERN = rf"^[^{_NOT_IN_TEXT}]*[^\s{_NOT_IN_TEXT}][^{_NOT_IN_TEXT}]*\Z"
ARTICLE_PATTERN = rf"^[^\s?#\[\]{_NOT_IN_LINE}][^\[\]{_NOT_IN_LINE}]*\Z"
URL_PATTERN = rf"^(https?://[^\s/\[\]{_NOT_IN_LINE}]+[^\[\]{_NOT_IN_LINE}]*)?\Z"


def refuse_surrogates(value: str) -> None:
    """Raise ValidationError if text holds a lone surrogate."""
    if SURROGATE.search(value):
        raise ValidationError("Contains an invalid character (a lone surrogate).")


def parses_as_url(value: str) -> bool:
    """Tell whether urlsplit accepts text (it raises on e.g. `http://[x/post`)."""
    try:
        urlsplit(value)
    except ValueError:
        return False
    return True


class CleanString(fields.String):
    """A string normalised to NFC, with control characters refused."""

    def __init__(self, *args: Any, multiline: bool = False, pattern: str = "", **kwargs: Any) -> None:
        metadata = {"pattern": pattern or (TEXT_PATTERN if multiline else LINE_PATTERN)} | kwargs.pop("metadata", {})
        super().__init__(*args, metadata=metadata, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        raw = super()._deserialize(value, attr, data, **kwargs)
        refuse_surrogates(raw)
        text = unicodedata.normalize("NFC", raw)
        if self.multiline:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            bad = CONTROL.search(text.replace("\t", " "))
        else:
            bad = CONTROL.search(text) or re.search(r"[\t\n\r]", text)
        if bad:
            raise ValidationError("Contains a control character.")
        return text


class Article(CleanString):
    """An article id or URL: one line that normalises to a non-empty id."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, pattern=ARTICLE_PATTERN, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "://" in text and not parses_as_url(text.strip()):
            raise ValidationError("Not a valid URL or article id.")
        if not normalize_article(text):
            raise ValidationError("Names no article: nothing is left once blanks, query and fragment are dropped.")
        return text


class Email(fields.Email):
    """An email address with no lone surrogate (marshmallow's check lets one through in the domain)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            refuse_surrogates(value)
        return super()._deserialize(value, attr, data, **kwargs)


def _token(required: bool) -> fields.String:
    return fields.String(required=required, validate=validate.Regexp(
        TOKEN, error="Use 8-64 letters, digits, '-' or '_'."))


class VoteSchema(Schema):
    """Body of POST /v1/sites/{site}/votes."""

    article = Article(required=True, validate=validate.Length(min=1, max=500))
    url = CleanString(required=True, pattern=URL_PATTERN, validate=validate.Length(max=2000))
    title = CleanString(required=True, validate=validate.Length(max=300))
    rating = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    voter = _token(required=True)
    request_id = _token(required=False)
    hp = fields.String(load_default="", validate=validate.Length(max=200))  # only tested for emptiness
    dwell_ms = fields.Integer(load_default=None, allow_none=True, strict=True,
                              validate=validate.Range(min=0, max=10**10))

    @validates("url")
    def _check_url(self, value: str, **_: Any) -> None:
        if value and not (HTTP_URL.match(value) and parses_as_url(value)):
            raise ValidationError("Must be an http(s) URL.")


class WithdrawSchema(Schema):
    """Body of POST /v1/sites/{site}/votes/withdraw."""

    article = Article(required=True, validate=validate.Length(min=1, max=500))
    voter = _token(required=True)
    request_id = _token(required=False)


class FeedbackSchema(Schema):
    """Body of POST /v1/sites/{site}/feedback."""

    article = Article(required=True, validate=validate.Length(min=1, max=500))
    voter = _token(required=True)
    text = CleanString(required=True, multiline=True, validate=validate.Length(min=1, max=MAX_TEXT))
    contact_email = Email(load_default=None, allow_none=True, validate=validate.Length(max=254))

    @validates("text")
    def _check_text(self, value: str, **_: Any) -> None:
        if not value.strip():
            raise ValidationError("Must not be blank.")


class SummaryQuerySchema(Schema):
    """Query of GET /v1/sites/{site}/summary."""

    article = Article(required=True, validate=validate.Length(min=1, max=500))


class SummariesQuerySchema(Schema):
    """Query of GET /v1/sites/{site}/summaries (article repeated)."""

    article = fields.List(Article(validate=validate.Length(min=1, max=500)), required=True,
                          validate=validate.Length(min=1, max=MAX_ARTICLE_IDS))


class SummaryOut(Schema):
    """The summary of one article."""

    article = fields.String()
    count = fields.Integer()
    average = fields.Float(allow_none=True)
    histogram = fields.Dict(keys=fields.String(), values=fields.Integer())


class VoteOut(SummaryOut):
    """The summary after a vote, plus the voter's rating."""

    rating = fields.Integer()
    ask_feedback = fields.Boolean()


class ErrorOut(Schema):
    """The one JSON error shape."""

    code = fields.String()
    status = fields.Integer()
    message = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
