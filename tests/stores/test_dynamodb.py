"""DynamoDBStore passes the Store contract on moto, plus DynamoDB's own rules moto does not enforce."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from botocore.exceptions import ClientError, NoCredentialsError
from moto.dynamodb.parsing.reserved_keywords import ReservedKeywords

from ascolto.claims import claim
from ascolto.digest.collect import collect_site
from ascolto.digest.totals import site_totals
from ascolto.errors import ConfigError, StoreError, Unavailable
from ascolto.stores import dynamodb_layout as di
from ascolto.stores import open_store
from ascolto.stores.base import Store
from ascolto.stores.dynamodb import DynamoDBStore
from ascolto.voting import add_feedback, export_site, imported_kind, reconcile, record_vote
from tests.conftest import make_site
from tests.stores.contract import T0, HardeningContract, StoreContract, feedback, vote

TABLE = "ascolto-test"
EXPRESSIONS = ("UpdateExpression", "ConditionExpression", "ProjectionExpression",
               "KeyConditionExpression", "FilterExpression")
# Words of the expression grammar itself; everything else bare would be an attribute name.
GRAMMAR = {"SET", "ADD", "REMOVE", "DELETE", "AND", "OR", "NOT", "BETWEEN", "IN"}
RESERVED = {w.upper() for w in ReservedKeywords.get_reserved_keywords()}


def check_key_sizes(params: Any) -> None:
    """Hold every key sent to DynamoDB's documented limits, which moto does not enforce.

    A partition key value may be up to 2,048 bytes of UTF-8 and a sort key value up to 1,024
    (Amazon DynamoDB Developer Guide, "Quotas": attribute values used as keys).
    """
    if isinstance(params, dict):
        if isinstance(params.get("pk"), dict) and isinstance(params.get("sk"), dict):
            assert len(params["pk"]["S"].encode()) <= 2048, params["pk"]
            assert len(params["sk"]["S"].encode()) <= 1024, f"sort key of {len(params['sk']['S'].encode())} bytes"
        for value in params.values():
            check_key_sizes(value)
    elif isinstance(params, list):
        for value in params:
            check_key_sizes(value)


class Recorder:
    """Wrap a boto3 client: record each call, check its expressions, and refuse Scan.

    Each request runs under a lock: DynamoDB applies every request atomically, moto's
    in-memory backend does not, so without it moto itself would lose concurrent ADDs.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.lock = threading.Lock()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail: dict[str, BaseException] = {}

    def __getattr__(self, operation: str) -> Any:
        method = getattr(self.client, operation)

        def call(**params: Any) -> Any:
            assert operation != "scan", "no request path may Scan the table"
            check_expressions(params)
            check_key_sizes(params)
            self.calls.append((operation, params))
            if operation in self.fail:
                raise self.fail.pop(operation)
            with self.lock:
                return method(**params)

        return call

    def operations(self) -> list[str]:
        return [name for name, _ in self.calls]


def check_expressions(params: dict[str, Any]) -> None:
    """Fail on any bare reserved word or unknown placeholder in a request's expressions."""
    names = params.get("ExpressionAttributeNames", {})
    values = params.get("ExpressionAttributeValues", {})
    for field in EXPRESSIONS:
        expression = params.get(field)
        if not expression:
            continue
        for placeholder in re.findall(r"#\w+", expression):
            assert placeholder in names, f"{placeholder} has no name in {expression!r}"
        for placeholder in re.findall(r":\w+", expression):
            assert placeholder in values, f"{placeholder} has no value in {expression!r}"
        bare = re.sub(r"[#:]\w+", " ", expression)
        for match in re.finditer(r"[A-Za-z_][A-Za-z0-9_]*(\s*\()?", bare):
            word, is_function = match.group(0).rstrip(" ("), match.group(1) is not None
            if is_function or word.upper() in GRAMMAR:
                continue
            assert word.upper() not in RESERVED, f"bare reserved word {word!r} in {field}: {expression!r}"
            raise AssertionError(f"bare attribute name {word!r} in {field}: {expression!r}")


