"""Real servers on loopback (`ascolto serve` and gunicorn): what they log and what they answer themselves.

Requests come from 127.0.0.2 (all of 127/8 is loopback), so the client address can be looked for
in the log without matching the listening address that the start-up banner prints.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ascolto.ratings import Site
from ascolto.stores.sqlite import SqliteStore

CLIENT = "127.0.0.2"
TOKEN = "eyJvd25lciI6Im93bmVyQGV4YW1wbGUub3JnIn0.aZ3cTOKENsecret"
SCRIPTS = Path(sys.executable).parent


@dataclass
class Server:
    """A server process on loopback and the file its output goes to."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> str:
        """Stop the server (once) and return everything it wrote."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raw(port: int, data: bytes) -> bytes:
    """Send bytes from 127.0.0.2 and return the whole answer."""
    with socket.socket() as s:
        s.bind((CLIENT, 0))
        s.settimeout(15)
        s.connect(("127.0.0.1", port))
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading everything we sent
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except ConnectionResetError:
            pass
    return out


def parse(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    """Split a raw HTTP/1.1 answer into status, headers (lower-case names) and body."""
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict((k.strip().lower(), v.strip()) for k, v in (line.split(":", 1) for line in lines[1:]))
    return int(lines[0].split()[1]), headers, body


def start(command: list[str], tmp: Path, port: int) -> Server:
    store = SqliteStore(tmp / "ascolto.db")
    store.put_site(Site(id="blog", name="Blog", owner_email="owner@example.org", origins=("https://blog.example.org",),
                        min_dwell_ms=0))
    store.close()
    log = tmp / "server.log"
    env = dict(os.environ, ASCOLTO_DATA_DIR=str(tmp), ASCOLTO_SECRET="serving-test", PYTHONUNBUFFERED="1")
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
    server = Server(port, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, server.stop()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise AssertionError("server did not start")


@pytest.fixture(scope="module", params=["werkzeug", "gunicorn"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp(request.param)
    port = free_port()
    if request.param == "werkzeug":
        command = [str(SCRIPTS / "ascolto"), "serve", "--port", str(port)]
    else:
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                   "--threads", "2", "--logger-class", "ascolto.serving.GunicornLogger",
                   "--access-logfile", "-", "ascolto.app:create_app()"]
    running = start(command, tmp, port)
    yield running
    running.stop()


def vote(voter: str, padding: int = 0, article: str = "/posts/a") -> bytes:
    return json.dumps({"article": article, "url": "https://blog.example.org/posts/a", "title": "A",
                       "rating": 4, "voter": voter, "dwell_ms": 5000}).encode() + b" " * padding


def chunked(path: str, body: bytes, size: int = 1000) -> bytes:
    parts = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size))
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode() + parts + b"0\r\n\r\n"


def test_chunked_body_over_the_limit_is_413_json(server: Server) -> None:
    status, headers, body = parse(raw(server.port, chunked("/v1/sites/blog/votes", vote("chunked-big", 50_000))))
    assert status == 413
    assert headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert answer["status"] == 413 and "body" in answer["errors"]
    status, _, body = parse(raw(server.port, b"GET /v1/sites/blog/summary?article=/posts/a HTTP/1.1\r\n"
                                             b"Host: x\r\nConnection: close\r\n\r\n"))
    assert status == 200 and json.loads(body)["count"] == 0  # the padded vote was not stored


def test_chunked_body_with_a_small_content_length_too_is_413(server: Server) -> None:
    request = chunked("/v1/sites/blog/votes", vote("chunked-cl", 50_000, "/posts/c"))
    request = request.replace(b"Transfer-Encoding: chunked", b"Content-Length: 10\r\nTransfer-Encoding: chunked")
    status, _, _ = parse(raw(server.port, request))
    assert status in (400, 413)  # gunicorn refuses both headers at once (400); Werkzeug reads the chunks


def test_chunked_body_within_the_limit_is_parsed(server: Server) -> None:
    status, _, body = parse(raw(server.port, chunked("/v1/sites/blog/votes", vote("chunked-ok", 2000, "/posts/b"))))
    assert status == 200, body
    assert json.loads(body)["count"] == 1


def test_request_log_has_no_client_ip_and_no_owner_token(server: Server) -> None:
    for target in (f"/owner/{TOKEN}", f"/owner/{TOKEN}/unsubscribe?from=mail", "/v1/sites/blog/summary?article=/x"):
        raw(server.port, f"GET {target} HTTP/1.1\r\nHost: x\r\nUser-Agent: probe-agent/1\r\n"
                         "Connection: close\r\n\r\n".encode())
    raw(server.port, f"GET /owner/{TOKEN} HTTP/9\r\n\r\n".encode())  # a malformed request line
    log = server.stop()
    assert CLIENT not in log
    assert TOKEN not in log and TOKEN[:20] not in log
    assert "probe-agent" not in log
    assert "GET /owner/<token>/unsubscribe" in log  # the log is there, only redacted
    assert "GET /v1/sites/blog/summary " in log and "article=" not in log


def test_werkzeug_answers_its_own_errors_as_json(tmp_path: Path) -> None:
    port = free_port()
    server = start([str(SCRIPTS / "ascolto"), "serve", "--port", str(port)], tmp_path, port)
    try:
        cases = {
            414: b"GET /v1/sites/blog/summary?article=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            431: b"GET /v1/sites/blog/summary?article=a HTTP/1.1\r\nHost: x\r\n"
                 + b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"\r\n",
            400: b"GARBAGE /owner/" + TOKEN.encode() + b"\r\n\r\n",
            405: b"PUT /v1/sites/blog/votes HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
        }
        for expected, request in cases.items():
            answer = raw(port, request)
            status, headers, body = parse(answer)
            assert status == expected, answer[:300]
            assert headers["content-type"] == "application/json", answer[:300]
            error = json.loads(body)
            assert set(error) == {"code", "status", "message", "errors"} and error["status"] == expected
            assert error["errors"] and all(isinstance(v, list) for v in error["errors"].values())
            assert TOKEN.encode() not in answer  # the reason phrase no longer echoes the request line
        long_header = (b"GET /v1/sites/blog/summary?article=a HTTP/1.1\r\nHost: x\r\nX-Big: "
                       + b"y" * 70_000 + b"\r\n\r\n")
        status, headers, body = parse(raw(port, long_header))
        assert (status, headers["content-type"]) == (431, "application/json")
    finally:
        server.stop()
