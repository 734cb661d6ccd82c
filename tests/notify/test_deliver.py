"""Retries against a real receiver: 429 then success, Retry-After and Discord's retry_after honoured."""

from __future__ import annotations

from datetime import UTC, datetime

from ascolto.notify.deliver import post, retry_after
from ascolto.notify.formats import Request
from tests.notify.conftest import Receiver, Reply, closed_port


def request(url: str) -> Request:
    return Request(url, {"Content-Type": "application/json"}, b'{"text":"hi"}')


def test_429_then_success_waits_as_retry_after_says(receiver: Receiver) -> None:
    receiver.script = [Reply(429, b"slow down", (("Retry-After", "7"),)), Reply(429, b"{}", (("Retry-After", "2"),))]
    waits: list[float] = []
    delivery = post(request(f"{receiver.base}/hook"), sleep=waits.append)
    assert delivery.ok and delivery.attempts == 3 and len(receiver.requests) == 3
    assert waits == [7.0, 2.0]
    assert {r.body for r in receiver.requests} == {b'{"text":"hi"}'}  # the same request each time


def test_discord_json_retry_after_is_honoured(receiver: Receiver) -> None:
    receiver.script = [Reply(429, b'{"message": "You are being rate limited.", "retry_after": 0.75, "global": false}')]
    waits: list[float] = []
    delivery = post(request(f"{receiver.base}/api/webhooks/1/t"), sleep=waits.append)
    assert delivery.ok and delivery.attempts == 2 and waits == [0.75]


def test_telegram_retry_after_parameter_is_honoured(receiver: Receiver) -> None:
    receiver.script = [Reply(429, b'{"ok":false,"error_code":429,"parameters":{"retry_after":3}}')]
    waits: list[float] = []
    assert post(request(f"{receiver.base}/bot1:a/sendMessage"), sleep=waits.append).ok and waits == [3.0]


def test_a_wait_longer_than_the_limit_gives_up_for_this_run(receiver: Receiver) -> None:
    receiver.default = Reply(429, b"", (("Retry-After", "3600"),))
    waits: list[float] = []
    delivery = post(request(f"{receiver.base}/hook"), sleep=waits.append)
    assert not delivery.ok and delivery.attempts == 1 and waits == [] and "3600" in delivery.error


def test_server_errors_back_off_then_stop(receiver: Receiver) -> None:
    receiver.default = Reply(503, b"down")
    waits: list[float] = []
    delivery = post(request(f"{receiver.base}/hook"), attempts=4, backoff=1.0, sleep=waits.append)
    assert not delivery.ok and delivery.attempts == 4 and len(receiver.requests) == 4
    assert waits == [1.0, 2.0, 4.0] and delivery.status == 503 and delivery.error == "HTTP 503"


def test_a_client_error_is_not_retried(receiver: Receiver) -> None:
    receiver.default = Reply(404, b"Unknown Webhook")
    delivery = post(request(f"{receiver.base}/hook"), sleep=lambda _: None)
    assert not delivery.ok and delivery.attempts == 1 and delivery.status == 404


def test_a_redirect_is_not_followed(receiver: Receiver) -> None:
    receiver.default = Reply(302, b"", (("Location", "http://127.0.0.1:9/elsewhere"),))
    delivery = post(request(f"{receiver.base}/hook"), sleep=lambda _: None)
    assert not delivery.ok and delivery.status == 302 and len(receiver.requests) == 1


def test_a_refused_connection_is_retried_and_the_error_holds_no_url() -> None:
    url = closed_port() + "/services/SECRET"
    delivery = post(request(url), attempts=3, sleep=lambda _: None)
    assert not delivery.ok and delivery.attempts == 3 and delivery.status is None
    assert delivery.error.startswith("network:") and "SECRET" not in delivery.error


def test_retry_after_as_an_http_date() -> None:
    from email.message import Message

    headers = Message()
    headers["Retry-After"] = "Mon, 23 Nov 2026 12:00:30 GMT"
    assert retry_after(headers, b"", datetime(2026, 11, 23, 12, 0, tzinfo=UTC)) == 30.0
