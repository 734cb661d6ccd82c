"""The receiver example in docs/notifications.md accepts our signed webhook and refuses a tampered one."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from datetime import UTC, datetime
from http.server import HTTPServer
from pathlib import Path

import pytest

from ascolto.notify.channels import parse_channel
from ascolto.notify.deliver import post
from ascolto.notify.formats import render
from ascolto.notify.notice import sample_notice

DOC = Path(__file__).resolve().parents[2] / "docs" / "notifications.md"


def test_the_documented_receiver_verifies_our_signature(capsys: pytest.CaptureFixture[str]) -> None:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1)  # type: ignore[union-attr]
    assert len(code.strip().splitlines()) <= 25
    example, serve = code.rstrip().rsplit("\n", 1)
    assert serve.startswith("HTTPServer(")
    secret = re.search(r'"(whsec_[^"]+)"', example).group(1)  # type: ignore[union-attr]
    namespace: dict[str, object] = {}
    exec(example, namespace)  # noqa: S102 (our own documentation)
    server = HTTPServer(("127.0.0.1", 0), namespace["Receiver"])  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        channel = parse_channel(f"webhook+http://127.0.0.1:{server.server_address[1]}/hook?secret={secret}")
        request = render(sample_notice("doc-test"), channel, datetime.now(UTC))
        assert post(request, attempts=1).ok
        tampered = replace(request, body=request.body.replace(b"works", b"WORKS"))
        assert post(tampered, attempts=1).status == 401
        old = render(sample_notice("doc-test"), channel, datetime(2026, 1, 1, tzinfo=UTC))
        assert post(old, attempts=1).status == 401
        # One request at a time: by now the first one's handler has printed what it accepted.
        assert capsys.readouterr().out.splitlines() == ["ascolto test: this channel works"]
    finally:
        server.shutdown()
        server.server_close()


def test_the_readme_check_verifies_our_signature() -> None:
    readme = (DOC.parents[1] / "README.md").read_text()
    section = readme.split("**Checking the webhook's signature.**", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]
    assert len(code.strip().splitlines()) <= 10
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 (our own documentation)
    verified = namespace["verified"]
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    request = render(sample_notice("readme"), parse_channel(f"webhook+https://h.example.org/x?secret={secret}"),
                     datetime.now(UTC))
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert verified(secret, headers, request.body)  # type: ignore[operator]
    assert not verified(secret, headers, request.body + b" ")  # type: ignore[operator]
