"""`ascolto site update` and `site remove`, what `site add` says about them and about `integrate`, and a site's
own chat channels (`--notify`, `--add-notify`, `--remove-notify`): no output repeats a channel URL, which holds
secrets, and a channel added here is one `ascolto notify test` reaches (a real HTTP receiver on loopback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ascolto.cli import main
from ascolto.notify.channels import channel_id
from ascolto.ratings import Site
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import cast_vote
from tests.conftest import Clock, make_site
from tests.notify.conftest import Receiver

SLACK = "slack+https://hooks.slack.com/services/T000/B000/SECRETSLACK"
WEBHOOK = "webhook+https://hooks.example.org/ascolto?secret=whsec_c2VjcmV0LXdlYmhvb2sta2V5LTEyMzQ1Njc4"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASCOLTO_PUBLIC_URL", "https://ratings.example.org")
    return CliRunner()


@pytest.fixture
def stored(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "ascolto.db")
    store.put_site(make_site())
    return store


def test_site_add_on_an_existing_id_says_what_to_run(runner: CliRunner, stored: SqliteStore) -> None:
    result = runner.invoke(main, ["site", "add", "--id", "blog", "--name", "Blog", "--origin", "https://b.example",
                                  "--owner", "o@example.org"])
    assert result.exit_code == 2
    assert "exists already; change it with `ascolto site update blog ...`" in result.output


def test_site_add_tells_about_integrate(runner: CliRunner) -> None:
    result = runner.invoke(main, ["site", "add", "--name", "Blog", "--origin", "https://b.example",
                                  "--owner", "o@example.org"])
    assert result.exit_code == 0 and "ascolto integrate hugo --site blog --dir PATH" in result.output


def test_update_adds_a_forgotten_localhost_origin_and_changes_settings(runner: CliRunner,
                                                                       stored: SqliteStore) -> None:
    result = runner.invoke(main, ["site", "update", "blog", "--add-origin", "http://LOCALHOST:1313/",
                                  "--name", "The blog", "--digest-hour", "6", "--vote-cap", "3",
                                  "--min-dwell-ms", "0", "--language", "it"])
    assert result.exit_code == 0, result.output
    site = stored.get_site("blog")
    assert site is not None
    assert site.origins == ("https://blog.example.org", "http://localhost:1313")
    assert (site.name, site.digest_hour, site.vote_cap, site.min_dwell_ms, site.language) == (
        "The blog", 6, 3, 0, "it")
    assert "origins: https://blog.example.org -> https://blog.example.org http://localhost:1313" in result.output
    assert "digest_hour: 7 -> 6" in result.output
    again = runner.invoke(main, ["site", "update", "blog", "--remove-origin", "http://localhost:1313"])
    assert again.exit_code == 0 and stored.get_site("blog").origins == ("https://blog.example.org",)


@pytest.mark.parametrize(("args", "field"), [
    (["--timezone", "Mars/Olympus"], "timezone"),
    (["--owner", "nobody"], "owner_email"),
    (["--add-origin", "https://b.example/path"], "origins"),
    (["--remove-origin", "https://never.example"], "origins"),
    (["--digest-hour", "24"], "digest_hour"),
    (["--rate-burst", "0"], "rate_burst"),
    (["--min-dwell-ms", "-1"], "min_dwell_ms"),
])
def test_update_refuses_bad_values_naming_the_field(runner: CliRunner, stored: SqliteStore, args: list[str],
                                                    field: str) -> None:
    result = runner.invoke(main, ["site", "update", "blog", *args])
    assert result.exit_code == 2 and f"error: {field}:" in result.output
    assert stored.get_site("blog") == make_site()


def test_update_of_an_unknown_site_exits_2(runner: CliRunner, stored: SqliteStore) -> None:
    result = runner.invoke(main, ["site", "update", "nope", "--name", "x"])
    assert result.exit_code == 2 and "error: site: no site 'nope'" in result.output


def test_remove_asks_exports_first_then_deletes(runner: CliRunner, stored: SqliteStore, tmp_path: Path,
                                                clock: Clock) -> None:
    site: Site = make_site()
    cast_vote(stored, site, {"article": "/a", "voter": "voter-0001", "rating": 4, "title": "A"}, clock())
    declined = runner.invoke(main, ["site", "remove", "blog"], input="n\n")
    assert declined.exit_code == 1 and stored.get_site("blog") is not None
    target = tmp_path / "out" / "blog.json"
    result = runner.invoke(main, ["site", "remove", "blog", "--export-to", str(target)], input="y\n")
    assert result.exit_code == 0, result.output
    exported = json.loads(target.read_text())
    assert exported["site"]["id"] == "blog" and [r["rating"] for r in exported["rows"]] == [4]
    assert stored.get_site("blog") is None and stored.articles("blog") == []


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
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASCOLTO_NOTIFY", raising=False)
    with Receiver() as receiver:
        code, _, err = update(runner, "--add-notify", f"ntfy+{receiver.base}/blog-topic")
        assert (code, err) == (0, "")
        result = runner.invoke(main, ["notify", "test"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok      ntfy 127.0.0.1 #")
    assert [r.path for r in receiver.requests] == ["/blog-topic"]
