"""`ascolto site add --notify` and `site update --add-notify/--remove-notify`: a site's own chat channels.

Channel URLs hold secrets: no output repeats one. A channel added here is one `ascolto notify test`
reaches (through a real HTTP receiver on loopback).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ascolto.cli import main
from ascolto.notify.channels import channel_id
from ascolto.stores.sqlite import SqliteStore
from tests.conftest import make_site
from tests.notify.conftest import Receiver

SLACK = "slack+https://hooks.slack.com/services/T000/B000/SECRETSLACK"
WEBHOOK = "webhook+https://hooks.example.org/ascolto?secret=whsec_c2VjcmV0LXdlYmhvb2sta2V5LTEyMzQ1Njc4"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ASCOLTO_NOTIFY", raising=False)
    return CliRunner()


@pytest.fixture
def stored(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "ascolto.db")
    store.put_site(make_site())
    return store


def update(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["site", "update", "blog", *args])
    return result.exit_code, result.stdout, result.stderr


def test_channels_are_added_listed_and_removed_by_id_or_url_without_echoing_secrets(
        runner: CliRunner, stored: SqliteStore) -> None:
    code, out, err = update(runner, "--add-notify", SLACK, "--add-notify", WEBHOOK, "--add-notify", SLACK)
    assert (code, err) == (0, "")
    assert stored.get_site("blog").notify == (SLACK, WEBHOOK)  # the repeated one is kept once
    assert out == (f"notify: none -> slack hooks.slack.com #{channel_id(SLACK)}, "
                   f"webhook hooks.example.org #{channel_id(WEBHOOK)}\n")
    listed = runner.invoke(main, ["site", "list"]).stdout
    assert f"notify: slack hooks.slack.com #{channel_id(SLACK)}" in listed
    assert "SECRET" not in out + listed and "whsec_" not in out + listed

    code, out, _ = update(runner, "--remove-notify", f"#{channel_id(SLACK)}")
    assert code == 0 and stored.get_site("blog").notify == (WEBHOOK,)
    code, out, _ = update(runner, "--remove-notify", WEBHOOK)
    assert code == 0 and stored.get_site("blog").notify == ()
    assert out == f"notify: webhook hooks.example.org #{channel_id(WEBHOOK)} -> none\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--add-notify", "teams+https://example.org/SECRETTEAMS"], "error: notify: unknown channel in a teams+https://"),
    (["--add-notify", "slack+http://hooks.slack.com/services/SECRETPLAIN"],
     "error: notify: plain http only to a loopback host"),
    (["--add-notify", "webhook+https://hooks.example.org/x?secret=SECRETBAD"], "error: notify: "),
    (["--remove-notify", "#000000000000"], "error: notify: that URL or id names no channel of 'blog'"),
])
def test_a_bad_channel_is_one_line_naming_notify_and_nothing_is_written(
        runner: CliRunner, stored: SqliteStore, args: list[str], message: str) -> None:
    code, out, err = update(runner, "--name", "Renamed", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(message) and "SECRET" not in err
    assert stored.get_site("blog") == make_site()


def test_site_add_takes_channels(runner: CliRunner, stored: SqliteStore) -> None:
    result = runner.invoke(main, ["site", "add", "--id", "docs", "--name", "Docs", "--origin", "https://d.example",
                                  "--owner", "o@example.org", "--notify", SLACK])
    assert result.exit_code == 0, result.output
    assert stored.get_site("docs").notify == (SLACK,)
    refused = runner.invoke(main, ["site", "add", "--id", "wiki", "--name", "Wiki", "--origin", "https://w.example",
                                   "--owner", "o@example.org", "--notify", "nope://SECRETX"])
    assert refused.exit_code == 2 and refused.stderr.startswith("error: notify: ") and "SECRETX" not in refused.stderr
    assert stored.get_site("wiki") is None


def test_a_channel_added_by_the_cli_is_one_notify_test_reaches(runner: CliRunner, stored: SqliteStore,
                                                               receiver: Receiver) -> None:
    code, _, err = update(runner, "--add-notify", f"ntfy+{receiver.base}/blog-topic")
    assert (code, err) == (0, "")
    result = runner.invoke(main, ["notify", "test"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok      ntfy 127.0.0.1 #")
    assert [r.path for r in receiver.requests] == ["/blog-topic"]
