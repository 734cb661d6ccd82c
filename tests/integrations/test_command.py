"""`ascolto integrate`: the files each generator gets, refusals, and the package copies of the templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ascolto.cli import main
from ascolto.integrations.packages import PACKAGE_FILES, package_text
from ascolto.integrations.writers import GENERATORS
from ascolto.stores.sqlite import SqliteStore
from tests.conftest import make_site

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASCOLTO_PUBLIC_URL", "https://ratings.example.org/")
    SqliteStore(tmp_path / "ascolto.db").put_site(make_site())
    return CliRunner()


@pytest.mark.parametrize("generator", sorted(GENERATORS))
def test_integrate_writes_the_files_with_the_site_and_the_api(runner: CliRunner, tmp_path: Path,
                                                              generator: str) -> None:
    src = tmp_path / "site"
    src.mkdir()
    result = runner.invoke(main, ["integrate", generator, "--site", "blog", "--dir", str(src)])
    assert result.exit_code == 0, result.output
    texts = ""
    for _, path in GENERATORS[generator].files:
        texts += (src / path).read_text()
        assert f"wrote {src / path}" in result.output
    assert "__ASCOLTO_" not in texts
    # the site and the API go into the files, or (MkDocs) into the mkdocs.yml lines printed
    where = result.output if generator == "mkdocs" else texts
    assert "blog" in where and "https://ratings.example.org" in where and "example.org//" not in where
    assert f"docs/integrations/{generator}.md" in result.output


def test_integrate_refuses_to_overwrite_unless_forced(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "site"
    (src / "layouts" / "partials").mkdir(parents=True)
    (src / "layouts" / "partials" / "ascolto.html").write_text("mine")
    result = runner.invoke(main, ["integrate", "hugo", "--site", "blog", "--dir", str(src)])
    assert result.exit_code == 2 and "error: dir:" in result.output and "--force" in result.output
    assert (src / "layouts" / "partials" / "ascolto.html").read_text() == "mine"
    forced = runner.invoke(main, ["integrate", "hugo", "--site", "blog", "--dir", str(src), "--force"])
    assert forced.exit_code == 0 and "mine" not in (src / "layouts" / "partials" / "ascolto.html").read_text()


@pytest.mark.parametrize(("args", "field"), [
    (["hugo", "--site", "nope"], "site"),
    (["hugo", "--site", "blog", "--dir", "/nonexistent/ascolto-site"], "dir"),
    (["hugo", "--site", "blog", "--api", "ftp://x.example"], "api"),
])
def test_integrate_names_what_is_wrong(runner: CliRunner, tmp_path: Path, args: list[str], field: str) -> None:
    if "--dir" not in args:
        args = [*args, "--dir", str(tmp_path)]
    result = runner.invoke(main, ["integrate", *args])
    assert result.exit_code == 2 and f"error: {field}:" in result.output


@pytest.mark.parametrize("path", sorted(PACKAGE_FILES))
def test_the_publishable_packages_carry_the_templates(path: str) -> None:
    # python -m ascolto.integrations.packages . rewrites them
    assert (ROOT / "integrations" / path).read_text() == package_text(PACKAGE_FILES[path])
