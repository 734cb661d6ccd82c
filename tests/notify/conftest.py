"""Real HTTP receivers on 127.0.0.1 that keep each request's raw bytes and answer from a script."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass(frozen=True)
class Received:
    """One request as it arrived: the path, the headers and the body bytes."""

    method: str
    path: str
    headers: dict[str, str]
    raw_headers: bytes  # the request line and header lines exactly as they arrived
    body: bytes


class Tee:
    """A reader that keeps every byte it hands out, so a test sees the request head as sent."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.seen = bytearray()

    def readline(self, *args: Any) -> bytes:
        line: bytes = self.stream.readline(*args)
        self.seen += line
        return line

    def read(self, *args: Any) -> bytes:
        return bytes(self.stream.read(*args))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@dataclass(frozen=True)
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes = b"ok"
    headers: tuple[tuple[str, str], ...] = ()


class Receiver:
    """An HTTP server in a thread: answers from `script` (then `default`) and records every request."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.script: list[Reply] = []
        self.default = Reply()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                super().setup()
                self.rfile = Tee(self.rfile)  # type: ignore[assignment]

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                head = bytes(self.rfile.seen)  # type: ignore[attr-defined]
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.requests.append(Received(self.command, self.path, dict(self.headers.items()),
                                                      head, body))
                    reply = receiver.script.pop(0) if receiver.script else receiver.default
                self.send_response(reply.status)
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        """Return http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def closed_port() -> str:
    """Return http://127.0.0.1:PORT where nothing listens (a channel that is down)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
