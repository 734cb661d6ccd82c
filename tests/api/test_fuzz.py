"""Fuzz the public API from its own OpenAPI document: no 5xx, every 4xx is the documented shape."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from ascolto.app import create_app
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore
from tests.conftest import ORIGIN, make_site

# Bounded so CI stays quick; raise ASCOLTO_FUZZ_EXAMPLES for a longer local run.
EXAMPLES = int(os.environ.get("ASCOLTO_FUZZ_EXAMPLES", "40"))


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    store = SqliteStore(tmp / "fuzz.db")
    store.put_site(make_site())
    return create_app(Settings(data_dir=tmp, secret="fuzz"), store=store)


def check_response(response: object) -> int:
    status = response.status_code  # type: ignore[attr-defined]
    assert status < 500, response.text  # type: ignore[attr-defined]
    if status >= 400:
        body = response.json()  # type: ignore[attr-defined]
        assert set(body) == {"code", "status", "message", "errors"}, body
        assert body["status"] == status
        assert isinstance(body["errors"], dict)
        assert all(isinstance(v, list) for v in body["errors"].values())
    return status


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("real_site", [False, True])
def test_fuzz_api(fuzz_app: Flask, mode: GenerationMode, real_site: bool) -> None:
    schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", fuzz_app)
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        fixed = {"path_parameters": {"site": "blog"}, "headers": {"Origin": ORIGIN}} if real_site else {}

        @given(case=operation.as_strategy(mode, **fixed))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            statuses[check_response(case.call())] += 1

        run()
    print(f"fuzz {mode.value} real_site={real_site}: {sum(statuses.values())} requests, statuses {dict(statuses)}")
    assert sum(statuses.values()) >= EXAMPLES
    assert not [s for s in statuses if s >= 500]


def test_openapi_document_is_served(fuzz_app: Flask) -> None:
    doc = fuzz_app.test_client().get("/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/v1/sites/{site}/votes", "/v1/sites/{site}/feedback",
                                 "/v1/sites/{site}/summary", "/v1/sites/{site}/summaries"}
    assert doc["components"]["schemas"]["Vote"]["additionalProperties"] is False
