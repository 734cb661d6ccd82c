"""Settings are data: every one has a default, help text and a line in the README."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from ascolto.settings import SETTINGS, Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_declared() -> None:
    assert {s.name for s in SETTINGS} == {f.name for f in fields(Settings)}
    assert all(s.help and s.env.startswith("ASCOLTO_") for s in SETTINGS)


def test_every_setting_is_documented_in_readme() -> None:
    text = README.read_text()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in text]
    assert not missing, f"README's configuration table lacks {missing}"


def test_from_env_parses_types(tmp_path: Path) -> None:
    settings = Settings.from_env({
        "ASCOLTO_DATA_DIR": str(tmp_path), "ASCOLTO_MAX_BODY_BYTES": "4096", "ASCOLTO_DEMO": "yes",
        "ASCOLTO_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2", "ASCOLTO_PUBLIC_URL": "https://r.example.org/",
    })
    assert settings.max_body_bytes == 4096 and settings.demo is True
    assert settings.trusted_proxies == ("10.0.0.1", "10.0.0.2")
    assert settings.public_url == "https://r.example.org"
    assert settings.store_url == f"sqlite:///{tmp_path / 'ascolto.db'}"
    assert settings.mailer_url == f"outbox:///{tmp_path / 'outbox'}"


def test_secret_is_generated_once(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).with_secret().secret
    assert len(first) > 30
    assert Settings(data_dir=tmp_path).with_secret().secret == first
