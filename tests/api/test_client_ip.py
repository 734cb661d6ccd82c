"""The client IP comes from REMOTE_ADDR; X-Forwarded-For only through a trusted proxy."""

from __future__ import annotations

from ascolto.api.client_ip import client_ip


def test_remote_addr_wins_without_trusted_proxies() -> None:
    environ = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert client_ip(environ) == "203.0.113.5"


def test_forwarded_for_ignored_from_untrusted_peer() -> None:
    environ = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert client_ip(environ, ["10.0.0.1"]) == "203.0.113.5"


def test_forwarded_for_honoured_from_trusted_proxy() -> None:
    environ = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.1, 10.0.0.2"}
    assert client_ip(environ, ["10.0.0.1", "10.0.0.2"]) == "198.51.100.1"


def test_garbage_forwarded_for_falls_back() -> None:
    environ = {"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "not-an-ip"}
    assert client_ip(environ, ["::1"]) == "::1"
    assert client_ip({"REMOTE_ADDR": "0:0:0:0:0:0:0:1", "HTTP_X_FORWARDED_FOR": "192.0.2.1"}, ["::1"]) == "192.0.2.1"
