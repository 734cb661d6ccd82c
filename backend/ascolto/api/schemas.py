"""Marshmallow schemas for every body and query of the public API."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Control characters other than tab and newline never belong in reader text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
MAX_TEXT = 2000


class CleanString(fields.String):
    """A string normalised to NFC, with control characters refused."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = unicodedata.normalize("NFC", super()._deserialize(value, attr, data, **kwargs))
        if self.multiline:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            bad = CONTROL.search(text.replace("\t", " "))
        else:
            bad = CONTROL.search(text) or re.search(r"[\t\n\r]", text)
        if bad:
            raise ValidationError("Contains a control character.")
        return text


def _token(required: bool) -> fields.String:
    return fields.String(required=required, validate=validate.Regexp(
        TOKEN, error="Use 8-64 letters, digits, '-' or '_'."))


class VoteSchema(Schema):
    """Body of POST /v1/sites/{site}/votes."""

    article = CleanString(required=True, validate=validate.Length(min=1, max=500))
    url = CleanString(required=True, validate=validate.Length(max=2000))
    title = CleanString(required=True, validate=validate.Length(max=300))
    rating = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    voter = _token(required=True)
    request_id = _token(required=False)
    hp = fields.String(load_default="", validate=validate.Length(max=200))
    dwell_ms = fields.Integer(load_default=None, allow_none=True, strict=True,
                              validate=validate.Range(min=0, max=10**10))

    @validates("url")
    def _check_url(self, value: str, **_: Any) -> None:
        if value and not re.match(r"^https?://[^\s/]+", value):
            raise ValidationError("Must be an http(s) URL.")


class WithdrawSchema(Schema):
    """Body of POST /v1/sites/{site}/votes/withdraw."""

    article = CleanString(required=True, validate=validate.Length(min=1, max=500))
    voter = _token(required=True)
    request_id = _token(required=False)


class FeedbackSchema(Schema):
    """Body of POST /v1/sites/{site}/feedback."""

    article = CleanString(required=True, validate=validate.Length(min=1, max=500))
    voter = _token(required=True)
    text = CleanString(required=True, multiline=True, validate=validate.Length(min=1, max=MAX_TEXT))
    contact_email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))

    @validates("text")
    def _check_text(self, value: str, **_: Any) -> None:
        if not value.strip():
            raise ValidationError("Must not be blank.")


class SummaryQuerySchema(Schema):
    """Query of GET /v1/sites/{site}/summary."""

    article = CleanString(required=True, validate=validate.Length(min=1, max=500))


class SummariesQuerySchema(Schema):
    """Query of GET /v1/sites/{site}/summaries (article repeated)."""

    article = fields.List(CleanString(validate=validate.Length(min=1, max=500)), required=True,
                          validate=validate.Length(min=1, max=50))


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