@pytest.fixture
def aws(dynamodb_client: Any) -> None:
    """moto and its credentials (the shared fixture), for tests that build their own store."""


@pytest.fixture
def recorder(dynamodb_client: Any) -> Recorder:
    return Recorder(dynamodb_client)


@pytest.fixture
def store(recorder: Recorder) -> DynamoDBStore:
    return DynamoDBStore(TABLE, client=recorder, sleep=lambda _: None)


class TestDynamoDBStore(StoreContract, HardeningContract):
    pass


def throttled(operation: str = "GetItem") -> ClientError:
    return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                       operation)


def test_is_a_store(store: DynamoDBStore) -> None:
    assert isinstance(store, Store)


def test_from_url_and_lazy_client() -> None:
    store = open_store("dynamodb://my.table_1?region=eu-south-1&endpoint=http://127.0.0.1:9")
    assert isinstance(store, DynamoDBStore)
    assert (store.table, store.region, store.endpoint) == ("my.table_1", "eu-south-1", "http://127.0.0.1:9")
    assert store._client is None  # created on first use, never at construction


@pytest.mark.parametrize("name", ["ab", "x" * 256, "bad name", "tab/le", ""])
def test_table_names_follow_dynamodb_rules(name: str) -> None:
    with pytest.raises(ConfigError, match="ASCOLTO_STORE"):
        DynamoDBStore.from_url(f"dynamodb://{name}?region=eu-west-1")


def test_summary_is_one_eventually_consistent_get(store: DynamoDBStore, recorder: Recorder) -> None:
    site = make_site()
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 4))
    recorder.calls.clear()
    assert store.summary(site.id, "/a").count == 1
    assert recorder.operations() == ["get_item"]
    assert recorder.calls[0][1]["ConsistentRead"] is False


def test_batch_summary_is_one_batch_get(store: DynamoDBStore, recorder: Recorder) -> None:
    site = make_site()
    recorder.calls.clear()
    store.summaries(site.id, [f"/p{i}" for i in range(50)])
    assert recorder.operations() == ["batch_get_item"]
    assert len(recorder.calls[0][1]["RequestItems"][TABLE]["Keys"]) == 50


def test_batch_get_retries_unprocessed_keys(store: DynamoDBStore, recorder: Recorder) -> None:
    site = make_site()
    record_vote(store, vote(site, "/a", "voter-0001", 4))
    real = recorder.client.batch_get_item
    answers: list[dict[str, Any]] = []

    def partial(**params: Any) -> dict[str, Any]:
        if not answers:
            answers.append(params)
            return {"Responses": {TABLE: []}, "UnprocessedKeys": params["RequestItems"]}
        return real(**params)  # type: ignore[no-any-return]

    recorder.client = type("C", (), {"batch_get_item": staticmethod(partial)})()
    found = store.summaries(site.id, ["/a", "/b"])
    assert found["/a"].count == 1 and found["/b"].count == 0


def test_batch_get_sends_at_most_100_keys(store: DynamoDBStore, recorder: Recorder) -> None:
    keys = [{"pk": {"S": "x"}, "sk": {"S": f"k{i}"}} for i in range(250)]
    recorder.calls.clear()
    store._batch_get(keys)
    sizes = [len(p["RequestItems"][TABLE]["Keys"]) for _, p in recorder.calls]
    assert sizes == [100, 100, 50]


def test_list_sites_queries_instead_of_scanning(store: DynamoDBStore, recorder: Recorder) -> None:
    store.put_site(make_site("one"))
    store.put_site(make_site("two"))
    recorder.calls.clear()
    assert [s.id for s in store.list_sites()] == ["one", "two"]
    assert recorder.operations() == ["query"]


