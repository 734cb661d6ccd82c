"""`ascolto owner revoke-links`: old links stop working, new digests carry working ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ascolto import followup
from ascolto.cli import main
from ascolto.digest.links import owner_token, read_owner_link
from ascolto.stores.sqlite import SqliteStore
from tests.conftest import make_site


def test_revoke_links_bumps_the_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ASCOLTO_STORE", "ASCOLTO_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    store = SqliteStore(tmp_path / "ascolto.db")
    store.put_site(make_site())
    result = CliRunner().invoke(main, ["owner", "revoke-links", "--email", "Owner@Example.org",
                                       "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "link version 1" in result.output
    assert followup.link_version(store, "owner@example.org") == 1  # type: ignore[arg-type]
    unknown = CliRunner().invoke(main, ["owner", "revoke-links", "--email", "x@example.org",
                                        "--data-dir", str(tmp_path)])
    assert unknown.exit_code == 2 and "error: email:" in unknown.output
    store.close()


def test_the_token_carries_the_version() -> None:
    assert read_owner_link("s", owner_token("s", "o@example.org")) == ("o@example.org", 0)
    assert read_owner_link("s", owner_token("s", "o@example.org", 3)) == ("o@example.org", 3)
    assert read_owner_link("other", owner_token("s", "o@example.org", 3)) is None
