"""The `ascolto` command: site add/list and the serve wiring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ascolto.app import create_app
from ascolto.cli import ensure_demo_site, main
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASCOLTO_PUBLIC_URL", "https://ratings.example.org")
    return CliRunner()


def test_site_add_prints_snippet_and_lists(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["site", "add", "--name", "Il mio blog", "--origin", "https://blog.example.it/",
                                  "--origin", "http://localhost:1313", "--owner", "anna@example.it",
                                  "--timezone", "Europe/Rome", "--language", "it"])
    assert result.exit_code == 0, result.output
    assert '<script src="https://ratings.example.org/widget.js" data-site="il-mio-blog" async></script>' \
        in result.output
    assert '<div data-ascolto style="min-height:calc(6em + 2px)"></div>' in result.output
    listed = runner.invoke(main, ["site", "list", "--json"])
    sites = json.loads(listed.output)
    assert sites[0]["id"] == "il-mio-blog"
    assert sites[0]["origins"] == ["https://blog.example.it", "http://localhost:1313"]
    assert (sites[0]["timezone"], sites[0]["language"], sites[0]["low_threshold"]) == ("Europe/Rome", "it", 3)
    assert SqliteStore(tmp_path / "ascolto.db").get_site("il-mio-blog") is not None


@pytest.mark.parametrize(("args", "field"), [
    (["--timezone", "Mars/Olympus"], "timezone"),
    (["--owner", "not an email"], "owner_email"),
    (["--origin", "ftp://x.example"], "origins"),
    (["--low-threshold", "7"], "low_threshold"),
])
def test_site_add_rejects_bad_values(runner: CliRunner, args: list[str], field: str) -> None:
    base = {"--name": "Blog", "--origin": "https://b.example", "--owner": "o@example.org"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    result = runner.invoke(main, ["site", "add", *[x for kv in base.items() for x in kv]])
    assert result.exit_code == 2
    assert f"error: {field}:" in result.output


def test_site_add_refuses_duplicate_id(runner: CliRunner) -> None:
    args = ["site", "add", "--name", "Blog", "--origin", "https://b.example", "--owner", "o@example.org"]
    assert runner.invoke(main, args).exit_code == 0
    again = runner.invoke(main, args)
    assert again.exit_code == 2 and "exists already" in again.output


def test_demo_site_and_page(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, demo=True, public_url="http://127.0.0.1:8000")
    app = create_app(settings)
    store = app.extensions["ascolto"].store
    site = ensure_demo_site(store, settings.public_url, 8000)
    assert "http://127.0.0.1:8000" in site.origins and "http://localhost:8000" in site.origins
    assert ensure_demo_site(store, settings.public_url, 8000) == site
    page = app.test_client().get("/").get_data(as_text=True)
    assert '<script src="http://127.0.0.1:8000/widget.js" data-site="demo" async></script>' in page
    assert (tmp_path / "secret").exists()


def test_no_demo_page_unless_asked(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    assert app.test_client().get("/").status_code == 404