def test_new_vote_writes_three_items_and_reads_nothing_after(store: DynamoDBStore, recorder: Recorder) -> None:
    site = make_site()
    recorder.calls.clear()
    record_vote(store, vote(site, "/a", "voter-0001", 4))
    # one consistent read of the vote and the aggregate; event, vote, aggregate ADD
    assert recorder.operations() == ["batch_get_item", "put_item", "put_item", "update_item"]


class DynamoStub(threading.Thread):
    """A DynamoDB endpoint on 127.0.0.1 that answers every request with one error, and counts them."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(daemon=True)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stub.requests += 1
                body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{error}", "message": "no"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.requests = 0
        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def run(self) -> None:
        self.server.serve_forever()


def test_throttling_is_retried_by_botocore_then_unavailable(aws: None) -> None:
    stub = DynamoStub(400, "ProvisionedThroughputExceededException")
    stub.start()
    store = DynamoDBStore(TABLE, region="eu-west-1", endpoint=stub.url, attempts=3)
    with pytest.raises(Unavailable) as caught:
        store.summary("blog", "/a")
    stub.server.shutdown()
    assert stub.requests == 3  # botocore's standard retry mode: the attempts we configured
    assert caught.value.retry_after > 0
    assert isinstance(caught.value.__cause__, ClientError)


def test_unreachable_endpoint_is_unavailable(aws: None) -> None:
    store = DynamoDBStore(TABLE, region="eu-west-1", endpoint="http://127.0.0.1:9", attempts=2)
    with pytest.raises(Unavailable):
        store.summary("blog", "/a")


def test_missing_credentials_name_the_setting(store: DynamoDBStore, recorder: Recorder) -> None:
    store._client = _Patched(recorder, get_item=_raise(NoCredentialsError))
    with pytest.raises(ConfigError, match="ASCOLTO_STORE"):
        store.summary("blog", "/a")


def _raise(make: Any) -> Any:
    def call(**_: Any) -> Any:
        raise make()
    return call


def test_other_client_errors_become_store_errors(store: DynamoDBStore, recorder: Recorder) -> None:
    recorder.fail["get_item"] = ClientError({"Error": {"Code": "ValidationException", "Message": "no"}}, "GetItem")
    with pytest.raises(StoreError) as caught:
        store.summary("blog", "/a")
    assert isinstance(caught.value.__cause__, ClientError)


def test_throttled_api_request_gets_503_with_retry_after(store: DynamoDBStore, recorder: Recorder,
                                                         settings: Any) -> None:
    from ascolto.app import create_app

    site = make_site()
    store.put_site(site)
    app = create_app(settings, store=store)
    store.attempts = 2
    real = recorder.client

    def summary_throttled(**params: Any) -> Any:
        if params["Key"]["pk"]["S"].endswith("#AGG"):
            raise throttled()
        return real.get_item(**params)

    recorder.client = _Patched(real, get_item=summary_throttled)
    response = app.test_client().get("/v1/sites/blog/summary?article=/a")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.get_json()["code"] == "unavailable"


def test_oversized_item_is_refused_before_sending(store: DynamoDBStore, recorder: Recorder) -> None:
    site = make_site()
    record_vote(store, vote(site, "/a", "voter-0001", 2))
    recorder.calls.clear()
    with pytest.raises(StoreError):
        add_feedback(store, feedback(site, "/a", "voter-0001", "x" * 410_000))
    assert "put_item" not in recorder.operations()


def test_long_article_ids_fit_the_key_limits(store: DynamoDBStore) -> None:
    site = make_site()
    article = "/" + "€" * 499  # 500 characters (the API allows that many), 1,498 bytes of UTF-8
    record_vote(store, vote(site, article, "voter-0001", 5))
    assert store.summary(site.id, article).count == 1
    assert [s.article for s in store.articles(site.id)] == [article]
    # records keyed by an article (the digest's totals, an import) too: the Recorder checks every key sent
    site_totals(store, site.id, [store.summary(site.id, article)])
    store.put_record(imported_kind(site.id), article, {"count": 3, "total": 12})
    assert [key for key, _ in store.records(imported_kind(site.id))] == [article]


def test_digest_claims_expire_by_ttl(store: DynamoDBStore, recorder: Recorder) -> None:
    assert claim(store, "owner/2026-11-20", T0)
    item = recorder.client.get_item(TableName=TABLE, Key={"pk": {"S": "R#claim"},
                                                          "sk": {"S": "owner/2026-11-20"}})["Item"]
    assert int(item["expires_at"]["N"]) > T0.timestamp() + 30 * 86400


class Killed(BaseException):
    """The process dying mid-request (not an Exception: nothing may catch it)."""


def test_crash_before_the_aggregate_write_is_repaired_by_reconcile(store: DynamoDBStore,
                                                                    recorder: Recorder) -> None:
    # given a vote and a changed vote whose process dies after writing the vote item
    site = make_site()
    record_vote(store, vote(site, "/a", "voter-0001", 5))
    record_vote(store, vote(site, "/a", "voter-0002", 4))
    real_update = recorder.client.update_item

    def die_on_aggregate(**params: Any) -> Any:
        if params["Key"]["pk"]["S"].endswith("#AGG"):
            raise Killed()
        return real_update(**params)

    recorder.client = _Patched(recorder.client, update_item=die_on_aggregate)
    with pytest.raises(Killed):
        record_vote(store, vote(site, "/a", "voter-0001", 1, at=T0 + timedelta(minutes=1)))
    with pytest.raises(Killed):
        record_vote(store, vote(site, "/a", "voter-0003", 2, at=T0 + timedelta(minutes=2)))
    recorder.client = recorder.client.inner
    assert store.summary(site.id, "/a").total == 9  # stale: the process died before the ADD
    # when the digest's reconcile runs for that day
    day = vote(site, "/a", "x", 1).day
    assert reconcile(store, site, day, T0 + timedelta(hours=3)) == 1
    # then the aggregate is exact, and a second run changes nothing
    summary = store.summary(site.id, "/a")
    assert (summary.count, summary.total, summary.histogram) == (3, 7, (1, 1, 0, 1, 0))
    assert reconcile(store, site, day, T0 + timedelta(hours=3)) == 0


def test_digest_collection_reads_the_day_once_and_still_repairs(store: DynamoDBStore, recorder: Recorder) -> None:
    # given a day whose last vote died before its aggregate ADD
    site = make_site()
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 5))
    real_update = recorder.client.update_item

    def die_on_aggregate(**params: Any) -> Any:
        if params["Key"]["pk"]["S"].endswith("#AGG"):
            raise Killed()
        return real_update(**params)

    recorder.client = _Patched(recorder.client, update_item=die_on_aggregate)
    with pytest.raises(Killed):
        record_vote(store, vote(site, "/a", "voter-0002", 1))
    recorder.client = recorder.client.inner
    # when the digest collects that day (by the real clock, long after T0)
    day = vote(site, "/a", "x", 1).day
    recorder.calls.clear()
    collected = collect_site(store, site, date.fromisoformat(day), datetime.now(UTC))
    # then the day's partition was queried once, and the aggregates it read are repaired
    day_pk = di.events_pk(site.id, day)
    day_queries = [p for op, p in recorder.calls
                   if op == "query" and day_pk in str(p.get("ExpressionAttributeValues"))]
    assert len(day_queries) == 1
    assert {a.article: a.total for a in collected.articles} == {"/a": 6}


def test_crash_after_the_event_changes_no_aggregate(store: DynamoDBStore, recorder: Recorder) -> None:
    site = make_site()
    record_vote(store, vote(site, "/a", "voter-0001", 5))
    inner = recorder.client

    def put_but_die_on_the_vote(**params: Any) -> Any:
        if params["Item"]["sk"]["S"].startswith("V#"):
            raise Killed()
        return inner.put_item(**params)

    recorder.client = _Patched(inner, put_item=put_but_die_on_the_vote)
    with pytest.raises(Killed):
        record_vote(store, vote(site, "/a", "voter-0001", 1, at=T0 + timedelta(minutes=1), request_id="retry-me-1"))
    recorder.client = recorder.client.inner
    assert store.summary(site.id, "/a").total == 5
    # the client's retry with the same request id completes the change exactly once
    result = record_vote(store, vote(site, "/a", "voter-0001", 1, at=T0 + timedelta(minutes=2),
                                    request_id="retry-me-1"))
    assert result.changed and result.summary.total == 1
    assert reconcile(store, site, vote(site, "/a", "x", 1).day, T0 + timedelta(hours=1)) == 0


def test_reconcile_leaves_articles_with_votes_in_flight(store: DynamoDBStore, recorder: Recorder) -> None:
    site = make_site()
    record_vote(store, vote(site, "/a", "voter-0001", 5))
    recorder.client = _Patched(recorder.client, update_item=_die_on_aggregate(recorder.client))
    with pytest.raises(Killed):
        record_vote(store, vote(site, "/a", "voter-0002", 3))
    recorder.client = recorder.client.inner
    day = vote(site, "/a", "x", 1).day
    assert reconcile(store, site, day, T0 + timedelta(minutes=1)) == 0  # its ADD may still land
    assert reconcile(store, site, day, T0 + timedelta(hours=1)) == 1
    assert store.summary(site.id, "/a").total == 8


def _die_on_aggregate(client: Any) -> Any:
    def update(**params: Any) -> Any:
        if params["Key"]["pk"]["S"].endswith("#AGG"):
            raise Killed()
        return client.update_item(**params)
    return update


class _Patched:
    """A client with some operations replaced."""

    def __init__(self, inner: Any, **replaced: Any) -> None:
        self.inner = inner
        self.replaced = replaced

    def __getattr__(self, name: str) -> Any:
        return self.replaced.get(name) or getattr(self.inner, name)


def test_api_requests_read_once_and_never_scan(store: DynamoDBStore, recorder: Recorder, settings: Any) -> None:
    from ascolto.app import create_app

    site = make_site()
    store.put_site(site)
    client = create_app(settings, store=store).test_client()
    headers = {"Origin": "https://blog.example.org"}
    body = {"article": "/a", "url": "https://blog.example.org/a", "title": "A", "rating": 4,
            "voter": "voter-0001", "dwell_ms": 4000}
    assert client.post("/v1/sites/blog/votes", json=body, headers=headers).status_code == 200
    recorder.calls.clear()
    assert client.get("/v1/sites/blog/summary?article=/a", headers=headers).get_json()["count"] == 1
    assert recorder.operations() == ["get_item"]  # the site is cached; the summary is one GetItem
    recorder.calls.clear()
    assert client.get("/v1/sites/blog/summaries?article=/a&article=/b", headers=headers).status_code == 200
    assert recorder.operations() == ["batch_get_item"]
    assert "scan" not in recorder.operations()


def test_purge_reads_only_feedback_still_due(store: DynamoDBStore, recorder: Recorder) -> None:
    site = make_site()
    store.put_site(site)
    record_vote(store, vote(site, "/a", "voter-0001", 2))
    add_feedback(store, feedback(site, "/a", "voter-0001", "Old text", email="r@example.com"))
    assert store.purge_feedback(T0 + timedelta(days=1)) == 1
    recorder.calls.clear()
    assert store.purge_feedback(T0 + timedelta(days=2)) == 0
    reads = [p for op, p in recorder.calls if op in ("query", "batch_get_item")]
    assert [p.get("KeyConditionExpression", "") != "" for p in reads] == [True, True]  # sites, then FB only
    _, kept = export_site(store, site.id)
    assert [(e.text, e.rating) for e in kept] == [("", 2)]
