"""The exact artifact `zappa package dev` builds, run through Zappa's own Lambda handler against moto."""

from __future__ import annotations

import base64
import gzip
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest

from ascolto.abuse import day_salt, network_key
from ascolto.stores.dynamodb import DynamoDBStore
from tests.conftest import ORIGIN, make_site
from tests.e2e.conftest import SECRET, TABLE, invoke

HOST = "abc123defg.execute-api.eu-west-1.amazonaws.com"
SOURCE_IP = "192.0.2.44"
FORWARDED = "203.0.113.9, 198.51.100.7"
ARTICLE = "/posts/hello"
ROOT = Path(__file__).resolve().parents[2]


def api_event(method: str, path: str, *, body: str | None = None, headers: dict[str, str] | None = None,
              query: dict[str, list[str]] | None = None, source_ip: str = SOURCE_IP) -> dict[str, Any]:
    """Return an API Gateway REST (payload v1) proxy event, as Zappa's API receives it."""
    all_headers = {"Host": HOST, "User-Agent": "Mozilla/5.0 (e2e)", "X-Forwarded-For": FORWARDED,
                   "X-Forwarded-Proto": "https", "X-Forwarded-Port": "443", "Accept-Encoding": "gzip",
                   **(headers or {})}
    return {
        "resource": "/{proxy+}", "path": path, "httpMethod": method,
        "headers": all_headers, "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} if query else None,
        "multiValueQueryStringParameters": query,
        "pathParameters": {"proxy": path.lstrip("/")}, "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}", "httpMethod": method, "path": f"/dev{path}", "stage": "dev",
            "requestId": "e2e-request", "accountId": "123456789012", "apiId": "abc123defg",
            "identity": {"sourceIp": source_ip, "userAgent": all_headers["User-Agent"]},
        },
        "body": body, "isBase64Encoded": False,
    }


def vote_body(**overrides: object) -> str:
    body = {"article": ARTICLE, "url": f"{ORIGIN}{ARTICLE}", "title": "Hello", "rating": 4,
            "voter": "voter-0001", "request_id": "request-0001", "dwell_ms": 5000, **overrides}
    return json.dumps(body)


def scheduled_event(function: str) -> dict[str, Any]:
    """Return the EventBridge event Zappa's `events` rule sends (rule name ends in the function)."""
    return {"version": "0", "id": "e2e", "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": "2026-11-22T07:00:00Z", "region": "eu-west-1",
            "resources": [f"arn:aws:events:eu-west-1:123456789012:rule/ascolto-dev-{function}"],
            "detail": {}}


@pytest.fixture
def site(aws: dict[str, Any]) -> Any:
    site = make_site()
    DynamoDBStore(TABLE, client=aws["dynamodb"]).put_site(site)
    return site


def test_artifact_holds_the_app_and_no_test_or_dev_tools(artifact: Path) -> None:
    names = zipfile.ZipFile(artifact).namelist()
    tops = {n.split("/")[0] for n in names}
    for needed in ("handler.py", "zappa_settings.py", "ascolto", "flask", "zappa"):
        assert needed in tops
    assert "ascolto/wsgi.py" in names and "ascolto/static/widget.js" in names
    # bytecode for the runtime Zappa declares (Lambda's /var/task is read-only: no compiling there)
    runtime = json.loads((ROOT / "zappa_settings.json").read_text())["dev"]["runtime"]
    assert runtime == f"python{sys.version_info.major}.{sys.version_info.minor}"
    tag = f"cpython-{sys.version_info.major}{sys.version_info.minor}"
    assert f"ascolto/__pycache__/wsgi.{tag}.pyc" in names
    for unwanted in ("tests", "bench", "widget", "infra", "backend", "node_modules", ".venv", "moto", "pytest",
                     "playwright", "boto3", "botocore", "cfnlint", "schemathesis", "troposphere", "pip"):
        assert unwanted not in tops, unwanted


