"""client_ip on the WSGI environ Zappa builds from an API Gateway event."""

from __future__ import annotations

from zappa.wsgi import create_wsgi_request

from ascolto.api.client_ip import client_ip
from tests.e2e.test_artifact import FORWARDED, SOURCE_IP, api_event


def zappa_environ(event: dict[str, object]) -> dict[str, object]:
    """Return the environ as Zappa's handler passes it to the app (with the event attached)."""
    environ = create_wsgi_request(event, script_name="/dev")
    environ["lambda.event"] = event
    return environ


def test_zappa_fills_remote_addr_from_forwarded_for() -> None:
    # why client_ip must not trust REMOTE_ADDR on Lambda
    assert zappa_environ(api_event("GET", "/healthz"))["REMOTE_ADDR"] in FORWARDED


def test_source_ip_wins_over_forwarded_for_and_trusted_proxies() -> None:
    environ = zappa_environ(api_event("GET", "/healthz"))
    assert client_ip(environ) == SOURCE_IP
    assert client_ip(environ, ["203.0.113.9", "198.51.100.7"]) == SOURCE_IP


def test_http_api_v2_source_ip() -> None:
    event = {"version": "2.0", "requestContext": {"http": {"sourceIp": "2001:db8::7", "method": "GET"}}}
    assert client_ip({"REMOTE_ADDR": "10.0.0.1", "lambda.event": event}) == "2001:db8::7"


def test_without_an_event_remote_addr_is_used() -> None:
    assert client_ip({"REMOTE_ADDR": "198.51.100.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}) == "198.51.100.1"
