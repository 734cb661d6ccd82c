"""Fuzz the public API from its own OpenAPI document: no 5xx, every 4xx is the documented shape,
and the cases the document calls valid are stored.

The site has its limits raised (rate_burst, rate_per_hour, vote_cap, min_dwell_ms 0) and the clock
moves five minutes a request, so the fixed feedback bucket (20 an hour) refills: the fuzzer reaches
the write paths instead of 429. Set ASCOLTO_FUZZ_EXAMPLES for a longer run; figures are printed
(`pytest -s`) and `bench/fuzz.py` prints them for the README.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import schemathesis
from flask import Flask, request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from ascolto.api.schemas import (
    ARTICLE_PATTERN,
    CONTROL,
    LINE_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
    FeedbackSchema,
    VoteSchema,
    WithdrawSchema,
)
from ascolto.app import create_app
from ascolto.ratings import normalize_article
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import export_site
from tests.conftest import ORIGIN, make_site

# Bounded so CI stays quick; raise ASCOLTO_FUZZ_EXAMPLES for a longer local run.
EXAMPLES = int(os.environ.get("ASCOLTO_FUZZ_EXAMPLES", "40"))
BIG = 10**6
WRITES = ("POST /v1/sites/{site}/votes", "POST /v1/sites/{site}/feedback",
          "POST /v1/sites/{site}/votes/withdraw")


class SteppingClock:
    """A clock that moves on by a fixed step each time it is read."""

    def __init__(self, start: datetime, step: timedelta) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


@dataclass
class Tally:
    """What a fuzzing run sent and got."""

    statuses: Counter[int] = field(default_factory=Counter)
    positive: Counter[tuple[str, bool]] = field(default_factory=Counter)  # (operation, 2xx) of positive write cases
    stored_votes: set[tuple[str, str]] = field(default_factory=set)
    stored_feedback: set[str] = field(default_factory=set)
    accepted_negative: list[tuple[str, Any, Any]] = field(default_factory=list)

    def share(self, operation: str) -> float:
        total = self.positive[(operation, True)] + self.positive[(operation, False)]
        return self.positive[(operation, True)] / total if total else 0.0


@dataclass
class Fuzz:
    app: Flask
    store: SqliteStore
    schema: Any
    received: list[tuple[str, bytes]] = field(default_factory=list)  # (path and query, body) as the app got them


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    store = SqliteStore(tmp / "fuzz.db")
    store.put_site(make_site(rate_burst=BIG, rate_per_hour=BIG, vote_cap=BIG, min_dwell_ms=0))
    # Bodies are JSON with \uXXXX escapes (12 bytes per astral character): 2,000 characters of text
    # can pass 8 KB although a browser would send them as UTF-8, so the limit is raised here.
    app = create_app(Settings(data_dir=tmp, secret="fuzz", max_body_bytes=64 * 1024), store=store,
                     clock=SteppingClock(datetime(2026, 11, 20, tzinfo=UTC), timedelta(minutes=5)))
    received: list[tuple[str, bytes]] = []

    @app.after_request
    def record(response: Any) -> Any:
        received.append((request.full_path, request.get_data()))
        return response

    yield Fuzz(app, store, schemathesis.openapi.from_wsgi("/v1/openapi.json", app), received)
    store.close()


def check_response(response: Any) -> int:
    status: int = response.status_code
    assert status < 500, response.text
    if status >= 400:
        body = response.get_json() if hasattr(response, "get_json") else response.json()
        assert set(body) == {"code", "status", "message", "errors"}, body
        assert body["status"] == status
        assert isinstance(body["errors"], dict)
        assert all(isinstance(v, list) for v in body["errors"].values())
    return status


def vote_first(fuzz: Fuzz, body: Any) -> None:
    """Feedback must follow a vote by the same voter on the same article, and a withdrawal has one to take back."""
    if isinstance(body, dict) and isinstance(body.get("article"), str) and isinstance(body.get("voter"), str):
        vote = {"article": body["article"], "url": "", "title": "", "rating": 1, "voter": body["voter"],
                "dwell_ms": 5000}
        fuzz.app.test_client().post("/v1/sites/blog/votes", json=vote, headers={"Origin": ORIGIN})


def run_operations(fuzz: Fuzz, mode: GenerationMode, tally: Tally, examples: int, site: str | None) -> None:
    for result in fuzz.schema.get_all_operations():
        fuzz_operation(fuzz, result.ok(), mode, tally, examples, site)


def fuzz_operation(fuzz: Fuzz, operation: Any, mode: GenerationMode, tally: Tally, examples: int,
                   site: str | None) -> None:
    fixed = {"path_parameters": {"site": site}, "headers": {"Origin": ORIGIN}} if site else {}

    @given(case=operation.as_strategy(mode, **fixed))
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        if mode == GenerationMode.POSITIVE and operation.label in WRITES[1:]:
            vote_first(fuzz, case.body)
        response = case.call()
        status = check_response(response)
        tally.statuses[status] += 1
        if not site:
            return
        ok = 200 <= status < 300
        if mode == GenerationMode.POSITIVE and operation.label in WRITES:
            tally.positive[(operation.label, ok)] += 1
            if ok and operation.label == WRITES[0]:
                tally.stored_votes.add((normalize_article(case.body["article"]), case.body["voter"]))
            if ok and operation.label == WRITES[1]:
                tally.stored_feedback.add(response.json()["id"])
        if mode == GenerationMode.NEGATIVE and ok:
            path, body = fuzz.received[-1]  # what reached the app, after the client serialised the case
            tally.accepted_negative.append((operation.label, json.loads(body) if body else None, path))

    run()


def fuzz_figures(fuzz: Fuzz, examples: int) -> dict[str, Any]:
    """Run positive and negative cases on the real site and a few on unknown sites; return the figures."""
    positive, negative, unknown = Tally(), Tally(), Tally()
    run_operations(fuzz, GenerationMode.POSITIVE, positive, examples, "blog")
    run_operations(fuzz, GenerationMode.NEGATIVE, negative, examples, "blog")
    run_operations(fuzz, GenerationMode.POSITIVE, unknown, max(1, examples // 4), None)
    return {"positive": positive, "negative": negative, "unknown": unknown}


@pytest.fixture(scope="module")
def figures(fuzz: Fuzz) -> dict[str, Any]:
    result = fuzz_figures(fuzz, EXAMPLES)
    for name, tally in result.items():
        print(f"fuzz {name}: {sum(tally.statuses.values())} requests, statuses {dict(sorted(tally.statuses.items()))}")
    positive = result["positive"]
    print(f"fuzz positive 2xx share: votes {positive.share(WRITES[0]):.0%}, feedback {positive.share(WRITES[1]):.0%}, "
          f"withdrawals {positive.share(WRITES[2]):.0%}")
    for label, body, sent in result["negative"].accepted_negative:
        print(f"fuzz negative accepted: {label} {sent}" + ("" if body is None else f" {body!r}"))
    return result


def test_no_5xx_and_every_error_is_the_documented_shape(figures: dict[str, Any]) -> None:
    for tally in figures.values():
        assert sum(tally.statuses.values()) >= EXAMPLES // 4
        assert not [s for s in tally.statuses if s >= 500]


def test_positive_write_cases_are_stored(figures: dict[str, Any], fuzz: Fuzz) -> None:
    positive: Tally = figures["positive"]
    assert positive.share(WRITES[0]) >= 0.9, positive.positive
    assert positive.share(WRITES[1]) >= 0.9, positive.positive
    assert positive.share(WRITES[2]) >= 0.9, positive.positive
    votes, feedback = export_site(fuzz.store, "blog")
    assert positive.stored_votes <= {(v.article, v.voter) for v in votes}
    assert positive.stored_feedback <= {e.id for e in feedback}


def test_accepted_negative_cases_are_right_to_accept(figures: dict[str, Any], fuzz: Fuzz) -> None:
    """A negative case that got 2xx must be valid on the wire: either its mutation did not survive
    serialisation (a number or boolean in a query string is text, e.g. `article=true`), or it broke a
    rule the document states more narrowly than the code (no brackets, no leading blank in an article)."""
    document = fuzz.app.test_client().get("/v1/openapi.json").get_json()
    schemas = {WRITES[0]: (VoteSchema(), "Vote"), WRITES[1]: (FeedbackSchema(), "Feedback"),
               WRITES[2]: (WithdrawSchema(), "Withdraw")}
    for label, body, sent in figures["negative"].accepted_negative:
        if label in schemas:
            loader, name = schemas[label]
            assert loader.validate(body) == {}, (label, body)
            broken = {(e.validator, e.path[0] if e.path else "") for e in
                      jsonschema.Draft4Validator(document["components"]["schemas"][name]).iter_errors(body)}
            assert broken <= {("pattern", "article"), ("pattern", "url")}, (label, body, broken)
        else:
            query = parse_qs(urlsplit(sent).query, keep_blank_values=True)
            assert set(query) == {"article"}, sent
            # Each article the app got names one: no control character, a non-empty normalised id.
            assert all(not CONTROL.search(a) and 1 <= len(a) <= 500 and normalize_article(a)
                       for a in query["article"]), sent


@pytest.mark.parametrize(("pattern", "schema", "field_name"), [
    (ARTICLE_PATTERN, VoteSchema, "article"), (URL_PATTERN, VoteSchema, "url"),
    (LINE_PATTERN, VoteSchema, "title"), (TEXT_PATTERN, FeedbackSchema, "text"),
])
def test_documented_patterns_only_admit_what_the_code_accepts(pattern: str, schema: type, field_name: str) -> None:
    loader = schema()

    @given(st.from_regex(pattern, fullmatch=True).filter(lambda s: 0 < len(s) <= 300))
    @settings(max_examples=200, deadline=None, database=None)
    def check(value: str) -> None:
        errors = loader.validate({"article": "/a", "url": "", "title": "", "rating": 3, "voter": "voter-0001",
                                  "text": "hi", field_name: value})
        assert field_name not in errors, (value, errors)

    check()


def test_the_inputs_that_once_gave_500_are_400(fuzz: Fuzz) -> None:
    client = fuzz.app.test_client()
    headers = {"Origin": ORIGIN, "Content-Type": "application/json"}
    vote = b'{"article": "/a", "url": "", "title": "T", "rating": 3, "voter": "voter-0001", "dwell_ms": 5000}'
    cases = [
        (client.post("/v1/sites/blog/votes", data=b"[" * 1500 + b"]" * 1500, headers=headers), "body"),
        (client.post("/v1/sites/blog/votes", data=vote.replace(b'"T"', b'"\\ud800"'), headers=headers), "title"),
        (client.post("/v1/sites/blog/votes", data=vote.replace(b'"/a"', b'"http://[x/post"'), headers=headers),
         "article"),
        (client.get("/v1/sites/blog/summary?article=http://%5Bx/post", headers=headers), "article"),
        (client.post("/v1/sites/blog/votes", data=vote.replace(b'voter-0001', b'voter-0001\\n'), headers=headers),
         "voter"),
    ]
    for response, name in cases:
        assert check_response(response) == 400
        assert name in response.get_json()["errors"], response.get_json()
    votes = schemathesis.openapi.from_wsgi("/v1/openapi.json", fuzz.app)["/v1/sites/{site}/votes"]["POST"]
    case = votes.Case(path_parameters={"site": "blog"}, headers={"Origin": ORIGIN},
                      body={"article": "/a", "url": "", "title": "\ud800", "rating": 3, "voter": "voter-0001"})
    assert check_response(case.call()) == 400


def test_openapi_document_is_served(fuzz: Fuzz) -> None:
    doc = fuzz.app.test_client().get("/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/v1/sites/{site}/votes", "/v1/sites/{site}/feedback",
                                 "/v1/sites/{site}/votes/withdraw",
                                 "/v1/sites/{site}/summary", "/v1/sites/{site}/summaries"}
    assert doc["components"]["schemas"]["Vote"]["additionalProperties"] is False
    properties = doc["components"]["schemas"]["Vote"]["properties"]
    assert properties["voter"]["pattern"] == "^[A-Za-z0-9_-]{8,64}$"  # ECMA-262: no \\Z
    assert "\\x00-\\x1f" in properties["title"]["pattern"] and properties["url"]["pattern"].startswith("^(https?://")