def test_api_requests_through_zappas_handler(unpacked: Path, runtime: Path, moto_url: str,
                                             aws: dict[str, Any], site: Any) -> None:
    events = [
        api_event("POST", "/v1/sites/blog/votes", body=vote_body(),
                  headers={"Origin": ORIGIN, "Content-Type": "application/json"}),
        api_event("POST", "/v1/sites/blog/votes", body=vote_body(voter="voter-0002"),
                  headers={"Origin": "https://evil.example", "Content-Type": "application/json"}),
        api_event("GET", "/v1/sites/blog/summary", query={"article": [ARTICLE]}, headers={"Origin": ORIGIN}),
        api_event("GET", "/widget.js"),
        api_event("POST", "/v1/sites/blog/votes", body="{not json",
                  headers={"Origin": ORIGIN, "Content-Type": "application/json"}),
        api_event("POST", "/v1/sites/blog/votes", body=vote_body(),
                  headers={"Origin": ORIGIN, "Content-Type": "application/json"}),
        api_event("GET", "/v1/sites/nowhere/summary", query={"article": [ARTICLE]}),
        api_event("OPTIONS", "/v1/sites/blog/votes",
                  headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}),
    ]
    out = invoke(unpacked, runtime, moto_url, events)
    voted, forbidden, summary, redirect, malformed, retried, unknown, preflight = [r["ok"] for r in out["results"]]

    assert voted["statusCode"] == 200, voted
    assert json.loads(voted["body"])["count"] == 1
    assert voted["headers"]["Access-Control-Allow-Origin"] == ORIGIN
    assert voted["headers"]["Cache-Control"] == "no-store"

    assert forbidden["statusCode"] == 403
    assert "Access-Control-Allow-Origin" not in forbidden["headers"]
    assert json.loads(forbidden["body"])["code"] == "origin_not_allowed"

    assert summary["statusCode"] == 200
    assert json.loads(summary["body"]) == {"article": ARTICLE, "count": 1, "average": 4.0,
                                           "histogram": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}}
    assert summary["headers"]["Access-Control-Allow-Origin"] == ORIGIN
    assert summary["headers"]["Cache-Control"].startswith("public, max-age=60")

    assert redirect["statusCode"] == 302
    location = redirect["headers"]["Location"]
    assert re.fullmatch(r"/dev/static/widget\.[0-9a-f]{10}\.js", location), location  # the stage is kept
    asset = invoke(unpacked, runtime, moto_url, [api_event("GET", location.removeprefix("/dev"))])["results"][0]["ok"]
    assert asset["statusCode"] == 200 and asset["isBase64Encoded"] is True
    assert asset["headers"]["Content-Encoding"] == "gzip"
    assert asset["headers"]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert asset["headers"]["Content-Type"].startswith("text/javascript")
    served = gzip.decompress(base64.b64decode(asset["body"]))
    assert len(served) > 1000 and b"ascolto" in served

    assert malformed["statusCode"] == 400
    assert json.loads(malformed["body"])["errors"] == {"body": ["Expected a JSON object."]}

    assert retried["statusCode"] == 200 and json.loads(retried["body"])["count"] == 1
    assert unknown["statusCode"] == 404
    assert preflight["statusCode"] == 204
    assert preflight["headers"]["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in preflight["headers"]["Access-Control-Allow-Methods"]

    # the stored items: one vote, its aggregate and one event, no matter the retry
    table = DynamoDBStore(TABLE, client=aws["dynamodb"])
    assert table.summary("blog", ARTICLE).count == 1
    items = aws["dynamodb"].scan(TableName=TABLE)["Items"]  # a test may scan; the app never does
    kinds = sorted(i["pk"]["S"].split("#")[0] + "#" + i["pk"]["S"].split("#")[2]
                   for i in items if i["pk"]["S"].startswith("S#"))
    assert kinds == ["S#A", "S#AGG", "S#D"]
    vote = next(i for i in items if i["sk"]["S"] == "V#voter-0001")
    assert (vote["rating"]["N"], vote["request_id"]["S"], vote["quarantined"]["BOOL"]) == ("4", "request-0001",
                                                                                            False)


def test_client_ip_is_the_request_context_source_never_forwarded_for(unpacked: Path, runtime: Path, moto_url: str,
                                                                     aws: dict[str, Any], site: Any) -> None:
    # given a vote whose X-Forwarded-For names other addresses than API Gateway's sourceIp
    out = invoke(unpacked, runtime, moto_url, [
        api_event("POST", "/v1/sites/blog/votes", body=vote_body(),
                  headers={"Origin": ORIGIN, "Content-Type": "application/json"})])
    assert out["results"][0]["ok"]["statusCode"] == 200
    # then the anti-stuffing counter is keyed by the sourceIp's hash, and by no forwarded address
    items = aws["dynamodb"].scan(TableName=TABLE)["Items"]
    records = [i["sk"]["S"].split("#") for i in items if i["pk"]["S"] == "R#net#blog"]
    day = records[0][0]
    salt = day_salt(SECRET, day)
    networks = {network for _, network in records}
    assert networks == {network_key(salt, SOURCE_IP, "blog")}
    for forwarded in ("203.0.113.9", "198.51.100.7"):
        assert network_key(salt, forwarded, "blog") not in networks
    assert not any(SOURCE_IP in json.dumps(i) for i in items)  # and no raw IP is stored…
    assert SOURCE_IP not in out["log"] and "203.0.113.9" not in out["log"]  # …nor logged


def test_scheduled_event_sends_the_digest_once(unpacked: Path, runtime: Path, moto_url: str,
                                               aws: dict[str, Any]) -> None:
    # given a site whose digest is due from midnight, even when nothing happened
    DynamoDBStore(TABLE, client=aws["dynamodb"]).put_site(make_site(digest_hour=0, digest_send_empty=True))
    # when EventBridge fires the hourly rule, then again an hour later (a new container)
    event = scheduled_event("ascolto.scheduled.hourly")
    ses = boto3.client("ses", **aws["kwargs"])
    out = invoke(unpacked, runtime, moto_url, [event])
    first = out["results"][0].get("ok") or out["results"][0]
    after_first = ses.get_send_quota()["SentLast24Hours"]
    again = invoke(unpacked, runtime, moto_url, [event])
    second = again["results"][0].get("ok") or again["results"][0]
    # then one digest went out through SES, and the second run found it claimed and sent nothing
    assert len(first["sent"]) == 1 and first["sent"][0].startswith("owner@example.org/"), first
    assert after_first >= 1
    assert second["sent"] == [] and second["skipped"] == first["sent"], second
    assert ses.get_send_quota()["SentLast24Hours"] == after_first
    assert out["clients"]["store"] is False  # the hourly job opens its own store, not the app's


def test_cold_start_creates_no_boto3_client(unpacked: Path, runtime: Path, moto_url: str,
                                            aws: dict[str, Any]) -> None:
    # Lambda's init (import of handler and ascolto.wsgi) and a request that needs no AWS
    # service create no client; Zappa's handler itself imports boto3, which we cannot avoid.
    out = invoke(unpacked, runtime, moto_url, [api_event("GET", "/healthz")])
    assert out["results"][0]["ok"]["statusCode"] == 200
    assert out["clients"] == {"store": False, "mailer": False}
    assert "moto" not in out["modules"] and "pytest" not in out["modules"]
