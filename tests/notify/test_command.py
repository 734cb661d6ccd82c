"""`ascolto notify test`: one line per channel, exit 1 if any failed, exit 2 on a bad URL."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ascolto.cli.notify import notify
from tests.notify.conftest import Receiver, Reply


def run(tmp_path: Path, value: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(notify, ["test", "--data-dir", str(tmp_path)], env={"ASCOLTO_NOTIFY": value})
    return result.exit_code, result.stdout, result.stderr


def test_every_channel_gets_a_sample_and_a_line(tmp_path: Path, receiver: Receiver) -> None:
    code, out, _ = run(tmp_path, f"slack+{receiver.base}/s ntfy+{receiver.base}/topic")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2 and all(line.startswith("ok      ") for line in lines)
    assert lines[0].startswith("ok      slack 127.0.0.1 #") and "(1 attempt)" in lines[0]
    assert [r.path for r in receiver.requests] == ["/s", "/topic"]
    assert b"ascolto test" in receiver.requests[0].body


def test_a_failing_channel_is_named_and_exits_1(tmp_path: Path, receiver: Receiver) -> None:
    receiver.script = [Reply(200), Reply(404, b"Unknown Webhook")]
    code, out, _ = run(tmp_path, f"slack+{receiver.base}/s, discord+{receiver.base}/gone")
    assert code == 1
    ok, failed = out.splitlines()
    assert ok.startswith("ok      slack") and failed.startswith("FAILED  discord 127.0.0.1 #")
    assert failed.endswith("(1 attempt): HTTP 404") and "/gone" not in failed


def test_a_bad_url_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "slack+http://hooks.slack.com/services/SECRET")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ASCOLTO_NOTIFY: plain http only to a loopback host")
    assert "SECRET" not in err


def test_no_channel_is_an_error(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "")
    assert code == 2 and "ASCOLTO_NOTIFY" in err
