"""`ascolto import wordpress` on realistic exports: what it prints, writes, exports and the digest says."""

from __future__ import annotations

import csv
import email
import io
import re
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from ascolto.cli import main
from ascolto.importing.wxr import read_wxr
from ascolto.settings import Settings
from ascolto.stores.sqlite import SqliteStore
from ascolto.voting import imported_kind
from tests.digest.flow import seed, send_digest

FIXTURES = Path(__file__).parent / "fixtures"
RMP = FIXTURES / "rate-my-post.xml"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SqliteStore:
    monkeypatch.setenv("ASCOLTO_DATA_DIR", str(tmp_path))
    store = SqliteStore(tmp_path / "ascolto.db")
    seed(store)  # the blog, with a day of votes and comments
    return store


def published_rmp() -> dict[str, tuple[int, float]]:
    """Return the fixture's published Rate My Post numbers by path, as the reader parses them."""
    export = read_wxr(RMP)
    return {post.link.split("blog.example.org", 1)[1].rstrip("/"): (r.count, r.total)
            for post in export.posts if post.status == "publish" for r in post.ratings if r.plugin == "rate-my-post"}


def test_a_dry_run_shows_every_article_and_writes_nothing(store: SqliteStore) -> None:
    before = store.articles("blog")
    run = CliRunner().invoke(main, ["import", "wordpress", str(RMP), "--site", "blog", "--dry-run"])
    assert run.exit_code == 0, run.output
    expected = published_rmp()
    assert f"Rate My Post -> blog: {len(expected)} articles, {sum(c for c, _ in expected.values())} votes" in run.output
    for article in expected:
        assert article in run.output
    assert "draft, not published" in run.output and run.output.rstrip().endswith("dry run: nothing written")
    assert store.articles("blog") == before and store.records(imported_kind("blog")) == []


def test_the_import_counts_exports_and_shows_in_the_digest(store: SqliteStore, settings: Settings) -> None:
    run = CliRunner().invoke(main, ["import", "wordpress", str(RMP), "--site", "blog"])
    assert run.exit_code == 0, run.output
    expected = published_rmp()
    votes = sum(c for c, _ in expected.values())
    assert f"imported {votes} votes on {len(expected)} articles of blog" in run.output
    for article, (count, total) in expected.items():
        summary = store.summary("blog", article)
        assert (summary.count, summary.total) == (count, round(total))
    # the export marks them
    exported = CliRunner().invoke(main, ["export", "--site", "blog"])
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    marked = {r["article"]: (int(r["imported_votes"]), r["imported_from"]) for r in rows if r["kind"] == "imported"}
    assert marked == {a: (c, "rate-my-post") for a, (c, _) in expected.items()}
    assert not [r for r in rows if r["imported_from"] and r["kind"] == "feedback"]  # all older than a year
    # and the digest, as sent on the wire, says how many votes came from where
    wire = email.message_from_bytes(send_digest(store, settings).as_bytes(), policy=policy.default)
    for part in ("plain", "html"):
        body = wire.get_body((part,)).get_content()  # type: ignore[union-attr]
        assert f"Of these, {votes:,} were imported from Rate My Post on" in body
    plain = wire.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert re.search(r"Of these, \S+ were imported from Rate My Post on \d+ \w+\.\n", plain)  # its own line end
    # a second run replaces, and undo takes the numbers out
    again = CliRunner().invoke(main, ["import", "wordpress", str(RMP), "--site", "blog"])
    assert again.exit_code == 0 and sum(store.summary("blog", a).count for a in expected) == votes
    undone = CliRunner().invoke(main, ["import", "undo", "--site", "blog"])
    assert undone.exit_code == 0 and f"out of {len(expected)} articles" in undone.output
    assert sum(store.summary("blog", a).count for a in expected) == 0


def test_feedback_within_the_retention_period_comes_along_as_plain_text(
        store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    dry = CliRunner().invoke(main, ["import", "wordpress", str(RMP), "--site", "blog", "--dry-run"])
    assert "skipped: 3 feedback older than ASCOLTO_FEEDBACK_RETENTION_DAYS" in dry.output
    assert "skipped: 2 feedback with no date" in dry.output
    monkeypatch.setenv("ASCOLTO_FEEDBACK_RETENTION_DAYS", "36500")
    run = CliRunner().invoke(main, ["import", "wordpress", str(RMP), "--site", "blog"])
    assert run.exit_code == 0 and "and 3 feedback from Rate My Post" in run.output
    texts = {e.text: e for e in store.site_feedback("blog") if e.request_id.startswith("import:")}
    dated = {f.text: f.at for p in read_wxr(RMP).posts for f in p.feedback if f.at is not None}
    assert {t: e.at for t, e in texts.items()} == dated
    exported = CliRunner().invoke(main, ["export", "--site", "blog"]).output
    assert "'=HYPERLINK(" in exported and '<script>alert(""hi"")</script>' in exported  # text, never a formula


def test_several_plugins_or_problems_stop_with_one_line(store: SqliteStore) -> None:
    mixed = FIXTURES / "mixed.xml"
    run = CliRunner().invoke(main, ["import", "wordpress", str(mixed), "--site", "blog"])
    assert run.exit_code == 2
    assert run.output.strip().splitlines()[-1].startswith("error: --plugin: the file has ratings of several plugins")
    assert store.records(imported_kind("blog")) == []


def test_problems_stop_the_import_unless_the_owner_skips_them(store: SqliteStore) -> None:
    args = ["import", "wordpress", str(FIXTURES / "mixed.xml"), "--site", "blog", "--plugin", "rate-my-post"]
    stopped = CliRunner().invoke(main, args)
    assert stopped.exit_code == 2 and "problem: post 402: rmp_vote_count: 'twelve' is not a number" in stopped.output
    assert stopped.output.strip().splitlines()[-1].startswith("error: file: 5 posts have problems")
    assert store.records(imported_kind("blog")) == []
    done = CliRunner().invoke(main, [*args, "--skip-problems"])
    assert done.exit_code == 0, done.output
    assert store.summary("blog", "/2010/04/potatoes-earlies-maincrop").count == 6  # never kk's 4 added on top
    assert "not imported: the numbers kk Star Ratings kept on 1 post (--plugin kk-star-ratings" in done.output
    assert {key for key, _ in store.records(imported_kind("blog"))} == {
        "/2010/04/potatoes-earlies-maincrop", "/2010/09/saving-seed", "/2010/10/leeks-in-a-trench"}


@pytest.mark.parametrize("content", [b"not xml at all", b"<rss><channel><item>", b""])
def test_a_file_that_is_no_export_is_one_line(store: SqliteStore, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    run = CliRunner().invoke(main, ["import", "wordpress", str(bad), "--site", "blog"])
    assert run.exit_code == 2 and "Traceback" not in run.output
    assert len(run.output.strip().splitlines()) == 1 and run.output.startswith(f"error: {bad}:")


def test_a_missing_file_or_site_is_one_line(store: SqliteStore, tmp_path: Path) -> None:
    gone = CliRunner().invoke(main, ["import", "wordpress", str(tmp_path / "gone.xml"), "--site", "blog"])
    assert gone.exit_code == 2 and len(gone.output.strip().splitlines()) == 1
    nosite = CliRunner().invoke(main, ["import", "wordpress", str(RMP), "--site", "nope"])
    assert nosite.exit_code == 2 and nosite.output.strip() == "error: site: no site 'nope'"
